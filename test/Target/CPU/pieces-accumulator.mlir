// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s

// A contraction split into N pieces (208 = 160 + 48) with no elementwise
// consumer (a Winograd GEMM, read by the output transform): each piece's
// register tiles start from the fill's value themselves, and the pieces are
// inserted into the empty tensor; no pass fills the whole accumulator first.
// CHECK-LABEL: func.func @pieces_fill
// CHECK-NOT:     linalg.fill
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<4x64x208xf32>
// CHECK-NOT:     scf.forall ({{.*}}) in (4, 64)
// CHECK:         scf.forall ({{.*}}) = (0, 0) to (4, 160)
// CHECK:           vector.contract
// CHECK:         tensor.insert_slice %{{.*}} into %[[E]][0, 0, 0] [4, 64, 160]
// CHECK:         scf.forall ({{.*}}) = (0, 0) to (4, 64)
// CHECK:           vector.contract
// CHECK:         tensor.insert_slice {{.*}}[0, 0, 160] [4, 64, 48]
// CHECK-NOT:     linalg.fill
func.func @pieces_fill(%a: tensor<4x64x16xf32>, %b: tensor<4x16x208xf32>)
    -> tensor<4x64x208xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x64x208xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x64x208xf32>) -> tensor<4x64x208xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<4x64x16xf32>, tensor<4x16x208xf32>)
                           outs(%f : tensor<4x64x208xf32>) -> tensor<4x64x208xf32>
  return %r : tensor<4x64x208xf32>
}

// A 1x1 convolution with a bias and no elementwise consumer, its 3025
// output pixels split into pieces 2976 + 48 + 1 (the last split off the
// tail of the first split): every piece starts from its own tile of the
// bias broadcast, collapsed like im2col's view of the output; no pass
// writes the bias over the whole output first.
// CHECK-LABEL: func.func @conv_bias_pieces
// CHECK-NOT:     scf.forall ({{.*}}) in (64)
// CHECK:         scf.forall ({{.*}}) = (0) to (2976) step (96)
// CHECK:           vector.contract
// CHECK:         scf.forall ({{.*}}) = (0) to (64) step (8)
// CHECK:           vector.contract
// CHECK:         linalg.generic {{.*}} ins(%{{.*}} : tensor<64xf32>) outs(%{{.*}} : tensor<1x64x1xf32>)
// CHECK-NOT:     tensor<1x64x3025xf32>) {
func.func @conv_bias_pieces(%x: tensor<1x16x55x55xf32>,
                            %w: tensor<64x16x1x1xf32>,
                            %bias: tensor<64xf32>) -> tensor<1x64x55x55xf32> {
  %e = tensor.empty() : tensor<1x64x55x55xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (c)>,
                                        affine_map<(n, c, h, w) -> (n, c, h, w)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%e : tensor<1x64x55x55xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x64x55x55xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>,
                                 strides = dense<1> : vector<2xi64>}
      ins(%x, %w : tensor<1x16x55x55xf32>, tensor<64x16x1x1xf32>)
      outs(%b : tensor<1x64x55x55xf32>) -> tensor<1x64x55x55xf32>
  return %r : tensor<1x64x55x55xf32>
}

// A 1x1 convolution without a bias starts from a zero fill of its output.
// im2col's collapsed view of that fill is the fill of the collapsed output,
// which the register tiles fuse as they do a bias: no loop zeroes the whole
// output first, and the result is written in place (the collapsed output,
// no buffer of its own copied back).
// CHECK-LABEL: func.func @conv1x1_no_bias(
// CHECK-NOT:     linalg.fill
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<1x192x28x28xf32>
// CHECK-NOT:     scf.forall ({{.*}}) in (192, 28)
// CHECK:         tensor.collapse_shape %[[E]] {{.*}} into tensor<1x192x784xf32>
// CHECK:         scf.forall ({{.*}}) = (0) to (736) step (32)
// CHECK:           scf.for {{.*}} iter_args(%{{.*}} = %[[Z:.*]]) -> (vector<1x8x32xf32>)
// CHECK:         scf.forall ({{.*}}) = (0) to (192) step (8)
// CHECK-NOT:     linalg.fill
func.func @conv1x1_no_bias(%x: tensor<1x32x28x28xf32>,
                           %w: tensor<192x32x1x1xf32>)
    -> tensor<1x192x28x28xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x192x28x28xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x192x28x28xf32>)
      -> tensor<1x192x28x28xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>,
                                 strides = dense<1> : vector<2xi64>}
      ins(%x, %w : tensor<1x32x28x28xf32>, tensor<192x32x1x1xf32>)
      outs(%f : tensor<1x192x28x28xf32>) -> tensor<1x192x28x28xf32>
  return %c : tensor<1x192x28x28xf32>
}

// The same with too few column tiles (196 pixels), distributed as blocks
// of rows: each block's register tiles start from zeros.
// CHECK-LABEL: func.func @conv1x1_no_bias_rows(
// CHECK-NOT:     scf.forall ({{.*}}) in (256, 14)
// CHECK:         scf.forall ({{.*}}) = (0) to (256) step (64)
// CHECK:           scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<1x11x32xf32>)
func.func @conv1x1_no_bias_rows(%x: tensor<1x64x14x14xf32>,
                                %w: tensor<256x64x1x1xf32>)
    -> tensor<1x256x14x14xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x256x14x14xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x256x14x14xf32>)
      -> tensor<1x256x14x14xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>,
                                 strides = dense<1> : vector<2xi64>}
      ins(%x, %w : tensor<1x64x14x14xf32>, tensor<256x64x1x1xf32>)
      outs(%f : tensor<1x256x14x14xf32>) -> tensor<1x256x14x14xf32>
  return %c : tensor<1x256x14x14xf32>
}
