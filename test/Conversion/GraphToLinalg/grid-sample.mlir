// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Bilinear with zeros padding: grid component 1 (y) drives dimension 2,
// component 0 (x) dimension 3; 2 x 2 taps, each masked when outside.
// CHECK-DAG: #[[GX:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, 0)>
// CHECK-DAG: #[[GY:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, 1)>
// CHECK-LABEL: func.func @bilinear_zeros
// CHECK: linalg.generic {indexing_maps = [#[[GX]], #[[GY]], #{{.+}}]
// CHECK: ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: f32):
// CHECK: arith.addf %[[Y]]
// CHECK: math.floor
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK: arith.select
func.func @bilinear_zeros(%x: tensor<1x2x4x5xf32>, %g: tensor<1x3x6x2xf32>) -> tensor<1x2x3x6xf32> {
  %0 = graph.GridSample(%x, %g) : (tensor<1x2x4x5xf32>, tensor<1x3x6x2xf32>) -> tensor<1x2x3x6xf32>
  return %0 : tensor<1x2x3x6xf32>
}

// -----

// 3-D bicubic with reflection: 4 x 4 x 4 taps.
// CHECK-LABEL: func.func @cubic_reflection_3d
// CHECK-COUNT-64: tensor.extract %arg0
func.func @cubic_reflection_3d(%x: tensor<1x1x3x4x5xf32>, %g: tensor<1x2x2x2x3xf32>) -> tensor<1x1x2x2x2xf32> {
  %0 = graph.GridSample(%x, %g) {mode = #graph.grid_sample_mode<cubic>, padding_mode = #graph.grid_sample_padding_mode<reflection>, align_corners = 1 : i64} : (tensor<1x1x3x4x5xf32>, tensor<1x2x2x2x3xf32>) -> tensor<1x1x2x2x2xf32>
  return %0 : tensor<1x1x2x2x2xf32>
}

// -----

// Nearest rounds half to even and clamps for border padding: one tap.
// CHECK-LABEL: func.func @nearest_border
// CHECK: math.roundeven
// CHECK: arith.minimumf
// CHECK-COUNT-1: tensor.extract %arg0
// CHECK-NOT: tensor.extract %arg0
func.func @nearest_border(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %0 = graph.GridSample(%x, %g) {mode = #graph.grid_sample_mode<nearest>, padding_mode = #graph.grid_sample_padding_mode<border>} : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// RoiAlign with sampling_ratio 0: the per-bin sample grid is
// ceil(region / output) at run time, two nested scf.for in the body; the
// batch index is clamped into range.
// CHECK-LABEL: func.func @roi_align
// CHECK: linalg.generic
// CHECK: math.ceil
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract %arg0
func.func @roi_align(%x: tensor<1x2x10x10xf32>, %r: tensor<3x4xf32>, %b: tensor<3xi64>) -> tensor<3x2x5x5xf32> {
  %0 = graph.RoiAlign(%x, %r, %b) {output_height = 5 : i64, output_width = 5 : i64, spatial_scale = 1.0 : f32} : (tensor<1x2x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x5x5xf32>
  return %0 : tensor<3x2x5x5xf32>
}
