// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Weighted mean with ignore_index: one gathering generic with two results
// (loss, weight), two full reductions, a division.
// CHECK-LABEL: func.func @nll_mean_weight_ii
// CHECK: %[[G:.+]]:2 = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK: arith.cmpi ne
// CHECK: tensor.extract %{{.+}}[%{{.+}}, %{{.+}}, %{{.+}}] : tensor<3x5x6xf32>
// CHECK: tensor.extract %{{.+}}[%{{.+}}] : tensor<5xf32>
// CHECK: arith.negf
// CHECK: iterator_types = ["reduction", "reduction"]
// CHECK: iterator_types = ["reduction", "reduction"]
// CHECK: arith.divf
func.func @nll_mean_weight_ii(%x: tensor<3x5x6xf32>, %t: tensor<3x6xi64>, %w: tensor<5xf32>) -> tensor<f32> {
  %0 = graph.NegativeLogLikelihoodLoss(%x, %t, %w) {ignore_index = -1 : i64} : (tensor<3x5x6xf32>, tensor<3x6xi64>, tensor<5xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// reduction none, no weight, i32 targets: just the gathering generic.
// CHECK-LABEL: func.func @nll_none
// CHECK: %[[G:.+]]:2 = linalg.generic
// CHECK: arith.extsi
// CHECK-NOT: arith.cmpi
// CHECK: arith.negf
// CHECK-NOT: iterator_types = ["reduction"
// CHECK: return %[[G]]#0 : tensor<2x4xf32>
func.func @nll_none(%x: tensor<2x3x4xf32>, %t: tensor<2x4xi32>) -> tensor<2x4xf32> {
  %n = graph.none
  %0 = graph.NegativeLogLikelihoodLoss(%x, %t, %n) {reduction = #graph.loss_reduction<none>} : (tensor<2x3x4xf32>, tensor<2x4xi32>, none) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// sum: one reduction, no division.
// CHECK-LABEL: func.func @nll_sum
// CHECK: linalg.generic
// CHECK: iterator_types = ["reduction"]
// CHECK-NOT: arith.divf
// CHECK: return
func.func @nll_sum(%x: tensor<3x5xf32>, %t: tensor<3xi64>) -> tensor<f32> {
  %n = graph.none
  %0 = graph.NegativeLogLikelihoodLoss(%x, %t, %n) {reduction = #graph.loss_reduction<sum>} : (tensor<3x5xf32>, tensor<3xi64>, none) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// SoftmaxCrossEntropyLoss: LogSoftmax over the class axis, then NLL;
// log_prob is the LogSoftmax.
// CHECK-LABEL: func.func @sce_log_prob
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: %[[LP:.+]] = linalg.generic
// CHECK: math.log
// CHECK: linalg.generic
// CHECK: tensor.extract %[[LP]]
// CHECK: return %{{.+}}, %[[LP]] : tensor<f32>, tensor<3x5xf32>
func.func @sce_log_prob(%x: tensor<3x5xf32>, %t: tensor<3xi64>, %w: tensor<5xf32>) -> (tensor<f32>, tensor<3x5xf32>) {
  %0, %1 = graph.SoftmaxCrossEntropyLoss(%x, %t, %w) {ignore_index = 0 : i64} : (tensor<3x5xf32>, tensor<3xi64>, tensor<5xf32>) -> (tensor<f32>, tensor<3x5xf32>)
  return %0, %1 : tensor<f32>, tensor<3x5xf32>
}

// -----

// Without log_prob the second result is none.
// CHECK-LABEL: func.func @sce_none
// CHECK-NOT: graph.
// CHECK: return %{{.+}} : tensor<3x2xf32>
func.func @sce_none(%x: tensor<3x5x2xf32>, %t: tensor<3x2xi64>) -> tensor<3x2xf32> {
  %n = graph.none
  %0, %1 = graph.SoftmaxCrossEntropyLoss(%x, %t, %n) {reduction = #graph.loss_reduction<none>} : (tensor<3x5x2xf32>, tensor<3x2xi64>, none) -> (tensor<3x2xf32>, none)
  return %0 : tensor<3x2xf32>
}
