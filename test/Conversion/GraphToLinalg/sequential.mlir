// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// MaxUnpool: scatter into the 4x4 unpooled shape (indices checked against
// its 16 elements), then pad to output_shape 5x5.
// CHECK-LABEL: func.func @maxunpool
// CHECK: scf.for
// CHECK: arith.constant 16 : i64
// CHECK: scf.if
// CHECK: tensor.insert
// CHECK: tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 1]
func.func @maxunpool(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x2xi64>) -> tensor<1x1x5x5xf32> {
  %s = graph.Constant() {value = dense<[1, 1, 5, 5]> : tensor<4xi64>} : () -> tensor<4xi64>
  %0 = graph.MaxUnpool(%x, %i, %s) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>, tensor<4xi64>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

// Det: per matrix, elimination with partial pivoting in f64.
// CHECK-LABEL: func.func @det
// CHECK: arith.extf
// CHECK: scf.for
// CHECK: scf.for
// CHECK: math.absf
// CHECK: arith.cmpf ogt
// CHECK: arith.negf
// CHECK: arith.truncf
func.func @det(%x: tensor<2x3x3xf32>) -> tensor<2xf32> {
  %0 = graph.Det(%x) : (tensor<2x3x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
