// REQUIRES: clang-cl
// RUN: hcc-opt %s --hcc-opencl-codegen-pipeline | hcc-translate --emit-opencl -o %t.cl
// RUN: clang-15 -x cl -cl-std=CL1.2 -fsyntax-only -Werror %t.cl

// The emitted program is valid OpenCL C 1.2 for every op family: conv,
// pooling, matmul, reductions, softmax, data movement, integer and bool
// buffers, f16 and f64, constants and control flow.
module {
  func.func @k_conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x2x2xf32> attributes {exec.kernel} {
    %0 = graph.Conv(%x, %w, %b) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
    %1 = graph.Relu(%0) : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    %y, %i = graph.MaxPool(%1) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x4x4x4xf32>) -> (tensor<1x4x2x2xf32>, none)
    return %y : tensor<1x4x2x2xf32>
  }
  func.func @k_gemm(%a: tensor<30x20xf32>, %b: tensor<40x30xf32>, %c: tensor<40xf32>) -> tensor<20x40xf32> attributes {exec.kernel} {
    %0 = graph.Gemm(%a, %b, %c) {transA = 1 : i64, transB = 1 : i64, alpha = 2.0 : f32, beta = 0.5 : f32} : (tensor<30x20xf32>, tensor<40x30xf32>, tensor<40xf32>) -> tensor<20x40xf32>
    return %0 : tensor<20x40xf32>
  }
  func.func @k_reduce(%x: tensor<3x40x50xf32>) -> (tensor<3x50xf32>, tensor<3x1x50xi64>, tensor<3x40x50xf32>) attributes {exec.kernel} {
    %a = graph.Constant() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
    %0 = graph.ReduceMean(%x, %a) {keepdims = 0 : i64} : (tensor<3x40x50xf32>, tensor<1xi64>) -> tensor<3x50xf32>
    %1 = graph.ArgMax(%x) {axis = 1 : i64} : (tensor<3x40x50xf32>) -> tensor<3x1x50xi64>
    %2 = graph.Softmax(%x) {axis = 1 : i64} : (tensor<3x40x50xf32>) -> tensor<3x40x50xf32>
    return %0, %1, %2 : tensor<3x50xf32>, tensor<3x1x50xi64>, tensor<3x40x50xf32>
  }
  func.func @k_data(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %d: tensor<5x4xf32>, %i: tensor<2x3xi64>) -> (tensor<2x8xf32>, tensor<2x3x4xf32>, tensor<8x2xf32>) attributes {exec.kernel} {
    %0 = graph.Concat(%a, %b) {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    %1 = graph.Gather(%d, %i) : (tensor<5x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
    %2 = graph.Transpose(%0) : (tensor<2x8xf32>) -> tensor<8x2xf32>
    return %0, %1, %2 : tensor<2x8xf32>, tensor<2x3x4xf32>, tensor<8x2xf32>
  }
  func.func @k_types(%a: tensor<7xi8>, %h: tensor<3xf16>, %d: tensor<4xf64>, %p: tensor<6xi1>, %q: tensor<6xi1>) -> (tensor<7xf32>, tensor<3xf16>, tensor<4xf64>, tensor<6xi1>, tensor<7xi32>) attributes {exec.kernel} {
    %0 = graph.Cast(%a) {to = 1 : i64} : (tensor<7xi8>) -> tensor<7xf32>
    %c = graph.Constant() {value = dense<[1.5, -2.0, 0.25]> : tensor<3xf16>} : () -> tensor<3xf16>
    %1 = graph.Mul(%h, %c) : (tensor<3xf16>, tensor<3xf16>) -> tensor<3xf16>
    %2 = graph.Exp(%d) : (tensor<4xf64>) -> tensor<4xf64>
    %3 = graph.Xor(%p, %q) : (tensor<6xi1>, tensor<6xi1>) -> tensor<6xi1>
    %s = graph.Cast(%a) {to = 6 : i64} : (tensor<7xi8>) -> tensor<7xi32>
    %4 = graph.Pow(%s, %s) : (tensor<7xi32>, tensor<7xi32>) -> tensor<7xi32>
    return %0, %1, %2, %3, %4 : tensor<7xf32>, tensor<3xf16>, tensor<4xf64>, tensor<6xi1>, tensor<7xi32>
  }
  func.func @k_if(%c: tensor<i1>, %a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> attributes {exec.kernel} {
    %r = graph.If(%c) : (tensor<i1>) -> tensor<4xf32> {
      %y = graph.Relu(%a) : (tensor<4xf32>) -> tensor<4xf32>
      graph.yield %y : tensor<4xf32>
    }, {
      %x = graph.Add(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
      graph.yield %x : tensor<4xf32>
    }
    return %r : tensor<4xf32>
  }
  func.func @k_loop(%m: tensor<i64>, %c: tensor<i1>, %y: tensor<1xf32>) -> (tensor<1xf32>, tensor<5x1xf32>) attributes {exec.kernel} {
    %r:2 = graph.Loop(%m, %c, %y) : (tensor<i64>, tensor<i1>, tensor<1xf32>) -> (tensor<1xf32>, tensor<5x1xf32>) {
    ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %v: tensor<1xf32>):
      %f = graph.Cast(%i) {to = 1 : i64} : (tensor<i64>) -> tensor<f32>
      %n = graph.Add(%v, %f) : (tensor<1xf32>, tensor<f32>) -> tensor<1xf32>
      graph.yield %ci, %n, %n : tensor<i1>, tensor<1xf32>, tensor<1xf32>
    }
    return %r#0, %r#1 : tensor<1xf32>, tensor<5x1xf32>
  }
}
