// REQUIRES: clang-cl
// RUN: hcc-opt %s --hcc-fpga-codegen-pipeline="board=agilex7" | hcc-translate --emit-opencl -o %t.intel.cl
// RUN: clang-15 -x cl -cl-std=CL1.2 -fsyntax-only -Wno-unknown-attributes -Werror %t.intel.cl
// RUN: hcc-opt %s --hcc-fpga-codegen-pipeline="board=u250" | hcc-translate --emit-opencl -o %t.amd.cl
// RUN: clang-15 -x cl -cl-std=CL1.2 -fsyntax-only -Wno-unknown-attributes -Werror %t.amd.cl
// Intel's macro expands to the pragma with the model's II (the k loop of
// @k_short, 3 steps, too short for partial sums: the Agilex's 4-cycle
// accumulation).
// RUN: clang-15 -x cl -cl-std=CL1.2 -E %t.intel.cl | FileCheck %s
// CHECK: #pragma ii 4
// CHECK-NEXT: for (

// FPGA kernels as the FPGA pipeline writes them (flattened loop nests,
// each board's vendor attribute macros defined) are valid OpenCL C 1.2
// (clang knows neither vendor's attributes: -Wno-unknown-attributes):
// conv, pooling, matmul, reductions, softmax.
module {
  func.func @k_conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x2x2xf32> attributes {exec.kernel} {
    %0 = graph.Conv(%x, %w, %b) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
    %1 = graph.Relu(%0) : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    %y, %i = graph.MaxPool(%1) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x4x4x4xf32>) -> (tensor<1x4x2x2xf32>, none)
    return %y : tensor<1x4x2x2xf32>
  }
  func.func @k_softmax(%x: tensor<4x100xf32>) -> tensor<4x100xf32> attributes {exec.kernel} {
    %0 = graph.Softmax(%x) {axis = -1 : i64} : (tensor<4x100xf32>) -> tensor<4x100xf32>
    return %0 : tensor<4x100xf32>
  }
  func.func @k_mm(%a: tensor<8x16xf32>, %b: tensor<16x4xf32>) -> tensor<8x4xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<8x16xf32>, tensor<16x4xf32>) -> tensor<8x4xf32>
    return %0 : tensor<8x4xf32>
  }
  func.func @k_short(%a: tensor<4x3xf32>, %b: tensor<3x4xf32>) -> tensor<4x4xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<4x3xf32>, tensor<3x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}
