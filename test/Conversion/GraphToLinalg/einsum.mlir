// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Output labels are the parallel loops, the rest reductions.
// CHECK-DAG: #[[X:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[Y:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[O:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @einsum_batch_matmul
// CHECK: %[[Z:.+]] = linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[Y]], #[[O]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.+}}, %{{.+}} : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%[[Z]] : tensor<2x3x5xf32>)
// CHECK: %[[M:.+]] = arith.mulf
// CHECK: arith.addf %{{.+}}, %[[M]]
func.func @einsum_batch_matmul(%x: tensor<2x3x4xf32>, %y: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = graph.Einsum(%x, %y) {equation = "bij, bjk -> bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// A repeated label reads the diagonal.
// CHECK-DAG: #[[DIAG:.+]] = affine_map<(d0, d1) -> (d0, d1, d1)>
// CHECK-LABEL: func.func @einsum_batch_diagonal
// CHECK: linalg.generic {indexing_maps = [#[[DIAG]], #{{.+}}], iterator_types = ["parallel", "parallel"]}
func.func @einsum_batch_diagonal(%x: tensor<2x3x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.Einsum(%x) {equation = "...ii ->...i"} : (tensor<2x3x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Implicit output: labels seen once, sorted; none here, so a scalar.
// CHECK-DAG: #[[S:.+]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @einsum_inner_prod
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}, #[[S]]], iterator_types = ["reduction"]}
func.func @einsum_inner_prod(%x: tensor<5xf32>, %y: tensor<5xf32>) -> tensor<f32> {
  %0 = graph.Einsum(%x, %y) {equation = "i,i"} : (tensor<5xf32>, tensor<5xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-DAG: #[[T:.+]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @einsum_transpose_implicit
// CHECK: linalg.generic {indexing_maps = [#[[T]], #{{.+}}], iterator_types = ["parallel", "parallel"]}
func.func @einsum_transpose_implicit(%x: tensor<3x4xi32>) -> tensor<4x3xi32> {
  %0 = graph.Einsum(%x) {equation = "ba"} : (tensor<3x4xi32>) -> tensor<4x3xi32>
  return %0 : tensor<4x3xi32>
}

// -----

// Broadcast "..." dims: a size-1 dim reads index 0.
// CHECK-DAG: #[[B:.+]] = affine_map<(d0, d1, d2) -> (0, d1, d2)>
// CHECK-LABEL: func.func @einsum_ellipsis_broadcast
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[B]], #{{.+}}]
func.func @einsum_ellipsis_broadcast(%x: tensor<2x3x4xf32>, %y: tensor<1x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = graph.Einsum(%x, %y) {equation = "...,...->..."} : (tensor<2x3x4xf32>, tensor<1x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}
