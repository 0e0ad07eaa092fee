// REQUIRES: ptxas
// RUN: hcc-opt %S/tensor-cores.mlir --hcc-cuda-codegen-pipeline="precision=tf32" | hcc-translate --emit-cuda-section | FileCheck %s
// RUN: hcc-opt %S/tensor-cores.mlir --hcc-cuda-codegen-pipeline="precision=fp16" | hcc-translate --emit-cuda-section | FileCheck %s
// RUN: hcc-opt %S/tensor-cores.mlir --hcc-cuda-codegen-pipeline="precision=bf16" | hcc-translate --emit-cuda-section | FileCheck %s

// ptxas assembles the tensor-core kernels for sm_80 and sm_90 with no
// spills.
// CHECK:      "cubins": {
// CHECK-NEXT:  "sm_80": "{{[A-Za-z0-9+/]+=*}}",
// CHECK-NEXT:  "sm_90": "{{[A-Za-z0-9+/]+=*}}"
// CHECK:      "resources": {
// CHECK-NOT:  "spill_bytes": {{[1-9]}}
// CHECK:       "k1_mm_s0": {
// CHECK-NEXT:   "sm_80": {
// CHECK-NEXT:    "registers": {{[1-9][0-9]*}},
// CHECK-NEXT:    "spill_bytes": 0
// CHECK-NOT:  "spill_bytes": {{[1-9]}}
// CHECK:      "kernels": {
