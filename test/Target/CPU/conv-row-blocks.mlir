// A convolution whose im2col matrix exceeds im2col-block-kib runs in blocks
// of whole output rows (an scf.forall the threads share): each block's bias
// init, im2col copy, packed GEMM and activation happen inside the block, so
// the copy is written and read while it is in cache.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 im2col-block-kib=64" --canonicalize | FileCheck %s
// Below the budget (and with 0) the im2col matrix is made whole, outside
// any row block.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 im2col-block-kib=1024" --canonicalize | FileCheck %s --check-prefix=WHOLE
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 im2col-block-kib=0" --canonicalize | FileCheck %s --check-prefix=WHOLE
// With K (144) split into cache blocks, the tiles read their accumulators
// back between blocks: the bias is written into the block's rows first.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 im2col-block-kib=64 cache-k=64" --canonicalize | FileCheck %s --check-prefix=SPLITK
// A shallow im2col (3 channels: 27 values per column) takes the fewest
// rows per block that still give 512 columns: 8 rows of 64 here, where the
// 256 KiB budget would hold 32 (16 would give 1024, 4 only 256).
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 im2col-block-kib=256" --canonicalize | FileCheck %s --check-prefix=SHALLOW

// 144 x 1024 f32 = 576 KiB of im2col; 64 KiB holds 2 rows of 32 columns.
// CHECK-LABEL: func.func @conv_rows
// CHECK: scf.forall (%[[ROW:.*]]) = (0) to (32) step (2) shared_outs
// CHECK:   tensor.extract_slice %arg0[0, 0, %[[ROW]], 0] [1, 16, 4, 34]
// CHECK:   tensor.empty() : tensor<1x16x3x3x2x32xf32>
// CHECK:   linalg.copy ins({{.*}} : tensor<1x144x32xf32>)
// Each register tile starts from its 8 rows' bias (K is not split) and
// applies the Relu in registers: the output is written once, not
// initialized, read back and passed over again.
// CHECK:   scf.for %[[M:.*]] = %c0 to %c32 step %c8
// CHECK:     %[[BIAS:.*]] = vector.transfer_read %arg2[%[[M]]]{{.*}} : tensor<32xf32>, vector<8xf32>
// CHECK:     %[[ROWS:.*]] = vector.broadcast %[[BIAS]] : vector<8xf32> to vector<1x32x8xf32>
// CHECK:     %[[INIT:.*]] = vector.transpose %[[ROWS]], [0, 2, 1]
// CHECK:     scf.for {{.*}} to %c144 step %c4 iter_args(%{{.*}} = %[[INIT]])
// CHECK:       vector.contract
// CHECK:     arith.maximumf {{.*}} : vector<1x8x32xf32>
// CHECK-NOT: arith.maximumf
// CHECK:   scf.forall.in_parallel
// CHECK-NOT: linalg.generic

// SPLITK-LABEL: func.func @conv_rows
// SPLITK: scf.forall
// SPLITK:   vector.transfer_read %arg2{{.*}} : tensor<32xf32>, vector<1xf32>
// SPLITK:   vector.broadcast {{.*}} : vector<1xf32> to vector<1x1x64xf32>
// SPLITK:   scf.for {{.*}} to %c128 step %c64
// SPLITK:     vector.contract
// SPLITK-NOT: tensor<32xf32>, vector<8xf32>

// WHOLE-LABEL: func.func @conv_rows
// WHOLE: tensor.empty() : tensor<1x16x3x3x32x32xf32>
#map = affine_map<(d0, d1, d2, d3) -> (d1)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @conv_rows(%x: tensor<1x16x34x34xf32>, %w: tensor<32x16x3x3xf32>, %b: tensor<32xf32>) -> tensor<1x32x32x32xf32> {
  %e = tensor.empty() : tensor<1x32x32x32xf32>
  %init = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x32x32x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x32x32x32xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x34x34xf32>, tensor<32x16x3x3xf32>) outs(%init : tensor<1x32x32x32xf32>) -> tensor<1x32x32x32xf32>
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x32x32x32xf32>) outs(%e : tensor<1x32x32x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x32x32x32xf32>
  return %r : tensor<1x32x32x32xf32>
}

// SHALLOW-LABEL: func.func @shallow_rows
// SHALLOW: scf.forall (%[[ROW:.*]]) = (0) to (64) step (8) shared_outs
// SHALLOW:   tensor.empty() : tensor<1x3x3x3x8x64xf32>
func.func @shallow_rows(%x: tensor<1x3x66x66xf32>, %w: tensor<32x3x3x3xf32>) -> tensor<1x32x64x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x32x64x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x64x64xf32>) -> tensor<1x32x64x64xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x3x66x66xf32>, tensor<32x3x3x3xf32>) outs(%init : tensor<1x32x64x64xf32>) -> tensor<1x32x64x64xf32>
  return %c : tensor<1x32x64x64xf32>
}

// A padded input: each block of 4 output rows at stride 2 copies its own
// 9 input rows of the unpadded source into a buffer of its own, the rows
// above and below the source and the column beside it left as the padding
// (the last padded column is never read: 33 of 34); the whole padded
// tensor is never made.
// CHECK-LABEL: func.func @padded_rows
// CHECK-NOT: tensor.empty() : tensor<1x16x34x34xf32>
// CHECK: scf.forall (%{{.*}}) = (0) to (16) step (4) shared_outs
// CHECK:   tensor.empty() : tensor<1x16x9x33xf32>
// CHECK:   scf.if
// CHECK:     vector.transfer_read %arg0[%c0, %{{.*}}, %{{.*}}, %c0], %{{.*}} {in_bounds = [true]} : tensor<1x16x32x32xf32>, vector<32xf32>
// CHECK:     vector.transfer_write {{.*}}[%c0, %{{.*}}, %{{.*}}, %c1] {in_bounds = [true]} : vector<32xf32>, tensor<1x16x9x33xf32>
// CHECK:   vector.contract
// CHECK:   scf.forall.in_parallel
func.func @padded_rows(%x: tensor<1x16x32x32xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<1x32x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x16x32x32xf32> to tensor<1x16x34x34xf32>
  %e = tensor.empty() : tensor<1x32x16x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x16x16xf32>) -> tensor<1x32x16x16xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %w : tensor<1x16x34x34xf32>, tensor<32x16x3x3xf32>) outs(%init : tensor<1x32x16x16xf32>) -> tensor<1x32x16x16xf32>
  return %c : tensor<1x32x16x16xf32>
}
