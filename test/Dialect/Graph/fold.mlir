// RUN: hcc-opt %s --split-input-file --canonicalize | FileCheck %s

// Shape arithmetic as ONNX exporters write it collapses to one constant.
// CHECK-LABEL: func @shape_chain
// CHECK-DAG: %[[SHAPE:.+]] = graph.Constant() {value = dense<[2, 12]> : tensor<2xi64>}
// CHECK: graph.Reshape(%{{.*}}, %[[SHAPE]])
func.func @shape_chain(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %s = graph.Shape(%x) : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %i0 = graph.Constant() {value = dense<0> : tensor<1xi64>} : () -> tensor<1xi64>
  %i1 = graph.Constant() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
  %big = graph.Constant() {value = dense<9223372036854775807> : tensor<1xi64>} : () -> tensor<1xi64>
  %none = graph.none
  %n = graph.Slice(%s, %i0, %i1, %none, %none) : (tensor<3xi64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<1xi64>
  %rest = graph.Slice(%s, %i1, %big, %none, %none) : (tensor<3xi64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<2xi64>
  %z = graph.Constant() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  %first = graph.Gather(%rest, %z) {axis = 0 : i64} : (tensor<2xi64>, tensor<i64>) -> tensor<i64>
  %last = graph.Gather(%rest, %i1) {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<1xi64>
  %a = graph.Unsqueeze(%first, %i0) : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %prod = graph.Mul(%a, %last) : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %shape = graph.Concat(%n, %prod) {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %y = graph.Reshape(%x, %shape) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  return %y : tensor<2x12xf32>
}

// -----

// Broadcasting arithmetic, division truncating toward zero, unary ops.
// CHECK-LABEL: func @arith
// CHECK-DAG: dense<{{\[}}[11, 12], [21, 22]]> : tensor<2x2xi64>
// CHECK-DAG: dense<[-3, 3]> : tensor<2xi64>
// CHECK-DAG: dense<[1.500000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: dense<[2.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK-NOT: graph.Add
// CHECK-NOT: graph.Div
// CHECK-NOT: graph.Ceil
func.func @arith() -> (tensor<2x2xi64>, tensor<2xi64>, tensor<2xf32>, tensor<2xf32>) {
  %col = graph.Constant() {value = dense<[[10], [20]]> : tensor<2x1xi64>} : () -> tensor<2x1xi64>
  %row = graph.Constant() {value = dense<[1, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
  %sum = graph.Add(%col, %row) : (tensor<2x1xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  %num = graph.Constant() {value = dense<[-7, 7]> : tensor<2xi64>} : () -> tensor<2xi64>
  %two = graph.Constant() {value = dense<2> : tensor<i64>} : () -> tensor<i64>
  %q = graph.Div(%num, %two) : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  %f = graph.Constant() {value = dense<[3.0, -4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %ftwo = graph.Constant() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %h = graph.Div(%f, %ftwo) : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  %c = graph.Ceil(%h) : (tensor<2xf32>) -> tensor<2xf32>
  return %sum, %q, %h, %c : tensor<2x2xi64>, tensor<2xi64>, tensor<2xf32>, tensor<2xf32>
}

// -----

// Integer division by zero is left for run time (ONNX leaves it undefined).
// CHECK-LABEL: func @div_by_zero
// CHECK: graph.Div
func.func @div_by_zero() -> tensor<i64> {
  %a = graph.Constant() {value = dense<1> : tensor<i64>} : () -> tensor<i64>
  %z = graph.Constant() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  %q = graph.Div(%a, %z) : (tensor<i64>, tensor<i64>) -> tensor<i64>
  return %q : tensor<i64>
}

// -----

// CHECK-LABEL: func @cast_range_constant_of_shape
// CHECK-DAG: dense<[1, -2, 3]> : tensor<3xi32>
// CHECK-DAG: dense<[0.000000e+00, 5.000000e-01, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: dense<7> : tensor<2x3xi64>
func.func @cast_range_constant_of_shape() -> (tensor<3xi32>, tensor<3xf32>, tensor<2x3xi64>) {
  %f = graph.Constant() {value = dense<[1.9, -2.9, 3.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  %i = graph.Cast(%f) {to = 6 : i64} : (tensor<3xf32>) -> tensor<3xi32>
  %start = graph.Constant() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %limit = graph.Constant() {value = dense<1.25> : tensor<f32>} : () -> tensor<f32>
  %delta = graph.Constant() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %r = graph.Range(%start, %limit, %delta) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<3xf32>
  %shape = graph.Constant() {value = dense<[2, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %c = graph.ConstantOfShape(%shape) {value = dense<7> : tensor<1xi64>} : (tensor<2xi64>) -> tensor<2x3xi64>
  return %i, %r, %c : tensor<3xi32>, tensor<3xf32>, tensor<2x3xi64>
}

// -----

// A big ConstantOfShape stays an op (filled at run time): folded, it would
// become a 16 GB weight of the bundle.
// CHECK-LABEL: func @big_constant_of_shape
// CHECK: graph.ConstantOfShape
func.func @big_constant_of_shape() -> tensor<65536x65536xf32> {
  %shape = graph.Constant() {value = dense<[65536, 65536]> : tensor<2xi64>} : () -> tensor<2xi64>
  %c = graph.ConstantOfShape(%shape) {value = dense<1.0> : tensor<1xf32>} : (tensor<2xi64>) -> tensor<65536x65536xf32>
  return %c : tensor<65536x65536xf32>
}

// -----

// Negative-step Slice and Gather with negative indices.
// CHECK-LABEL: func @reverse
// CHECK-DAG: dense<[4, 3, 2, 1]> : tensor<4xi64>
// CHECK-DAG: dense<[4, 1]> : tensor<2xi64>
func.func @reverse() -> (tensor<4xi64>, tensor<2xi64>) {
  %x = graph.Constant() {value = dense<[1, 2, 3, 4]> : tensor<4xi64>} : () -> tensor<4xi64>
  %s = graph.Constant() {value = dense<-1> : tensor<1xi64>} : () -> tensor<1xi64>
  %e = graph.Constant() {value = dense<-9223372036854775807> : tensor<1xi64>} : () -> tensor<1xi64>
  %ax = graph.Constant() {value = dense<0> : tensor<1xi64>} : () -> tensor<1xi64>
  %st = graph.Constant() {value = dense<-1> : tensor<1xi64>} : () -> tensor<1xi64>
  %r = graph.Slice(%x, %s, %e, %ax, %st) : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4xi64>
  %idx = graph.Constant() {value = dense<[-1, 0]> : tensor<2xi64>} : () -> tensor<2xi64>
  %g = graph.Gather(%x, %idx) {axis = 0 : i64} : (tensor<4xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %r, %g : tensor<4xi64>, tensor<2xi64>
}

// -----

// A chain of reshapes is one reshape; a reshape to its own type vanishes.
// CHECK-LABEL: func @reshape_chain
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[S:.+]] = graph.Constant() {value = dense<[4, 6]> : tensor<2xi64>}
// CHECK: %[[R:.+]] = graph.Reshape(%[[X]], %[[S]]) {allowzero = 1 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
// CHECK-NOT: graph.Reshape
// CHECK-NOT: graph.Flatten
// CHECK: return %[[R]], %[[X]]
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> (tensor<4x6xf32>, tensor<2x3x4xf32>) {
  %f = graph.Flatten(%x) {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %s = graph.Constant() {value = dense<[4, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %r = graph.Reshape(%f, %s) : (tensor<2x12xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  %s2 = graph.Constant() {value = dense<[2, 3, 4]> : tensor<3xi64>} : () -> tensor<3xi64>
  %same = graph.Reshape(%x, %s2) : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return %r, %same : tensor<4x6xf32>, tensor<2x3x4xf32>
}

// -----

// hcc-infer-shapes folds as it refines: Shape of a value that only becomes
// static during inference feeds a Slice whose result is then static, and so
// on down the chain (one pass; canonicalize alone cannot see it).
// RUN: hcc-opt %s --split-input-file --hcc-infer-shapes | FileCheck %s --check-prefix=INFER
// INFER-LABEL: func @split_channels
// INFER-NOT: graph.Shape
// INFER: graph.Slice{{.*}} -> tensor<1x2x3xf32>
// INFER: graph.Relu{{.*}} -> tensor<1x2x3xf32>
func.func @split_channels(%x: tensor<1x4x3xf32>) -> tensor<*xf32> {
  %r = graph.Relu(%x) : (tensor<1x4x3xf32>) -> tensor<*xf32>
  %s = graph.Shape(%r) : (tensor<*xf32>) -> tensor<*xi64>
  %one = graph.Constant() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
  %two = graph.Constant() {value = dense<2> : tensor<1xi64>} : () -> tensor<1xi64>
  %c = graph.Gather(%s, %one) {axis = 0 : i64} : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %half = graph.Div(%c, %two) : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %zero = graph.Constant() {value = dense<0> : tensor<1xi64>} : () -> tensor<1xi64>
  %none = graph.none
  %y = graph.Slice(%r, %zero, %half, %one, %none) : (tensor<*xf32>, tensor<1xi64>, tensor<*xi64>, tensor<1xi64>, none) -> tensor<*xf32>
  %z = graph.Relu(%y) : (tensor<*xf32>) -> tensor<*xf32>
  return %z : tensor<*xf32>
}

// -----

// A constant Gemm weight with transB = 1 is transposed at compile time.
// CHECK-LABEL: func @gemm_weight
// CHECK: %[[W:.+]] = graph.Constant() {value = dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>}
// CHECK: graph.Gemm(%{{.*}}, %[[W]], %{{.*}}) : (tensor<1x3xf32>, tensor<3x2xf32>, none)
func.func @gemm_weight(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = graph.Constant() {value = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
  %none = graph.none
  %y = graph.Gemm(%x, %w, %none) {transB = 1 : i64} : (tensor<1x3xf32>, tensor<2x3xf32>, none) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// The conditions exported attention code computes on head counts fold:
// comparisons (broadcast), logic, Mod (Python and C signs), Where, Sqrt.
// CHECK-LABEL: func @conditions
// CHECK-DAG: %[[B:.+]] = graph.Constant() {value = dense<[false, true]> : tensor<2xi1>}
// CHECK-DAG: dense<[2, -1, 1, -2]> : tensor<4xi64>
// CHECK-DAG: dense<[2, 2, -2, -2]> : tensor<4xi64>
// CHECK-DAG: dense<[4, 1]> : tensor<2xi64>
// CHECK-DAG: dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-NOT: graph.Equal
// CHECK-NOT: graph.Not
// CHECK-NOT: graph.Mod
// CHECK-NOT: graph.Where
// CHECK-NOT: graph.Sqrt
// CHECK: return %[[B]], %[[B]],
func.func @conditions() -> (tensor<2xi1>, tensor<2xi1>, tensor<4xi64>, tensor<4xi64>, tensor<2xi64>, tensor<2xf32>) {
  %a = graph.Constant() {value = dense<[4, 6]> : tensor<2xi64>} : () -> tensor<2xi64>
  %b = graph.Constant() {value = dense<4> : tensor<i64>} : () -> tensor<i64>
  %eq = graph.Equal(%a, %b) : (tensor<2xi64>, tensor<i64>) -> tensor<2xi1>
  %ne = graph.Not(%eq) : (tensor<2xi1>) -> tensor<2xi1>
  %gt = graph.Greater(%a, %b) : (tensor<2xi64>, tensor<i64>) -> tensor<2xi1>
  %and = graph.And(%ne, %gt) : (tensor<2xi1>, tensor<2xi1>) -> tensor<2xi1>
  %x = graph.Constant() {value = dense<[5, 5, -5, -5]> : tensor<4xi64>} : () -> tensor<4xi64>
  %y = graph.Constant() {value = dense<[3, -3, 3, -3]> : tensor<4xi64>} : () -> tensor<4xi64>
  %py = graph.Mod(%x, %y) : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %c = graph.Mod(%x, %y) {fmod = 1 : i64} : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %one = graph.Constant() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
  %w = graph.Where(%eq, %a, %one) : (tensor<2xi1>, tensor<2xi64>, tensor<1xi64>) -> tensor<2xi64>
  %f = graph.Constant() {value = dense<[4.0, 9.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %s = graph.Sqrt(%f) : (tensor<2xf32>) -> tensor<2xf32>
  return %ne, %and, %py, %c, %w, %s : tensor<2xi1>, tensor<2xi1>, tensor<4xi64>, tensor<4xi64>, tensor<2xi64>, tensor<2xf32>
}
