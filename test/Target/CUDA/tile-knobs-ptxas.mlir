// REQUIRES: ptxas
// RUN: hcc-opt %s --hcc-cuda-codegen-pipeline | hcc-translate --emit-cuda-section | FileCheck %s

// Kernels tuned to corners of the CUDA target's search space (the
// shared-memory contraction tiles' knobs) assemble for sm_80 and sm_90
// without spills, and launch (block-m / thread-m) x (block-n / thread-n)
// threads per block.
// CHECK:      "cubins": {
// CHECK-NEXT:  "sm_80": "{{[A-Za-z0-9+/]+=*}}",
// CHECK-NEXT:  "sm_90": "{{[A-Za-z0-9+/]+=*}}"
// CHECK-NOT:  "spill_bytes": {{[1-9]}}
// CHECK:      "kernels": {
// CHECK:        "hcc_k0_wide": {
// CHECK:          "local_size": 256
// CHECK:        "hcc_k1_deep": {
// CHECK:          "local_size": 1024
// CHECK:        "hcc_k2_large": {
// CHECK:          "local_size": 256
module {
  func.func @k0_wide(%a: tensor<128x96xf32>, %b: tensor<96x256xf32>) -> tensor<128x256xf32> attributes {exec.kernel, exec.knobs = {"block-m" = 32 : i64, "block-n" = 128 : i64, "block-k" = 8 : i64, "thread-m" = 2 : i64, "thread-n" = 8 : i64}} {
    %0 = graph.MatMul(%a, %b) : (tensor<128x96xf32>, tensor<96x256xf32>) -> tensor<128x256xf32>
    return %0 : tensor<128x256xf32>
  }
  func.func @k1_deep(%a: tensor<128x96xf32>, %b: tensor<96x256xf32>) -> tensor<128x256xf32> attributes {exec.kernel, exec.knobs = {"block-m" = 64 : i64, "block-n" = 64 : i64, "block-k" = 32 : i64, "thread-m" = 2 : i64, "thread-n" = 2 : i64}} {
    %0 = graph.MatMul(%a, %b) : (tensor<128x96xf32>, tensor<96x256xf32>) -> tensor<128x256xf32>
    return %0 : tensor<128x256xf32>
  }
  func.func @k2_large(%a: tensor<128x96xf32>, %b: tensor<96x256xf32>) -> tensor<128x256xf32> attributes {exec.kernel, exec.knobs = {"block-m" = 128 : i64, "block-n" = 128 : i64, "block-k" = 16 : i64, "thread-m" = 8 : i64, "thread-n" = 8 : i64}} {
    %0 = graph.MatMul(%a, %b) : (tensor<128x96xf32>, tensor<96x256xf32>) -> tensor<128x256xf32>
    return %0 : tensor<128x256xf32>
  }
}
