// Depthwise convolutions with a multiple of 16 channels and small planes
// run per (image, 16 channels) with the channels as vector lanes: the
// block's planes are read 16 pixels at a time, transposed and stored pixel
// by pixel into a zeroed 9x9x16 channels-last buffer (the padding is its
// border), the bias (16 channels) seeds a row of 7 accumulators per tap
// sweep over the 9 filter vectors (the [16, 9] filter block transposed),
// and the 49x16 outputs are transposed back 16 pixels at a time (the last
// tile masked).
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false" --canonicalize | FileCheck %s
// depthwise-channel-max-pixels=0 (or a 7x7 plane over the limit) keeps the
// flattened planes.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false depthwise-channel-max-pixels=0" --canonicalize | FileCheck %s --check-prefix=OFF
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false depthwise-channel-max-pixels=48" --canonicalize | FileCheck %s --check-prefix=OFF

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#bias = affine_map<(n, c, h, w) -> (c)>

// CHECK-LABEL: func.func @lanes
// CHECK-NOT:   tensor.pad
// CHECK:       scf.forall (%[[B:.*]]) in (2)
// CHECK:       %[[C0:.*]] = arith.muli %[[B]], %c16
// CHECK:       %[[BUF:.*]] = memref.alloca() {alignment = 64 : i64} : memref<9x9x16xf32>
// CHECK-COUNT-9: vector.transfer_write %{{.*}}, %[[BUF]][%{{.*}}, %c0, %c0] {in_bounds = [true, true]} : vector<9x16xf32>
// CHECK:       vector.transfer_read {{.*}}[%c0, %[[C0]], %c0], {{.*}} : tensor<1x32x49xf32>, vector<16x16xf32>
// CHECK:       vector.transpose {{.*}}, [1, 0] : vector<16x16xf32> to vector<16x16xf32>
// CHECK:       vector.transfer_write %{{.*}}, %[[BUF]][%c1, %c1, %c0] {in_bounds = [true]} : vector<16xf32>
// CHECK:       vector.transfer_read {{.*}}[%[[C0]], %c48], {{.*}} {in_bounds = [true, false]} : tensor<32x49xf32>, vector<16x16xf32>
// CHECK:       vector.transfer_write %{{.*}}, %[[BUF]][%c7, %c7, %c0]
// CHECK:       vector.transfer_read {{.*}}[%[[C0]], %c0], {{.*}} {in_bounds = [true, false]} : tensor<32x9xf32>, vector<16x16xf32>
// CHECK:       %[[SEED:.*]] = vector.transfer_read %arg2[%[[C0]]]{{.*}} : tensor<32xf32>, vector<16xf32>
// CHECK:       %[[OUT:.*]] = memref.alloca() {alignment = 64 : i64} : memref<49x16xf32>
// CHECK:       scf.for %[[OH:.*]] = %c0 to %c7 step %c1 {
// CHECK:         vector.fma %{{.*}}, %{{.*}}, %[[SEED]] : vector<16xf32>
// CHECK-COUNT-62: vector.fma
// CHECK-NOT:     vector.fma
// CHECK:       }
// CHECK:       vector.transfer_read %[[OUT]][%c48, %c0], {{.*}} {in_bounds = [false, true]} : memref<49x16xf32>, vector<16x16xf32>
// CHECK:       vector.transfer_write {{.*}}[%c0, %c48] {in_bounds = [true, false]} : vector<16x16xf32>, tensor<16x49xf32>
// CHECK:       scf.forall.in_parallel
// OFF-LABEL:   func.func @lanes
// OFF:         scf.forall (%{{.*}}) in (32)
// OFF-NOT:     memref.alloca
// OFF:         return
func.func @lanes(%x: tensor<1x32x7x7xf32>, %w: tensor<32x3x3xf32>, %b: tensor<32xf32>) -> tensor<1x32x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x7x7xf32> to tensor<1x32x9x9xf32>
  %e = tensor.empty() : tensor<1x32x7x7xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x32x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x32x7x7xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w : tensor<1x32x9x9xf32>, tensor<32x3x3xf32>) outs(%init : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  return %c : tensor<1x32x7x7xf32>
}

// A stride-2 window reads its pixels in place (rows oh * 2 + kh), and the
// consumer (a residual and a clamp) runs on the transposed 16x16 tiles,
// reading the residual's tiles at the same place.
// CHECK-LABEL: func.func @lanes_residual_s2
// CHECK:       memref.alloca() {alignment = 64 : i64} : memref<15x15x16xf32>
// CHECK:       affine.apply #{{.*}}(%{{.*}})
// CHECK:       vector.transfer_read {{.*}} : tensor<1x16x49xf32>, vector<16x16xf32>
// CHECK:       arith.addf {{.*}} : vector<16x16xf32>
// CHECK:       arith.minimumf {{.*}} : vector<16x16xf32>
// CHECK-NOT:   linalg.generic
// CHECK:       return
func.func @lanes_residual_s2(%x: tensor<1x16x14x14xf32>, %w: tensor<16x3x3xf32>, %r: tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x16x14x14xf32> to tensor<1x16x16x16xf32>
  %e = tensor.empty() : tensor<1x16x7x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%p, %w : tensor<1x16x16x16xf32>, tensor<16x3x3xf32>) outs(%init : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c, %r : tensor<1x16x7x7xf32>, tensor<1x16x7x7xf32>) outs(%e : tensor<1x16x7x7xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    %m = arith.minimumf %s, %six : f32
    linalg.yield %m : f32
  } -> tensor<1x16x7x7xf32>
  return %y : tensor<1x16x7x7xf32>
}

// Channels that are not a multiple of 16: flattened planes, one per channel.
// CHECK-LABEL: func.func @odd_channels
// CHECK:       scf.forall (%{{.*}}) in (24)
// CHECK-NOT:   memref.alloca
// CHECK:       return
func.func @odd_channels(%x: tensor<1x24x7x7xf32>, %w: tensor<24x3x3xf32>) -> tensor<1x24x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x24x7x7xf32> to tensor<1x24x9x9xf32>
  %e = tensor.empty() : tensor<1x24x7x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x24x7x7xf32>) -> tensor<1x24x7x7xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w : tensor<1x24x9x9xf32>, tensor<24x3x3xf32>) outs(%init : tensor<1x24x7x7xf32>) -> tensor<1x24x7x7xf32>
  return %c : tensor<1x24x7x7xf32>
}

// Padding with another value stays the input's own (lowered like any
// tensor.pad): the buffer holds the padded plane from its first pixel.
// CHECK-LABEL: func.func @padded_by_one
// CHECK:       memref.alloca() {alignment = 64 : i64} : memref<9x9x16xf32>
// CHECK:       vector.transfer_write %{{.*}}, %{{.*}}[%c0, %c0, %c0] {in_bounds = [true]} : vector<16xf32>
// CHECK:       return
func.func @padded_by_one(%x: tensor<1x16x7x7xf32>, %w: tensor<16x3x3xf32>) -> tensor<1x16x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %one : f32
  } : tensor<1x16x7x7xf32> to tensor<1x16x9x9xf32>
  %e = tensor.empty() : tensor<1x16x7x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w : tensor<1x16x9x9xf32>, tensor<16x3x3xf32>) outs(%init : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  return %c : tensor<1x16x7x7xf32>
}
