// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// ceil_mode grows the high pad so the last window fits; -inf padding.
// CHECK-LABEL: func.func @maxpool_ceil
// CHECK: %[[NEG:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[P:.+]] = tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEG]]
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[NEG]] : f32)
// CHECK: %[[K:.+]] = tensor.empty() : tensor<2x2xf32>
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%[[P]], %[[K]] : tensor<1x1x6x6xf32>, tensor<2x2xf32>) outs(%[[INIT]] : tensor<1x1x3x3xf32>)
func.func @maxpool_ceil(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %y, %i = graph.MaxPool(%x) {kernel_shape = [2, 2], strides = [2, 2], ceil_mode = 1 : i64} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x3x3xf32>, none)
  return %y : tensor<1x1x3x3xf32>
}

// -----

// count_include_pad = 0: per-position counts computed at compile time.
// CHECK-DAG: #[[SP:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @avgpool_exclude_pad
// CHECK: %[[S:.+]] = linalg.pooling_nchw_sum
// CHECK: %[[C:.+]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[SP]], #{{.+}}]{{.*}} ins(%[[S]], %[[C]] :
// CHECK: arith.divf
func.func @avgpool_exclude_pad(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %0 = graph.AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// count_include_pad = 1: a uniform divisor.
// CHECK-LABEL: func.func @avgpool_include_pad
// CHECK: linalg.pooling_nchw_sum
// CHECK: arith.constant 9.000000e+00 : f32
// CHECK: arith.divf
func.func @avgpool_include_pad(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %0 = graph.AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], count_include_pad = 1 : i64} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @global_avg
// CHECK: %[[R:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]{{.*}} outs(%{{.+}} : tensor<2x3xf32>)
// CHECK: %[[D:.+]] = linalg.generic {{.*}} ins(%[[R]] : tensor<2x3xf32>)
// CHECK: arith.constant 2.000000e+01 : f32
// CHECK: tensor.expand_shape %[[D]] {{\[}}[0], [1, 2, 3]] output_shape [2, 3, 1, 1]
func.func @global_avg(%x: tensor<2x3x4x5xf32>) -> tensor<2x3x1x1xf32> {
  %0 = graph.GlobalAveragePool(%x) : (tensor<2x3x4x5xf32>) -> tensor<2x3x1x1xf32>
  return %0 : tensor<2x3x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @global_max
// CHECK: arith.maximumf
func.func @global_max(%x: tensor<2x3x4x5xf32>) -> tensor<2x3x1x1xf32> {
  %0 = graph.GlobalMaxPool(%x) : (tensor<2x3x4x5xf32>) -> tensor<2x3x1x1xf32>
  return %0 : tensor<2x3x1x1xf32>
}

// -----

// 3-D pools have no NCDHW named op: a generic with a shape-only kernel.
// CHECK-DAG: #[[WIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2 * 2 + d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-LABEL: func.func @maxpool_3d
// CHECK: linalg.generic {indexing_maps = [#[[WIN]], {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
func.func @maxpool_3d(%x: tensor<1x1x4x4x4xf32>) -> tensor<1x1x2x2x2xf32> {
  %y, %i = graph.MaxPool(%x) {kernel_shape = [2, 2, 2], strides = [2, 2, 2]} : (tensor<1x1x4x4x4xf32>) -> (tensor<1x1x2x2x2xf32>, none)
  return %y : tensor<1x1x2x2x2xf32>
}

// -----

// LpPool p = 2: squares, a zero-padded sum pool, then the square root.
// CHECK-LABEL: func.func @lppool
// CHECK: arith.mulf
// CHECK: tensor.pad
// CHECK: linalg.pooling_nchw_sum
// CHECK: math.sqrt
func.func @lppool(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32> {
  %0 = graph.LpPool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]} : (tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}

// -----

// GlobalLpPool p = 3: |x|^3 summed over the spatial dims, then ^(1/3).
// CHECK-LABEL: func.func @global_lppool
// CHECK: math.absf
// CHECK: math.powf
// CHECK: linalg.generic
// CHECK-SAME: "reduction", "reduction"
// CHECK: math.powf
func.func @global_lppool(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x1x1xf32> {
  %0 = graph.GlobalLpPool(%x) {p = 3 : i64} : (tensor<1x2x5x5xf32>) -> tensor<1x2x1x1xf32>
  return %0 : tensor<1x2x1x1xf32>
}
