// A linalg op with a loop of no iterations computes nothing: its results
// are its inits (the accumulator's start, or an empty tensor), and nothing
// is tiled (tiling divided by the zero extent: a crash from an ONNX MatMul
// with K = 0 or N = 0, a Conv with no filters or no input channels).
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false" --canonicalize | FileCheck %s

// K = 0: the product is its accumulator's start.
// CHECK-LABEL: func.func @no_k
// CHECK-NOT:     linalg.matmul
// CHECK:         %[[ROWS:.*]] = scf.for
// CHECK:           vector.transfer_write %cst
// CHECK-NOT:     vector.contract
// CHECK:         return %[[ROWS]]
func.func @no_k(%a: tensor<4x0xf32>, %b: tensor<0x16xf32>) -> tensor<4x16xf32> {
  %z = arith.constant 1.5 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x0xf32>, tensor<0x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// N = 0 (or M = 0): an empty result.
// CHECK-LABEL: func.func @no_columns
// CHECK-NOT:     linalg.matmul
// CHECK:         return %arg2
func.func @no_columns(%a: tensor<4x8xf32>, %b: tensor<8x0xf32>, %c: tensor<4x0xf32>) -> tensor<4x0xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x0xf32>) outs(%c : tensor<4x0xf32>) -> tensor<4x0xf32>
  return %0 : tensor<4x0xf32>
}

// A convolution over no input channels: the bias it starts from.
// CHECK-LABEL: func.func @no_channels
// CHECK-NOT:     linalg.conv_2d_nchw_fchw
// CHECK:         return %arg2
func.func @no_channels(%x: tensor<1x0x8x8xf32>, %w: tensor<4x0x3x3xf32>, %init: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
       ins(%x, %w : tensor<1x0x8x8xf32>, tensor<4x0x3x3xf32>) outs(%init : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}
