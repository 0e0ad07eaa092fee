// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file --verify-diagnostics | FileCheck %s

// One generic over the grouped output: reduction over input channels and
// kernel taps, input index solved from o + padLow - k * dilation and guarded
// by stride divisibility and bounds.
// CHECK-DAG: #[[WMAP:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d5, d2, d6, d7)>
// CHECK-DAG: #[[OMAP:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @convtranspose_strides_pads
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x3x3xf32>, %[[W:.+]]: tensor<1x2x3x3xf32>)
// CHECK: %[[GW:.+]] = tensor.expand_shape %[[W]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 1, 2, 3, 3]
// CHECK: %[[ACC:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 1, 2, 7, 3]
// CHECK: %[[G:.+]] = linalg.generic {indexing_maps = [#[[WMAP]], #[[OMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[GW]] : tensor<1x1x2x3x3xf32>) outs(%[[ACC]] : tensor<1x1x2x7x3xf32>)
// CHECK: arith.divsi
// CHECK: arith.remsi
// CHECK: tensor.extract %[[X]]
// CHECK: arith.select
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x1x2x7x3xf32> into tensor<1x2x7x3xf32>
func.func @convtranspose_strides_pads(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x7x3xf32> {
  %n = graph.none
  %0 = graph.ConvTranspose(%x, %w, %n) {pads = [1, 2, 1, 2], strides = [3, 2]} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x7x3xf32>
  return %0 : tensor<1x2x7x3xf32>
}

// -----

// Groups: W [C, M/G, k...] viewed as [G, C/G, M/G, k...]; the bias
// initialises the accumulator.
// CHECK-LABEL: func.func @convtranspose_group_bias
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 2, 3, 2, 2]
// CHECK: linalg.generic {{.*}} ins(%{{.+}} : tensor<6xf32>) outs(%{{.+}} : tensor<1x6x4x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.+}} : tensor<2x2x3x2x2xf32>) outs(%{{.+}} : tensor<1x2x3x4x4xf32>)
func.func @convtranspose_group_bias(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x2x2xf32>, %b: tensor<6xf32>) -> tensor<1x6x4x4xf32> {
  %0 = graph.ConvTranspose(%x, %w, %b) {group = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x3x2x2xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----

func.func @convtranspose_dynamic(%x: tensor<1x1x?xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x?xf32> {
  %n = graph.none
  // expected-error @+1 {{graph.ConvTranspose cannot be lowered to linalg: operands and result must be static tensors of rank >= 3}}
  %0 = graph.ConvTranspose(%x, %w, %n) : (tensor<1x1x?xf32>, tensor<1x1x3xf32>, none) -> tensor<1x1x?xf32>
  return %0 : tensor<1x1x?xf32>
}
