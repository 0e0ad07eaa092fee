// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Explicit pads become tensor.pad, the bias initialises the accumulator.
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv_bias_pads_strides
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: } : tensor<1x3x8x8xf32> to tensor<1x3x10x10xf32>
// CHECK: %[[INIT:.+]] = linalg.generic {indexing_maps = [#[[CH]], #{{.+}}]{{.*}} ins(%[[B]] : tensor<4xf32>)
// CHECK: %[[R:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%[[P]], %[[W]] : tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) outs(%[[INIT]] : tensor<1x4x4x4xf32>)
// CHECK: return %[[R]]
func.func @conv_bias_pads_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = graph.Conv(%x, %w, %b) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Depthwise with auto_pad SAME_UPPER.
// CHECK-LABEL: func.func @conv_depthwise
// CHECK: %[[P:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[F:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%[[P]], %[[F]] : tensor<1x4x7x7xf32>, tensor<4x3x3xf32>)
func.func @conv_depthwise(%x: tensor<1x4x5x5xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x5x5xf32> {
  %n = graph.none
  %0 = graph.Conv(%x, %w, %n) {group = 4 : i64, auto_pad = #graph.auto_pad<SAME_UPPER>} : (tensor<1x4x5x5xf32>, tensor<4x1x3x3xf32>, none) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// -----

// CHECK-LABEL: func.func @conv_grouped
// CHECK-DAG: tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5]
// CHECK-DAG: tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: %[[G:.+]] = linalg.conv_2d_ngchw_gfchw
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x3x3xf32> into tensor<1x6x3x3xf32>
func.func @conv_grouped(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %n = graph.none
  %0 = graph.Conv(%x, %w, %n) {group = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>, none) -> tensor<1x6x3x3xf32>
  return %0 : tensor<1x6x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @conv_1d_dilated
// CHECK: linalg.conv_1d_ncw_fcw {dilations = dense<2> : vector<1xi64>, strides = dense<1> : vector<1xi64>}
func.func @conv_1d_dilated(%x: tensor<1x2x10xf32>, %w: tensor<3x2x3xf32>) -> tensor<1x3x6xf32> {
  %n = graph.none
  %0 = graph.Conv(%x, %w, %n) {dilations = [2]} : (tensor<1x2x10xf32>, tensor<3x2x3xf32>, none) -> tensor<1x3x6xf32>
  return %0 : tensor<1x3x6xf32>
}

// -----

// Grouped 1-D: a generic over (n, g, m, o, c, k).
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 + d5)>
// CHECK-DAG: #[[FL:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d4, d5)>
// CHECK-LABEL: func.func @conv_1d_grouped
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[FL]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @conv_1d_grouped(%x: tensor<1x4x10xf32>, %w: tensor<4x2x3xf32>) -> tensor<1x4x8xf32> {
  %n = graph.none
  %0 = graph.Conv(%x, %w, %n) {group = 2 : i64} : (tensor<1x4x10xf32>, tensor<4x2x3xf32>, none) -> tensor<1x4x8xf32>
  return %0 : tensor<1x4x8xf32>
}

// -----

// CHECK-LABEL: func.func @conv_3d
// CHECK: linalg.conv_3d_ncdhw_fcdhw
func.func @conv_3d(%x: tensor<1x1x4x4x4xf32>, %w: tensor<2x1x3x3x3xf32>) -> tensor<1x2x2x2x2xf32> {
  %n = graph.none
  %0 = graph.Conv(%x, %w, %n) : (tensor<1x1x4x4x4xf32>, tensor<2x1x3x3x3xf32>, none) -> tensor<1x2x2x2x2xf32>
  return %0 : tensor<1x2x2x2x2xf32>
}
