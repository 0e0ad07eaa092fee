// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file --verify-diagnostics | FileCheck %s

// One GEMM for the input projection of every step, then an scf.for over
// time carrying the [seq + 1, batch, hidden] states, one GEMM with R^T and
// the gates per step.
// CHECK-LABEL: func.func @lstm
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<6x3xf32>, tensor<3x16xf32>)
// CHECK: scf.for {{.+}} iter_args(%{{.+}} = %{{.+}}, %{{.+}} = %{{.+}}) -> (tensor<4x2x4xf32>, tensor<4x2x4xf32>)
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<2x4xf32>, tensor<4x16xf32>)
// CHECK: math.tanh
// CHECK: tensor.insert_slice
// CHECK: scf.yield
func.func @lstm(%x: tensor<3x2x3xf32>, %w: tensor<1x16x3xf32>, %r: tensor<1x16x4xf32>) -> (tensor<3x1x2x4xf32>, tensor<1x2x4xf32>) {
  %n = graph.none
  %y, %h, %c = graph.LSTM(%x, %w, %r, %n, %n, %n, %n, %n) {hidden_size = 4 : i64} : (tensor<3x2x3xf32>, tensor<1x16x3xf32>, tensor<1x16x4xf32>, none, none, none, none, none) -> (tensor<3x1x2x4xf32>, tensor<1x2x4xf32>, none)
  return %y, %h : tensor<3x1x2x4xf32>, tensor<1x2x4xf32>
}

// -----

// Run-time sequence_lens: each step keeps the old state where the step is
// past the batch entry's length (select on t < lens[b]); Y is zeroed there.
// CHECK-LABEL: func.func @sequence_lens
// CHECK: scf.for %[[T:.+]] = {{.+}} iter_args
// CHECK: math.tanh
// CHECK: linalg.generic
// CHECK: arith.index_cast %[[T]] : index to i32
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: scf.yield
// CHECK: linalg.index 0
// CHECK: arith.cmpi slt
func.func @sequence_lens(%x: tensor<3x2x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>, %lens: tensor<2xi32>) -> (tensor<3x1x2x4xf32>, tensor<1x2x4xf32>) {
  %n = graph.none
  %y, %h = graph.RNN(%x, %w, %r, %n, %lens, %n) {hidden_size = 4 : i64} : (tensor<3x2x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, none, tensor<2xi32>, none) -> (tensor<3x1x2x4xf32>, tensor<1x2x4xf32>)
  return %y, %h : tensor<3x1x2x4xf32>, tensor<1x2x4xf32>
}

// -----

func.func @sequence_lens_batch(%x: tensor<3x2x3xf32>, %w: tensor<1x4x3xf32>, %r: tensor<1x4x4xf32>, %lens: tensor<3xi32>) -> tensor<1x2x4xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.RNN cannot be lowered to linalg: sequence_lens must have one entry per batch}}
  %y, %h = graph.RNN(%x, %w, %r, %n, %lens, %n) {hidden_size = 4 : i64} : (tensor<3x2x3xf32>, tensor<1x4x3xf32>, tensor<1x4x4xf32>, none, tensor<3xi32>, none) -> (none, tensor<1x2x4xf32>)
  return %h : tensor<1x2x4xf32>
}

// -----

func.func @unknown_activation(%x: tensor<3x2x3xf32>, %w: tensor<1x12x3xf32>, %r: tensor<1x12x4xf32>) -> tensor<1x2x4xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.GRU cannot be lowered to linalg: unknown activation 'gelu'}}
  %y, %h = graph.GRU(%x, %w, %r, %n, %n, %n) {hidden_size = 4 : i64, activations = ["Sigmoid", "Gelu"]} : (tensor<3x2x3xf32>, tensor<1x12x3xf32>, tensor<1x12x4xf32>, none, none, none) -> (none, tensor<1x2x4xf32>)
  return %h : tensor<1x2x4xf32>
}

// -----

// CausalConvWithState: past state and input concatenated, a depthwise
// causal convolution (reduction over the k taps), silu, and the last k - 1
// columns as the present state.
// CHECK-LABEL: func.func @causal_conv
// CHECK: tensor.concat dim(2)
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: math.exp
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 6] [2, 3, 2] [1, 1, 1]
func.func @causal_conv(%x: tensor<2x3x6xf32>, %w: tensor<3x1x3xf32>, %b: tensor<3xf32>, %s: tensor<2x3x2xf32>) -> (tensor<2x3x6xf32>, tensor<2x3x2xf32>) {
  %y, %p = graph.CausalConvWithState(%x, %w, %b, %s) {activation = "silu"} : (tensor<2x3x6xf32>, tensor<3x1x3xf32>, tensor<3xf32>, tensor<2x3x2xf32>) -> (tensor<2x3x6xf32>, tensor<2x3x2xf32>)
  return %y, %p : tensor<2x3x6xf32>, tensor<2x3x2xf32>
}

// -----

func.func @causal_conv_activation(%x: tensor<2x3x6xf32>, %w: tensor<3x1x3xf32>) -> tensor<2x3x6xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.CausalConvWithState cannot be lowered to linalg: activation 'gelu' is not none, silu or swish}}
  %y, %p = graph.CausalConvWithState(%x, %w, %n, %n) {activation = "gelu"} : (tensor<2x3x6xf32>, tensor<3x1x3xf32>, none, none) -> (tensor<2x3x6xf32>, tensor<2x3x2xf32>)
  return %y : tensor<2x3x6xf32>
}
