// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Per-axis uint8: scale and zero point read through (d1); divide, round
// half to even, add the zero point, saturate to [0, 255].
// CHECK-DAG: #[[AXIS:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[AXIS]], #[[AXIS]], #{{.+}}]
// CHECK-SAME: ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<1x3x2xf32>, tensor<3xf32>, tensor<3xi8>)
// CHECK: %[[D:.+]] = arith.divf
// CHECK: %[[Z:.+]] = arith.uitofp %{{.+}} : i8 to f32
// CHECK: %[[R:.+]] = math.roundeven %[[D]]
// CHECK: %[[A:.+]] = arith.addf %[[R]], %[[Z]]
// CHECK: %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[M:.+]] = arith.maximumf %[[A]], %[[LO]]
// CHECK: %[[HI:.+]] = arith.constant 2.550000e+02 : f32
// CHECK: %[[N:.+]] = arith.minimumf %[[M]], %[[HI]]
// CHECK: arith.fptoui %[[N]] : f32 to i8
func.func @quantize_per_axis(%x: tensor<1x3x2xf32>, %s: tensor<3xf32>, %z: tensor<3xui8>) -> tensor<1x3x2xui8> {
  %0 = graph.QuantizeLinear(%x, %s, %z) : (tensor<1x3x2xf32>, tensor<3xf32>, tensor<3xui8>) -> tensor<1x3x2xui8>
  return %0 : tensor<1x3x2xui8>
}

// -----

// Signed int8, per-tensor: saturates to [-128, 127] with fptosi.
// CHECK-LABEL: func.func @quantize_int8
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<4xf32>, tensor<f32>, tensor<i8>)
// CHECK: arith.sitofp %{{.+}} : i8 to f32
// CHECK: %[[LO:.+]] = arith.constant -1.280000e+02 : f32
// CHECK: arith.maximumf %{{.+}}, %[[LO]]
// CHECK: %[[HI:.+]] = arith.constant 1.270000e+02 : f32
// CHECK: arith.minimumf %{{.+}}, %[[HI]]
// CHECK: arith.fptosi %{{.+}} : f32 to i8
func.func @quantize_int8(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<i8>) -> tensor<4xi8> {
  %0 = graph.QuantizeLinear(%x, %s, %z) : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// (x - zero_point) * scale in f32, unsigned conversions for uint8.
// CHECK-LABEL: func.func @dequantize
// CHECK: linalg.generic
// CHECK: %[[X:.+]] = arith.uitofp %{{.+}} : i8 to f32
// CHECK: %[[Z:.+]] = arith.uitofp %{{.+}} : i8 to f32
// CHECK: %[[S:.+]] = arith.subf %[[X]], %[[Z]]
// CHECK: arith.mulf %[[S]], %{{.+}}
func.func @dequantize(%x: tensor<4xui8>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<4xf32> {
  %0 = graph.DequantizeLinear(%x, %s, %z) : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Min and max reductions (widened to include 0), scalar scale and zero
// point, then the quantizing generic; scalars returned as 0-d tensors.
// CHECK-LABEL: func.func @dynamic_quantize
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
// CHECK: arith.minimumf
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]
// CHECK: arith.maximumf
// CHECK: %[[SCALE:.+]] = arith.divf %{{.+}}, %{{.+}} : f32
// CHECK: %[[ZPF:.+]] = math.roundeven
// CHECK: %[[ZP:.+]] = arith.fptoui %[[ZPF]] : f32 to i8
// CHECK: %[[Y:.+]] = linalg.generic
// CHECK: arith.divf %{{.+}}, %[[SCALE]]
// CHECK: %[[ST:.+]] = tensor.from_elements %[[SCALE]] : tensor<f32>
// CHECK: %[[ZT:.+]] = tensor.from_elements %[[ZP]] : tensor<i8>
// CHECK: return %[[Y]], %[[ST]], %[[ZT]]
func.func @dynamic_quantize(%x: tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>) {
  %y, %s, %z = graph.DynamicQuantizeLinear(%x) : (tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>)
  return %y, %s, %z : tensor<3x4xui8>, tensor<f32>, tensor<ui8>
}
