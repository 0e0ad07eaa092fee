// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s

// A contraction split into N pieces (208 = 160 + 48) with no elementwise
// consumer (a Winograd GEMM, read by the output transform): each piece's
// register tiles start from the fill's value themselves, and the pieces are
// inserted into the empty tensor; no pass fills the whole accumulator first.
// CHECK-LABEL: func.func @pieces_fill
// CHECK-NOT:     linalg.fill
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<4x64x208xf32>
// CHECK-NOT:     scf.forall ({{.*}}) in (4, 64)
// CHECK:         scf.forall ({{.*}}) = (0, 0) to (4, 160)
// CHECK:           vector.contract
// CHECK:         tensor.insert_slice %{{.*}} into %[[E]][0, 0, 0] [4, 64, 160]
// CHECK:         scf.forall ({{.*}}) = (0, 0) to (4, 64)
// CHECK:           vector.contract
// CHECK:         tensor.insert_slice {{.*}}[0, 0, 160] [4, 64, 48]
// CHECK-NOT:     linalg.fill
func.func @pieces_fill(%a: tensor<4x64x16xf32>, %b: tensor<4x16x208xf32>)
    -> tensor<4x64x208xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x64x208xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x64x208xf32>) -> tensor<4x64x208xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<4x64x16xf32>, tensor<4x16x208xf32>)
                           outs(%f : tensor<4x64x208xf32>) -> tensor<4x64x208xf32>
  return %r : tensor<4x64x208xf32>
}
