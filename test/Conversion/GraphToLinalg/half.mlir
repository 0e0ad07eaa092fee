// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// f16 products accumulate in f32 and are converted back once.
// CHECK-LABEL: func.func @matmul_f16
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<4x8xf16>, tensor<8x3xf16>) outs(%{{.+}} : tensor<4x3xf32>)
// CHECK: arith.truncf %{{.+}} : f32 to f16
func.func @matmul_f16(%a: tensor<4x8xf16>, %b: tensor<8x3xf16>) -> tensor<4x3xf16> {
  %0 = graph.MatMul(%a, %b) : (tensor<4x8xf16>, tensor<8x3xf16>) -> tensor<4x3xf16>
  return %0 : tensor<4x3xf16>
}

// -----

// CHECK-LABEL: func.func @grouped_conv_f16
// CHECK: arith.extf
// CHECK: linalg.conv_2d_ngchw_gfchw {{.*}} ins(%{{.+}}, %{{.+}} : tensor<1x2x2x5x5xf16>, tensor<2x2x2x3x3xf16>) outs(%{{.+}} : tensor<1x2x2x3x3xf32>)
// CHECK: arith.truncf %{{.+}} : f32 to f16
func.func @grouped_conv_f16(%x: tensor<1x4x5x5xf16>, %w: tensor<4x2x3x3xf16>, %b: tensor<4xf16>) -> tensor<1x4x3x3xf16> {
  %0 = graph.Conv(%x, %w, %b) {group = 2 : i64} : (tensor<1x4x5x5xf16>, tensor<4x2x3x3xf16>, tensor<4xf16>) -> tensor<1x4x3x3xf16>
  return %0 : tensor<1x4x3x3xf16>
}

// -----

// CHECK-LABEL: func.func @gemm_bf16
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<2x3xbf16>, tensor<3x4xbf16>) outs(%{{.+}} : tensor<2x4xf32>)
// CHECK: arith.truncf %{{.+}} : f32 to bf16
func.func @gemm_bf16(%a: tensor<2x3xbf16>, %b: tensor<3x4xbf16>) -> tensor<2x4xbf16> {
  %n = graph.none
  %0 = graph.Gemm(%a, %b, %n) : (tensor<2x3xbf16>, tensor<3x4xbf16>, none) -> tensor<2x4xbf16>
  return %0 : tensor<2x4xbf16>
}
