// A contraction with fewer rows than pack-min-rows reads B in place, and
// every register tile of a column tile streams B's rows again: its tiles
// take the most rows (within wide-tile-max-acc accumulators) that leave no
// last tile shorter than tile-m. On AVX2 (4 x 16 tiles, 12 accumulators,
// two vectors a row: at most 6 rows) 24 rows are 4 tiles of 6, 16 rows
// 6 + 6 + 4, 20 rows 4 tiles of 5 (6 would leave 2); 8 rows keep 2 tiles
// of 4 (5 or 6 rows would leave 3 or 2).
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false tile-m=4 tile-n=16 vector-width=8 wide-tile-max-acc=12" --canonicalize | FileCheck %s
// With 8 accumulators (two vector rows of 4) tiles keep tile-m rows.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false tile-m=4 tile-n=16 vector-width=8 wide-tile-max-acc=8" --canonicalize | FileCheck %s --check-prefix=FOUR

// CHECK-LABEL: func.func @rows24
// CHECK:       scf.for {{.*}} = %c0 to %c24 step %c6
// CHECK:         vector.contract {{.*}} : vector<6x4xf32>, vector<4x16xf32> into vector<6x16xf32>
// FOUR-LABEL:  func.func @rows24
// FOUR:        scf.for {{.*}} = %c0 to %c24 step %c4
// FOUR:          vector.contract {{.*}} : vector<4x4xf32>, vector<4x16xf32> into vector<4x16xf32>
func.func @rows24(%a: tensor<24x144xf32>, %b: tensor<144x64xf32>,
                  %c: tensor<24x64xf32>) -> tensor<24x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<24x144xf32>, tensor<144x64xf32>)
                     outs(%c : tensor<24x64xf32>) -> tensor<24x64xf32>
  return %r : tensor<24x64xf32>
}

// CHECK-LABEL: func.func @rows16
// CHECK:       scf.for {{.*}} = %c0 to %c12 step %c6
// CHECK:         vector.contract {{.*}} into vector<6x16xf32>
// CHECK:       vector.contract {{.*}} into vector<4x16xf32>
// FOUR-LABEL:  func.func @rows16
// FOUR:        scf.for {{.*}} = %c0 to %c16 step %c4
func.func @rows16(%a: tensor<16x32xf32>, %b: tensor<32x64xf32>,
                  %c: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x64xf32>)
                     outs(%c : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %r : tensor<16x64xf32>
}

// CHECK-LABEL: func.func @rows20
// CHECK:       scf.for {{.*}} = %c0 to %c20 step %c5
// CHECK:         vector.contract {{.*}} into vector<5x16xf32>
func.func @rows20(%a: tensor<20x64xf32>, %b: tensor<64x64xf32>,
                  %c: tensor<20x64xf32>) -> tensor<20x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<20x64xf32>, tensor<64x64xf32>)
                     outs(%c : tensor<20x64xf32>) -> tensor<20x64xf32>
  return %r : tensor<20x64xf32>
}

// CHECK-LABEL: func.func @rows8
// CHECK:       scf.for {{.*}} = %c0 to %c8 step %c4
// CHECK:         vector.contract {{.*}} into vector<4x16xf32>
// CHECK-NOT:   vector<5x16xf32>
// CHECK-NOT:   vector<6x16xf32>
// CHECK:       return
func.func @rows8(%a: tensor<8x64xf32>, %b: tensor<64x64xf32>,
                 %c: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<8x64xf32>, tensor<64x64xf32>)
                     outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %r : tensor<8x64xf32>
}
