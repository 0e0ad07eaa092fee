// A buffer that each iteration of a sequential loop allocates and frees is
// allocated once around the loop (through every enclosing scf.for), then,
// being a task's small buffer, lands on the task's stack. A buffer that is
// not freed in the iteration, or has a dynamic size, stays where it is.
// RUN: hcc-opt %s --hcc-cpu-lower-copies | FileCheck %s

// CHECK-LABEL: func.func @panel
// CHECK:       scf.parallel
// CHECK-NEXT:    memref.alloca_scope {
// CHECK-NEXT:      memref.alloca() {alignment = 64 : i64} : memref<4x32xf32>
// CHECK-NEXT:      scf.for
// CHECK-NEXT:        scf.for
// CHECK-NOT:           memref.alloc
// CHECK:               linalg.copy
// CHECK-NOT:       memref.dealloc
// CHECK:         scf.reduce
func.func @panel(%in: memref<64x32xf32>, %out: memref<8x64x32xf32>)
    attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%t) = (%c0) to (%c8) step (%c1) {
    scf.for %i = %c0 to %c4 step %c1 {
      scf.for %k = %c0 to %c64 step %c4 {
        %p = memref.alloc() {alignment = 64 : i64} : memref<4x32xf32>
        %src = memref.subview %in[%k, 0] [4, 32] [1, 1] : memref<64x32xf32> to memref<4x32xf32, strided<[32, 1], offset: ?>>
        linalg.copy ins(%src : memref<4x32xf32, strided<[32, 1], offset: ?>>) outs(%p : memref<4x32xf32>)
        %dst = memref.subview %out[%t, %k, 0] [1, 4, 32] [1, 1, 1] : memref<8x64x32xf32> to memref<4x32xf32, strided<[32, 1], offset: ?>>
        linalg.copy ins(%p : memref<4x32xf32>) outs(%dst : memref<4x32xf32, strided<[32, 1], offset: ?>>)
        memref.dealloc %p : memref<4x32xf32>
      }
    }
    scf.reduce
  }
  return
}

// CHECK-LABEL: func.func @kept
// CHECK:       scf.for
// CHECK-NEXT:    memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK:         memref.dealloc
// CHECK:       scf.for
// CHECK-NEXT:    memref.alloc() : memref<16xf32>
// CHECK:         memref.store
func.func @kept(%n: index, %keep: memref<4xmemref<16xf32>>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    %d = memref.alloc(%n) : memref<?xf32>
    linalg.fill ins(%zero : f32) outs(%d : memref<?xf32>)
    memref.dealloc %d : memref<?xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %e = memref.alloc() : memref<16xf32>
    memref.store %e, %keep[%i] : memref<4xmemref<16xf32>>
  }
  return
}
