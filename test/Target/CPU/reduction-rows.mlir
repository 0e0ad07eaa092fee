// Reductions along the innermost, contiguous loop (global pools,
// ReduceMean/ReduceSum over the last axes, softmax's max and sum) are
// distributed over their parallel loops and reduce a row vector at a time.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s

// CHECK-LABEL: func.func @row_sums
// CHECK: scf.forall (%[[C:.*]]) in (96)
// CHECK:   scf.for %[[H:.*]] = %c0 to %c112 step %c1 iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<1x1xf32>)
// CHECK:     %[[ROW:.*]] = vector.transfer_read %arg0[%c0, %[[C]], %[[H]], %c0]{{.*}} vector<1x1x1x112xf32>
// CHECK:     vector.multi_reduction <add>, %[[ROW]], %[[ACC]] [2, 3]
#in = affine_map<(n, c, h, w) -> (n, c, h, w)>
#out = affine_map<(n, c, h, w) -> (n, c)>
func.func @row_sums(%x: tensor<1x96x112x112xf32>) -> tensor<1x96xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x96xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x96xf32>) -> tensor<1x96xf32>
  %r = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%x : tensor<1x96x112x112xf32>) outs(%f : tensor<1x96xf32>) {
  ^bb0(%i: f32, %o: f32):
    %s = arith.addf %i, %o : f32
    linalg.yield %s : f32
  } -> tensor<1x96xf32>
  return %r : tensor<1x96xf32>
}

// A reduction over a strided (non-innermost) axis keeps the scalar path.
// CHECK-LABEL: func.func @column_sums
// CHECK-NOT: vector.multi_reduction
// CHECK: return
#colin = affine_map<(j, i) -> (i, j)>
#colout = affine_map<(j, i) -> (j)>
func.func @column_sums(%x: tensor<64x256xf32>) -> tensor<256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<256xf32>) -> tensor<256xf32>
  %r = linalg.generic {indexing_maps = [#colin, #colout], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<64x256xf32>) outs(%f : tensor<256xf32>) {
  ^bb0(%i: f32, %o: f32):
    %s = arith.addf %i, %o : f32
    linalg.yield %s : f32
  } -> tensor<256xf32>
  return %r : tensor<256xf32>
}
