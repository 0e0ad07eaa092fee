// 2-D max and sum pools take the depthwise convolution's path: one
// distributed tile per (channel, output row), each window tap a row vector
// (stride-2 rows read as strided slices), the init fill fused in.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s

// CHECK-LABEL: func.func @max_pool
// CHECK-NOT: linalg.pooling_nchw_max
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (64, 56)
// CHECK:   tensor.extract_slice %{{.*}}[0] [56] [2] : tensor<111xf32> to tensor<56xf32>
// CHECK:   vector.transfer_read {{.*}} vector<56xf32>
// CHECK:   arith.maximumf {{.*}} : vector<56xf32>
// CHECK-COUNT-8: arith.maximumf {{.*}} : vector<56xf32>
// CHECK:   vector.transfer_write {{.*}} vector<56xf32>
func.func @max_pool(%x: tensor<1x64x114x114xf32>) -> tensor<1x64x56x56xf32> {
  %ninf = arith.constant -3.40282347E+38 : f32
  %e = tensor.empty() : tensor<1x64x56x56xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x64x114x114xf32>, tensor<3x3xf32>) outs(%f : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  return %r : tensor<1x64x56x56xf32>
}

// CHECK-LABEL: func.func @sum_pool
// CHECK-NOT: linalg.pooling_nchw_sum
// CHECK: scf.forall
// CHECK-COUNT-4: arith.addf {{.*}} : vector<32xf32>
func.func @sum_pool(%x: tensor<1x32x65x33xf32>) -> tensor<1x32x64x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x32x64x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x64x32xf32>) -> tensor<1x32x64x32xf32>
  %w = tensor.empty() : tensor<2x2xf32>
  %r = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x32x65x33xf32>, tensor<2x2xf32>) outs(%f : tensor<1x32x64x32xf32>) -> tensor<1x32x64x32xf32>
  return %r : tensor<1x32x64x32xf32>
}
