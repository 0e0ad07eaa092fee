// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file --verify-diagnostics | FileCheck %s

// The 8-, 4- and 2-bit types are stored one per byte: the signature and
// the tensors in between are i8.
// CHECK-LABEL: func.func @f8_round_trip
// CHECK-SAME: (%{{.+}}: tensor<4xf32>) -> (tensor<4xi8>, tensor<4xf32>)
// Encoding rounds the f32 bits to 3 mantissa bits (ties to even) ...
// CHECK: arith.bitcast %{{.+}} : f32 to i32
// CHECK: math.roundeven
// CHECK: arith.shrui
// CHECK: arith.trunci %{{.+}} : i32 to i8
// ... and decoding looks the code up in a table of its 256 values.
// CHECK: arith.constant dense<{{.+}}> : tensor<256xf32>
// CHECK: tensor.extract
func.func @f8_round_trip(%x: tensor<4xf32>) -> (tensor<4xf8E4M3FN>, tensor<4xf32>) {
  %0 = graph.Cast(%x) {to = 17 : i64} : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  %1 = graph.Cast(%0) {to = 1 : i64} : (tensor<4xf8E4M3FN>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf8E4M3FN>, tensor<4xf32>
}

// -----

// int4: floats go through a signed i32, then wrap to the low 4 bits,
// sign-extended into the byte (shift left 4, arithmetic shift right 4).
// CHECK-LABEL: func.func @int4_cast
// CHECK: arith.fptosi %{{.+}} : f32 to i32
// CHECK: arith.trunci %{{.+}} : i32 to i8
// CHECK: %[[S:.+]] = arith.constant 4 : i8
// CHECK: %[[L:.+]] = arith.shli %{{.+}}, %[[S]] : i8
// CHECK: arith.shrsi %[[L]], %[[S]] : i8
func.func @int4_cast(%x: tensor<4xf32>) -> tensor<4xi4> {
  %0 = graph.Cast(%x) {to = 22 : i64} : (tensor<4xf32>) -> tensor<4xi4>
  return %0 : tensor<4xi4>
}

// -----

// uint2 wraps with a logical shift.
// CHECK-LABEL: func.func @uint2_cast
// CHECK: arith.shrui %{{.+}}, %{{.+}} : i8
func.func @uint2_cast(%x: tensor<4xi32>) -> tensor<4xui2> {
  %0 = graph.Cast(%x) {to = 25 : i64} : (tensor<4xi32>) -> tensor<4xui2>
  return %0 : tensor<4xui2>
}

// -----

// An int4 constant becomes its sign-extended bytes.
// CHECK-LABEL: func.func @int4_constant
// CHECK: arith.constant dense<[-8, 7, -1, 0]> : tensor<4xi8>
func.func @int4_constant() -> tensor<4xi4> {
  %0 = graph.Constant() {value = dense<[-8, 7, -1, 0]> : tensor<4xi4>} : () -> tensor<4xi4>
  return %0 : tensor<4xi4>
}

// -----

// QuantizeLinear to int4 saturates to [-8, 7]; the in-range value converts
// straight to its byte.
// CHECK-LABEL: func.func @quantize_int4
// CHECK: math.roundeven
// CHECK: arith.constant -8.000000e+00 : f32
// CHECK: arith.constant 7.000000e+00 : f32
// CHECK: arith.fptosi %{{.+}} : f32 to i8
func.func @quantize_int4(%x: tensor<6xf32>, %s: tensor<f32>, %z: tensor<i4>) -> tensor<6xi4> {
  %0 = graph.QuantizeLinear(%x, %s, %z) : (tensor<6xf32>, tensor<f32>, tensor<i4>) -> tensor<6xi4>
  return %0 : tensor<6xi4>
}

// -----

// Blocked quantization reads the scale at (d0, d1 floordiv 2).
// CHECK-DAG: #[[BLOCK:.+]] = affine_map<(d0, d1) -> (d0, d1 floordiv 2)>
// CHECK-LABEL: func.func @dequantize_blocked
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[BLOCK]], #[[BLOCK]], #{{.+}}]
func.func @dequantize_blocked(%x: tensor<2x4xi8>, %s: tensor<2x2xf32>, %z: tensor<2x2xi8>) -> tensor<2x4xf32> {
  %0 = graph.DequantizeLinear(%x, %s, %z) {block_size = 2 : i64, axis = 1 : i64} : (tensor<2x4xi8>, tensor<2x2xf32>, tensor<2x2xi8>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Computing on a narrow type would compute on its byte: rejected.
func.func @isnan_f8(%x: tensor<4xf8E5M2>) -> tensor<4xi1> {
  // expected-error @+1 {{graph.IsNaN on 'f8E5M2' values is not supported: hcc converts, quantizes and moves 8-, 4- and 2-bit types but computes in wider ones}}
  %0 = graph.IsNaN(%x) : (tensor<4xf8E5M2>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
