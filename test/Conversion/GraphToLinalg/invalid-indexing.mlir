// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file -verify-diagnostics

func.func @einsum_repeated_output_label(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{graph.Einsum cannot be lowered to linalg: output labels must be distinct input labels}}
  %0 = graph.Einsum(%x) {equation = "ij->ii"} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @topk_k_too_large(%x: tensor<3xf32>, %k: tensor<1xi64>) -> (tensor<4xf32>, tensor<4xi64>) {
  // expected-error @+1 {{graph.TopK cannot be lowered to linalg: K must not exceed the axis size}}
  %v, %i = graph.TopK(%x, %k) : (tensor<3xf32>, tensor<1xi64>) -> (tensor<4xf32>, tensor<4xi64>)
  return %v, %i : tensor<4xf32>, tensor<4xi64>
}

// -----

func.func @gather_elements_dynamic(%d: tensor<?x4xf32>, %i: tensor<2x4xi64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{graph.GatherElements cannot be lowered to linalg: operands must be static tensors}}
  %0 = graph.GatherElements(%d, %i) {axis = 0 : i64} : (tensor<?x4xf32>, tensor<2x4xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @scatter_updates_too_large(%d: tensor<3x3xf32>, %i: tensor<4x3xi64>, %u: tensor<4x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{graph.ScatterElements cannot be lowered to linalg: updates larger than the data off the axis}}
  %0 = graph.ScatterElements(%d, %i, %u) {axis = 1 : i64} : (tensor<3x3xf32>, tensor<4x3xi64>, tensor<4x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @castlike_string(%x: tensor<3xf32>, %l: tensor<1x!graph.string>) -> tensor<3x!graph.string> {
  // expected-error @+1 {{graph.CastLike cannot be lowered to linalg}}
  %0 = graph.CastLike(%x, %l) : (tensor<3xf32>, tensor<1x!graph.string>) -> tensor<3x!graph.string>
  return %0 : tensor<3x!graph.string>
}
