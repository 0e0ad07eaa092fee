// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Parallel over the data, reduction over the updates along the axis; the
// data is the accumulator.
// CHECK-DAG: #[[UPD:.+]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @scatter_elements_add
// CHECK-SAME: %[[D:[^:]+]]: tensor<3x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[UPD]], #[[UPD]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} {{.*}} outs(%[[D]] : tensor<3x3xf32>)
// CHECK: %[[AXIS:.+]] = linalg.index 0
// CHECK: %[[HIT:.+]] = arith.cmpi eq, %{{.+}}, %[[AXIS]]
// CHECK: %[[ADD:.+]] = arith.addf %[[ACC:.+]], %{{.+}}
// CHECK: arith.select %[[HIT]], %[[ADD]], %[[ACC]]
func.func @scatter_elements_add(%d: tensor<3x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2x3xf32>) -> tensor<3x3xf32> {
  %0 = graph.ScatterElements(%d, %i, %u) {reduction = #graph.scatter_reduction<add>} : (tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// Updates cover only part of the data off the axis: the generic runs on
// that slice, which is inserted back.
// CHECK-LABEL: func.func @scatter_partial
// CHECK: %[[S:.+]] = tensor.extract_slice %{{.+}}[0, 0] [1, 3] [1, 1] : tensor<3x3xf32> to tensor<1x3xf32>
// CHECK: %[[G:.+]] = linalg.generic {{.*}} outs(%[[S]] : tensor<1x3xf32>)
// CHECK: %[[AXIS:.+]] = linalg.index 1
// CHECK: %[[HIT:.+]] = arith.cmpi eq, %{{.+}}, %[[AXIS]]
// CHECK: arith.select %[[HIT]], %{{.+}}, %{{.+}} : f32
// CHECK: tensor.insert_slice %[[G]] into %{{.+}}[0, 0] [1, 3] [1, 1]
func.func @scatter_partial(%d: tensor<3x3xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>) -> tensor<3x3xf32> {
  %0 = graph.Scatter(%d, %i, %u) {axis = 1 : i64} : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// Reduction over the index tuples; the tuple is read with tensor.extract.
// CHECK-DAG: #[[UPD:.+]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-LABEL: func.func @scatter_nd_mul
// CHECK: linalg.generic {indexing_maps = [#[[UPD]], #{{.+}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.+}} : tensor<2x4xf32>) outs(%{{.+}} : tensor<4x4xf32>)
// CHECK: %[[T:.+]] = linalg.index 2
// CHECK: tensor.extract %{{.+}}[%[[T]], %c0] : tensor<2x1xi64>
// CHECK: %[[ROW:.+]] = linalg.index 0
// CHECK: %[[HIT:.+]] = arith.cmpi eq, %{{.+}}, %[[ROW]]
// CHECK: %[[MUL:.+]] = arith.mulf
// CHECK: arith.select %[[HIT]], %[[MUL]]
func.func @scatter_nd_mul(%d: tensor<4x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) -> tensor<4x4xf32> {
  %0 = graph.ScatterND(%d, %i, %u) {reduction = #graph.scatter_reduction<mul>} : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// CHECK-LABEL: func.func @scatter_elements_max_unsigned
// CHECK: arith.maxui
func.func @scatter_elements_max_unsigned(%d: tensor<4xui8>, %i: tensor<2xi32>, %u: tensor<2xui8>) -> tensor<4xui8> {
  %0 = graph.ScatterElements(%d, %i, %u) {reduction = #graph.scatter_reduction<max>} : (tensor<4xui8>, tensor<2xi32>, tensor<2xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// TensorScatter (circular): output position j of batch b takes
// update[(j - w[b]) mod 8] when that is below 2, else the past cache.
// CHECK-LABEL: func.func @tensor_scatter
// CHECK: linalg.generic
// CHECK: linalg.index 2
// CHECK: arith.remsi
// CHECK: arith.cmpi slt
// CHECK: tensor.extract %arg1
// CHECK: arith.select
func.func @tensor_scatter(%c: tensor<2x3x8x4xf32>, %u: tensor<2x3x2x4xf32>, %w: tensor<2xi64>) -> tensor<2x3x8x4xf32> {
  %0 = graph.TensorScatter(%c, %u, %w) {mode = "circular"} : (tensor<2x3x8x4xf32>, tensor<2x3x2x4xf32>, tensor<2xi64>) -> tensor<2x3x8x4xf32>
  return %0 : tensor<2x3x8x4xf32>
}
