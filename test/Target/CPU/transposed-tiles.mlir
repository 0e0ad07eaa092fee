// An elementwise op that reads an input transposed against its output (a
// channel-lane convolution's result read back in NCHW order, a Transpose)
// runs in 16 x 16 tiles of the output's innermost loop and the loop along
// which the input is contiguous; each tile reads a square and transposes
// it in registers, which hcc-cpu-lower-vectors turns into shuffles.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-lower-vectors | FileCheck %s --check-prefix=LOWER

// 40 = 2 x 16 + 8 rows: the remainder is an 8 x 16 tile.
// CHECK-LABEL: func.func @transposed_relu
// CHECK:         vector.transfer_read {{.*}} : tensor<64x40xf32>, vector<16x16xf32>
// CHECK:         arith.maximumf {{.*}} : vector<16x16xf32>
// CHECK:         vector.transpose {{.*}}, [1, 0] : vector<16x16xf32> to vector<16x16xf32>
// CHECK:         vector.transfer_read {{.*}} : tensor<64x40xf32>, vector<16x8xf32>
// CHECK:         vector.transpose {{.*}}, [1, 0] : vector<16x8xf32> to vector<8x16xf32>
func.func @transposed_relu(%x: tensor<64x40xf32>) -> tensor<40x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<40x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<64x40xf32>) outs(%e : tensor<40x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<40x64xf32>
  return %r : tensor<40x64xf32>
}

// A transpose with fewer than half a vector along the input's contiguous
// loop stays as it was (the k-lane panels' column copies).
// CHECK-LABEL: func.func @narrow
// CHECK:       linalg.transpose
func.func @narrow(%x: tensor<96x4xf32>) -> tensor<4x96xf32> {
  %e = tensor.empty() : tensor<4x96xf32>
  %t = linalg.transpose ins(%x : tensor<96x4xf32>) outs(%e : tensor<4x96xf32>) permutation = [1, 0]
  return %t : tensor<4x96xf32>
}

// 16 x 16 f32 transposes are unpack and shuffle steps on whole rows.
// LOWER-LABEL: func.func @square
// LOWER-NOT:   vector.extract {{.*}} : f32 from
// LOWER-COUNT-16: vector.shuffle {{.*}} : vector<16xf32>, vector<16xf32>
// LOWER:       return
func.func @square(%v: vector<16x16xf32>) -> vector<16x16xf32> {
  %t = vector.transpose %v, [1, 0] : vector<16x16xf32> to vector<16x16xf32>
  return %t : vector<16x16xf32>
}
