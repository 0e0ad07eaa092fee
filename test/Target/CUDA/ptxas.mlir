// REQUIRES: ptxas
// RUN: hcc-opt %s --hcc-cuda-codegen-pipeline | hcc-translate --emit-cuda-section | FileCheck %s

// With the CUDA toolkit present, the section carries cubins that ptxas
// assembled for sm_80 and sm_90, and each kernel's registers and spills:
// the matmul and convolution kernels use registers only (no spills).
// CHECK:      "format": "hcc-cuda/1",
// CHECK-NEXT: "ptx_arch": "sm_80",
// CHECK:      "cubins": {
// CHECK-NEXT:  "sm_80": "{{[A-Za-z0-9+/]+=*}}",
// CHECK-NEXT:  "sm_90": "{{[A-Za-z0-9+/]+=*}}"
// CHECK:      "resources": {
// CHECK-NOT:  "spill_bytes": {{[1-9]}}
// The convolution's contraction after im2col (stage 3, with its bias and
// ReLU) and the matmul
// (its only stage: the zero fill starts the accumulators) are the
// shared-memory tiled kernels.
// CHECK:       "k0_conv_s3": {
// CHECK-NEXT:   "sm_80": {
// CHECK-NEXT:    "registers": {{[1-9][0-9]*}},
// CHECK-NEXT:    "spill_bytes": 0
// CHECK-NEXT:   },
// CHECK-NEXT:   "sm_90": {
// CHECK-NEXT:    "registers": {{[1-9][0-9]*}},
// CHECK-NEXT:    "spill_bytes": 0
// CHECK-NOT:  "spill_bytes": {{[1-9]}}
// CHECK:       "k1_mm_s0": {
// CHECK-NEXT:   "sm_80": {
// CHECK-NEXT:    "registers": {{[1-9][0-9]*}},
// CHECK-NEXT:    "spill_bytes": 0
// CHECK-NEXT:   },
// CHECK-NEXT:   "sm_90": {
// CHECK-NEXT:    "registers": {{[1-9][0-9]*}},
// CHECK-NEXT:    "spill_bytes": 0
// CHECK-NOT:  "spill_bytes": {{[1-9]}}
// CHECK:      "kernels": {
module {
  func.func @k0_conv(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x16x16xf32> attributes {exec.kernel} {
    %0 = graph.Conv(%x, %w, %b) {pads = [1, 1, 1, 1]} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
    %1 = graph.Relu(%0) : (tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
    return %1 : tensor<1x16x16x16xf32>
  }
  func.func @k1_mm(%a: tensor<64x96xf32>, %b: tensor<96x32xf32>) -> tensor<64x32xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x32xf32>) -> tensor<64x32xf32>
    return %0 : tensor<64x32xf32>
  }
}
