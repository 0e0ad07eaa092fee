// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file -verify-diagnostics

func.func @unsupported_op(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{graph.Bernoulli has no lowering to linalg}}
  %0 = graph.Bernoulli(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Run-time starts of unknown length (static lengths lower, see
// runtime-operands.mlir).
func.func @runtime_slice_bounds(%x: tensor<8xf32>, %s: tensor<?xi64>, %e: tensor<?xi64>) -> tensor<4xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.Slice cannot be lowered to linalg: starts and ends must be constants}}
  %0 = graph.Slice(%x, %s, %e, %n, %n) : (tensor<8xf32>, tensor<?xi64>, tensor<?xi64>, none, none) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
