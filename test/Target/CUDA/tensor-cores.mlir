// RUN: hcc-opt %s --hcc-cuda-codegen-pipeline="precision=tf32" | hcc-translate --emit-cuda-ptx | FileCheck %s --check-prefix=TF32
// RUN: hcc-opt %s --hcc-cuda-codegen-pipeline="precision=fp16" | hcc-translate --emit-cuda-ptx | FileCheck %s --check-prefix=FP16
// RUN: hcc-opt %s --hcc-cuda-codegen-pipeline="precision=bf16" | hcc-translate --emit-cuda-ptx | FileCheck %s --check-prefix=BF16
// RUN: hcc-opt %s --hcc-cuda-codegen-pipeline | hcc-translate --emit-cuda-ptx | FileCheck %s --check-prefix=FP32
// RUN: hcc-opt %s --hcc-cuda-codegen-pipeline="precision=tf32" --mlir-print-ir-after=hcc-cuda-mma-contractions -o /dev/null 2>&1 | FileCheck %s --check-prefix=IR

// With a lower precision the matmul and the convolution (after im2col) run
// on tensor cores: blocks of four warps, 16-deep A and B slices in shared
// memory, mma.sync 16x8x8 on tf32 or 16x8x16 on f16/bf16 operands, f32
// accumulators. fp32 (the default) stays exact, on CUDA cores.
// IR:       scf.execute_region no_inline {
// IR:         %[[LANE:.*]] = arith.remsi %{{.*}}, %c32
// IR:         nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 8], tf32Enabled} : (vector<4x1xf32>, vector<2x1xf32>, vector<2x2xf32>) -> vector<2x2xf32>
// IR:       } {hcc.gpu.launch = {block = 128 : i64, grid = 2 : i64}}

// TF32:     .entry k0_conv_s{{[0-9]+}}(
// TF32:       .shared
// TF32:       bar.sync 0;
// TF32:       mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32
// TF32:     .entry k1_mm_s0(
// TF32:       mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32

// FP16:     .entry k1_mm_s0(
// FP16:       cvt.rn.f16.f32
// FP16:       mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32

// BF16:     .entry k1_mm_s0(
// BF16:       cvt.rn.bf16.f32
// BF16:       mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32

// FP32-NOT:  mma.sync
module {
  func.func @k0_conv(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x16x16xf32> attributes {exec.kernel} {
    %0 = graph.Conv(%x, %w, %b) {pads = [1, 1, 1, 1]} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
    return %0 : tensor<1x16x16x16xf32>
  }
  func.func @k1_mm(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
}
