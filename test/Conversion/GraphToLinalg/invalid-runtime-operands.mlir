// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file -verify-diagnostics

// Run-time axes of unknown length with several fitting axis sets.
func.func @reduce_sum_ambiguous_dynamic_axes(%x: tensor<3x2x2xf32>, %a: tensor<?xi64>) -> tensor<3x2xf32> {
  // expected-error @+1 {{graph.ReduceSum cannot be lowered to linalg: run-time axes are ambiguous for the static shapes}}
  %0 = graph.ReduceSum(%x, %a) {keepdims = 0 : i64} : (tensor<3x2x2xf32>, tensor<?xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @reduce_sum_no_fit(%x: tensor<3x2x2xf32>, %a: tensor<1xi64>) -> tensor<3x3x2xf32> {
  // expected-error @+1 {{graph.ReduceSum cannot be lowered to linalg: result shape fits no reduction}}
  %0 = graph.ReduceSum(%x, %a) : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x3x2xf32>
  return %0 : tensor<3x3x2xf32>
}
