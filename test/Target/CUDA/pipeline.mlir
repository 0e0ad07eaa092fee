// RUN: hcc-opt %s --hcc-cuda-codegen-pipeline="block-size=128" | FileCheck %s --check-prefix=IR
// RUN: hcc-opt %s --hcc-cuda-codegen-pipeline="block-size=128" | hcc-translate --emit-cuda-ptx | FileCheck %s --check-prefix=PTX

// The whole phase: graph kernels -> GPU-shaped stages -> one gpu.module of
// NVVM kernels -> PTX (a gpu.binary), with the kernel table the runtime's
// CUDA driver launches from (one thread per output, blocks of 128).
// The matmul: 2 x 4 blocks of 256 threads, each a 64 x 64 tile staged
// through double-buffered shared memory by cp.async copies, the next k
// step's in flight while this one multiplies: A one element per copy (its
// tile is transposed), B 16 bytes per copy (contiguous along n like its
// tile; bypassing L1). Its zero fill starts the accumulators (no stage of
// its own).
// IR:      hcc.opencl.kernels = {hcc_k0_mm = {num_args = 3 : i64, scratch = [], stages = [{args = [0, 1, 2], entry = "k0_mm_s0", global_size = 2048 : i64, local_size = 256 : i64}]}
// IR:      gpu.binary @hcc_cuda  [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">, {{.*}}assembly = "

// PTX:      .version 8.0
// PTX:      .target sm_80
// PTX:      .entry k0_mm_s0(
// PTX:        .maxntid 256, 1, 1
// PTX:        .shared .align 16 .b8 __wg_k0_mm_s0_0[8192];
// PTX:        .shared .align 16 .b8 __wg_k0_mm_s0_1[8192];
// PTX:        mov.u32 {{.*}}%ctaid.x
// PTX:        mov.u32 {{.*}}%tid.x
// PTX:        cp.async.ca.shared.global [{{.*}}], [{{.*}}], 4, 4;
// PTX:        cp.async.cg.shared.global [{{.*}}], [{{.*}}], 16, 16;
// PTX:        cp.async.commit_group;
// PTX:        cp.async.ca.shared.global
// PTX:        cp.async.cg.shared.global
// PTX-NEXT:   cp.async.commit_group;
// PTX-NEXT:   cp.async.wait_group 1;
// PTX-NEXT:   bar.sync 0;
// PTX:        ld.shared
// PTX:        mul.rn.f32
// PTX:        add.rn.f32
// PTX:        bar.sync 0;
// PTX:        st.global.b32
// PTX:      .entry k1_softmax_s0(
// PTX:        ex2.approx
module {
  func.func @k0_mm(%a: tensor<128x32xf32>, %b: tensor<32x256xf32>) -> tensor<128x256xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<128x32xf32>, tensor<32x256xf32>) -> tensor<128x256xf32>
    return %0 : tensor<128x256xf32>
  }
  func.func @k1_softmax(%x: tensor<4x10xf32>) -> tensor<4x10xf32> attributes {exec.kernel} {
    %0 = graph.Softmax(%x) {axis = -1 : i64} : (tensor<4x10xf32>) -> tensor<4x10xf32>
    return %0 : tensor<4x10xf32>
  }
}
