// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file -verify-diagnostics

func.func @nll_dynamic(%x: tensor<?x5xf32>, %t: tensor<?xi64>) -> tensor<f32> {
  %n = graph.none
  // expected-error @+1 {{graph.NegativeLogLikelihoodLoss cannot be lowered to linalg: operands and result must be static tensors}}
  %0 = graph.NegativeLogLikelihoodLoss(%x, %t, %n) : (tensor<?x5xf32>, tensor<?xi64>, none) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @trilu_rank1(%x: tensor<4xf32>) -> tensor<4xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.Trilu cannot be lowered to linalg: input must have rank >= 2}}
  %0 = graph.Trilu(%x, %n) : (tensor<4xf32>, none) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @cumsum_bad_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = graph.Constant() {value = dense<2> : tensor<i64>} : () -> tensor<i64>
  // expected-error @+1 {{graph.CumSum cannot be lowered to linalg: axis out of range}}
  %0 = graph.CumSum(%x, %a) : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @col2im_runtime_block(%c: tensor<1x5x5xf32>, %b: tensor<2xi64>) -> tensor<1x1x5x5xf32> {
  %img = graph.Constant() {value = dense<[5, 5]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{graph.Col2Im cannot be lowered to linalg: block_shape must be a constant}}
  %0 = graph.Col2Im(%c, %img, %b) : (tensor<1x5x5xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

func.func @col2im_columns(%c: tensor<1x9x7xf32>) -> tensor<1x1x5x5xf32> {
  %img = graph.Constant() {value = dense<[5, 5]> : tensor<2xi64>} : () -> tensor<2xi64>
  %blk = graph.Constant() {value = dense<[3, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{graph.Col2Im cannot be lowered to linalg: input must be 1 x 9 x 9 for these image and block shapes}}
  %0 = graph.Col2Im(%c, %img, %blk) : (tensor<1x9x7xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

func.func @attention_mode(%q: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.Attention cannot be lowered to linalg: qk_matmul_output_mode must be 0, 1, 2 or 3}}
  %y, %ck, %cv, %qk = graph.Attention(%q, %q, %q, %n, %n, %n, %n) {qk_matmul_output_mode = 7 : i64} : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, none, none, none, none) -> (tensor<1x2x3x4xf32>, none, none, none)
  return %y : tensor<1x2x3x4xf32>
}

// -----

func.func @attention_long_mask(%q: tensor<1x2x3x4xf32>, %m: tensor<3x5xf32>) -> tensor<1x2x3x4xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.Attention cannot be lowered to linalg: attn_mask is longer than the key sequence}}
  %y, %ck, %cv, %qk = graph.Attention(%q, %q, %q, %m, %n, %n, %n) : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<3x5xf32>, none, none, none) -> (tensor<1x2x3x4xf32>, none, none, none)
  return %y : tensor<1x2x3x4xf32>
}

// -----

func.func @lp_normalization_p3(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{graph.LpNormalization cannot be lowered to linalg: p must be 1 or 2, got 3}}
  %0 = graph.LpNormalization(%x) {p = 3 : i64} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @maxunpool_small(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<1x1x3x3xf32> {
  %s = graph.Constant() {value = dense<[1, 1, 3, 3]> : tensor<4xi64>} : () -> tensor<4xi64>
  // expected-error @+1 {{graph.MaxUnpool cannot be lowered to linalg: output_shape must not be smaller than the unpooled shape}}
  %0 = graph.MaxUnpool(%x, %i, %s) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<4xi64>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

func.func @rotary_odd(%x: tensor<1x2x3x8xf32>, %c: tensor<1x3x2xf32>) -> tensor<1x2x3x8xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.RotaryEmbedding cannot be lowered to linalg: rotary_embedding_dim must be even and at most the head size}}
  %0 = graph.RotaryEmbedding(%x, %c, %c, %n) {rotary_embedding_dim = 5 : i64} : (tensor<1x2x3x8xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>, none) -> tensor<1x2x3x8xf32>
  return %0 : tensor<1x2x3x8xf32>
}

// -----

func.func @attention_half_cache(%q: tensor<1x2x3x4xf32>, %p: tensor<1x2x2x4xf32>) -> tensor<1x2x3x4xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.Attention cannot be lowered to linalg: past_key and past_value go together}}
  %y, %ck, %cv, %qk = graph.Attention(%q, %q, %q, %n, %p, %n, %n) : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, none, tensor<1x2x2x4xf32>, none, none) -> (tensor<1x2x3x4xf32>, none, none, none)
  return %y : tensor<1x2x3x4xf32>
}

// -----

func.func @stft_no_length(%x: tensor<1x16x1xf32>, %s: tensor<i64>) -> tensor<1x3x5x2xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.STFT cannot be lowered to linalg: needs a window or a frame_length}}
  %0 = graph.STFT(%x, %s, %n, %n) : (tensor<1x16x1xf32>, tensor<i64>, none, none) -> tensor<1x3x5x2xf32>
  return %0 : tensor<1x3x5x2xf32>
}

// -----

func.func @tensor_scatter_mode(%c: tensor<2x8x4xf32>, %u: tensor<2x2x4xf32>) -> tensor<2x8x4xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.TensorScatter cannot be lowered to linalg: mode 'ring' is not linear or circular}}
  %0 = graph.TensorScatter(%c, %u, %n) {mode = "ring"} : (tensor<2x8x4xf32>, tensor<2x2x4xf32>, none) -> tensor<2x8x4xf32>
  return %0 : tensor<2x8x4xf32>
}

// -----

// Out of range, the softmax would normalize over no axis (all ones).
func.func @softmax_axis_out_of_range(%a: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{graph.Softmax cannot be lowered to linalg: axis 5 is out of range for rank 2}}
  %0 = graph.Softmax(%a) {axis = 5 : i64} : (tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @log_softmax_axis_out_of_range(%a: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{graph.LogSoftmax cannot be lowered to linalg: axis -3 is out of range for rank 2}}
  %0 = graph.LogSoftmax(%a) {axis = -3 : i64} : (tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}
