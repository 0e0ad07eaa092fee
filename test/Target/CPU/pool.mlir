// 2-D max and sum pools take the depthwise convolution's paths. Over
// planes (sum pools, stride-1 or padded max pools): one task per channel
// copies the plane (padding it) into stride x stride phase planes, then each
// chunk of about 128 outputs (flat, or four output rows by 32 columns when
// rows are at least 48 wide) combines the taps' vectors. Row by row (unpadded
// strided max pools, or all with flat-depthwise-max-width=0): one distributed tile per
// (channel, output row), each window tap a row vector (stride-2 rows read
// as strided slices), the init fill fused in.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize=flat-depthwise-max-width=0 --canonicalize | FileCheck %s --check-prefix=ROWS

// A stride-2 max pool runs by rows with or without the knob.
// CHECK-LABEL: func.func @max_pool
// CHECK-NOT: linalg.pooling_nchw_max
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (64, 56)
// CHECK:   tensor.extract_slice %{{.*}}[0] [56] [2] : tensor<111xf32> to tensor<56xf32>
// CHECK-COUNT-9: arith.maximumf {{.*}} : vector<56xf32>
// CHECK:   vector.transfer_write {{.*}} vector<56xf32>
// ROWS-LABEL: func.func @max_pool
// ROWS-NOT: linalg.pooling_nchw_max
// ROWS: scf.forall (%{{.*}}, %{{.*}}) in (64, 56)
// ROWS:   tensor.extract_slice %{{.*}}[0] [56] [2] : tensor<111xf32> to tensor<56xf32>
// ROWS:   vector.transfer_read {{.*}} vector<56xf32>
// ROWS:   arith.maximumf {{.*}} : vector<56xf32>
// ROWS-COUNT-8: arith.maximumf {{.*}} : vector<56xf32>
// ROWS:   vector.transfer_write {{.*}} vector<56xf32>
func.func @max_pool(%x: tensor<1x64x114x114xf32>) -> tensor<1x64x56x56xf32> {
  %ninf = arith.constant -3.40282347E+38 : f32
  %e = tensor.empty() : tensor<1x64x56x56xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x64x114x114xf32>, tensor<3x3xf32>) outs(%f : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  return %r : tensor<1x64x56x56xf32>
}

// A padded stride-2 max pool (resnet's 112 -> 56) runs over planes: each
// task pads its own plane in cache (4 phase planes of 58 x 57) instead of
// the rows first copying the whole padded tensor.
// CHECK-LABEL: func.func @padded_max_pool
// CHECK-NOT: tensor<1x64x114x114xf32>
// CHECK: scf.forall (%{{.*}}) in (64)
// CHECK:   tensor<4x58x57xf32>
// CHECK:   arith.maximumf {{.*}} : vector<4x32xf32>
// CHECK: return
// ROWS-LABEL: func.func @padded_max_pool
// ROWS: tensor.empty() : tensor<1x64x114x114xf32>
// ROWS: scf.forall (%{{.*}}, %{{.*}}) in (64, 112)
func.func @padded_max_pool(%x: tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x64x112x112xf32> to tensor<1x64x114x114xf32>
  %e = tensor.empty() : tensor<1x64x56x56xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %w : tensor<1x64x114x114xf32>, tensor<3x3xf32>) outs(%f : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  return %r : tensor<1x64x56x56xf32>
}

// A stride-1 max pool over planes (one plane of 58 x 58, chunks of four
// output rows by 32 columns, then four rows of the last 24). From -inf
// (what ONNX MaxPool lowers to), the first tap is the start: 8 maxima per
// chunk and no fill of the accumulator (from -FLT_MAX, 9: that start is not
// neutral for a -inf input).
// CHECK-LABEL: func.func @max_pool_from_ninf
// CHECK-NOT: linalg.fill
// CHECK: scf.forall (%{{.*}}) in (64)
// CHECK:   scf.for
// CHECK-COUNT-8: arith.maximumf {{.*}} : vector<4x32xf32>
// CHECK-NOT: arith.maximumf {{.*}} : vector<4x32xf32>
// CHECK-COUNT-8: arith.maximumf {{.*}} : vector<4x24xf32>
// CHECK-NOT: arith.maximumf
// CHECK: return
func.func @max_pool_from_ninf(%x: tensor<1x64x58x58xf32>) -> tensor<1x64x56x56xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x64x56x56xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x64x58x58xf32>, tensor<3x3xf32>) outs(%f : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  return %r : tensor<1x64x56x56xf32>
}

// CHECK-LABEL: func.func @sum_pool
// CHECK-NOT: linalg.pooling_nchw_sum
// CHECK: scf.forall
// CHECK-COUNT-3: arith.addf {{.*}} : vector<128xf32>
// ROWS-LABEL: func.func @sum_pool
// ROWS-NOT: linalg.pooling_nchw_sum
// ROWS: scf.forall
// ROWS-COUNT-4: arith.addf {{.*}} : vector<32xf32>
func.func @sum_pool(%x: tensor<1x32x65x33xf32>) -> tensor<1x32x64x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x32x64x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x64x32xf32>) -> tensor<1x32x64x32xf32>
  %w = tensor.empty() : tensor<2x2xf32>
  %r = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x32x65x33xf32>, tensor<2x2xf32>) outs(%f : tensor<1x32x64x32xf32>) -> tensor<1x32x64x32xf32>
  return %r : tensor<1x32x64x32xf32>
}
