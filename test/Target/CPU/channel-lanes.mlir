// A convolution with at most channel-lanes-max-pixels output pixels and a
// multiple of tile-n filters runs with its output channels as the vector
// lanes: rows of the register tile are output pixels (broadcasts of the
// im2col matrix read in place), B is the filter transposed (a constant
// when the filter is one), and the result goes back to NCHW in 16 x 16
// transposed tiles that carry the convolution's elementwise consumer.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s
// channel-lanes-max-pixels=0: lanes along the pixels, as for large maps.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="channel-lanes-max-pixels=0" --canonicalize | FileCheck %s --check-prefix=OFF
// Fewer pixels than the knob allows: 24 < 25.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="channel-lanes-max-pixels=24" --canonicalize | FileCheck %s --check-prefix=OFF
// A larger L1: K blocks of cache-k steps at most, splitting K evenly.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="l1-kib=512" --canonicalize | FileCheck %s --check-prefix=BIGL1

// 3x3 over 7x7 (25 pixels), constant filter, bias and ReLU.
// CHECK-LABEL: func.func @lanes
// CHECK:       vector.contract {{.*}} : vector<1x4x8xf32>, vector<4x32xf32> into vector<1x8x32xf32>
// CHECK:       vector.contract {{.*}} : vector<1x4x1xf32>, vector<4x32xf32> into vector<1x1x32xf32>
// CHECK:       %[[T:.*]] = vector.transfer_read {{.*}} : tensor<1x25x32xf32>, vector<1x16x16xf32>
// CHECK:       %[[R:.*]] = arith.maximumf %[[T]], {{.*}} : vector<1x16x16xf32>
// CHECK:       vector.transpose %[[R]], [0, 2, 1] : vector<1x16x16xf32> to vector<1x16x16xf32>
// OFF-LABEL:   func.func @lanes
// OFF-NOT:     vector<4x32xf32> into vector<1x8x32xf32>
// OFF:         vector.contract {{.*}} into vector<1x8x16xf32>
func.func @lanes(%x: tensor<1x16x7x7xf32>, %bias: tensor<32xf32>) -> tensor<1x32x5x5xf32> {
  %w = arith.constant dense<0.5> : tensor<32x16x3x3xf32>
  %e = tensor.empty() : tensor<1x32x5x5xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bias : tensor<32xf32>) outs(%e : tensor<1x32x5x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x32x5x5xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w : tensor<1x16x7x7xf32>, tensor<32x16x3x3xf32>) outs(%b : tensor<1x32x5x5xf32>) -> tensor<1x32x5x5xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<1x32x5x5xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x32x5x5xf32>) outs(%e2 : tensor<1x32x5x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x32x5x5xf32>
  return %r : tensor<1x32x5x5xf32>
}

// 1x1 over 7x7 (49 pixels): the input is the im2col matrix, read in place;
// a filter that is not a constant is transposed at run time (16 x 16
// tiles). The 49 rows are register tiles of 10 rows and a last one of 9,
// not of 8 and a last one of 1 (bound by its two accumulators' latency).
// CHECK-LABEL: func.func @pointwise_arg_filter
// CHECK:       vector.transfer_read {{.*}} : tensor<32x64xf32>, vector<16x16xf32>
// CHECK:       vector.transpose {{.*}}, [1, 0] : vector<16x16xf32> to vector<16x16xf32>
// CHECK:       vector.transfer_read {{.*}} : tensor<1x64x49xf32>, vector<1x4x10xf32>
// CHECK:       vector.contract {{.*}} : vector<1x4x10xf32>, vector<4x32xf32> into vector<1x10x32xf32>
// CHECK:       vector.contract {{.*}} : vector<1x4x9xf32>, vector<4x32xf32> into vector<1x9x32xf32>
// CHECK-NOT:   into vector<1x1x32xf32>
// CHECK:       vector.transfer_read {{.*}} : tensor<1x49x32xf32>, vector<1x16x16xf32>
// CHECK:       vector.transpose {{.*}}, [0, 2, 1] : vector<1x16x16xf32> to vector<1x16x16xf32>
// OFF-LABEL:   func.func @pointwise_arg_filter
// OFF-NOT:     vector<1x8x32xf32>
// OFF:         return
func.func @pointwise_arg_filter(%x: tensor<1x64x7x7xf32>, %w: tensor<32x64x1x1xf32>) -> tensor<1x32x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x32x7x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w : tensor<1x64x7x7xf32>, tensor<32x64x1x1xf32>) outs(%f : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  return %c : tensor<1x32x7x7xf32>
}

// 48 filters are not whole column tiles of 32: lanes along the pixels.
// CHECK-LABEL: func.func @odd_filters
// CHECK-NOT:   vector<4x32xf32> into vector<1x8x32xf32>
// CHECK:       return
func.func @odd_filters(%x: tensor<1x16x7x7xf32>, %w: tensor<48x16x1x1xf32>) -> tensor<1x48x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x48x7x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x48x7x7xf32>) -> tensor<1x48x7x7xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w : tensor<1x16x7x7xf32>, tensor<48x16x1x1xf32>) outs(%f : tensor<1x48x7x7xf32>) -> tensor<1x48x7x7xf32>
  return %c : tensor<1x48x7x7xf32>
}

// 960 input channels: the register tiles read a slice of each of A's rows
// (960 rows 196 bytes apart) and their neighbours the rest of its lines,
// so a K block's live lines of A (two per row) and B panel (32 lanes) take
// half of l1-kib (32): 16 KiB / 256 bytes = 64 steps, not cache-k (512).
// With l1-kib=512 cache-k bounds the block: 960 = 2 x 480.
// CHECK-LABEL: func.func @deep_pointwise
// CHECK:       scf.for {{.*}} = %c0 to %c960 step %c64
// CHECK:       vector.contract {{.*}} : vector<1x4x10xf32>, vector<4x32xf32> into vector<1x10x32xf32>
// BIGL1-LABEL: func.func @deep_pointwise
// BIGL1:       scf.for {{.*}} = %c0 to %c960 step %c480
// BIGL1:       vector.contract {{.*}} into vector<1x10x32xf32>
func.func @deep_pointwise(%x: tensor<1x960x7x7xf32>, %w: tensor<32x960x1x1xf32>) -> tensor<1x32x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x32x7x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w : tensor<1x960x7x7xf32>, tensor<32x960x1x1xf32>) outs(%f : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  return %c : tensor<1x32x7x7xf32>
}
