// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// A QLinearConv with int8 weights of zero point 0: the input padded with
// its zero point (and one extra channel: K = 2 * 9 = 18 is padded to 20),
// an im2col copy in quads of k = (c, kh, kw), the filter reshaped to
// [M, K/4, 4] (zero-padded K), the accumulator started at -x_zp * sum(W)
// + bias, and the 4-deep uint8 x int8 dot products.
// CHECK-DAG:   #[[COLS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, (d1 * 4 + d4) floordiv 9, d2 + ((d1 * 4 + d4) mod 9) floordiv 3, d3 + (d1 * 4 + d4) mod 3)>
// CHECK-LABEL: func.func @qlinearconv
// CHECK:       %[[ZP:.+]] = tensor.extract
// CHECK:       tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 1, 1, 1]
// CHECK:         tensor.yield %[[ZP]] : i8
// CHECK:       linalg.generic {indexing_maps = [#[[COLS]], {{.+}}]{{.*}} outs(%{{.+}} : tensor<1x5x4x4x4xi8>)
// CHECK:       tensor.collapse_shape {{.*}} : tensor<3x2x3x3xi8> into tensor<3x18xi8>
// CHECK:       tensor.pad {{.*}} high[0, 2]
// CHECK:       tensor.expand_shape {{.*}} : tensor<3x20xi8> into tensor<3x5x4xi8>
// CHECK:       arith.muli %{{.+}}, %{{.+}} : i32
// CHECK:       arith.subi
// CHECK:       linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.+}}, %{{.+}} : tensor<1x5x16x4xi8>, tensor<3x5x4xi8>) outs(%{{.+}} : tensor<1x3x16xi32>)
// CHECK:         arith.extui %{{.+}} : i8 to i32
// CHECK:         arith.extsi %{{.+}} : i8 to i32
// CHECK:       math.roundeven
func.func @qlinearconv(%x: tensor<1x2x4x4xui8>, %w: tensor<3x2x3x3xi8>, %b: tensor<3xi32>) -> tensor<1x3x4x4xui8> {
  %s = graph.Constant() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %xz = graph.Constant() {value = dense<100> : tensor<ui8>} : () -> tensor<ui8>
  %ws = graph.Constant() {value = dense<0.25> : tensor<3xf32>} : () -> tensor<3xf32>
  %wz = graph.Constant() {value = dense<0> : tensor<3xi8>} : () -> tensor<3xi8>
  %0 = graph.QLinearConv(%x, %s, %xz, %w, %ws, %wz, %s, %xz, %b) {pads = [1, 1, 1, 1]} : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>, tensor<3x2x3x3xi8>, tensor<3xf32>, tensor<3xi8>, tensor<f32>, tensor<ui8>, tensor<3xi32>) -> tensor<1x3x4x4xui8>
  return %0 : tensor<1x3x4x4xui8>
}

// -----

// int8 activations are offset by 128 (the top bit flipped), with their
// zero point.
// CHECK-LABEL: func.func @signed_input
// CHECK:       %[[FLIP:.+]] = arith.constant -128 : i8
// CHECK:       arith.xori %{{.+}}, %[[FLIP]] : i8
// CHECK:       arith.xori %{{.+}}, %[[FLIP]] : i8
func.func @signed_input(%x: tensor<1x4x2x2xi8>, %w: tensor<2x4x1x1xi8>) -> tensor<1x2x2x2xi32> {
  %xz = graph.Constant() {value = dense<-3> : tensor<i8>} : () -> tensor<i8>
  %n = graph.none
  %0 = graph.ConvInteger(%x, %w, %xz, %n) : (tensor<1x4x2x2xi8>, tensor<2x4x1x1xi8>, tensor<i8>, none) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}

// -----

// A weight zero point that is not 0, and grouped convolutions, take the
// widening path (i32 operands, linalg convolutions).
// CHECK-LABEL: func.func @weight_zero_point
// CHECK:       linalg.conv_2d_nchw_fchw
// CHECK-LABEL: func.func @grouped
// CHECK:       linalg.generic
// CHECK-NOT:   tensor<1x{{.*}}x4xi8>
func.func @weight_zero_point(%x: tensor<1x4x2x2xui8>, %w: tensor<2x4x1x1xi8>) -> tensor<1x2x2x2xi32> {
  %xz = graph.Constant() {value = dense<3> : tensor<ui8>} : () -> tensor<ui8>
  %wz = graph.Constant() {value = dense<1> : tensor<i8>} : () -> tensor<i8>
  %0 = graph.ConvInteger(%x, %w, %xz, %wz) : (tensor<1x4x2x2xui8>, tensor<2x4x1x1xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x2x2x2xi32>
  return %0 : tensor<1x2x2x2xi32>
}
func.func @grouped(%x: tensor<1x4x2x2xui8>, %w: tensor<4x2x1x1xi8>) -> tensor<1x4x2x2xi32> {
  %n = graph.none
  %0 = graph.ConvInteger(%x, %w, %n, %n) {group = 2 : i64} : (tensor<1x4x2x2xui8>, tensor<4x2x1x1xi8>, none, none) -> tensor<1x4x2x2xi32>
  return %0 : tensor<1x4x2x2xi32>
}
