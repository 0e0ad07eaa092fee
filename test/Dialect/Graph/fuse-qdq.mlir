// RUN: hcc-opt %s --split-input-file --hcc-fuse-qdq --canonicalize | FileCheck %s

// DQ -> Conv -> Q with a per-channel weight scale and an int32 bias on the
// scale x_scale * w_scale: one QLinearConv on the quantized operands, the
// bias as it is; the DequantizeLinear nodes are gone.
// CHECK-LABEL: func @per_channel
// CHECK-NOT: graph.DequantizeLinear
// CHECK: %[[Y:.+]] = graph.QLinearConv(%arg0, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) {pads = [1, 1, 1, 1]} : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>, tensor<3x2x3x3xi8>, tensor<3xf32>, tensor<3xi8>, tensor<f32>, tensor<ui8>, tensor<3xi32>) -> tensor<1x3x4x4xui8>
// CHECK-NOT: graph.Conv
// CHECK: return %[[Y]]
func.func @per_channel(%xq: tensor<1x2x4x4xui8>) -> tensor<1x3x4x4xui8> {
  %xs = graph.Constant() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %xz = graph.Constant() {value = dense<128> : tensor<ui8>} : () -> tensor<ui8>
  %wq = graph.Constant() {value = dense<3> : tensor<3x2x3x3xi8>} : () -> tensor<3x2x3x3xi8>
  %ws = graph.Constant() {value = dense<[0.25, 0.125, 1.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  %wz = graph.Constant() {value = dense<0> : tensor<3xi8>} : () -> tensor<3xi8>
  %bq = graph.Constant() {value = dense<[10, -20, 30]> : tensor<3xi32>} : () -> tensor<3xi32>
  %bs = graph.Constant() {value = dense<[0.125, 0.0625, 0.5]> : tensor<3xf32>} : () -> tensor<3xf32>
  %n = graph.none
  %ys = graph.Constant() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %yz = graph.Constant() {value = dense<0> : tensor<ui8>} : () -> tensor<ui8>
  %x = graph.DequantizeLinear(%xq, %xs, %xz) : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  %w = graph.DequantizeLinear(%wq, %ws, %wz) {axis = 0 : i64} : (tensor<3x2x3x3xi8>, tensor<3xf32>, tensor<3xi8>) -> tensor<3x2x3x3xf32>
  %b = graph.DequantizeLinear(%bq, %bs, %n) {axis = 0 : i64} : (tensor<3xi32>, tensor<3xf32>, none) -> tensor<3xf32>
  %y = graph.Conv(%x, %w, %b) {pads = [1, 1, 1, 1]} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %yq = graph.QuantizeLinear(%y, %ys, %yz) : (tensor<1x3x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x4xui8>
  return %yq : tensor<1x3x4x4xui8>
}

// -----

// A bias quantized on another scale (a zero bias shared by several convs,
// as ONNX Runtime's quantizer writes) is re-expressed on the accumulator
// scale: 8 * 0.5 / (0.5 * 0.25) = 32. Without zero points, zeros are made.
// CHECK-LABEL: func @bias_rescaled
// CHECK-DAG: %[[B:.+]] = graph.Constant() {value = dense<32> : tensor<1xi32>}
// CHECK-DAG: %[[Z8:.+]] = graph.Constant() {value = dense<0> : tensor<i8>}
// CHECK: graph.QLinearConv(%arg0, %{{.+}}, %[[Z8]], %{{.+}}, %{{.+}}, %[[Z8]], %{{.+}}, %[[Z8]], %[[B]])
func.func @bias_rescaled(%xq: tensor<1x1x2x2xi8>) -> tensor<1x1x2x2xi8> {
  %s = graph.Constant() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %wq = graph.Constant() {value = dense<1> : tensor<1x1x1x1xi8>} : () -> tensor<1x1x1x1xi8>
  %ws = graph.Constant() {value = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %bq = graph.Constant() {value = dense<8> : tensor<1xi32>} : () -> tensor<1xi32>
  %n = graph.none
  %x = graph.DequantizeLinear(%xq, %s, %n) : (tensor<1x1x2x2xi8>, tensor<f32>, none) -> tensor<1x1x2x2xf32>
  %w = graph.DequantizeLinear(%wq, %ws, %n) : (tensor<1x1x1x1xi8>, tensor<f32>, none) -> tensor<1x1x1x1xf32>
  %b = graph.DequantizeLinear(%bq, %s, %n) : (tensor<1xi32>, tensor<f32>, none) -> tensor<1xf32>
  %y = graph.Conv(%x, %w, %b) : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %z = graph.Constant() {value = dense<0> : tensor<i8>} : () -> tensor<i8>
  %yq = graph.QuantizeLinear(%y, %s, %z) : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xi8>
  return %yq : tensor<1x1x2x2xi8>
}

// -----

// Left alone: the Conv's float result is also returned, and (second) the
// input is quantized per channel, which QLinearConv cannot express.
// CHECK-LABEL: func @not_fused
// CHECK-NOT: graph.QLinearConv
// CHECK: graph.Conv
// CHECK: graph.Conv
func.func @not_fused(%xq: tensor<1x2x2x2xui8>) -> (tensor<1x1x2x2xui8>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xui8>) {
  %s = graph.Constant() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %s2 = graph.Constant() {value = dense<[0.5, 0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %z = graph.Constant() {value = dense<0> : tensor<ui8>} : () -> tensor<ui8>
  %z2 = graph.Constant() {value = dense<0> : tensor<2xui8>} : () -> tensor<2xui8>
  %wq = graph.Constant() {value = dense<1> : tensor<1x2x1x1xi8>} : () -> tensor<1x2x1x1xi8>
  %n = graph.none
  %x = graph.DequantizeLinear(%xq, %s, %z) : (tensor<1x2x2x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2x2xf32>
  %w = graph.DequantizeLinear(%wq, %s, %n) : (tensor<1x2x1x1xi8>, tensor<f32>, none) -> tensor<1x2x1x1xf32>
  %y = graph.Conv(%x, %w, %n) : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>, none) -> tensor<1x1x2x2xf32>
  %yq = graph.QuantizeLinear(%y, %s, %z) : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x2x2xui8>
  %x2 = graph.DequantizeLinear(%xq, %s2, %z2) {axis = 1 : i64} : (tensor<1x2x2x2xui8>, tensor<2xf32>, tensor<2xui8>) -> tensor<1x2x2x2xf32>
  %y2 = graph.Conv(%x2, %w, %n) : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>, none) -> tensor<1x1x2x2xf32>
  %yq2 = graph.QuantizeLinear(%y2, %s, %z) : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x2x2xui8>
  return %yq, %y, %yq2 : tensor<1x1x2x2xui8>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xui8>
}

// -----

// A DequantizeLinear of constants left feeding float computation (here a
// Gemm) is folded at compile time, per axis: (q - zp) * scale.
// CHECK-LABEL: func @gemm_weights
// CHECK-NOT:   graph.DequantizeLinear
// CHECK:       graph.Constant() {value = dense<{{\[}}[-1.000000e+00, 2.000000e+00], [4.500000e+00, 0.000000e+00]]> : tensor<2x2xf32>}
// CHECK:       graph.Gemm
func.func @gemm_weights(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %q = graph.Constant() {value = dense<[[-1, 2], [4, 1]]> : tensor<2x2xi8>} : () -> tensor<2x2xi8>
  %s = graph.Constant() {value = dense<[1.0, 1.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %z = graph.Constant() {value = dense<[0, 1]> : tensor<2xi8>} : () -> tensor<2xi8>
  %w = graph.DequantizeLinear(%q, %s, %z) {axis = 0 : i64} : (tensor<2x2xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x2xf32>
  %n = graph.none
  %y = graph.Gemm(%x, %w, %n) : (tensor<1x2xf32>, tensor<2x2xf32>, none) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A per-channel weight scale given with a negative axis (-4 = 0) fuses too.
// CHECK-LABEL: func @negative_axis
// CHECK:       graph.QLinearConv
// CHECK-NOT:   graph.Conv
func.func @negative_axis(%xq: tensor<1x1x2x2xui8>) -> tensor<1x2x2x2xui8> {
  %s = graph.Constant() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = graph.Constant() {value = dense<0> : tensor<ui8>} : () -> tensor<ui8>
  %wq = graph.Constant() {value = dense<1> : tensor<2x1x1x1xi8>} : () -> tensor<2x1x1x1xi8>
  %ws = graph.Constant() {value = dense<[0.25, 0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %n = graph.none
  %x = graph.DequantizeLinear(%xq, %s, %z) : (tensor<1x1x2x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x2x2xf32>
  %w = graph.DequantizeLinear(%wq, %ws, %n) {axis = -4 : i64} : (tensor<2x1x1x1xi8>, tensor<2xf32>, none) -> tensor<2x1x1x1xf32>
  %y = graph.Conv(%x, %w, %n) : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x2x2xf32>
  %yq = graph.QuantizeLinear(%y, %s, %z) : (tensor<1x2x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2x2xui8>
  return %yq : tensor<1x2x2x2xui8>
}
