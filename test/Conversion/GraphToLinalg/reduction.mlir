// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Axes from a constant operand; keepdims is an expand_shape of the result.
// CHECK-DAG: #[[KEPT:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.addf
// CHECK: tensor.expand_shape %[[R]] {{\[}}[0], [1, 2]] output_shape [3, 1, 2]
func.func @reduce_sum_keepdims(%x: tensor<3x2x2xf32>) -> tensor<3x1x2xf32> {
  %axes = graph.Constant() {value = dense<[1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %0 = graph.ReduceSum(%x, %axes) : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x1x2xf32>
  return %0 : tensor<3x1x2xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_mean_l2
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: arith.constant 4.000000e+00 : f32
// CHECK: arith.divf
// CHECK: iterator_types = ["reduction", "reduction"]
// CHECK: arith.mulf
// CHECK: math.sqrt
func.func @reduce_mean_l2(%x: tensor<3x4xf32>) -> (tensor<3xf32>, tensor<1x1xf32>) {
  %a = graph.Constant() {value = dense<-1> : tensor<1xi64>} : () -> tensor<1xi64>
  %0 = graph.ReduceMean(%x, %a) {keepdims = 0 : i64} : (tensor<3x4xf32>, tensor<1xi64>) -> tensor<3xf32>
  %none = graph.none
  %1 = graph.ReduceL2(%x, %none) : (tensor<3x4xf32>, none) -> tensor<1x1xf32>
  return %0, %1 : tensor<3xf32>, tensor<1x1xf32>
}

// -----

// CHECK-LABEL: func.func @argmax
// CHECK: %[[R:.+]]:2 = linalg.generic {{.*}} outs(%{{.+}}, %{{.+}} : tensor<3xf32>, tensor<3xi64>)
// CHECK: arith.cmpf ogt
// CHECK: linalg.index 1
// CHECK: tensor.expand_shape %[[R]]#1
func.func @argmax(%x: tensor<3x4xf32>) -> tensor<3x1xi64> {
  %0 = graph.ArgMax(%x) {axis = 1 : i64} : (tensor<3x4xf32>) -> tensor<3x1xi64>
  return %0 : tensor<3x1xi64>
}

// -----

// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.+]]: tensor<2x5xf32>)
// CHECK: %[[MAX:.+]] = linalg.generic {{.*}} ins(%[[X]] : tensor<2x5xf32>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SH:.+]] = linalg.generic {{.*}} ins(%[[X]], %[[MAX]] :
// CHECK: arith.subf
// CHECK: %[[EXP:.+]] = linalg.generic {{.*}} ins(%[[SH]] :
// CHECK: math.exp
// CHECK: %[[SUM:.+]] = linalg.generic {{.*}} ins(%[[EXP]] : tensor<2x5xf32>) outs(%{{.+}} : tensor<2xf32>)
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[ROW]], #{{.+}}]{{.*}} ins(%[[EXP]], %[[SUM]] :
// CHECK: arith.divf
// CHECK: return %[[R]]
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = graph.Softmax(%x) : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @log_softmax_axis0
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: math.log
func.func @log_softmax_axis0(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = graph.LogSoftmax(%x) {axis = 0 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}
