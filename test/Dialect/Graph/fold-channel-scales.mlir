// RUN: hcc-opt %s --split-input-file --hcc-fold-channel-scales | FileCheck %s

// Squeeze-and-excitation: the excitation s scales the features x per
// channel before the 1x1 projection; the scale moves onto the weights and
// the Mul over the whole activation is gone.
// CHECK-LABEL: func @excitation
// CHECK: %[[WS:.+]] = graph.Mul(%arg2, %arg1) : (tensor<8x16x1x1xf32>, tensor<1x16x1x1xf32>) -> tensor<8x16x1x1xf32>
// CHECK: graph.Conv(%arg0, %[[WS]], %arg3) : (tensor<1x16x28x28xf32>, tensor<8x16x1x1xf32>, tensor<8xf32>) -> tensor<1x8x28x28xf32>
// CHECK-NOT: graph.Mul
func.func @excitation(%x: tensor<1x16x28x28xf32>, %s: tensor<1x16x1x1xf32>,
                      %w: tensor<8x16x1x1xf32>, %b: tensor<8xf32>) -> tensor<1x8x28x28xf32> {
  %xs = graph.Mul(%s, %x) : (tensor<1x16x1x1xf32>, tensor<1x16x28x28xf32>) -> tensor<1x16x28x28xf32>
  %y = graph.Conv(%xs, %w, %b) : (tensor<1x16x28x28xf32>, tensor<8x16x1x1xf32>, tensor<8xf32>) -> tensor<1x8x28x28xf32>
  return %y : tensor<1x8x28x28xf32>
}

// -----

// A rank-3 scale ([C, 1, 1]) lines up with the weights' channel axis too.
// CHECK-LABEL: func @rank3_scale
// CHECK: %[[WS:.+]] = graph.Mul(%arg2, %arg1) : (tensor<8x16x1x1xf32>, tensor<16x1x1xf32>) -> tensor<8x16x1x1xf32>
// CHECK: graph.Conv(%arg0, %[[WS]], %{{.+}})
func.func @rank3_scale(%x: tensor<1x16x28x28xf32>, %s: tensor<16x1x1xf32>,
                       %w: tensor<8x16x1x1xf32>) -> tensor<1x8x28x28xf32> {
  %n = graph.none
  %xs = graph.Mul(%x, %s) : (tensor<1x16x28x28xf32>, tensor<16x1x1xf32>) -> tensor<1x16x28x28xf32>
  %y = graph.Conv(%xs, %w, %n) : (tensor<1x16x28x28xf32>, tensor<8x16x1x1xf32>, none) -> tensor<1x8x28x28xf32>
  return %y : tensor<1x8x28x28xf32>
}

// -----

// A constant scale moves onto a 3x3 filter as well (the product of two
// constants folds into a constant filter).
// CHECK-LABEL: func @constant_scale_3x3
// CHECK: %[[WS:.+]] = graph.Mul(%arg1, %{{.+}}) : (tensor<8x16x3x3xf32>, tensor<1x16x1x1xf32>)
// CHECK: graph.Conv(%arg0, %[[WS]], %{{.+}}) {pads = [1, 1, 1, 1]}
func.func @constant_scale_3x3(%x: tensor<1x16x28x28xf32>, %w: tensor<8x16x3x3xf32>) -> tensor<1x8x28x28xf32> {
  %n = graph.none
  %s = graph.Constant() {value = dense<0.5> : tensor<1x16x1x1xf32>} : () -> tensor<1x16x1x1xf32>
  %xs = graph.Mul(%x, %s) : (tensor<1x16x28x28xf32>, tensor<1x16x1x1xf32>) -> tensor<1x16x28x28xf32>
  %y = graph.Conv(%xs, %w, %n) {pads = [1, 1, 1, 1]} : (tensor<1x16x28x28xf32>, tensor<8x16x3x3xf32>, none) -> tensor<1x8x28x28xf32>
  return %y : tensor<1x8x28x28xf32>
}

// -----

// What stays: a run-time scale before a 3x3 filter (which a target may
// transform at compile time), a grouped convolution, a scale per image, a
// scale that is not per channel, a product with another user, and an
// activation smaller than the weights (the excitation's own 1x1 maps).
// CHECK-LABEL: func @kept
// CHECK-COUNT-6: graph.Mul(%
// CHECK-NOT: graph.Mul(%
func.func @kept(%x: tensor<2x16x28x28xf32>, %s: tensor<1x16x1x1xf32>,
                %w3: tensor<8x16x3x3xf32>, %wg: tensor<16x1x1x1xf32>,
                %sn: tensor<2x16x1x1xf32>, %sw: tensor<1x1x1x28xf32>,
                %w: tensor<8x16x1x1xf32>, %h: tensor<1x16x1x1xf32>,
                %wbig: tensor<64x16x1x1xf32>)
    -> (tensor<2x8x28x28xf32>, tensor<2x16x28x28xf32>, tensor<2x8x28x28xf32>,
        tensor<2x8x28x28xf32>, tensor<2x8x28x28xf32>, tensor<2x16x28x28xf32>,
        tensor<1x64x1x1xf32>) {
  %n = graph.none
  %a = graph.Mul(%x, %s) : (tensor<2x16x28x28xf32>, tensor<1x16x1x1xf32>) -> tensor<2x16x28x28xf32>
  %y3 = graph.Conv(%a, %w3, %n) {pads = [1, 1, 1, 1]} : (tensor<2x16x28x28xf32>, tensor<8x16x3x3xf32>, none) -> tensor<2x8x28x28xf32>
  %b = graph.Mul(%x, %s) : (tensor<2x16x28x28xf32>, tensor<1x16x1x1xf32>) -> tensor<2x16x28x28xf32>
  %yg = graph.Conv(%b, %wg, %n) {group = 16 : i64} : (tensor<2x16x28x28xf32>, tensor<16x1x1x1xf32>, none) -> tensor<2x16x28x28xf32>
  %c = graph.Mul(%x, %sn) : (tensor<2x16x28x28xf32>, tensor<2x16x1x1xf32>) -> tensor<2x16x28x28xf32>
  %yn = graph.Conv(%c, %w, %n) : (tensor<2x16x28x28xf32>, tensor<8x16x1x1xf32>, none) -> tensor<2x8x28x28xf32>
  %d = graph.Mul(%x, %sw) : (tensor<2x16x28x28xf32>, tensor<1x1x1x28xf32>) -> tensor<2x16x28x28xf32>
  %yw = graph.Conv(%d, %w, %n) : (tensor<2x16x28x28xf32>, tensor<8x16x1x1xf32>, none) -> tensor<2x8x28x28xf32>
  %e = graph.Mul(%x, %s) : (tensor<2x16x28x28xf32>, tensor<1x16x1x1xf32>) -> tensor<2x16x28x28xf32>
  %ye = graph.Conv(%e, %w, %n) : (tensor<2x16x28x28xf32>, tensor<8x16x1x1xf32>, none) -> tensor<2x8x28x28xf32>
  %f = graph.Mul(%h, %h) : (tensor<1x16x1x1xf32>, tensor<1x16x1x1xf32>) -> tensor<1x16x1x1xf32>
  %yf = graph.Conv(%f, %wbig, %n) : (tensor<1x16x1x1xf32>, tensor<64x16x1x1xf32>, none) -> tensor<1x64x1x1xf32>
  return %y3, %yg, %yn, %yw, %ye, %e, %yf : tensor<2x8x28x28xf32>, tensor<2x16x28x28xf32>, tensor<2x8x28x28xf32>, tensor<2x8x28x28xf32>, tensor<2x8x28x28xf32>, tensor<2x16x28x28xf32>, tensor<1x64x1x1xf32>
}
