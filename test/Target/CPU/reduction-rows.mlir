// Reductions along the innermost, contiguous loop (global pools,
// ReduceMean/ReduceSum over the last axes, softmax's max and sum) are
// distributed over their parallel loops and reduce a row vector at a time;
// trailing reduction loops read contiguously (a global pool's H and W) are
// one loop first. After bufferization a row's vector is summed as a tree of
// 16-lane vectors and one reassociated horizontal reduction, and so is a
// row's dot product (a sum of squares).
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --hcc-cpu-lower-vectors | FileCheck %s --check-prefix=LOWER

// CHECK-LABEL: func.func @row_sums
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0], [1], [2, 3]] : tensor<1x96x112x112xf32> into tensor<1x96x12544xf32>
// CHECK: scf.forall (%[[C:.*]]) in (96)
// CHECK:   scf.for %[[K:.*]] = %c0 to %c12544 step %c256 iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<1x1xf32>)
// CHECK:     %[[ROW:.*]] = vector.transfer_read %{{.*}}[%c0, %[[C]], %[[K]]]{{.*}} vector<1x1x256xf32>
// CHECK:     vector.multi_reduction <add>, %[[ROW]], %[[ACC]] [2]
// LOWER-LABEL: func.func @row_sums
// LOWER:         scf.for
// LOWER-COUNT-15:  arith.addf {{.*}} : vector<16xf32>
// LOWER:           vector.reduction <add>, {{.*}} fastmath<reassoc> : vector<16xf32> into f32
// LOWER-NOT:       vector.extract {{.*}} : f32 from vector<256xf32>
// LOWER:       return
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

// A variance's sum of squared deviations from each row's mean (read as one
// value per row) is a row reduction too; its multiply-add becomes a
// contraction whose dot product is summed as a tree as well, not as one
// in-order add per element.
// CHECK-LABEL: func.func @row_sum_squares
// CHECK: scf.forall
// CHECK:   vector.transfer_read %arg0{{.*}} vector<1x1x256xf32>
// CHECK:   vector.broadcast {{.*}} : vector<1x1xf32> to vector<1x1x256xf32>
// LOWER-LABEL: func.func @row_sum_squares
// LOWER-NOT:     vector.reduction <add>, {{.*}} : vector<256xf32>
// LOWER-COUNT-15: arith.addf {{.*}} : vector<16xf32>
// LOWER:         vector.reduction <add>, {{.*}} fastmath<reassoc> : vector<16xf32> into f32
// LOWER:       return
#sq_in = affine_map<(b, r, k) -> (b, r, k)>
#sq_row = affine_map<(b, r, k) -> (b, r)>
func.func @row_sum_squares(%x: tensor<1x128x768xf32>, %mean: tensor<1x128xf32>) -> tensor<1x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x128xf32>) -> tensor<1x128xf32>
  %r = linalg.generic {indexing_maps = [#sq_in, #sq_row, #sq_row], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %mean : tensor<1x128x768xf32>, tensor<1x128xf32>) outs(%f : tensor<1x128xf32>) {
  ^bb0(%i: f32, %m: f32, %o: f32):
    %d = arith.subf %i, %m : f32
    %q = arith.mulf %d, %d : f32
    %s = arith.addf %q, %o : f32
    linalg.yield %s : f32
  } -> tensor<1x128xf32>
  return %r : tensor<1x128xf32>
}
