// RUN: hcc-opt %s --split-input-file --hcc-ocl-im2col | FileCheck %s
// RUN: hcc-opt %s --split-input-file --hcc-ocl-im2col=all | FileCheck %s --check-prefix=ALL

// A strided convolution becomes a patch gather (contiguous along the
// flattened output positions) and a contraction.
// CHECK-LABEL: func.func @strided
// CHECK-NOT:     linalg.conv_2d_nchw_fchw
// CHECK:         %[[COL:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<1x4x9x9xf32>) outs(%{{.*}} : tensor<1x36x16xf32>)
// CHECK:         linalg.generic {{.*}} ins(%{{.*}}, %[[COL]] : tensor<8x36xf32>, tensor<1x36x16xf32>)
// CHECK:         tensor.expand_shape {{.*}} into tensor<1x8x4x4xf32>
func.func @strided(%x: tensor<1x4x9x9xf32>, %w: tensor<8x4x3x3xf32>, %y: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%x, %w : tensor<1x4x9x9xf32>, tensor<8x4x3x3xf32>) outs(%y : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// A unit-stride convolution reads contiguous rows already: it stays
// (unless all=true).
// CHECK-LABEL: func.func @unit
// CHECK:         linalg.conv_2d_nchw_fchw
// ALL-LABEL:   func.func @unit
// ALL-NOT:       linalg.conv_2d_nchw_fchw
func.func @unit(%x: tensor<1x4x9x9xf32>, %w: tensor<8x4x3x3xf32>, %y: tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %w : tensor<1x4x9x9xf32>, tensor<8x4x3x3xf32>) outs(%y : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  return %0 : tensor<1x8x7x7xf32>
}
