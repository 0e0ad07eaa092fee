// RUN: hcc-opt %s --split-input-file --hcc-ocl-prepare-kernels | FileCheck %s
// RUN: hcc-opt %s --split-input-file --hcc-ocl-prepare-buffers \
// RUN:   --buffer-results-to-out-params="hoist-static-allocs modify-public-functions" \
// RUN:   | FileCheck %s --check-prefix=DISTINCT

// Kernel operands are read-only for bufferization; other functions keep
// their arguments as they are.
// CHECK-LABEL: func.func @kernel
// CHECK-SAME:    (%{{.*}}: tensor<4xf32> {bufferization.writable = false}, %{{.*}}: tensor<4xf32> {bufferization.writable = false})
// CHECK-LABEL: func.func @helper
// CHECK-NOT:     bufferization.writable
func.func @kernel(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> attributes {exec.kernel} {
  return %a : tensor<4xf32>
}
func.func @helper(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// One allocation returned twice: the second result gets its own buffer (a
// copy), so both are hoisted into out-params.
// CHECK-LABEL:    func.func @twice
// DISTINCT-LABEL: func.func @twice
// DISTINCT-SAME:    (%[[A:.*]]: memref<4xf32>, %[[B:.*]]: memref<4xf32>)
// DISTINCT-NOT:     memref.alloc
// DISTINCT:         linalg.fill {{.*}} outs(%[[A]]
// DISTINCT:         memref.copy %[[A]], %[[B]]
func.func @twice() -> (memref<4xf32>, memref<4xf32>) attributes {exec.kernel} {
  %cst = arith.constant 1.0 : f32
  %0 = memref.alloc() : memref<4xf32>
  linalg.fill ins(%cst : f32) outs(%0 : memref<4xf32>)
  return %0, %0 : memref<4xf32>, memref<4xf32>
}

// -----

// A constant chosen at run time is copied into device memory first (the
// choice is then between two device buffers).
// CHECK-LABEL:    func.func @choose
// DISTINCT-LABEL: func.func @choose
// DISTINCT:         %[[G:.*]] = memref.get_global @cst
// DISTINCT:         %[[COPY:.*]] = memref.alloc() : memref<3xf32>
// DISTINCT:         memref.copy %[[G]], %[[COPY]]
// DISTINCT:         arith.select %{{.*}}, %[[COPY]], %{{.*}} : memref<3xf32>
memref.global "private" constant @cst : memref<3xf32> = dense<[1.0, 2.0, 3.0]>
func.func @choose(%c: i1, %a: memref<3xf32>) -> memref<3xf32> attributes {exec.kernel} {
  %g = memref.get_global @cst : memref<3xf32>
  %r = arith.select %c, %g, %a : memref<3xf32>
  return %r : memref<3xf32>
}
