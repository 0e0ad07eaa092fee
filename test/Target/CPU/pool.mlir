// 2-D max and sum pools take the depthwise convolution's paths. Over
// planes (sum pools, stride-1 or padded max pools): one task per channel
// copies the plane (padding it) into stride x stride phase planes, then each
// chunk of about 128 outputs (flat, or four output rows by 32 columns when
// rows are at least 48 wide) combines the taps' vectors. Row by row (unpadded
// strided max pools, or all with flat-depthwise-max-width=0): one distributed tile per
// (channel, output row), each window tap a row vector (stride-2 rows read
// as strided slices), the init fill fused in.
// Max pools take those paths with max-pool-rows=0; by default (SEP) they
// are separable: per (image, channel) task and output row, the max of the
// window's input rows (clamped to the plane: no padded copy) as vectors
// into a row buffer with -inf borders, then the max of the window's
// columns of it (strided views of the buffer).
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize=max-pool-rows=0 --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="flat-depthwise-max-width=0 max-pool-rows=0" --canonicalize | FileCheck %s --check-prefix=ROWS
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s --check-prefix=SEP

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
// Unpadded, no row is clamped past the plane's last (113).
// SEP-LABEL: func.func @max_pool
// SEP: scf.forall (%{{.*}}) in (64)
// SEP: arith.minsi %{{.*}}, %c113
// SEP-NOT: tensor<56xf32>
// SEP: return
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
// Two output rows per block here (eight vectors of column passes are
// stored to B before the row passes load them).
// SEP-LABEL: func.func @padded_max_pool
// SEP-NOT: tensor<1x64x114x114xf32>
// SEP: scf.forall (%[[C:.*]]) in (64)
// SEP:   %[[B:.*]] = memref.alloca() {{.*}} : memref<2x160xf32>
// SEP-COUNT-20: vector.transfer_write %[[NINF:.*]], %[[B]]
// SEP:   %[[T0:.*]] = memref.subview %[[B]][0, 0] [1, 80] [1, 2]
// SEP:   %[[T1:.*]] = memref.subview %[[B]][0, 1] [1, 79] [1, 2]
// SEP:   %[[T2:.*]] = memref.subview %[[B]][0, 2] [1, 79] [1, 2]
// SEP:   %[[U0:.*]] = memref.subview %[[B]][1, 0] [1, 80] [1, 2]
// SEP:   scf.for %[[OY:.*]] = %c0 to %c56 step %c2
// SEP:     %[[OY1:.*]] = arith.addi %[[OY]], %c1
// SEP:     %[[Y:.*]] = arith.muli %[[OY]], %c2
// SEP:     %[[UP:.*]] = arith.subi %[[Y]], %c1
// SEP:     %[[UP0:.*]] = arith.maxsi %[[UP]], %c0
// SEP:     %[[R0:.*]] = arith.minsi %[[UP0]], %c111
// SEP:     vector.transfer_read %arg0[%c0, %[[C]], %[[R0]], %c0]
// SEP:     arith.maximumf {{.*}} : vector<16xf32>
// SEP:     arith.maximumf {{.*}} : vector<16xf32>
// SEP:     vector.transfer_write {{.*}}, %[[B]][%c0, %c1]
// SEP:     vector.transfer_write {{.*}}, %[[B]][%c0, %c97]
// SEP:     vector.transfer_write {{.*}}, %[[B]][%c1, %c97]
// SEP:     vector.transfer_read %[[T0]][%c0]
// SEP:     vector.transfer_read %[[T1]][%c0]
// SEP:     arith.maximumf {{.*}} : vector<16xf32>
// SEP:     vector.transfer_read %[[T2]][%c0]
// SEP:     arith.maximumf {{.*}} : vector<16xf32>
// SEP:     vector.transfer_write {{.*}}[%[[OY]], %c0] {in_bounds = [true]} : vector<16xf32>, tensor<56x56xf32>
// SEP:     vector.transfer_write %{{[0-9]+}}, %{{[0-9]+}}[%[[OY]], %c48] : vector<16xf32>, tensor<56x56xf32>
// SEP:     vector.transfer_read %[[U0]][%c0]
// SEP:     vector.transfer_write %{{[0-9]+}}, %{{[0-9]+}}[%[[OY1]], %c48] : vector<16xf32>, tensor<56x56xf32>
// SEP: return
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
// Stride 1: the row pass reads B at unit stride; the -inf start is no
// extra maximum (2 + 2 per vector of outputs).
// SEP-LABEL: func.func @max_pool_from_ninf
// SEP-NOT: linalg.fill
// SEP: memref.subview %{{.*}}[0, 2] [1, 94] [1, 1]
// SEP: scf.for
// SEP-COUNT-8: arith.maximumf {{.*}} : vector<16xf32>
// SEP: vector.transfer_write {{.*}} tensor<56x56xf32>
// SEP: return
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
