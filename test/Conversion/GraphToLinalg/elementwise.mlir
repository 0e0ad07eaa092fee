// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// Broadcasting: the rank-1 operand reads (d1); the #graph.dims encoding is
// stripped from the signature.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK: arith.addf
// CHECK: return %[[R]]
func.func @add_broadcast(%a: tensor<2x3xf32, #graph.dims<["N", ""]>>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.Add(%a, %b) : (tensor<2x3xf32, #graph.dims<["N", ""]>>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Size-1 dims read index 0.
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @mul_size1
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[COL]], #{{.+}}]
// CHECK: arith.mulf
func.func @mul_size1(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x3xf32> {
  %0 = graph.Mul(%a, %b) : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Relu and Clip bound x as `x < bound ? bound : x` (NaN kept; one vmaxps).
// CHECK-LABEL: func.func @relu
// CHECK: ^bb0(%[[IN:[^:]+]]: f32, %{{.+}}: f32):
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[LT:.+]] = arith.cmpf olt, %[[IN]], %[[ZERO]] : f32
// CHECK: arith.select %[[LT]], %[[ZERO]], %[[IN]] : f32
func.func @relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.Relu(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Clip with an absent min: only the max bound is applied.
// CHECK-LABEL: func.func @clip_max_only
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>, %[[MAX:.+]]: tensor<f32>)
// CHECK-NOT: graph.none
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[MAX]] : tensor<4xf32>, tensor<f32>)
// CHECK: ^bb0(%[[IN:[^:]+]]: f32, %[[HI:[^:]+]]: f32, %{{.+}}: f32):
// CHECK-NOT: arith.cmpf olt
// CHECK: %[[GT:.+]] = arith.cmpf ogt, %[[IN]], %[[HI]] : f32
// CHECK: arith.select %[[GT]], %[[HI]], %[[IN]] : f32
func.func @clip_max_only(%x: tensor<4xf32>, %max: tensor<f32>) -> tensor<4xf32> {
  %n = graph.none
  %0 = graph.Clip(%x, %n, %max) : (tensor<4xf32>, none, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Integer Div truncates (divsi); unsigned types become signless (divui).
// CHECK-LABEL: func.func @int_div
// CHECK-SAME: tensor<4xi8>
// CHECK: arith.divsi
// CHECK: arith.divui
func.func @int_div(%a: tensor<4xi32>, %b: tensor<4xi32>, %c: tensor<4xui8>) -> (tensor<4xi32>, tensor<4xui8>) {
  %0 = graph.Div(%a, %b) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = graph.Div(%c, %c) : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0, %1 : tensor<4xi32>, tensor<4xui8>
}

// -----

// CHECK-LABEL: func.func @cast
// CHECK: arith.fptosi %{{.+}} : f32 to i64
// CHECK: arith.cmpf une
// CHECK: arith.uitofp %{{.+}} : i8 to f32
func.func @cast(%x: tensor<4xf32>, %u: tensor<4xui8>) -> (tensor<4xi64>, tensor<4xi1>, tensor<4xf32>) {
  %0 = graph.Cast(%x) {to = 7 : i64} : (tensor<4xf32>) -> tensor<4xi64>
  %1 = graph.Cast(%x) {to = 9 : i64} : (tensor<4xf32>) -> tensor<4xi1>
  %2 = graph.Cast(%u) {to = 1 : i64} : (tensor<4xui8>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xi64>, tensor<4xi1>, tensor<4xf32>
}

// -----

// Variadic Max and a comparison producing i1.
// CHECK-LABEL: func.func @variadic_and_compare
// CHECK: linalg.generic {{.*}} ins(%{{.+}}, %{{.+}}, %{{.+}} :
// CHECK-COUNT-2: arith.maximumf
// CHECK: arith.cmpi slt
// CHECK: -> tensor<2x3xi1>
func.func @variadic_and_compare(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<1xf32>, %i: tensor<2x3xi64>, %j: tensor<i64>) -> (tensor<2x3xf32>, tensor<2x3xi1>) {
  %0 = graph.Max(%a, %b, %c) : (tensor<2x3xf32>, tensor<3xf32>, tensor<1xf32>) -> tensor<2x3xf32>
  %1 = graph.Less(%i, %j) : (tensor<2x3xi64>, tensor<i64>) -> tensor<2x3xi1>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xi1>
}

// -----

// CHECK-LABEL: func.func @where
// CHECK: arith.select
func.func @where(%c: tensor<2x3xi1>, %a: tensor<3xf32>, %b: tensor<2x1xf32>) -> tensor<2x3xf32> {
  %0 = graph.Where(%c, %a, %b) : (tensor<2x3xi1>, tensor<3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Sigmoid caps exp's argument at 88 (NaN passes the select) so that the
// division by a finite denominator may use a reciprocal.
// CHECK-LABEL: func.func @sigmoid_tanh_erf
// CHECK: %[[NEG:.*]] = arith.negf
// CHECK: %[[BIG:.*]] = arith.cmpf ogt, %[[NEG]], %{{.*}} : f32
// CHECK: %[[CAP:.*]] = arith.select %[[BIG]], %{{.*}}, %[[NEG]] : f32
// CHECK: math.exp %[[CAP]]
// CHECK: arith.divf {{.*}} fastmath<ninf,arcp>
// CHECK: math.tanh
// CHECK: math.erf
func.func @sigmoid_tanh_erf(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = graph.Sigmoid(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = graph.Tanh(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = graph.Erf(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Python-style integer Mod: the remainder is fixed up to the divisor's sign.
// CHECK-LABEL: func.func @mod
// CHECK: arith.remsi
// CHECK: arith.select
// CHECK: arith.remf
func.func @mod(%a: tensor<4xi32>, %b: tensor<4xi32>, %x: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xf32>) {
  %0 = graph.Mod(%a, %b) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = graph.Mod(%x, %x) {fmod = 1 : i64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xi32>, tensor<4xf32>
}

// -----

// BitCast: same-width reinterpretation; a bool becomes its byte.
// CHECK-LABEL: func.func @bitcast
// CHECK: arith.bitcast %{{.+}} : f32 to i32
// CHECK: arith.extui %{{.+}} : i1 to i8
func.func @bitcast(%x: tensor<4xf32>, %b: tensor<4xi1>) -> (tensor<4xi32>, tensor<4xui8>) {
  %0 = graph.BitCast(%x) {to = 6 : i64} : (tensor<4xf32>) -> tensor<4xi32>
  %1 = graph.BitCast(%b) {to = 2 : i64} : (tensor<4xi1>) -> tensor<4xui8>
  return %0, %1 : tensor<4xi32>, tensor<4xui8>
}
