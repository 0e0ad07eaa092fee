// The column of A a register tile broadcasts in its K steps is read as a
// vector and taken apart element by element; hcc-cpu-lower-vectors reads
// such a vector as scalar loads (LLVM folds each into a broadcast from
// memory instead of merging neighbours into wider loads and shuffling them
// apart). A read with any other use stays one vector read.
// RUN: hcc-opt %s --hcc-cpu-lower-vectors --cse | FileCheck %s

// CHECK-LABEL: func.func @k_steps
// CHECK-SAME:    (%[[A:.*]]: memref<64x49xf32>, %[[B:.*]]: memref<64x32xf32>, %[[I:.*]]: index, %[[J:.*]]: index
// CHECK-NOT:     vector.transfer_read %[[A]]
// CHECK-NOT:     vector.load %[[A]]
// CHECK-DAG:     %[[J1:.*]] = arith.addi %[[J]], %c1
// CHECK-DAG:     %[[I1:.*]] = arith.addi %[[I]], %c1
// CHECK-DAG:     memref.load %[[A]][%[[I]], %[[J]]]
// CHECK-DAG:     memref.load %[[A]][%[[I]], %[[J1]]]
// CHECK-DAG:     memref.load %[[A]][%[[I1]], %[[J]]]
// CHECK-DAG:     memref.load %[[A]][%[[I1]], %[[J1]]]
// CHECK:         return
func.func @k_steps(%a: memref<64x49xf32>, %b: memref<64x32xf32>,
                   %i: index, %j: index, %acc: vector<32xf32>)
    -> vector<32xf32> {
  %pad = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %col = vector.transfer_read %a[%i, %j], %pad {in_bounds = [true, true]}
      : memref<64x49xf32>, vector<2x2xf32>
  %row = vector.transfer_read %b[%c0, %c0], %pad {in_bounds = [true]}
      : memref<64x32xf32>, vector<32xf32>
  %e0 = vector.extract %col[0, 0] : f32 from vector<2x2xf32>
  %e1 = vector.extract %col[0, 1] : f32 from vector<2x2xf32>
  %e2 = vector.extract %col[1, 0] : f32 from vector<2x2xf32>
  %e3 = vector.extract %col[1, 1] : f32 from vector<2x2xf32>
  %b0 = vector.broadcast %e0 : f32 to vector<32xf32>
  %b1 = vector.broadcast %e1 : f32 to vector<32xf32>
  %b2 = vector.broadcast %e2 : f32 to vector<32xf32>
  %b3 = vector.broadcast %e3 : f32 to vector<32xf32>
  %f0 = vector.fma %b0, %row, %acc : vector<32xf32>
  %f1 = vector.fma %b1, %row, %f0 : vector<32xf32>
  %f2 = vector.fma %b2, %row, %f1 : vector<32xf32>
  %f3 = vector.fma %b3, %row, %f2 : vector<32xf32>
  return %f3 : vector<32xf32>
}

// A 1-D vector.load taken apart the same way.
// CHECK-LABEL: func.func @one_row
// CHECK-NOT:     vector.load
// CHECK:         memref.load %arg0[%arg1]
// CHECK:         %[[AT:.*]] = arith.addi %arg1, %c3
// CHECK:         memref.load %arg0[%[[AT]]]
func.func @one_row(%a: memref<64xf32>, %i: index) -> f32 {
  %v = vector.load %a[%i] : memref<64xf32>, vector<4xf32>
  %e0 = vector.extract %v[0] : f32 from vector<4xf32>
  %e3 = vector.extract %v[3] : f32 from vector<4xf32>
  %s = arith.addf %e0, %e3 : f32
  return %s : f32
}

// Also used whole, or read out of bounds: one vector read.
// CHECK-LABEL: func.func @kept
// CHECK:         vector.load %arg0[%arg1] : memref<64xf32>, vector<4xf32>
// CHECK:         vector.transfer_read %arg0[%arg1], %{{.*}} : memref<64xf32>, vector<4xf32>
// CHECK-NOT:     memref.load
// CHECK:         return
func.func @kept(%a: memref<64xf32>, %i: index, %o: memref<4xf32>) -> f32 {
  %pad = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%i] : memref<64xf32>, vector<4xf32>
  %e0 = vector.extract %v[0] : f32 from vector<4xf32>
  vector.store %v, %o[%c0] : memref<4xf32>, vector<4xf32>
  %w = vector.transfer_read %a[%i], %pad {in_bounds = [false]}
      : memref<64xf32>, vector<4xf32>
  %e1 = vector.extract %w[1] : f32 from vector<4xf32>
  %s = arith.addf %e0, %e1 : f32
  return %s : f32
}
