// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<3x4xf32>)
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2x4xf32>
// CHECK: %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<2x4xf32>)
// CHECK: %[[R:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[F]] : tensor<2x4xf32>)
// CHECK: return %[[R]]
func.func @matmul_2d(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = graph.MatMul(%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Batch dims broadcast (2x1 vs 5 -> 2x5), collapse to 10, batch_matmul.
// CHECK-LABEL: func.func @matmul_batched
// CHECK: %[[BA:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<2x5x3x4xf32>)
// CHECK: %[[CA:.+]] = tensor.collapse_shape %[[BA]] {{\[}}[0, 1], [2], [3]] : tensor<2x5x3x4xf32> into tensor<10x3x4xf32>
// CHECK: %[[BB:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<2x5x4x6xf32>)
// CHECK: %[[CB:.+]] = tensor.collapse_shape %[[BB]]
// CHECK: %[[M:.+]] = linalg.batch_matmul ins(%[[CA]], %[[CB]] : tensor<10x3x4xf32>, tensor<10x4x6xf32>)
// CHECK: %[[R:.+]] = tensor.expand_shape %[[M]] {{\[}}[0, 1], [2], [3]] output_shape [2, 5, 3, 6]
// CHECK: return %[[R]]
func.func @matmul_batched(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %0 = graph.MatMul(%a, %b) : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  return %0 : tensor<2x5x3x6xf32>
}

// -----

// A batched left operand times a matrix folds the batch into M.
// CHECK-LABEL: func.func @matmul_3d_2d
// CHECK: %[[C:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[M:.+]] = linalg.matmul ins(%[[C]], %{{.+}} : tensor<6x4xf32>, tensor<4x5xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[}}[0, 1], [2]] output_shape [2, 3, 5]
func.func @matmul_3d_2d(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = graph.MatMul(%a, %b) : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_vector
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1]] output_shape [1, 4]
// CHECK: linalg.matmul
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0, 1]] : tensor<1x5xf32> into tensor<5xf32>
func.func @matmul_vector(%a: tensor<4xf32>, %b: tensor<4x5xf32>) -> tensor<5xf32> {
  %0 = graph.MatMul(%a, %b) : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// alpha == 1: the broadcast bias is the accumulator.
// CHECK-LABEL: func.func @gemm_bias
// CHECK-SAME: (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<3x4xf32>, %[[C:.+]]: tensor<f32>)
// CHECK: %[[INIT:.+]] = linalg.generic {{.*}} ins(%[[C]] : tensor<f32>) outs(%{{.+}} : tensor<2x4xf32>)
// CHECK: %[[R:.+]] = linalg.matmul ins(%[[A]], %[[B]] : {{.*}}) outs(%[[INIT]] : tensor<2x4xf32>)
// CHECK: return %[[R]]
func.func @gemm_bias(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<f32>) -> tensor<2x4xf32> {
  %0 = graph.Gemm(%a, %b, %c) : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<f32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Transposes, then alpha * AB + beta * C in one generic.
// CHECK-LABEL: func.func @gemm_trans_alpha_beta
// CHECK: %[[TA:.+]] = linalg.transpose ins(%{{.+}} : tensor<3x2xf32>) outs(%{{.+}} : tensor<2x3xf32>) permutation = [1, 0]
// CHECK: %[[TB:.+]] = linalg.transpose ins(%{{.+}} : tensor<4x3xf32>) outs(%{{.+}} : tensor<3x4xf32>) permutation = [1, 0]
// CHECK: %[[M:.+]] = linalg.matmul ins(%[[TA]], %[[TB]] :
// CHECK: linalg.generic {{.*}} ins(%[[M]], %{{.+}} : tensor<2x4xf32>, tensor<4xf32>)
// CHECK: arith.constant 2.000000e+00
// CHECK: arith.constant 5.000000e-01
func.func @gemm_trans_alpha_beta(%a: tensor<3x2xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = graph.Gemm(%a, %b, %c) {transA = 1 : i64, transB = 1 : i64, alpha = 2.0 : f32, beta = 0.5 : f32} : (tensor<3x2xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
