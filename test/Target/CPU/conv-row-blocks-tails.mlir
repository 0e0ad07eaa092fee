// Row blocks whose columns are not whole vectors (25 x 25 outputs: blocks
// of 5 rows are 125 columns) split each block's GEMM into pieces, which
// lose the bias and activation in the register tiles: an im2col matrix up to
// four budgets is then made whole instead (144 x 625 f32 = 360 KiB: whole
// with 96 KiB, blocks of 5 rows with 80 KiB).
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="im2col-block-kib=96" --canonicalize | FileCheck %s --check-prefix=WHOLE
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="im2col-block-kib=80" --canonicalize | FileCheck %s --check-prefix=BLOCKS

// WHOLE-LABEL: func.func @odd_width
// WHOLE-NOT: scf.forall (%{{.*}}) = (0) to (25)
// WHOLE: tensor.empty() : tensor<1x16x3x3x25x25xf32>
// BLOCKS-LABEL: func.func @odd_width
// BLOCKS: scf.forall (%{{.*}}) = (0) to (25) step (5)
// BLOCKS:   tensor.empty() : tensor<1x16x3x3x5x25xf32>
func.func @odd_width(%x: tensor<1x16x27x27xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<1x32x25x25xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x32x25x25xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x32x25x25xf32>) -> tensor<1x32x25x25xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w : tensor<1x16x27x27xf32>, tensor<32x16x3x3xf32>) outs(%f : tensor<1x32x25x25xf32>) -> tensor<1x32x25x25xf32>
  return %r : tensor<1x32x25x25xf32>
}
