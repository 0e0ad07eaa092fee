// RUN: hcc-opt %s --hcc-ocl-lower-linalg="tile-m=2 tile-n=16 work-items=1 tile-epilogues=true" | FileCheck %s
// RUN: hcc-opt %s --hcc-ocl-lower-linalg="tile-m=2 tile-n=16 work-items=1" | FileCheck %s --check-prefix=APART

// With tile-epilogues, vector register tiles apply the elementwise op that
// consumes their output (here a ReLU into the result) to each lane as they
// store, in its place: the temporary is never written (its allocation
// is left to canonicalization), the ReLU is not a
// loop nest of its own. The output starts as a splat (a constant a generic
// yields, e.g. a folded bias): the accumulators start as its broadcast.
// CHECK-LABEL: func.func @k
// CHECK:       %[[Z:.*]] = vector.broadcast %cst : f32 to vector<16xf32>
// CHECK:       %[[ACC:.*]]:2 = scf.for {{.*}} iter_args(%{{.*}} = %[[Z]], %{{.*}} = %{{.*}})
// CHECK:       %[[L:.*]] = vector.extract %[[ACC]]#0[0] : f32 from vector<16xf32>
// CHECK-NEXT:  %[[R:.*]] = arith.maximumf %[[L]], %{{.*}} : f32
// CHECK-NEXT:  memref.store %[[R]], %arg2
// CHECK-NOT:   vector.store
// Without it the tile stores its vectors and the ReLU runs after.
// APART:       vector.store
// APART:       arith.maximumf
func.func @k(%a: memref<8x16xf32>, %b: memref<16x32xf32>, %o: memref<8x32xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  %t = memref.alloc() : memref<8x32xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%t : memref<8x32xf32>) {
  ^bb0(%out: f32):
    linalg.yield %cst : f32
  }
  linalg.matmul ins(%a, %b : memref<8x16xf32>, memref<16x32xf32>) outs(%t : memref<8x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<8x32xf32>) outs(%o : memref<8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %cst : f32
    linalg.yield %r : f32
  }
  return
}
