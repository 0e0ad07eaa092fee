// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// 3-D grouped-query attention with a KV cache and the causal mask: heads
// split, past concatenated, KV heads repeated (h floordiv 2), both matmuls
// batched, key positions j > i + 3 (past length) masked, heads merged.
// CHECK-DAG: #[[REP:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1 floordiv 2, d2, d3)>
// CHECK-LABEL: func.func @gqa_causal_cache
// CHECK: tensor.concat dim(2)
// CHECK: tensor.concat dim(2)
// CHECK: linalg.generic {indexing_maps = [#[[REP]]
// CHECK: linalg.batch_matmul
// CHECK: linalg.index 3
// CHECK: %[[C3:.+]] = arith.constant 3 : index
// CHECK: arith.cmpi sgt
// CHECK: math.exp
// CHECK: linalg.batch_matmul
// CHECK: linalg.transpose
// CHECK-SAME: permutation = [0, 2, 1, 3]
// CHECK: tensor.collapse_shape
// CHECK-SAME: tensor<2x5x4x8xf32> into tensor<2x5x32xf32>
func.func @gqa_causal_cache(%q: tensor<2x5x32xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %pk: tensor<2x2x3x8xf32>, %pv: tensor<2x2x3x8xf32>) -> (tensor<2x5x32xf32>, tensor<2x2x8x8xf32>, tensor<2x2x8x8xf32>) {
  %n = graph.none
  %y, %ck, %cv, %qk = graph.Attention(%q, %k, %v, %n, %pk, %pv, %n) {q_num_heads = 4 : i64, kv_num_heads = 2 : i64, is_causal = 1 : i64} : (tensor<2x5x32xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, none, tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32>, none) -> (tensor<2x5x32xf32>, tensor<2x2x8x8xf32>, tensor<2x2x8x8xf32>, none)
  return %y, %ck, %cv : tensor<2x5x32xf32>, tensor<2x2x8x8xf32>, tensor<2x2x8x8xf32>
}

// -----

// A bool mask shorter than the keys is padded with false; softcap is
// c * tanh(x / c); the scores after the mask are returned (mode 2).
// CHECK-LABEL: func.func @bool_mask_softcap
// CHECK: math.tanh
// CHECK: tensor.pad %{{.+}} low[0, 0] high[0, 1]
// CHECK: tensor.yield %false
// CHECK: arith.select
func.func @bool_mask_softcap(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x6x4xf32>, %v: tensor<1x2x6x4xf32>, %m: tensor<3x5xi1>) -> (tensor<1x2x3x4xf32>, tensor<1x2x3x6xf32>) {
  %n = graph.none
  %y, %ck, %cv, %qk = graph.Attention(%q, %k, %v, %m, %n, %n, %n) {softcap = 2.0 : f32, qk_matmul_output_mode = 2 : i64} : (tensor<1x2x3x4xf32>, tensor<1x2x6x4xf32>, tensor<1x2x6x4xf32>, tensor<3x5xi1>, none, none, none) -> (tensor<1x2x3x4xf32>, none, none, tensor<1x2x3x6xf32>)
  return %y, %qk : tensor<1x2x3x4xf32>, tensor<1x2x3x6xf32>
}

// -----

// RotaryEmbedding, 3-D input with 2 heads of 8, rotary dim 4 (half 2):
// d within the head, the partner d +- 2, cos/sin at position_ids[b, s];
// elements from d = 4 on pass through.
// CHECK-LABEL: func.func @rotary
// CHECK: linalg.generic
// CHECK: arith.remui %{{.+}}, %c8
// CHECK: arith.cmpi ult, %{{.+}}, %c4
// CHECK: tensor.extract %arg3
// CHECK: tensor.extract %arg1
// CHECK: tensor.extract %arg2
// CHECK: arith.select
func.func @rotary(%x: tensor<1x3x16xf32>, %cos: tensor<10x2xf32>, %sin: tensor<10x2xf32>, %pos: tensor<1x3xi64>) -> tensor<1x3x16xf32> {
  %0 = graph.RotaryEmbedding(%x, %cos, %sin, %pos) {num_heads = 2 : i64, rotary_embedding_dim = 4 : i64} : (tensor<1x3x16xf32>, tensor<10x2xf32>, tensor<10x2xf32>, tensor<1x3xi64>) -> tensor<1x3x16xf32>
  return %0 : tensor<1x3x16xf32>
}
