// hcc-cpu-lower-vectors writes a tree of arith.maximumf over three or more
// f32 vectors (a max pool's window) as the same tree of compare-selects
// (one vmaxps each) and one NaN check of all the leaves, two at a time; a lone
// maximumf (a ReLU's) and scalar ones keep their exact lowering.
// RUN: hcc-opt %s --hcc-cpu-lower-vectors | FileCheck %s

// CHECK-LABEL: func.func @window
// CHECK-SAME:    (%[[A:.*]]: vector<16xf32>, %[[B:.*]]: vector<16xf32>, %[[C:.*]]: vector<16xf32>, %[[D:.*]]: vector<16xf32>, %[[E:.*]]: vector<16xf32>)
// CHECK-NOT:     arith.maximumf
// CHECK:         %[[NAN:.*]] = arith.constant dense<0x7FC00000> : vector<16xf32>
// CHECK-NOT:     arith.maximumf
// CHECK:         %[[G1:.*]] = arith.cmpf ogt, %[[A]], %[[B]]
// CHECK:         %[[M1:.*]] = arith.select %[[G1]], %[[A]], %[[B]]
// CHECK:         %[[G2:.*]] = arith.cmpf ogt, %[[M1]], %[[C]]
// CHECK:         %[[M2:.*]] = arith.select %[[G2]], %[[M1]], %[[C]]
// CHECK:         %[[G3:.*]] = arith.cmpf ogt, %[[D]], %[[E]]
// CHECK:         %[[M3:.*]] = arith.select %[[G3]], %[[D]], %[[E]]
// CHECK:         %[[G4:.*]] = arith.cmpf ogt, %[[M2]], %[[M3]]
// CHECK:         %[[M4:.*]] = arith.select %[[G4]], %[[M2]], %[[M3]]
// CHECK:         %[[O1:.*]] = arith.cmpf ord, %[[A]], %[[B]]
// CHECK:         %[[O2:.*]] = arith.cmpf ord, %[[C]], %[[D]]
// CHECK:         %[[O12:.*]] = arith.andi %[[O1]], %[[O2]]
// CHECK:         %[[O3:.*]] = arith.cmpf ord, %[[E]], %[[E]]
// CHECK:         %[[ORD:.*]] = arith.andi %[[O12]], %[[O3]]
// CHECK:         %[[R:.*]] = arith.select %[[ORD]], %[[M4]], %[[NAN]]
// CHECK:         return %[[R]]
func.func @window(%a: vector<16xf32>, %b: vector<16xf32>, %c: vector<16xf32>,
                  %d: vector<16xf32>, %e: vector<16xf32>) -> vector<16xf32> {
  %0 = arith.maximumf %a, %b : vector<16xf32>
  %1 = arith.maximumf %0, %c : vector<16xf32>
  %2 = arith.maximumf %d, %e : vector<16xf32>
  %3 = arith.maximumf %1, %2 : vector<16xf32>
  return %3 : vector<16xf32>
}

// A part of the tree used elsewhere is a leaf of the tree that uses it;
// it stays a maximumf of two.
// CHECK-LABEL: func.func @shared
// CHECK:         %[[P:.*]] = arith.maximumf %arg0, %arg1 : vector<16xf32>
// CHECK-COUNT-2: arith.cmpf ogt
// CHECK:         return
func.func @shared(%a: vector<16xf32>, %b: vector<16xf32>, %c: vector<16xf32>)
    -> (vector<16xf32>, vector<16xf32>) {
  %0 = arith.maximumf %a, %b : vector<16xf32>
  %1 = arith.maximumf %0, %c : vector<16xf32>
  %2 = arith.maximumf %1, %a : vector<16xf32>
  return %0, %2 : vector<16xf32>, vector<16xf32>
}

// CHECK-LABEL: func.func @kept
// CHECK:         arith.maximumf %arg0, %arg1 : vector<16xf32>
// CHECK-COUNT-2: arith.maximumf {{.*}} : f32
// CHECK-NOT:     arith.cmpf
func.func @kept(%a: vector<16xf32>, %b: vector<16xf32>, %x: f32, %y: f32,
                %z: f32) -> (vector<16xf32>, f32) {
  %relu = arith.maximumf %a, %b : vector<16xf32>
  %0 = arith.maximumf %x, %y : f32
  %1 = arith.maximumf %0, %z : f32
  return %relu, %1 : vector<16xf32>, f32
}
