// RUN: hcc-opt %s --hcc-cpu-distinct-results \
// RUN:   --buffer-results-to-out-params="hoist-static-allocs modify-public-functions" | FileCheck %s

// One allocation returned three times (a Split into empty parts): each
// result gets its own allocation, so every one is hoisted into an
// out-param (upstream's hoisting crashed on the repeated allocation).
// CHECK-LABEL: func.func @same_alloc_thrice
// CHECK-SAME:    (%[[A:.*]]: memref<4xf32>, %[[B:.*]]: memref<4xf32>, %[[C:.*]]: memref<4xf32>)
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.fill {{.*}} outs(%[[A]]
// CHECK-DAG:     memref.copy %[[A]], %[[B]]
// CHECK-DAG:     memref.copy %[[A]], %[[C]]
// CHECK:         return
func.func @same_alloc_thrice() -> (memref<4xf32>, memref<4xf32>, memref<4xf32>) {
  %cst = arith.constant 1.0 : f32
  %0 = memref.alloc() : memref<4xf32>
  linalg.fill ins(%cst : f32) outs(%0 : memref<4xf32>)
  return %0, %0, %0 : memref<4xf32>, memref<4xf32>, memref<4xf32>
}
