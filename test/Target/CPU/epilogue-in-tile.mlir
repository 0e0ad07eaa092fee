// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s

// The elementwise epilogue of a contraction (a residual add and a ReLU)
// finishes each register tile in place: it runs on the accumulators right
// after the K loop, reading the residual's tile, and the tile is stored
// once, into the output (no temporary the size of the output, no second
// pass over the task's tile).

#bias = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_bias_residual_relu
// CHECK:         tensor.empty() : tensor<64x1024xf32>
// CHECK-NOT:     tensor.empty() : tensor<64x1024xf32>
// CHECK:         scf.forall
// CHECK:           scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<8x32xf32>)
// CHECK:             vector.contract
// CHECK:           %[[RES:.*]] = vector.transfer_read {{.*}} : tensor<64x1024xf32>, vector<8x32xf32>
// CHECK:           arith.addf {{.*}}%[[RES]]{{.*}} : vector<8x32xf32>
// CHECK:           arith.maximumf {{.*}} : vector<8x32xf32>
// CHECK-NEXT:      vector.transfer_write
// CHECK-NOT:       arith.maximumf
// CHECK:           scf.forall.in_parallel
func.func @matmul_bias_residual_relu(%a: tensor<64x64xf32>,
                                     %b: tensor<64x1024xf32>,
                                     %bias: tensor<64xf32>,
                                     %res: tensor<64x1024xf32>)
    -> tensor<64x1024xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x1024xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id],
                          iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%e : tensor<64x1024xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x1024xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x1024xf32>)
                      outs(%init : tensor<64x1024xf32>) -> tensor<64x1024xf32>
  %out = linalg.generic {indexing_maps = [#id, #id, #id],
                         iterator_types = ["parallel", "parallel"]}
      ins(%mm, %res : tensor<64x1024xf32>, tensor<64x1024xf32>)
      outs(%e : tensor<64x1024xf32>) {
  ^bb0(%x: f32, %r: f32, %o: f32):
    %s = arith.addf %x, %r : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<64x1024xf32>
  return %out : tensor<64x1024xf32>
}

// K split into cache blocks (768 = 512 + 256 > cache-k): the epilogue waits for the
// last block and runs as rows of the column strip, in place.
// CHECK-LABEL: func.func @k_blocks
// CHECK:         scf.forall
// CHECK-NOT:       arith.maximumf
// CHECK:           vector.contract {{.*}} into vector<8x32xf32>
// CHECK-NOT:       arith.maximumf
// CHECK:           vector.contract {{.*}} into vector<8x32xf32>
// CHECK:           scf.for {{.*}} step %c1
// CHECK:             arith.addf {{.*}} : vector<1x32xf32>
// CHECK:             arith.maximumf {{.*}} : vector<1x32xf32>
// CHECK:           scf.forall.in_parallel
func.func @k_blocks(%a: tensor<64x768xf32>,
                                     %b: tensor<768x1024xf32>,
                                     %bias: tensor<64xf32>,
                                     %res: tensor<64x1024xf32>)
    -> tensor<64x1024xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x1024xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id],
                          iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%e : tensor<64x1024xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x1024xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<64x768xf32>, tensor<768x1024xf32>)
                      outs(%init : tensor<64x1024xf32>) -> tensor<64x1024xf32>
  %out = linalg.generic {indexing_maps = [#id, #id, #id],
                         iterator_types = ["parallel", "parallel"]}
      ins(%mm, %res : tensor<64x1024xf32>, tensor<64x1024xf32>)
      outs(%e : tensor<64x1024xf32>) {
  ^bb0(%x: f32, %r: f32, %o: f32):
    %s = arith.addf %x, %r : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<64x1024xf32>
  return %out : tensor<64x1024xf32>
}

// A's rows in L2 blocks (cache-m 128) that divide M: 192 rows are two
// blocks of 96, not 128 + 64, whose partial block had a dynamic shape that
// kept the ReLU out of the register tiles (a second pass over each column
// strip).
// CHECK-LABEL: func.func @l2_blocks_relu
// CHECK:         scf.forall
// CHECK:           scf.for {{.*}} = %c0 to %c192 step %c96
// CHECK:             scf.for {{.*}} = %c0 to %c96 step %c8
// CHECK:               %[[ACC:.*]] = scf.for {{.*}} -> (vector<8x32xf32>)
// CHECK:               arith.maximumf %[[ACC]], {{.*}} : vector<8x32xf32>
// CHECK-NEXT:          vector.transfer_write
// CHECK-NOT:       arith.maximumf
// CHECK:           scf.forall.in_parallel
func.func @l2_blocks_relu(%a: tensor<192x64xf32>, %b: tensor<64x1024xf32>)
    -> tensor<192x1024xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<192x1024xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<192x1024xf32>)
      -> tensor<192x1024xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<192x64xf32>, tensor<64x1024xf32>)
                      outs(%f : tensor<192x1024xf32>) -> tensor<192x1024xf32>
  %out = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<192x1024xf32>) outs(%e : tensor<192x1024xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<192x1024xf32>
  return %out : tensor<192x1024xf32>
}
