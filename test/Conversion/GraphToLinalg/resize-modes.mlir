// RUN: hcc-opt %s --convert-graph-to-linalg | FileCheck %s

// tf_half_pixel_for_nn: source coordinate (x + 0.5) / scale (no - 0.5;
// the subf after it is round_prefer_floor's ceil(x - 0.5)).
// CHECK-LABEL: func.func @resize_tf_half_pixel_for_nn
// CHECK: linalg.generic
// CHECK: linalg.index 2
// CHECK: %[[A:.+]] = arith.addf
// CHECK-NEXT: %[[D:.+]] = arith.divf %[[A]]
// CHECK: %[[S:.+]] = arith.subf %[[D]]
// CHECK-NEXT: math.ceil %[[S]]
func.func @resize_tf_half_pixel_for_nn(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x2xf32> {
  %n = graph.none
  %s = graph.Constant() {value = dense<[1, 1, 3, 2]> : tensor<4xi64>} : () -> tensor<4xi64>
  %0 = graph.Resize(%x, %n, %n, %s) {mode = #graph.resize_mode<nearest>, coordinate_transformation_mode = #graph.coord_transform_mode<tf_half_pixel_for_nn>} : (tensor<1x1x4x4xf32>, none, none, tensor<4xi64>) -> tensor<1x1x3x2xf32>
  return %0 : tensor<1x1x3x2xf32>
}

// Resize-18 axes: scales lists axes 3 and 2 only; dimension 2 reads the
// second entry (the run-time scales tensor at index 1), dimension 3 the
// first; dimensions 0 and 1 are copied (no extract).
// CHECK-LABEL: func.func @resize_axes
// CHECK: %[[C1:.+]] = arith.constant 1 : index
// CHECK: tensor.extract %{{.+}}[%[[C1]]] : tensor<2xf32>
// CHECK: %[[C0:.+]] = arith.constant 0 : index
// CHECK: tensor.extract %{{.+}}[%[[C0]]] : tensor<2xf32>
// CHECK-NOT: tensor.extract %{{.+}} : tensor<2xf32>
// CHECK: linalg.generic
func.func @resize_axes(%x: tensor<1x2x4x4xf32>, %s: tensor<2xf32>) -> tensor<1x2x8x12xf32> {
  %n = graph.none
  %0 = graph.Resize(%x, %n, %s, %n) {axes = [3, 2], mode = #graph.resize_mode<nearest>} : (tensor<1x2x4x4xf32>, none, tensor<2xf32>, none) -> tensor<1x2x8x12xf32>
  return %0 : tensor<1x2x8x12xf32>
}

// antialias: linear downsampling by 0.5 doubles the support, 4 taps per
// axis, 16 weighted reads, normalised by the sum of the weights.
// CHECK-LABEL: func.func @resize_antialias
// CHECK: linalg.generic
// CHECK-COUNT-4: math.absf
// CHECK-COUNT-16: tensor.extract %arg0
func.func @resize_antialias(%x: tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32> {
  %n = graph.none
  %s = graph.Constant() {value = dense<[1, 1, 4, 4]> : tensor<4xi64>} : () -> tensor<4xi64>
  %0 = graph.Resize(%x, %n, %n, %s) {antialias = 1 : i64, mode = #graph.resize_mode<linear>} : (tensor<1x1x8x8xf32>, none, none, tensor<4xi64>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// keep_aspect_ratio_policy not_larger: sizes [7, 8] of a 4x4 input give
// one scale, 7 / 4 = 1.75, for both axes (output 7x7).
// CHECK-LABEL: func.func @resize_not_larger
// CHECK: arith.constant 1.750000e+00 : f64
// CHECK-NOT: arith.constant 2.000000e+00 : f64
func.func @resize_not_larger(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x7x7xf32> {
  %n = graph.none
  %s = graph.Constant() {value = dense<[7, 8]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = graph.Resize(%x, %n, %n, %s) {axes = [2, 3], keep_aspect_ratio_policy = "not_larger", mode = #graph.resize_mode<nearest>} : (tensor<1x1x4x4xf32>, none, none, tensor<2xi64>) -> tensor<1x1x7x7xf32>
  return %0 : tensor<1x1x7x7xf32>
}
