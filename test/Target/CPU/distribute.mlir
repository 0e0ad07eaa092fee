// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 task-cols=0" --canonicalize | FileCheck %s
// With several column tiles per task (task-cols, the default 256):
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0" --canonicalize | FileCheck %s --check-prefix=TASKS
// AVX2 tiles (4 x 16):
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 tile-m=4 tile-n=16 vector-width=8 wide-tile-max-acc=12" --canonicalize | FileCheck %s --check-prefix=BLOCKS

// Distribution (scf.forall tiles for the runtime's threads) and the
// epilogues fused into the distributed tiles of contractions and depthwise
// convolutions.

// 1x1 convolution + bias + clip: the distributed tiles are (32 columns x all
// 64 rows) blocks; the bias initializes each register tile's accumulators
// (K = 16 is not split) and the clip finishes the block inside the same
// scf.forall.
// A column tile of this convolution is only 64 x 16 x 32 multiply-adds: a
// task takes 4 of them (8 tasks remain), its epilogue 128 columns at once.
// TASKS-LABEL: func.func @conv1x1_bias_relu6
// TASKS:         scf.forall (%{{.*}}) = (0) to (1024) step (128) shared_outs
// TASKS:           vector.contract {{.*}} into vector<1x8x32xf32>
// TASKS:           arith.minimumf {{.*}} : vector<1x8x32xf32>
// CHECK-LABEL: func.func @conv1x1_bias_relu6
// CHECK-NOT:     linalg.generic
// CHECK:         scf.forall (%[[N:.*]]) = (0) to (1024) step (32) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<1x64x1024xf32>)
// CHECK:           vector.broadcast {{.*}} : vector<8xf32> to vector<1x32x8xf32>
// CHECK:           vector.transpose {{.*}} to vector<1x8x32xf32>
// CHECK:           vector.contract {{.*}} into vector<1x8x32xf32>
// The clamp finishes the register tile in place: no temporary, no second
// pass over the task's tile.
// CHECK:           arith.maximumf {{.*}} : vector<1x8x32xf32>
// CHECK:           arith.minimumf {{.*}} : vector<1x8x32xf32>
// CHECK-NEXT:      vector.transfer_write
// CHECK:           scf.forall.in_parallel
// CHECK:         tensor.expand_shape
// CHECK-NOT:     linalg.generic
func.func @conv1x1_bias_relu6(%x: tensor<1x16x32x32xf32>, %w: tensor<64x16x1x1xf32>,
                              %b: tensor<64xf32>) -> tensor<1x64x32x32xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<1x64x32x32xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>],
                          iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : tensor<64xf32>) outs(%e : tensor<1x64x32x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x64x32x32xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %w : tensor<1x16x32x32xf32>, tensor<64x16x1x1xf32>) outs(%init : tensor<1x64x32x32xf32>) -> tensor<1x64x32x32xf32>
  %act = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>],
                         iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<1x64x32x32xf32>) outs(%e : tensor<1x64x32x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %zero : f32
    %1 = arith.minimumf %0, %six : f32
    linalg.yield %1 : f32
  } -> tensor<1x64x32x32xf32>
  return %act : tensor<1x64x32x32xf32>
}

// Depthwise 3x3: one task per channel over its flattened plane, chunks of
// 128 outputs with the 9 kernel taps' multiply-adds (accumulator in
// registers).
// CHECK-LABEL: func.func @depthwise
// CHECK:         scf.forall (%{{.*}}) in (16)
// CHECK:           scf.for
// CHECK-COUNT-9:     arith.mulf {{.*}} : vector<128xf32>
// CHECK:           scf.forall.in_parallel
func.func @depthwise(%x: tensor<1x16x34x34xf32>, %w: tensor<16x3x3xf32>,
                     %init: tensor<1x16x32x32xf32>) -> tensor<1x16x32x32xf32> {
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %w : tensor<1x16x34x34xf32>, tensor<16x3x3xf32>) outs(%init : tensor<1x16x32x32xf32>) -> tensor<1x16x32x32xf32>
  return %0 : tensor<1x16x32x32xf32>
}

// Matmul with few columns: M is split into blocks too (16 tiles in all).
// CHECK-LABEL: func.func @narrow
// CHECK:         scf.forall (%{{.*}}) = (0) to (128) step (8)
// CHECK:           vector.contract {{.*}} into vector<8x32xf32>
func.func @narrow(%a: tensor<128x64xf32>, %b: tensor<64x32xf32>,
                  %c: tensor<128x32xf32>) -> tensor<128x32xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<128x64xf32>, tensor<64x32xf32>)
                     outs(%c : tensor<128x32xf32>) -> tensor<128x32xf32>
  return %0 : tensor<128x32xf32>
}

// Blocks of rows are the tasks and the threads should share them evenly:
// 1000 rows (a multiple of 4 blocks is not possible) are 10 blocks of 100,
// not 5 of 200 that two threads split 3:2.
// BLOCKS-LABEL: func.func @narrow_odd_rows
// BLOCKS:         scf.forall (%{{.*}}) = (0) to (1000) step (100)
// With AVX-512's 8-row tiles no even number of blocks is a multiple of 8
// rows (1000 = 5 x 200, 25 x 40, 125 x 8): blocks of half tiles, 10 of 100
// rows, which register tiles of 10 rows cover without a short tile.
// TASKS-LABEL: func.func @narrow_odd_rows
// TASKS:         scf.forall (%{{.*}}) = (0) to (1000) step (100)
// TASKS:           scf.for %{{.*}} = %c0 to %c100 step %c10 {{.*}} -> (tensor<100x32xf32>)
// TASKS:             vector<10x32xf32>
// BLOCKS-LABEL: func.func @maxpool
func.func @narrow_odd_rows(%a: tensor<1000x64xf32>, %b: tensor<64x169xf32>,
                           %c: tensor<1000x169xf32>) -> tensor<1000x169xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<1000x64xf32>, tensor<64x169xf32>)
                     outs(%c : tensor<1000x169xf32>) -> tensor<1000x169xf32>
  return %0 : tensor<1000x169xf32>
}

// A max pool's channels are distributed, each over its flattened plane.
// CHECK-LABEL: func.func @maxpool
// CHECK:         scf.forall (%{{.*}}) in (64)
// CHECK-NOT:       linalg.pooling_nchw_max
// CHECK:           arith.maximumf {{.*}} : vector<128xf32>
func.func @maxpool(%x: tensor<1x64x34x34xf32>, %init: tensor<1x64x32x32xf32>) -> tensor<1x64x32x32xf32> {
  %k = tensor.empty() : tensor<3x3xf32>
  %0 = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %k : tensor<1x64x34x34xf32>, tensor<3x3xf32>) outs(%init : tensor<1x64x32x32xf32>) -> tensor<1x64x32x32xf32>
  return %0 : tensor<1x64x32x32xf32>
}

// Small ops stay on one thread.
// CHECK-LABEL: func.func @small
// CHECK-NOT:     scf.forall
func.func @small(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = linalg.add ins(%a, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%a : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// A GEMM whose A (4 MiB) does not stay in L2 from task to task: tasks of
// 256 x 256 (8 column tiles, blocks of rows to keep 16 tasks), each sweeping
// its columns for every L2 block of A.
// TASKS-LABEL: func.func @large_gemm
// TASKS: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (1024, 1024) step (256, 256)
// CHECK-LABEL: func.func @large_gemm
// CHECK: scf.forall (%{{.*}}) = (0) to (1024) step (32)
func.func @large_gemm(%a: tensor<1024x1024xf32>, %b: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1024x1024xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %c = linalg.matmul ins(%a, %b : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%init : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %c : tensor<1024x1024xf32>
}

// An im2col copy made whole (not in row blocks: 27 x 12321 floats, no
// block of whole vectors) runs a task per (channel, tap) plane, its rows an
// scf.for: a task per row would delinearize its index into five loops'.
// CHECK-LABEL: func.func @im2col_plane_tasks
// CHECK:         scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (3, 3, 3) shared_outs(%{{.*}}) -> (tensor<1x3x3x3x111x111xf32>)
// CHECK:           tensor.extract_slice {{.*}} [1, 1, 1, 1, 111, 111]
// CHECK-NEXT:      scf.for %{{.*}} = %c0 to %c111 step %c1
// CHECK:             tensor<1x1x1x1x1x111xf32>
func.func @im2col_plane_tasks(%x: tensor<1x3x223x223xf32>, %w: tensor<64x3x3x3xf32>) -> tensor<1x64x111x111xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x111x111xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x64x111x111xf32>) -> tensor<1x64x111x111xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
    ins(%x, %w : tensor<1x3x223x223xf32>, tensor<64x3x3x3xf32>) outs(%f : tensor<1x64x111x111xf32>) -> tensor<1x64x111x111xf32>
  return %conv : tensor<1x64x111x111xf32>
}
