// A math op that libm implements (acosh) on a vectorized row of 5 lanes
// (AVX2 tiles vectorize rows of at least 4) is called per lane; the lanes'
// vector.extract and vector.from_elements are lowered too, so the module
// translates to LLVM IR.
// RUN: env HCC_CPU_VECTORS=avx2 hcc-opt %s --hcc-placement-pipeline --hcc-cpu-codegen-pipeline | FileCheck %s
// CHECK-NOT: vector.extract
// CHECK-NOT: vector.from_elements
// CHECK-COUNT-5: llvm.call @acoshf
func.func @main(%x: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  %y = graph.Acosh(%x) : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}
