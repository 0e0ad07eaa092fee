// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Inference BatchNormalization: one generic, parameters read through (d1).
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batchnorm
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[CH]], #[[CH]], #[[CH]], #[[CH]], #{{.+}}]
// CHECK: arith.constant 9.99999974E-6 : f32
// CHECK: math.sqrt
// CHECK: return %[[R]]
func.func @batchnorm(%x: tensor<2x3x4x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %y, %rm, %rv = graph.BatchNormalization(%x, %s, %b, %m, %v) : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4x5xf32>, none, none)
  return %y : tensor<2x3x4x5xf32>
}

// -----

// CHECK-LABEL: func.func @instancenorm
// CHECK: iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK: iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK: math.sqrt
func.func @instancenorm(%x: tensor<2x3x4x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %0 = graph.InstanceNormalization(%x, %s, %b) : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// CHECK-LABEL: func.func @layernorm
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: math.sqrt
func.func @layernorm(%x: tensor<3x4xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<3x4xf32> {
  %y, %m, %i = graph.LayerNormalization(%x, %s, %b) : (tensor<3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<3x4xf32>, none, none)
  return %y : tensor<3x4xf32>
}

// -----

// LpNormalization p = 1: |x| summed along axis 0; x / norm, 0 where the
// norm is 0.
// CHECK-LABEL: func.func @lp_normalization
// CHECK: math.absf
// CHECK: arith.cmpf oeq
// CHECK: arith.divf
// CHECK: arith.select
func.func @lp_normalization(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = graph.LpNormalization(%x) {p = 1 : i64, axis = 0 : i64} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}
