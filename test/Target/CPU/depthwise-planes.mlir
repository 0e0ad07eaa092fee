// A stride-1 depthwise convolution on a 7x7 map runs over flattened planes:
// its input's padding grows by one zero row (9x9 -> 10x9, 90 values per
// channel), the bias fills a 64-lane accumulator per channel (7 output rows
// of 9 positions, padded to 4 vectors), and each of the 9 taps is one
// 64-lane multiply-add at offset kh * 9 + kw, unrolled with the accumulator
// in registers; the 7x7 outputs are a strided view of it.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false" --canonicalize | FileCheck %s
// flat-depthwise-max-width=0 keeps the convolution row by row.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="distribute=false flat-depthwise-max-width=0" --canonicalize | FileCheck %s --check-prefix=ROWS

// CHECK-LABEL: func.func @planes
// CHECK:       tensor.empty() : tensor<1x32x10x9xf32>
// CHECK:       %[[FLAT:.*]] = tensor.collapse_shape {{.*}} into tensor<1x32x90xf32>
// CHECK:       vector.broadcast {{.*}} to vector<1x1x64xf32>
// CHECK:       scf.for
// CHECK-COUNT-9: vector.transfer_read %[[FLAT]]{{.*}} : tensor<1x32x90xf32>, vector<64xf32>
// CHECK:       %[[VIEW:.*]] = tensor.expand_shape {{.*}} into tensor<1x32x7x9xf32>
// CHECK:       tensor.extract_slice %[[VIEW]][0, 0, 0, 0] [1, 32, 7, 7] [1, 1, 1, 1]
// ROWS-LABEL: func.func @planes
// ROWS-NOT:   tensor<1x32x90xf32>
// ROWS:       vector<7xf32>
#bias = affine_map<(d0, d1, d2, d3) -> (d1)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @planes(%x: tensor<1x32x7x7xf32>, %w: tensor<32x3x3xf32>, %b: tensor<32xf32>) -> tensor<1x32x7x7xf32> {
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

// An activation that reads only the convolution runs on the flat rows too
// (64-lane vectors, not rows of 7), before the 7x7 view is taken; a
// constant init is a fill of the flat accumulator.
// CHECK-LABEL: func.func @planes_relu
// CHECK:       vector.transfer_read {{.*}} : tensor<1x32x90xf32>, vector<64xf32>
// CHECK:       arith.maximumf {{.*}} : vector<1x1x64xf32>
// CHECK:       tensor.expand_shape {{.*}} into tensor<1x32x7x9xf32>
// CHECK-NOT:   linalg.generic
// CHECK:       return
func.func @planes_relu(%x: tensor<1x32x7x7xf32>, %w: tensor<32x3x3xf32>) -> tensor<1x32x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x7x7xf32> to tensor<1x32x9x9xf32>
  %e = tensor.empty() : tensor<1x32x7x7xf32>
  %init = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%e : tensor<1x32x7x7xf32>) {
  ^bb0(%out: f32):
    linalg.yield %zero : f32
  } -> tensor<1x32x7x7xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%p, %w : tensor<1x32x9x9xf32>, tensor<32x3x3xf32>) outs(%init : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x32x7x7xf32>) outs(%e : tensor<1x32x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x32x7x7xf32>
  return %r : tensor<1x32x7x7xf32>
}
