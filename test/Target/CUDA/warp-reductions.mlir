// RUN: hcc-opt %s --hcc-cuda-codegen-pipeline | hcc-translate --emit-cuda-ptx | FileCheck %s

// Long reductions are warp reductions on CUDA: each thread folds a strided
// share, butterfly shuffles (shfl.sync.bfly, offsets 16 down to 1) fold
// each warp, lane 0 of each warp writes its total to shared memory (8
// warps of a 256-thread block), and the warps' totals fold by shuffles
// again. 64-bit values have no 32-bit shuffle: they fold through the tree.
// The zero fill of the output and the copy to the result (the keepdims
// view) are part of the reduction kernel: one stage each.
// (OpenCL runs the same logic with warp-reductions=1, see
// test/Target/OpenCL/gpu-shape-run.test.)
// CHECK-LABEL: .entry k0_sum_s0(
// CHECK:         .shared .align 16 .b8 __wg_k0_sum_s0_0[32];
// CHECK:         shfl.sync.bfly.b32 {{.*}}, 16, 31, -1;
// CHECK:         shfl.sync.bfly.b32 {{.*}}, 8, 31, -1;
// CHECK:         shfl.sync.bfly.b32 {{.*}}, 4, 31, -1;
// CHECK:         shfl.sync.bfly.b32 {{.*}}, 2, 31, -1;
// CHECK:         shfl.sync.bfly.b32 {{.*}}, 1, 31, -1;
// CHECK:         bar.sync 0;
// CHECK:         shfl.sync.bfly.b32 {{.*}}, 4, 31, -1;
// CHECK:         shfl.sync.bfly.b32 {{.*}}, 2, 31, -1;
// CHECK:         shfl.sync.bfly.b32 {{.*}}, 1, 31, -1;
// CHECK-NOT:   .entry k0_sum_s1(
// CHECK-LABEL: .entry k1_sum64_s0(
// CHECK-NOT:     shfl.sync
// CHECK:         .shared .align 16 .b8 __wg_k1_sum64_s0_0[2048];
// CHECK-NOT:     shfl.sync
// CHECK:         bar.sync 0;
// CHECK-NOT:     shfl.sync
// CHECK:         ret;
// CHECK-NOT:   .entry k1_sum64_s1(
module {
  func.func @k0_sum(%x: tensor<4x5000xf32>, %axes: tensor<1xi64>) -> tensor<4x1xf32> attributes {exec.kernel} {
    %0 = graph.ReduceSum(%x, %axes) : (tensor<4x5000xf32>, tensor<1xi64>) -> tensor<4x1xf32>
    return %0 : tensor<4x1xf32>
  }
  func.func @k1_sum64(%x: tensor<4x5000xi64>, %axes: tensor<1xi64>) -> tensor<4x1xi64> attributes {exec.kernel} {
    %0 = graph.ReduceSum(%x, %axes) : (tensor<4x5000xi64>, tensor<1xi64>) -> tensor<4x1xi64>
    return %0 : tensor<4x1xi64>
  }
}
