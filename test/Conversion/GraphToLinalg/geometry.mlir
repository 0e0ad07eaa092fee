// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Crop axis 1 (6 -> 4 from offset 1), pad axis 2 (7 -> 10: 1 before, 2
// after).
// CHECK-LABEL: func.func @center_crop_pad
// CHECK: tensor.extract_slice %{{.+}}[0, 1, 0] [2, 4, 7] [1, 1, 1]
// CHECK: tensor.pad %{{.+}} low[0, 0, 1] high[0, 0, 2]
func.func @center_crop_pad(%x: tensor<2x6x7xf32>) -> tensor<2x4x10xf32> {
  %s = graph.Constant() {value = dense<[4, 10]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = graph.CenterCropPad(%x, %s) {axes = [1, 2]} : (tensor<2x6x7xf32>, tensor<2xi64>) -> tensor<2x4x10xf32>
  return %0 : tensor<2x4x10xf32>
}

// -----

// One generic: theta[n, j, 0] * x(w) + theta[n, j, 1] * y(h) + theta[n, j, 2].
// CHECK: #[[T0:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, 0)>
// CHECK: #[[T1:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, 1)>
// CHECK: #[[T2:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, 2)>
// CHECK-LABEL: func.func @affine_grid
// CHECK: linalg.generic {indexing_maps = [#[[T0]], #[[T1]], #[[T2]], #{{.+}}]
// CHECK: linalg.index 2
// CHECK: math.fma
// CHECK: linalg.index 1
// CHECK: math.fma
func.func @affine_grid(%t: tensor<2x2x3xf32>) -> tensor<2x5x6x2xf32> {
  %s = graph.Constant() {value = dense<[2, 3, 5, 6]> : tensor<4xi64>} : () -> tensor<4xi64>
  %0 = graph.AffineGrid(%t, %s) {align_corners = 1 : i64} : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<2x5x6x2xf32>
  return %0 : tensor<2x5x6x2xf32>
}

// -----

// Nine block offsets, each adding a strided 3x3 window of the padded image.
// CHECK-LABEL: func.func @col2im
// CHECK: tensor.expand_shape
// CHECK: linalg.fill
// CHECK: scf.for %[[K:.+]] = %c0 to %c9
// CHECK: tensor.extract_slice %{{.+}}[0, 0, %[[K]], 0, 0] [1, 2, 1, 3, 3]
// CHECK: %[[W:.+]] = tensor.extract_slice %{{.+}} [1, 2, 3, 3] [1, 1, 2, 2]
// CHECK: arith.addf
// CHECK: tensor.insert_slice
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 1, 1] [1, 2, 5, 5] [1, 1, 1, 1]
func.func @col2im(%c: tensor<1x18x9xf32>) -> tensor<1x2x5x5xf32> {
  %img = graph.Constant() {value = dense<[5, 5]> : tensor<2xi64>} : () -> tensor<2xi64>
  %blk = graph.Constant() {value = dense<[3, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = graph.Col2Im(%c, %img, %blk) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x18x9xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}
