// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file --verify-diagnostics | FileCheck %s

// Nearest with runtime scales: the scales are read before the generic, the
// N and C dims (size 1) are read directly; half_pixel + round_prefer_floor
// is ceil(x - 0.5), clamped.
// CHECK-LABEL: func.func @resize_nearest_scales
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x2x2xf32>, %[[S:.+]]: tensor<4xf32>)
// CHECK: tensor.extract %[[S]][%{{.+}}] : tensor<4xf32>
// CHECK: tensor.extract %[[S]][%{{.+}}] : tensor<4xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%{{.+}} : tensor<1x1x4x6xf32>)
// CHECK: %[[N:.+]] = linalg.index 0
// CHECK: %[[C:.+]] = linalg.index 1
// CHECK: math.ceil
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: math.ceil
// CHECK: %[[V:.+]] = tensor.extract %[[X]][%[[N]], %[[C]], %{{.+}}, %{{.+}}] : tensor<1x1x2x2xf32>
// CHECK-NEXT: linalg.yield %[[V]]
func.func @resize_nearest_scales(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>) -> tensor<1x1x4x6xf32> {
  %n = graph.none
  %0 = graph.Resize(%x, %n, %s, %n) {mode = #graph.resize_mode<nearest>} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x6xf32>
  return %0 : tensor<1x1x4x6xf32>
}

// -----

// Linear with sizes: scale = out / in at compile time, 2 x 2 taps,
// weights in f64.
// CHECK-LABEL: func.func @resize_linear_sizes
// CHECK: linalg.generic
// CHECK-COUNT-4: tensor.extract %{{.+}} : tensor<1x1x4x4xf32>
// CHECK: arith.truncf %{{.+}} : f64 to f32
func.func @resize_linear_sizes(%x: tensor<1x1x4x4xf32>, %sz: tensor<4xi64>) -> tensor<1x1x3x2xf32> {
  %n = graph.none
  %0 = graph.Resize(%x, %n, %n, %sz) {mode = #graph.resize_mode<linear>, coordinate_transformation_mode = #graph.coord_transform_mode<align_corners>} : (tensor<1x1x4x4xf32>, none, none, tensor<4xi64>) -> tensor<1x1x3x2xf32>
  return %0 : tensor<1x1x3x2xf32>
}

// -----

// Cubic with constant scales and exclude_outside: 4 x 4 taps, weights
// renormalised.
// CHECK-LABEL: func.func @resize_cubic_exclude
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK-COUNT-16: tensor.extract %{{.+}} : tensor<1x1x4x4xf32>
// CHECK: linalg.yield
func.func @resize_cubic_exclude(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x8x8xf32> {
  %n = graph.none
  %s = graph.Constant() {value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>} : () -> tensor<4xf32>
  %0 = graph.Resize(%x, %n, %s, %n) {mode = #graph.resize_mode<cubic>, cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = 1 : i64} : (tensor<1x1x4x4xf32>, none, tensor<4xf32>, none) -> tensor<1x1x8x8xf32>
  return %0 : tensor<1x1x8x8xf32>
}

// -----

// tf_crop_and_resize reads the runtime roi and selects the extrapolation
// value outside the input.
// CHECK-LABEL: func.func @resize_crop
// CHECK-SAME: %[[ROI:[a-z0-9]+]]: tensor<8xf32>
// CHECK-COUNT-4: tensor.extract %[[ROI]]
// CHECK: linalg.generic
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf ogt
// CHECK: %[[E:.+]] = arith.constant 1.000000e+01 : f32
// CHECK: arith.select %{{.+}}, %[[E]], %{{.+}} : f32
func.func @resize_crop(%x: tensor<1x1x4x4xf32>, %roi: tensor<8xf32>, %sz: tensor<4xi64>) -> tensor<1x1x3x3xf32> {
  %n = graph.none
  %0 = graph.Resize(%x, %roi, %n, %sz) {mode = #graph.resize_mode<linear>, coordinate_transformation_mode = #graph.coord_transform_mode<tf_crop_and_resize>, extrapolation_value = 1.000000e+01 : f32} : (tensor<1x1x4x4xf32>, tensor<8xf32>, none, tensor<4xi64>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// Upsample: asymmetric coordinates, floor; any element type.
// CHECK-LABEL: func.func @upsample_nearest
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK: math.floor
// CHECK: tensor.extract %{{.+}} : tensor<1x1x2x2xi32>
func.func @upsample_nearest(%x: tensor<1x1x2x2xi32>, %s: tensor<4xf32>) -> tensor<1x1x4x6xi32> {
  %0 = graph.Upsample(%x, %s) {mode = #graph.resize_mode<nearest>} : (tensor<1x1x2x2xi32>, tensor<4xf32>) -> tensor<1x1x4x6xi32>
  return %0 : tensor<1x1x4x6xi32>
}

// -----

func.func @resize_linear_int(%x: tensor<1x1x2x2xi32>, %s: tensor<4xf32>) -> tensor<1x1x4x4xi32> {
  %n = graph.none
  // expected-error @+1 {{graph.Resize cannot be lowered to linalg: linear and cubic modes need a float element type}}
  %0 = graph.Resize(%x, %n, %s, %n) {mode = #graph.resize_mode<linear>} : (tensor<1x1x2x2xi32>, none, tensor<4xf32>, none) -> tensor<1x1x4x4xi32>
  return %0 : tensor<1x1x4x4xi32>
}
