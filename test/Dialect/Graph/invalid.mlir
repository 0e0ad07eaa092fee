// RUN: hcc-opt %s --split-input-file --verify-diagnostics

func.func @cast_bad_to(%x: tensor<3xf32>) {
  // expected-error @+1 {{'to' 99 is not a supported ONNX data type}}
  %0 = graph.Cast(%x) {to = 99 : i64} : (tensor<3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @constant_two_values() {
  // expected-error @+1 {{must have exactly one value attribute, has 2}}
  %0 = graph.Constant() {value_int = 1 : i64, value_ints = [1]} : () -> tensor<*xi64>
  return
}

// -----

func.func @constant_of_shape_negative() {
  %s = graph.Constant() {value = dense<[2, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{shape has negative dimension -1}}
  %0 = graph.ConstantOfShape(%s) : (tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @result_contradicts_operands(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{result #0 has type 'tensor<3x4xf32>' but its operands imply 'tensor<4x3xf32>'}}
  %0 = graph.Transpose(%x) : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @reshape_two_minus_one(%x: tensor<12xf32>) {
  %s = graph.Constant() {value = dense<[-1, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{shape has more than one -1 dimension}}
  %0 = graph.Reshape(%x, %s) : (tensor<12xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @reshape_count_mismatch(%x: tensor<12xf32>) {
  %s = graph.Constant() {value = dense<[5, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{cannot reshape 12 elements into 10}}
  %0 = graph.Reshape(%x, %s) : (tensor<12xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @reshape_not_divisible(%x: tensor<12xf32>) {
  %s = graph.Constant() {value = dense<[5, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{cannot reshape 12 elements into a multiple of 5}}
  %0 = graph.Reshape(%x, %s) : (tensor<12xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @reshape_allowzero_with_minus_one(%x: tensor<12xf32>) {
  %s = graph.Constant() {value = dense<[0, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{shape may not hold both 0 and -1 when 'allowzero' is set}}
  %0 = graph.Reshape(%x, %s) {allowzero = 1 : i64} : (tensor<12xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @reshape_shape_not_1d(%x: tensor<12xf32>, %s: tensor<1x2xi64>) {
  // expected-error @+1 {{shape must be a 1-D tensor, got rank 2}}
  %0 = graph.Reshape(%x, %s) : (tensor<12xf32>, tensor<1x2xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @flatten_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 3 is out of range for rank 2}}
  %0 = graph.Flatten(%x) {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @transpose_bad_perm(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{perm is not a permutation of [0, 2)}}
  %0 = graph.Transpose(%x) {perm = [0, 0]} : (tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @transpose_perm_length(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{perm has 3 entries but the input has rank 2}}
  %0 = graph.Transpose(%x) {perm = [0, 1, 2]} : (tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @concat_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{inputs differ in dimension 0: 2 vs 4}}
  %0 = graph.Concat(%a, %b) {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{inputs have different ranks 2 and 1}}
  %0 = graph.Concat(%a, %b) {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = graph.Concat(%a, %a) {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @split_sum(%x: tensor<2x8xf32>) {
  %s = graph.Constant() {value = dense<[2, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{split sizes add up to 5 but the dimension is 8}}
  %0:2 = graph.Split(%x, %s) {axis = 1 : i64} : (tensor<2x8xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

func.func @split_uneven(%x: tensor<2x7xf32>) {
  %n = graph.none
  // expected-error @+1 {{dimension 7 cannot be split evenly into 2 outputs}}
  %0:2 = graph.Split(%x, %n) {axis = 1 : i64} : (tensor<2x7xf32>, none) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

func.func @split_count(%x: tensor<2x8xf32>, %s: tensor<3xi64>) {
  // expected-error @+1 {{split has 3 entries but 2 outputs}}
  %0:2 = graph.Split(%x, %s) {axis = 1 : i64} : (tensor<2x8xf32>, tensor<3xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

func.func @squeeze_non_unit(%x: tensor<2x3xf32>) {
  %a = graph.Constant() {value = dense<[0]> : tensor<1xi64>} : () -> tensor<1xi64>
  // expected-error @+1 {{cannot squeeze dimension 0 of size 2}}
  %0 = graph.Squeeze(%x, %a) : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @unsqueeze_repeated(%x: tensor<2x3xf32>) {
  %a = graph.Constant() {value = dense<[0, -4]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{axis 0 is repeated}}
  %0 = graph.Unsqueeze(%x, %a) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @slice_zero_step(%x: tensor<10xf32>) {
  %c = graph.Constant() {value = dense<[0]> : tensor<1xi64>} : () -> tensor<1xi64>
  %n = graph.none
  // expected-error @+1 {{steps may not be 0}}
  %0 = graph.Slice(%x, %c, %c, %n, %c) : (tensor<10xf32>, tensor<1xi64>, tensor<1xi64>, none, tensor<1xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @slice_lengths(%x: tensor<10xf32>, %a: tensor<1xi64>, %b: tensor<2xi64>) {
  %n = graph.none
  // expected-error @+1 {{starts, ends, axes and steps must have the same length}}
  %0 = graph.Slice(%x, %a, %b, %n, %n) : (tensor<10xf32>, tensor<1xi64>, tensor<2xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

func.func @slice_axis(%x: tensor<10xf32>, %a: tensor<1xi64>) {
  %ax = graph.Constant() {value = dense<[1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %n = graph.none
  // expected-error @+1 {{axis 1 is out of range for rank 1}}
  %0 = graph.Slice(%x, %a, %a, %ax, %n) : (tensor<10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, none) -> tensor<*xf32>
  return
}

// -----

func.func @gather_index_range(%x: tensor<4x5xf32>) {
  %i = graph.Constant() {value = dense<[4]> : tensor<1xi64>} : () -> tensor<1xi64>
  // expected-error @+1 {{index 4 is out of range for a dimension of 4}}
  %0 = graph.Gather(%x, %i) : (tensor<4x5xf32>, tensor<1xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @gather_elements_rank(%x: tensor<4x5xf32>, %i: tensor<4xi64>) {
  // expected-error @+1 {{data and indices must have the same rank, got 2 and 1}}
  %0 = graph.GatherElements(%x, %i) : (tensor<4x5xf32>, tensor<4xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @gather_nd_last_dim(%x: tensor<4x5xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+1 {{indices' last dimension 3 must be in [1, 2]}}
  %0 = graph.GatherND(%x, %i) : (tensor<4x5xf32>, tensor<2x3xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @expand_incompatible(%x: tensor<3xf32>) {
  %s = graph.Constant() {value = dense<[4]> : tensor<1xi64>} : () -> tensor<1xi64>
  // expected-error @+1 {{operands are not broadcast-compatible: dimension 0 is 3 in one and 4 in another}}
  %0 = graph.Expand(%x, %s) : (tensor<3xf32>, tensor<1xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @tile_length(%x: tensor<3xf32>) {
  %r = graph.Constant() {value = dense<[1, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{repeats has 2 entries but the input has rank 1}}
  %0 = graph.Tile(%x, %r) : (tensor<3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @pad_length(%x: tensor<3xf32>) {
  %p = graph.Constant() {value = dense<[1, 2, 3]> : tensor<3xi64>} : () -> tensor<3xi64>
  %n = graph.none
  // expected-error @+1 {{pads has 3 entries but the input of rank 1 needs 2}}
  %0 = graph.Pad(%x, %p, %n, %n) : (tensor<3xf32>, tensor<3xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

func.func @pad_crop_below_zero(%x: tensor<3xf32>) {
  %p = graph.Constant() {value = dense<[-2, -2]> : tensor<2xi64>} : () -> tensor<2xi64>
  %n = graph.none
  // expected-error @+1 {{pads -2 and -2 crop dimension 0 of size 3 below zero}}
  %0 = graph.Pad(%x, %p, %n, %n) : (tensor<3xf32>, tensor<2xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

func.func @range_zero_delta() {
  %a = graph.Constant() {value = dense<1> : tensor<i64>} : () -> tensor<i64>
  %d = graph.Constant() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  // expected-error @+1 {{delta may not be 0}}
  %0 = graph.Range(%a, %a, %d) : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<*xi64>
  return
}

// -----

func.func @eye_like_rank(%x: tensor<3xf32>) {
  // expected-error @+1 {{input must be 2-D, got rank 1}}
  %0 = graph.EyeLike(%x) : (tensor<3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @one_hot_values(%i: tensor<3xi64>, %d: tensor<i64>, %v: tensor<3xf32>) {
  // expected-error @+1 {{values must hold 2 elements, holds 3}}
  %0 = graph.OneHot(%i, %d, %v) : (tensor<3xi64>, tensor<i64>, tensor<3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @topk_too_large(%x: tensor<3x4xf32>) {
  %k = graph.Constant() {value = dense<5> : tensor<1xi64>} : () -> tensor<1xi64>
  // expected-error @+1 {{K 5 exceeds the axis dimension 4}}
  %0:2 = graph.TopK(%x, %k) : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<*xf32>, tensor<*xi64>)
  return
}

// -----

func.func @matmul_contraction(%a: tensor<3x4xf32>, %b: tensor<5x6xf32>) {
  // expected-error @+1 {{contraction dimension mismatch: 4 vs 5}}
  %0 = graph.MatMul(%a, %b) : (tensor<3x4xf32>, tensor<5x6xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) {
  // expected-error @+1 {{operands are not broadcast-compatible}}
  %0 = graph.MatMul(%a, %b) : (tensor<2x3x4xf32>, tensor<5x4x6xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @gemm_rank(%a: tensor<3xf32>, %b: tensor<3x4xf32>) {
  %n = graph.none
  // expected-error @+1 {{A must be 2-D, got rank 1}}
  %0 = graph.Gemm(%a, %b, %n) : (tensor<3xf32>, tensor<3x4xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @gemm_bias(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<5xf32>) {
  // expected-error @+1 {{C cannot be broadcast to the result: dimension 5 vs 4}}
  %0 = graph.Gemm(%a, %b, %c) : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<5xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<2x3x3x3xf32>) {
  %n = graph.none
  // expected-error @+1 {{input has 4 channels but weights expect 3 x group 1}}
  %0 = graph.Conv(%x, %w, %n) : (tensor<1x4x8x8xf32>, tensor<2x3x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @conv_pads_length(%x: tensor<1x3x8x8xf32>, %w: tensor<2x3x3x3xf32>) {
  %n = graph.none
  // expected-error @+1 {{pads has 2 entries, expected 4}}
  %0 = graph.Conv(%x, %w, %n) {pads = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<2x3x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @conv_kernel_too_big(%x: tensor<1x3x2x2xf32>, %w: tensor<2x3x3x3xf32>) {
  %n = graph.none
  // expected-error @+1 {{window of extent 3 does not fit spatial dimension 0 of padded size 2}}
  %0 = graph.Conv(%x, %w, %n) : (tensor<1x3x2x2xf32>, tensor<2x3x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

// Pads or dilations near INT64_MAX: an error, not a wrapped-around size.
func.func @pool_pads_overflow(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{window, dilations or pads of spatial dimension 0 overflow 64-bit sizes}}
  %0, %i = graph.MaxPool(%x) {kernel_shape = [2, 2], pads = [9223372036854775807, 0, 0, 0]} : (tensor<1x3x8x8xf32>) -> (tensor<*xf32>, none)
  return
}

// -----

func.func @pool_dilations_overflow(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{window, dilations or pads of spatial dimension 0 overflow 64-bit sizes}}
  %0, %i = graph.MaxPool(%x) {kernel_shape = [3, 3], dilations = [4611686018427387904, 1]} : (tensor<1x3x8x8xf32>) -> (tensor<*xf32>, none)
  return
}

// -----

func.func @conv_rank(%x: tensor<1x3x8xf32>, %w: tensor<2x3x3x3xf32>) {
  %n = graph.none
  // expected-error @+1 {{input and weights differ in rank: 3 vs 4}}
  %0 = graph.Conv(%x, %w, %n) : (tensor<1x3x8xf32>, tensor<2x3x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{bias and output channels mismatch: 3 vs 2}}
  %0 = graph.Conv(%x, %w, %b) : (tensor<1x3x8x8xf32>, tensor<2x3x3x3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @conv_group(%x: tensor<1x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) {
  %n = graph.none
  // expected-error @+1 {{output channels 3 are not divisible by group 2}}
  %0 = graph.Conv(%x, %w, %n) {group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x3x5x5xf32>, %w: tensor<2x4x3x3xf32>) {
  %n = graph.none
  // expected-error @+1 {{input channels and weights mismatch: 3 vs 2}}
  %0 = graph.ConvTranspose(%x, %w, %n) : (tensor<1x3x5x5xf32>, tensor<2x4x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @pool_kernel_length(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{kernel_shape has 1 entries but the input has 2 spatial dimensions}}
  %0 = graph.AveragePool(%x) {kernel_shape = [2]} : (tensor<1x3x8x8xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @pool_strides(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{strides must be positive}}
  %0:2 = graph.MaxPool(%x) {kernel_shape = [2, 2], strides = [0, 1]} : (tensor<1x3x8x8xf32>) -> (tensor<*xf32>, none)
  return
}

// -----

func.func @pool_rank(%x: tensor<3x8xf32>) {
  // expected-error @+1 {{input must have rank at least 3, got 2}}
  %0 = graph.LpPool(%x) {kernel_shape = [2]} : (tensor<3x8xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @global_pool_rank(%x: tensor<3xf32>) {
  // expected-error @+1 {{input must have rank at least 2, got 1}}
  %0 = graph.GlobalMaxPool(%x) : (tensor<3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @quantize_axis(%x: tensor<2x4xf32>, %s: tensor<3xf32>, %z: tensor<3xui8>) {
  // expected-error @+1 {{scale length and quantized dimension mismatch: 3 vs 4}}
  %0 = graph.QuantizeLinear(%x, %s, %z) : (tensor<2x4xf32>, tensor<3xf32>, tensor<3xui8>) -> tensor<*xui8>
  return
}

// -----

func.func @depth_to_space_channels(%x: tensor<1x6x2x2xf32>) {
  // expected-error @+1 {{channels 6 are not divisible by blocksize^2 4}}
  %0 = graph.DepthToSpace(%x) {blocksize = 2 : i64} : (tensor<1x6x2x2xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @space_to_depth_rank(%x: tensor<6x2x2xf32>) {
  // expected-error @+1 {{input must be 4-D, got rank 3}}
  %0 = graph.SpaceToDepth(%x) {blocksize = 2 : i64} : (tensor<6x2x2xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @resize_scales_length(%x: tensor<1x3x4x4xf32>) {
  %n = graph.none
  %s = graph.Constant() {value = dense<[2.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{scales has 2 entries but the input has rank 4}}
  %0 = graph.Resize(%x, %n, %s, %n) : (tensor<1x3x4x4xf32>, none, tensor<2xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @grid_sample_grid(%x: tensor<1x3x4x4xf32>, %g: tensor<1x5x5x3xf32>) {
  // expected-error @+1 {{grid's last dimension must be 2, got 3}}
  %0 = graph.GridSample(%x, %g) : (tensor<1x3x4x4xf32>, tensor<1x5x5x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>) {
  %n = graph.none
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0:3 = graph.LayerNormalization(%x, %s, %n) {axis = 2 : i64} : (tensor<2x3xf32>, tensor<3xf32>, none) -> (tensor<*xf32>, none, none)
  return
}

// -----

func.func @batch_norm_channels(%x: tensor<2x3x4xf32>, %c: tensor<5xf32>) {
  // expected-error @+1 {{per-channel operand has 5 entries but the input has 3 channels}}
  %0:3 = graph.BatchNormalization(%x, %c, %c, %c, %c) : (tensor<2x3x4xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) -> (tensor<*xf32>, none, none)
  return
}

// -----

func.func @nll_target_rank(%x: tensor<2x3xf32>, %t: tensor<2x3xi64>) {
  %n = graph.none
  // expected-error @+1 {{target must have rank 1, got 2}}
  %0 = graph.NegativeLogLikelihoodLoss(%x, %t, %n) : (tensor<2x3xf32>, tensor<2x3xi64>, none) -> tensor<*xf32>
  return
}

// -----

func.func @lstm_directions(%x: tensor<7x2x10xf32>, %w: tensor<1x64x10xf32>, %r: tensor<1x64x16xf32>) {
  %n = graph.none
  // expected-error @+1 {{W and R must have 2 directions, got 1}}
  %0:3 = graph.LSTM(%x, %w, %r, %n, %n, %n, %n, %n) {direction = #graph.rnn_direction<bidirectional>} : (tensor<7x2x10xf32>, tensor<1x64x10xf32>, tensor<1x64x16xf32>, none, none, none, none, none) -> (tensor<*xf32>, none, none)
  return
}

// -----

func.func @einsum_terms(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{equation has 2 operand terms but there are 1 inputs}}
  %0 = graph.Einsum(%a) {equation = "ij,jk->ik"} : (tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @einsum_label_sizes(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{label 'j' has sizes 3 and 4}}
  %0 = graph.Einsum(%a, %b) {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @det_square(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{input matrices must be square, got 2x3}}
  %0 = graph.Det(%a) : (tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @random_dtype() {
  // expected-error @+1 {{dtype 42 is not a supported ONNX data type}}
  %0 = graph.RandomUniform() {dtype = 42 : i64, shape = [2]} : () -> tensor<*xf32>
  return
}

// -----

func.func @tile_overflow(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %r = graph.Constant() {value = dense<[4611686018427387904, 4611686018427387904]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{overflows}}
  %0 = graph.Tile(%x, %r) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @split_num_outputs_and_split(%x: tensor<2x8xf32>) {
  %s = graph.Constant() {value = dense<[4, 4]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{takes either a split input or num_outputs, not both}}
  %0:2 = graph.Split(%x, %s) {axis = 1 : i64, num_outputs = 2 : i64} : (tensor<2x8xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

func.func @split_num_outputs_count(%x: tensor<2x8xf32>) {
  %n = graph.none
  // expected-error @+1 {{num_outputs is 3 but it has 2 outputs}}
  %0:2 = graph.Split(%x, %n) {axis = 1 : i64, num_outputs = 3 : i64} : (tensor<2x8xf32>, none) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

func.func @split_num_outputs_too_many(%x: tensor<2x5xf32>) {
  %n = graph.none
  // expected-error @+1 {{dimension 5 cannot be split into 4 chunks of 2}}
  %0:4 = graph.Split(%x, %n) {axis = 1 : i64, num_outputs = 4 : i64} : (tensor<2x5xf32>, none) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

func.func @center_crop_pad_axes(%x: tensor<2x3xf32>) {
  %s = graph.Constant() {value = dense<[1, 1]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{axis 1 is listed twice}}
  %0 = graph.CenterCropPad(%x, %s) {axes = [1, -1]} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @center_crop_pad_shape(%x: tensor<2x3xf32>) {
  %s = graph.Constant() {value = dense<[1, 1, 1]> : tensor<3xi64>} : () -> tensor<3xi64>
  // expected-error @+1 {{shape has 3 entries for 2 axes}}
  %0 = graph.CenterCropPad(%x, %s) : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @affine_grid_theta(%t: tensor<2x3x4xf32>) {
  %s = graph.Constant() {value = dense<[2, 3, 5, 6]> : tensor<4xi64>} : () -> tensor<4xi64>
  // expected-error @+1 {{theta must be 2x2x3 for size of 4 entries}}
  %0 = graph.AffineGrid(%t, %s) : (tensor<2x3x4xf32>, tensor<4xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @affine_grid_size(%t: tensor<2x2x3xf32>) {
  %s = graph.Constant() {value = dense<[2, 3, 6]> : tensor<3xi64>} : () -> tensor<3xi64>
  // expected-error @+1 {{size must have 4 (N, C, H, W) or 5 (N, C, D, H, W) entries, got 3}}
  %0 = graph.AffineGrid(%t, %s) : (tensor<2x2x3xf32>, tensor<3xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @col2im_channels(%c: tensor<1x10x9xf32>) {
  %img = graph.Constant() {value = dense<[5, 5]> : tensor<2xi64>} : () -> tensor<2xi64>
  %blk = graph.Constant() {value = dense<[3, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error @+1 {{input dimension 1 (10) is not a multiple of prod(block_shape) (9)}}
  %0 = graph.Col2Im(%c, %img, %blk) : (tensor<1x10x9xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @attention_heads(%q: tensor<1x5x32xf32>, %k: tensor<1x5x15xf32>) {
  %n = graph.none
  // expected-error @+1 {{q_num_heads (4) must be a multiple of kv_num_heads (3)}}
  %y, %ck, %cv, %qk = graph.Attention(%q, %k, %k, %n, %n, %n, %n) {q_num_heads = 4 : i64, kv_num_heads = 3 : i64} : (tensor<1x5x32xf32>, tensor<1x5x15xf32>, tensor<1x5x15xf32>, none, none, none, none) -> (tensor<*xf32>, none, none, none)
  return
}

// -----

func.func @attention_3d_heads(%q: tensor<1x5x32xf32>) {
  %n = graph.none
  // expected-error @+1 {{3-D inputs need positive q_num_heads and kv_num_heads}}
  %y, %ck, %cv, %qk = graph.Attention(%q, %q, %q, %n, %n, %n, %n) : (tensor<1x5x32xf32>, tensor<1x5x32xf32>, tensor<1x5x32xf32>, none, none, none, none) -> (tensor<*xf32>, none, none, none)
  return
}

// -----

func.func @resize_axes_count(%x: tensor<1x3x4x4xf32>) {
  %n = graph.none
  %sc = graph.Constant() {value = dense<[3.0, 2.0, 1.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  // expected-error @+1 {{scales has 3 entries, expected 2 for 2 axes}}
  %0 = graph.Resize(%x, %n, %sc, %n) {axes = [3, 2]} : (tensor<1x3x4x4xf32>, none, tensor<3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @resize_axes_repeated(%x: tensor<1x3x4x4xf32>) {
  %n = graph.none
  %sc = graph.Constant() {value = dense<[3.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{axis -1 is listed twice}}
  %0 = graph.Resize(%x, %n, %sc, %n) {axes = [3, -1]} : (tensor<1x3x4x4xf32>, none, tensor<2xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @resize_policy(%x: tensor<1x3x4x4xf32>) {
  %n = graph.none
  %sz = graph.Constant() {value = dense<[1, 3, 7, 8]> : tensor<4xi64>} : () -> tensor<4xi64>
  // expected-error @+1 {{keep_aspect_ratio_policy 'fit' is not stretch, not_larger or not_smaller}}
  %0 = graph.Resize(%x, %n, %n, %sz) {keep_aspect_ratio_policy = "fit"} : (tensor<1x3x4x4xf32>, none, none, tensor<4xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @dft_last_axis(%x: tensor<2x8x1xf32>) {
  %n = graph.none
  %a = graph.Constant() {value = dense<-1> : tensor<i64>} : () -> tensor<i64>
  // expected-error @+1 {{axis must not be the last (real/imaginary) dimension}}
  %0 = graph.DFT(%x, %n, %a) : (tensor<2x8x1xf32>, none, tensor<i64>) -> tensor<*xf32>
  return
}

// -----

func.func @stft_frame(%s: tensor<1x8x1xf32>, %w: tensor<16xf32>) {
  %n = graph.none
  %st = graph.Constant() {value = dense<4> : tensor<i64>} : () -> tensor<i64>
  // expected-error @+1 {{frame length 16 must be in [1, signal length 8]}}
  %0 = graph.STFT(%s, %st, %w, %n) : (tensor<1x8x1xf32>, tensor<i64>, tensor<16xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @bitcast_width(%x: tensor<4xf32>) {
  // expected-error @+1 {{cannot reinterpret 32-bit elements as 64-bit ones}}
  %0 = graph.BitCast(%x) {to = 7 : i64} : (tensor<4xf32>) -> tensor<*xi64>
  return
}

// -----

func.func @tfidf_pool(%x: tensor<6xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{ngram_counts 4..9 does not split the pool of 9 into 2-grams}}
  %0 = graph.TfIdfVectorizer(%x) {mode = #graph.tf_idf_mode<TF>, min_gram_length = 1 : i64, max_gram_length = 2 : i64, max_skip_count = 0 : i64, ngram_counts = [0, 4], ngram_indexes = [0, 1, 2, 3, 4, 5], pool_int64s = [2, 3, 5, 4, 5, 6, 7, 8, 6]} : (tensor<6xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// A negative max_skip_count (a signless attribute, read as unsigned, passed
// the check before).
func.func @tfidf_negative_skip(%x: tensor<6xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{needs 1 <= min_gram_length <= max_gram_length and max_skip_count >= 0}}
  %0 = graph.TfIdfVectorizer(%x) {mode = #graph.tf_idf_mode<TF>, min_gram_length = 1 : i64, max_gram_length = 1 : i64, max_skip_count = -1 : i64, ngram_counts = [0], ngram_indexes = [0, 1], pool_int64s = [2, 3]} : (tensor<6xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @tfidf_indexes(%x: tensor<6xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{has 3 ngram_indexes for 2 n-grams}}
  %0 = graph.TfIdfVectorizer(%x) {mode = #graph.tf_idf_mode<TF>, min_gram_length = 1 : i64, max_gram_length = 1 : i64, max_skip_count = 0 : i64, ngram_counts = [0], ngram_indexes = [0, 1, 2], pool_int64s = [2, 3]} : (tensor<6xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @tfidf_weights(%x: tensor<6xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{has 1 weights for 2 outputs}}
  %0 = graph.TfIdfVectorizer(%x) {mode = #graph.tf_idf_mode<IDF>, min_gram_length = 1 : i64, max_gram_length = 1 : i64, max_skip_count = 0 : i64, ngram_counts = [0], ngram_indexes = [0, 1], pool_int64s = [2, 3], weights = [1.0 : f32]} : (tensor<6xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
