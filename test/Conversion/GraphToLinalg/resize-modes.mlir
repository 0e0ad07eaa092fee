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
