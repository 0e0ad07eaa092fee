// RUN: hcc-opt %s --hcc-cpu-fuse-elementwise | FileCheck %s

// A [seq, 1, d] x [d, n] MatMul lowers to a collapse, linalg.matmul and an
// expand; reshape propagation must not turn the matmul into a generic (the
// tiler's GEMM path needs the named op), while elementwise ops still fuse.
// CHECK-LABEL: func.func @matmul_between_reshapes
// CHECK: tensor.collapse_shape
// CHECK: linalg.matmul
// CHECK: tensor.expand_shape
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
func.func @matmul_between_reshapes(%x: tensor<128x1x768xf32>, %w: tensor<768x256xf32>, %b: tensor<128x1x256xf32>) -> tensor<128x1x256xf32> {
  %zero = arith.constant 0.0 : f32
  %c = tensor.collapse_shape %x [[0], [1, 2]] : tensor<128x1x768xf32> into tensor<128x768xf32>
  %e = tensor.empty() : tensor<128x256xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<128x256xf32>) -> tensor<128x256xf32>
  %m = linalg.matmul ins(%c, %w : tensor<128x768xf32>, tensor<768x256xf32>) outs(%f : tensor<128x256xf32>) -> tensor<128x256xf32>
  %r = tensor.expand_shape %m [[0], [1, 2]] output_shape [128, 1, 256] : tensor<128x256xf32> into tensor<128x1x256xf32>
  %e3 = tensor.empty() : tensor<128x1x256xf32>
  %add = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%r, %b : tensor<128x1x256xf32>, tensor<128x1x256xf32>) outs(%e3 : tensor<128x1x256xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %s = arith.addf %i, %j : f32
    linalg.yield %s : f32
  } -> tensor<128x1x256xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%add : tensor<128x1x256xf32>) outs(%e3 : tensor<128x1x256xf32>) {
  ^bb0(%i: f32, %o: f32):
    %s = arith.maximumf %i, %zero : f32
    linalg.yield %s : f32
  } -> tensor<128x1x256xf32>
  return %relu : tensor<128x1x256xf32>
}
