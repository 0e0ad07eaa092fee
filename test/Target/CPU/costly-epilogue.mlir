// An epilogue with a transcendental function (SiLU: x * sigmoid(x), an
// exp polynomial per element) leaves the register tiles: the tiles store
// their sums, then the epilogue runs over the task's strip in tiles of
// costly-epilogue-vectors (8) hardware vectors, whose independent
// polynomial chains overlap (a strip of 128 columns: one row; narrower rows
// are stacked, wider ones cut: with 4, two tiles of 64 a row). A cheap
// epilogue (ReLU) stays in the tiles; with costly-epilogue-vectors=0 so
// does the SiLU.
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="costly-epilogue-vectors=0" --canonicalize | FileCheck %s --check-prefix=INTILE
// RUN: not hcc-opt %s --hcc-cpu-tile-and-vectorize="costly-epilogue-vectors=65" 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: hcc-opt %s --hcc-cpu-tile-and-vectorize="costly-epilogue-vectors=4" --canonicalize | FileCheck %s --check-prefix=CUT

#bias = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @matmul_silu
// CHECK:         scf.forall
// CHECK:           vector.contract {{.*}} into vector<8x32xf32>
// CHECK-NOT:       math.exp
// CHECK:           vector.transfer_write {{.*}} : vector<8x32xf32>
// CHECK:           scf.for
// CHECK:             math.exp {{.*}} : vector<1x128xf32>
// CHECK:           scf.forall.in_parallel
// CUT-LABEL: func.func @matmul_silu
// CUT:           scf.for %{{.*}} = %c0 to %c64 step %c1
// CUT:             scf.for %{{.*}} = %c0 to %c128 step %c64
// CUT:               math.exp {{.*}} : vector<1x64xf32>
// CUT-NOT:       vector<1x128xf32>
// CUT-LABEL: func.func @narrow_silu
// INTILE-LABEL: func.func @matmul_silu
// INTILE:         vector.contract {{.*}} into vector<8x32xf32>
// INTILE:         math.exp {{.*}} : vector<8x32xf32>
// INTILE-NEXT:    arith.addf
// RANGE: error: {{.*}}costly-epilogue-vectors{{.*}}
func.func @matmul_silu(%a: tensor<64x16xf32>, %b: tensor<16x1024xf32>,
                       %bias: tensor<64xf32>) -> tensor<64x1024xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<64x1024xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id],
                          iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%e : tensor<64x1024xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x1024xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<64x16xf32>, tensor<16x1024xf32>)
                      outs(%init : tensor<64x1024xf32>) -> tensor<64x1024xf32>
  %out = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<64x1024xf32>) outs(%e : tensor<64x1024xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    %ex = math.exp %n : f32
    %d = arith.addf %ex, %one : f32
    %y = arith.divf %x, %d : f32
    linalg.yield %y : f32
  } -> tensor<64x1024xf32>
  return %out : tensor<64x1024xf32>
}

// 48 columns, distributed as blocks of 8 rows (one wide register tile):
// epilogue rows of 2 x 48 lanes (128 / 48 rounded up is 3, which does not
// divide the 8 rows), in vectors of 16 lanes.
// CHECK-LABEL: func.func @narrow_silu
// CHECK:         vector.contract
// CHECK-COUNT-3: math.exp {{.*}} : vector<2x16xf32>
func.func @narrow_silu(%a: tensor<64x16xf32>, %b: tensor<16x48xf32>,
                       %bias: tensor<64xf32>) -> tensor<64x48xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<64x48xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id],
                          iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%e : tensor<64x48xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x48xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<64x16xf32>, tensor<16x48xf32>)
                      outs(%init : tensor<64x48xf32>) -> tensor<64x48xf32>
  %out = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<64x48xf32>) outs(%e : tensor<64x48xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    %ex = math.exp %n : f32
    %d = arith.addf %ex, %one : f32
    %y = arith.divf %x, %d : f32
    linalg.yield %y : f32
  } -> tensor<64x48xf32>
  return %out : tensor<64x48xf32>
}

// CHECK-LABEL: func.func @matmul_relu
// CHECK:         vector.contract {{.*}} into vector<8x32xf32>
// CHECK:         arith.maximumf {{.*}} : vector<8x32xf32>
// CHECK-NEXT:    vector.transfer_write
func.func @matmul_relu(%a: tensor<64x16xf32>, %b: tensor<16x1024xf32>,
                       %bias: tensor<64xf32>) -> tensor<64x1024xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x1024xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id],
                          iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<64xf32>) outs(%e : tensor<64x1024xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x1024xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<64x16xf32>, tensor<16x1024xf32>)
                      outs(%init : tensor<64x1024xf32>) -> tensor<64x1024xf32>
  %out = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<64x1024xf32>) outs(%e : tensor<64x1024xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<64x1024xf32>
  return %out : tensor<64x1024xf32>
}
