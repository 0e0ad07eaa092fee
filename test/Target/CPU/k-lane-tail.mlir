// A contraction piece narrower than a vector (the 1 of 49 = 48 + 1)
// runs with its lanes along K: B's column is transposed into a row once,
// each register tile keeps a vector of partial sums per output element and
// reduces it (in any order) onto the output at the end.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 distribute=false" --canonicalize | FileCheck %s
// k-lane-max-cols=0 keeps the narrow vectors along N.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 distribute=false k-lane-max-cols=0" --canonicalize | FileCheck %s --check-prefix=NARROW
// With threads, a contraction with too few column tiles to share is split
// over blocks of rows first; every piece (and the fused epilogue) of a
// block runs in the block's task.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0" --canonicalize | FileCheck %s --check-prefix=ROWS
// AVX2's 16 registers: at most wide-tile-max-acc (12) accumulators, not 24.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="unpacked-row-bytes=0 distribute=false tile-m=4 tile-n=16 vector-width=8 wide-tile-max-acc=12" --canonicalize | FileCheck %s --check-prefix=AVX2

// CHECK-LABEL: func.func @tail
// CHECK:       vector<1x1xf32>, vector<1x16xf32> into vector<1x16xf32>
// CHECK:       %[[ROW:.*]] = linalg.transpose ins({{.*}} : tensor<96x1xf32>) outs({{.*}} : tensor<1x96xf32>)
// CHECK:       scf.for {{.*}} = %c0 to %c64 step %c8
// CHECK:         vector.transfer_read %[[ROW]]{{.*}} : tensor<1x96xf32>, vector<16xf32>
// CHECK-COUNT-8: vector.fma {{.*}} : vector<16xf32>
// CHECK:         vector.reduction <add>, {{.*}} fastmath<reassoc> : vector<16xf32> into f32
// NARROW-LABEL: func.func @tail
// NARROW-NOT:   linalg.transpose
// NARROW:       vector<8x4xf32>, vector<4x1xf32> into vector<8x1xf32>
func.func @tail(%a: tensor<64x96xf32>, %b: tensor<96x49xf32>,
                %c: tensor<64x49xf32>) -> tensor<64x49xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x96xf32>, tensor<96x49xf32>)
                     outs(%c : tensor<64x49xf32>) -> tensor<64x49xf32>
  return %r : tensor<64x49xf32>
}

// K = 40 = 2 x 16 + 8: the last step reads rows zero-padded past K. Four
// columns: register tiles of 6 rows (24 accumulators), 64 = 60 + 4 rows.
// CHECK-LABEL: func.func @short_k
// CHECK:       linalg.transpose ins({{.*}} : tensor<40x4xf32>) outs({{.*}} : tensor<4x40xf32>)
// CHECK:       scf.for {{.*}} = %c0 to %c60 step %c6
// CHECK-COUNT-24: vector.fma
// CHECK:         vector.transfer_read %arg0[%{{.*}}, %c32], %cst : tensor<64x40xf32>, vector<16xf32>
// CHECK:       scf.for {{.*}} = %c60 to %c64 step %c1
// AVX2-LABEL: func.func @short_k
// AVX2:       scf.for {{.*}} = %c0 to %c63 step %c3
// AVX2-COUNT-12: vector.fma {{.*}}, %cst{{.*}} : vector<8xf32>
// AVX2-NEXT:  vector.transfer_read %arg0[%{{.*}}, %c8]
func.func @short_k(%a: tensor<64x40xf32>, %b: tensor<40x4xf32>,
                   %c: tensor<64x4xf32>) -> tensor<64x4xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x40xf32>, tensor<40x4xf32>)
                     outs(%c : tensor<64x4xf32>) -> tensor<64x4xf32>
  return %r : tensor<64x4xf32>
}

// ROWS-LABEL: func.func @rows_first
// ROWS:       scf.forall (%{{.*}}) = (0) to (512) step (64)
// ROWS:         vector<1x1xf32>, vector<1x16xf32> into vector<1x16xf32>
// ROWS:         vector.fma {{.*}} : vector<16xf32>
// ROWS:         arith.maximumf
// ROWS:         scf.forall.in_parallel
// ROWS-NOT:   linalg.generic
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @rows_first(%a: tensor<512x576xf32>, %b: tensor<576x49xf32>)
    -> tensor<512x49xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<512x49xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<512x49xf32>) -> tensor<512x49xf32>
  %r = linalg.matmul ins(%a, %b : tensor<512x576xf32>, tensor<576x49xf32>)
                     outs(%c : tensor<512x49xf32>) -> tensor<512x49xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id],
                          iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<512x49xf32>) outs(%e : tensor<512x49xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<512x49xf32>
  return %relu : tensor<512x49xf32>
}

// N = 196 on a 14x14 map: 7 column tiles, and A (384 rows) the larger
// operand, so blocks of rows again, and at least narrow-min-tasks (4) of
// them: 384 rows as 4 tasks of 96 (3 of 128, enough for
// min-parallel-tiles, would leave one of two threads idle for the last
// task).
// ROWS-LABEL: func.func @rows_balanced
// ROWS:       scf.forall (%{{.*}}) = (0) to (384) step (96)
func.func @rows_balanced(%a: tensor<384x64xf32>, %b: tensor<64x196xf32>)
    -> tensor<384x196xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<384x196xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<384x196xf32>) -> tensor<384x196xf32>
  %r = linalg.matmul ins(%a, %b : tensor<384x64xf32>, tensor<64x196xf32>)
                     outs(%c : tensor<384x196xf32>) -> tensor<384x196xf32>
  return %r : tensor<384x196xf32>
}

// The same 7 column tiles with B the larger operand (96 filters over 196
// pixels, a projection after a depthwise convolution): the tasks are the
// column tiles, each reading only its columns of B, not blocks of rows
// sweeping all of it; the 4-column tail (lanes along K) is shared by rows.
// ROWS-LABEL: func.func @columns_when_b_larger
// ROWS:       scf.forall (%{{.*}}) = (0) to (192) step (32) {{.*}} -> (tensor<96x192xf32>)
// ROWS:       scf.forall (%{{.*}}) = (0) to (96) step (8) {{.*}} -> (tensor<96x4xf32>)
// ROWS:       return
func.func @columns_when_b_larger(%a: tensor<96x576xf32>,
                                 %b: tensor<576x196xf32>)
    -> tensor<96x196xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<96x196xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<96x196xf32>) -> tensor<96x196xf32>
  %r = linalg.matmul ins(%a, %b : tensor<96x576xf32>, tensor<576x196xf32>)
                     outs(%c : tensor<96x196xf32>) -> tensor<96x196xf32>
  return %r : tensor<96x196xf32>
}

// Enough column tiles to share by columns: N = 1025 = 1024 + 1 becomes two
// pieces, and each gets its own tile of the bias broadcast and of the Relu,
// so the 1024-column piece's tasks initialize, accumulate and finish their
// tiles (no pass over the whole output before or after); K is not split,
// so each register tile starts from its rows' bias in registers.
// ROWS-LABEL: func.func @pieces_own_epilogues
// ROWS:       linalg.transpose ins({{.*}} : tensor<64x1xf32>)
// ROWS:       vector.fma
// ROWS:       scf.forall (%{{.*}}) = (0) to (1024) step (32)
// ROWS:         scf.for {{.*}} step %c8
// ROWS:           %[[BIAS:.*]] = vector.transfer_read %{{.*}} : tensor<64xf32>, vector<8xf32>
// ROWS:           %[[ROWS:.*]] = vector.broadcast %[[BIAS]] : vector<8xf32> to vector<32x8xf32>
// ROWS:           %[[INIT:.*]] = vector.transpose %[[ROWS]], [1, 0]
// ROWS:           scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]]) -> (vector<8x32xf32>)
// ROWS:             vector.contract
// ROWS:           arith.maximumf {{.*}} : vector<8x32xf32>
// ROWS:         scf.forall.in_parallel
// ROWS:       arith.maximumf {{.*}} : f32
#bias = affine_map<(d0, d1) -> (d0)>
func.func @pieces_own_epilogues(%a: tensor<64x64xf32>, %b: tensor<64x1025xf32>,
                                %bias: tensor<64xf32>) -> tensor<64x1025xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x1025xf32>
  %c = linalg.generic {indexing_maps = [#bias, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%e : tensor<64x1025xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x1025xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x1025xf32>)
                     outs(%c : tensor<64x1025xf32>) -> tensor<64x1025xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id],
                          iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<64x1025xf32>) outs(%e : tensor<64x1025xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<64x1025xf32>
  return %relu : tensor<64x1025xf32>
}

// Whole column tiles, but only 4 of them: with B the larger operand the
// tasks stay the column tiles (no blocks of rows), and K = 384 is at most
// cache-k (512), so each register tile runs one K loop over all of it.
// ROWS-LABEL: func.func @columns_few_tiles
// ROWS:       scf.forall (%{{.*}}) = (0) to (128) step (32) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<64x128xf32>)
// ROWS:         scf.for %{{.*}} = %c0 to %c384 step %c4 {{.*}} -> (vector<8x32xf32>)
// ROWS-NOT:     scf.forall (
// ROWS:       return
func.func @columns_few_tiles(%a: tensor<64x384xf32>, %b: tensor<384x128xf32>)
    -> tensor<64x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x128xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64x128xf32>) -> tensor<64x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x384xf32>, tensor<384x128xf32>)
                     outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// Blocks of rows (N = 196: 7 column tiles, A the larger operand) with a
// bias and a Relu: inside each block's task every piece gets its own tile
// of both, so the 192-column piece's register tiles start from the bias
// and apply the Relu in registers; no pass over the block's output before
// or after them (only the 4-column tail's small epilogues remain).
// ROWS-LABEL: func.func @rows_own_epilogues
// ROWS:       scf.forall (%{{.*}}) = (0) to (384) step (96)
// ROWS-NOT:     vector<{{.*}}196xf32>
// ROWS:         vector.broadcast {{.*}} to vector<32x8xf32>
// ROWS:         vector.contract
// ROWS:         arith.maximumf {{.*}} : vector<8x32xf32>
// ROWS-NOT:     vector<{{.*}}196xf32>
// ROWS:         scf.forall.in_parallel
func.func @rows_own_epilogues(%a: tensor<384x64xf32>, %b: tensor<64x196xf32>,
                              %bias: tensor<384xf32>) -> tensor<384x196xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<384x196xf32>
  %c = linalg.generic {indexing_maps = [#bias, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<384xf32>) outs(%e : tensor<384x196xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<384x196xf32>
  %r = linalg.matmul ins(%a, %b : tensor<384x64xf32>, tensor<64x196xf32>)
                     outs(%c : tensor<384x196xf32>) -> tensor<384x196xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id],
                          iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<384x196xf32>) outs(%e : tensor<384x196xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<384x196xf32>
  return %relu : tensor<384x196xf32>
}
