// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file --verify-diagnostics | FileCheck %s

// gated_delta with GQA (4 query heads, 2 KV heads): one scf.for over the 3
// tokens carrying the [B, 2, 4, 4] f32 state; per token: decay (exp),
// delta correction (S^T k), S += k v^T, the read through h floordiv 2; the
// state is copied back into the loop's iteration argument.
// CHECK-DAG: #[[READ:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1 floordiv 2, d3, d2)>
// CHECK-LABEL: func.func @gated_delta_gqa
// CHECK: scf.for {{.+}} iter_args(%{{.+}} = %{{.+}}, %{{.+}} = %{{.+}}) -> (tensor<1x2x4x4xf32>, tensor<1x4x3x4xf32>)
// CHECK: math.exp
// CHECK: arith.subf
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[READ]]
// CHECK: linalg.copy
// CHECK: scf.yield
// CHECK: tensor.collapse_shape {{.+}} into tensor<1x3x16xf32>
func.func @gated_delta_gqa(%q: tensor<1x3x16xf32>, %k: tensor<1x3x8xf32>, %v: tensor<1x3x8xf32>, %g: tensor<1x3x2xf32>, %b: tensor<1x3x2xf32>) -> (tensor<1x3x16xf32>, tensor<1x2x4x4xf32>) {
  %n = graph.none
  %y, %s = graph.LinearAttention(%q, %k, %v, %n, %g, %b) {q_num_heads = 4 : i64, kv_num_heads = 2 : i64} : (tensor<1x3x16xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>, none, tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> (tensor<1x3x16xf32>, tensor<1x2x4x4xf32>)
  return %y, %s : tensor<1x3x16xf32>, tensor<1x2x4x4xf32>
}

// -----

func.func @linear_with_decay(%q: tensor<1x3x8xf32>, %g: tensor<1x3x2xf32>) -> tensor<1x3x8xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.LinearAttention cannot be lowered to linalg: update_rule 'linear' forbids the decay input}}
  %y, %s = graph.LinearAttention(%q, %q, %q, %n, %g, %n) {q_num_heads = 2 : i64, kv_num_heads = 2 : i64, update_rule = "linear"} : (tensor<1x3x8xf32>, tensor<1x3x8xf32>, tensor<1x3x8xf32>, none, tensor<1x3x2xf32>, none) -> (tensor<1x3x8xf32>, tensor<1x2x4x4xf32>)
  return %y : tensor<1x3x8xf32>
}
