// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Trilu with a run-time k: one generic comparing col - row with k.
// CHECK-LABEL: func.func @triu
// CHECK: %[[K:.+]] = tensor.extract %{{.+}}[] : tensor<i64>
// CHECK: linalg.generic
// CHECK: linalg.index 1
// CHECK: linalg.index 2
// CHECK: arith.cmpi sge, %{{.+}}, %[[K]]
// CHECK: arith.select
func.func @triu(%x: tensor<2x3x4xf32>, %k: tensor<i64>) -> tensor<2x3x4xf32> {
  %0 = graph.Trilu(%x, %k) : (tensor<2x3x4xf32>, tensor<i64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @tril_default_k
// CHECK: arith.constant 0 : i64
// CHECK: arith.cmpi sle
func.func @tril_default_k(%x: tensor<3x4xi64>) -> tensor<3x4xi64> {
  %n = graph.none
  %0 = graph.Trilu(%x, %n) {upper = 0 : i64} : (tensor<3x4xi64>, none) -> tensor<3x4xi64>
  return %0 : tensor<3x4xi64>
}

// -----

// Hardmax: argmax reduction, then a compare against the index.
// CHECK-LABEL: func.func @hardmax
// CHECK: %[[A:.+]]:2 = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: arith.cmpf ogt
// CHECK: linalg.generic {{.+}} ins(%[[A]]#1
// CHECK: arith.cmpi eq
func.func @hardmax(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = graph.Hardmax(%x) {axis = -2 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CumSum with a constant axis: the input map puts the reduction dim at the
// axis; reverse + exclusive keeps t > i.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @cumsum_const_axis
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: arith.cmpi sgt
// CHECK: arith.addf
func.func @cumsum_const_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = graph.Constant() {value = dense<-2> : tensor<i32>} : () -> tensor<i32>
  %0 = graph.CumSum(%x, %a) {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CumSum with a run-time axis: t runs over the largest dimension and the
// body extracts x at the selected coordinates.
// CHECK-LABEL: func.func @cumsum_runtime_axis
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.cmpi sle
// CHECK: tensor.extract %{{.+}}[%{{.+}}, %{{.+}}] : tensor<2x3xi32>
// CHECK: arith.addi
func.func @cumsum_runtime_axis(%x: tensor<2x3xi32>, %a: tensor<i64>) -> tensor<2x3xi32> {
  %0 = graph.CumSum(%x, %a) : (tensor<2x3xi32>, tensor<i64>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func.func @eyelike
// CHECK: linalg.generic
// CHECK: arith.constant -1 : i64
// CHECK: arith.cmpi eq
// CHECK: arith.constant 1.000000e+00 : f64
func.func @eyelike(%x: tensor<3x4xi32>) -> tensor<3x4xf64> {
  %0 = graph.EyeLike(%x) {dtype = 11 : i64, k = -1 : i64} : (tensor<3x4xi32>) -> tensor<3x4xf64>
  return %0 : tensor<3x4xf64>
}

// -----

// OneHot: float indices are truncated, negative ones wrap by depth.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @onehot
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #{{.+}}]
// CHECK: arith.fptosi
// CHECK: arith.constant 10 : i64
// CHECK: linalg.index 1
func.func @onehot(%i: tensor<2x2xf32>, %d: tensor<f32>, %v: tensor<2xf32>) -> tensor<2x10x2xf32> {
  %0 = graph.OneHot(%i, %d, %v) {axis = -2 : i64} : (tensor<2x2xf32>, tensor<f32>, tensor<2xf32>) -> tensor<2x10x2xf32>
  return %0 : tensor<2x10x2xf32>
}

// -----

// Windows: computed in f64 from the static length.
// CHECK-LABEL: func.func @windows
// CHECK: math.cos
// CHECK: arith.truncf
// CHECK: arith.constant 0.54347826086956519 : f64
// CHECK: math.cos
// CHECK: arith.constant 8.000000e-02 : f64
func.func @windows(%n: tensor<i32>) -> (tensor<10xf32>, tensor<10xf32>, tensor<10xf32>) {
  %0 = graph.HannWindow(%n) : (tensor<i32>) -> tensor<10xf32>
  %1 = graph.HammingWindow(%n) {periodic = 0 : i64} : (tensor<i32>) -> tensor<10xf32>
  %2 = graph.BlackmanWindow(%n) : (tensor<i32>) -> tensor<10xf32>
  return %0, %1, %2 : tensor<10xf32>, tensor<10xf32>, tensor<10xf32>
}

// -----

// MVN over the default axes {0, 2, 3}.
// CHECK-LABEL: func.func @mvn
// CHECK: iterator_types = ["reduction", "parallel", "reduction", "reduction"]
// CHECK: iterator_types = ["reduction", "parallel", "reduction", "reduction"]
// CHECK: math.sqrt
// CHECK: arith.constant 9.99999971E-10 : f32
func.func @mvn(%x: tensor<3x3x3x1xf32>) -> tensor<3x3x3x1xf32> {
  %0 = graph.MeanVarianceNormalization(%x) : (tensor<3x3x3x1xf32>) -> tensor<3x3x3x1xf32>
  return %0 : tensor<3x3x3x1xf32>
}
