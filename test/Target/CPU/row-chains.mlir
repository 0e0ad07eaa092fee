// Chains of row ops that start at a reduction over the innermost loop
// (softmax: max, exp(x - max), sum, division; LayerNorm: sum, mean,
// squared deviations, variance, normalization) run as one scf.forall over
// the rows: each row's intermediates stay in registers or L1 instead of
// one distributed pass over the whole tensor per op.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="vector-width=8" --canonicalize | FileCheck %s
// Without distribution the ops are left to the other rules.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="vector-width=8 distribute=false" --canonicalize | FileCheck %s --check-prefix=SEQ

// CHECK-LABEL: func.func @softmax
// CHECK:       %[[Y:.*]] = scf.forall (%[[B:.*]], %[[R:.*]]) in (2, 16) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<2x16x64xf32>)
// CHECK:         %[[X:.*]] = vector.transfer_read %arg0[%[[B]], %[[R]], %c0]{{.*}} vector<1x1x64xf32>
// CHECK:         %[[MAX:.*]] = vector.multi_reduction <maximumf>, %[[X]]
// CHECK:         math.exp
// CHECK:         vector.multi_reduction <add>
// CHECK:         arith.divf
// CHECK:         tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[B]], %[[R]], 0] [1, 1, 64]
// CHECK-NOT:   scf.forall
// CHECK:       return %[[Y]]
// SEQ-LABEL:   func.func @softmax
// SEQ-NOT:     scf.forall
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @softmax(%x: tensor<2x16x64xf32>) -> tensor<2x16x64xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<2x16xf32>
  %e3 = tensor.empty() : tensor<2x16x64xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<2x16xf32>) -> tensor<2x16xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x : tensor<2x16x64xf32>) outs(%mi : tensor<2x16xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<2x16xf32>
  %exp = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %max : tensor<2x16x64xf32>, tensor<2x16xf32>) outs(%e3 : tensor<2x16x64xf32>) {
  ^bb0(%in: f32, %m: f32, %out: f32):
    %d = arith.subf %in, %m : f32
    %e = math.exp %d : f32
    linalg.yield %e : f32
  } -> tensor<2x16x64xf32>
  %si = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x16xf32>) -> tensor<2x16xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%exp : tensor<2x16x64xf32>) outs(%si : tensor<2x16xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<2x16xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%exp, %sum : tensor<2x16x64xf32>, tensor<2x16xf32>) outs(%e3 : tensor<2x16x64xf32>) {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %q = arith.divf %in, %s : f32
    linalg.yield %q : f32
  } -> tensor<2x16x64xf32>
  return %y : tensor<2x16x64xf32>
}

// A LayerNorm's mean and variance are ops over the outer loops (one value
// per row) between the reductions; they join the chain, tiled to their
// row's value and vectorized there (a lane in a register, no buffer).
// CHECK-LABEL: func.func @layer_norm
// CHECK:       scf.forall (%[[R:.*]]) in (32) shared_outs
// CHECK:         %[[SUM:.*]] = vector.multi_reduction <add>
// CHECK:         %[[MEAN:.*]] = arith.divf %[[SUM]], %{{.*}} : vector<1xf32>
// CHECK:         vector.broadcast %[[MEAN]] : vector<1xf32> to vector<1x64xf32>
// CHECK:         vector.contract
// CHECK:         math.sqrt {{.*}} : vector<1xf32>
// CHECK:         tensor.parallel_insert_slice %{{.*}}[%[[R]], 0] [1, 64]
// CHECK-NOT:   scf.forall
// CHECK:       return
#ln_in = affine_map<(r, k) -> (r, k)>
#ln_row = affine_map<(r, k) -> (r)>
#ln_vec = affine_map<(r) -> (r)>
#ln_col = affine_map<(r, k) -> (k)>
func.func @layer_norm(%x: tensor<32x64xf32>, %scale: tensor<64xf32>) -> tensor<32x64xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 64.0 : f32
  %eps = arith.constant 1.0e-5 : f32
  %e1 = tensor.empty() : tensor<32xf32>
  %e2 = tensor.empty() : tensor<32x64xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<32xf32>) -> tensor<32xf32>
  %sum = linalg.generic {indexing_maps = [#ln_in, #ln_row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<32x64xf32>) outs(%z : tensor<32xf32>) {
  ^bb0(%i: f32, %o: f32):
    %s = arith.addf %i, %o : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  %mean = linalg.generic {indexing_maps = [#ln_vec, #ln_vec], iterator_types = ["parallel"]}
      ins(%sum : tensor<32xf32>) outs(%e1 : tensor<32xf32>) {
  ^bb0(%i: f32, %o: f32):
    %m = arith.divf %i, %n : f32
    linalg.yield %m : f32
  } -> tensor<32xf32>
  %ss = linalg.generic {indexing_maps = [#ln_in, #ln_row, #ln_row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %mean : tensor<32x64xf32>, tensor<32xf32>) outs(%z : tensor<32xf32>) {
  ^bb0(%i: f32, %m: f32, %o: f32):
    %d = arith.subf %i, %m : f32
    %q = arith.mulf %d, %d : f32
    %s = arith.addf %q, %o : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  %y = linalg.generic {indexing_maps = [#ln_in, #ln_row, #ln_row, #ln_col, #ln_in], iterator_types = ["parallel", "parallel"]}
      ins(%x, %mean, %ss, %scale : tensor<32x64xf32>, tensor<32xf32>, tensor<32xf32>, tensor<64xf32>) outs(%e2 : tensor<32x64xf32>) {
  ^bb0(%i: f32, %m: f32, %v: f32, %g: f32, %o: f32):
    %var = arith.divf %v, %n : f32
    %ve = arith.addf %var, %eps : f32
    %sd = math.sqrt %ve : f32
    %d = arith.subf %i, %m : f32
    %q = arith.divf %d, %sd : f32
    %r = arith.mulf %q, %g : f32
    linalg.yield %r : f32
  } -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}

// A chain with two results that leave it (the exponentials are returned
// too) is left alone: each op keeps its own loop.
// CHECK-LABEL: func.func @two_results
// CHECK-NOT:   scf.forall
// CHECK-COUNT-3: scf.for %{{.*}} = %c0 to %c16 step %c1
// CHECK-NOT:   scf.forall
// CHECK:       return
func.func @two_results(%x: tensor<16x64xf32>) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %e1 = tensor.empty() : tensor<16xf32>
  %e2 = tensor.empty() : tensor<16x64xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<16xf32>) -> tensor<16xf32>
  %max = linalg.generic {indexing_maps = [#ln_in, #ln_row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<16x64xf32>) outs(%mi : tensor<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %m = arith.maximumf %i, %o : f32
    linalg.yield %m : f32
  } -> tensor<16xf32>
  %exp = linalg.generic {indexing_maps = [#ln_in, #ln_row, #ln_in], iterator_types = ["parallel", "parallel"]}
      ins(%x, %max : tensor<16x64xf32>, tensor<16xf32>) outs(%e2 : tensor<16x64xf32>) {
  ^bb0(%i: f32, %m: f32, %o: f32):
    %d = arith.subf %i, %m : f32
    %e = math.exp %d : f32
    linalg.yield %e : f32
  } -> tensor<16x64xf32>
  %y = linalg.generic {indexing_maps = [#ln_in, #ln_row, #ln_in], iterator_types = ["parallel", "parallel"]}
      ins(%exp, %max : tensor<16x64xf32>, tensor<16xf32>) outs(%e2 : tensor<16x64xf32>) {
  ^bb0(%i: f32, %m: f32, %o: f32):
    %q = arith.mulf %i, %m : f32
    linalg.yield %q : f32
  } -> tensor<16x64xf32>
  return %exp, %y : tensor<16x64xf32>, tensor<16x64xf32>
}
