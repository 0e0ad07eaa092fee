// A distributed task's own small buffers live on its stack: an alloca per
// iteration, in an alloca scope, and no dealloc; tasks with more than
// 4 KiB of buffers keep them on the heap, all of them.
// RUN: hcc-opt %s --hcc-cpu-lower-copies | FileCheck %s

// CHECK-LABEL: func.func @small
// CHECK:       scf.parallel
// CHECK-NEXT:    memref.alloca_scope {
// CHECK:           memref.alloca() {alignment = 64 : i64} : memref<16x16xf32>
// CHECK:           memref.alloca() {alignment = 64 : i64} : memref<64xf32>
// CHECK-NOT:       memref.dealloc
// CHECK:         }
// CHECK-NEXT:    scf.reduce
func.func @small(%out: memref<8x64xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %a = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
    %b = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
    linalg.fill ins(%zero : f32) outs(%a : memref<16x16xf32>)
    linalg.fill ins(%zero : f32) outs(%b : memref<64xf32>)
    %row = memref.subview %out[%i, 0] [1, 64] [1, 1] : memref<8x64xf32> to memref<64xf32, strided<[1], offset: ?>>
    memref.copy %b, %row : memref<64xf32> to memref<64xf32, strided<[1], offset: ?>>
    memref.dealloc %a : memref<16x16xf32>
    memref.dealloc %b : memref<64xf32>
    scf.reduce
  }
  return
}

// CHECK-LABEL: func.func @large
// CHECK-NOT:   memref.alloca
// CHECK:       memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
// CHECK:       memref.alloc() {alignment = 64 : i64} : memref<1024xf32>
// CHECK:       memref.dealloc
// CHECK:       memref.dealloc
func.func @large(%out: memref<8x64xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %a = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
    %b = memref.alloc() {alignment = 64 : i64} : memref<1024xf32>
    linalg.fill ins(%zero : f32) outs(%a : memref<16x16xf32>)
    linalg.fill ins(%zero : f32) outs(%b : memref<1024xf32>)
    %row = memref.subview %out[%i, 0] [1, 64] [1, 1] : memref<8x64xf32> to memref<64xf32, strided<[1], offset: ?>>
    %head = memref.subview %b[0] [64] [1] : memref<1024xf32> to memref<64xf32, strided<[1]>>
    memref.copy %head, %row : memref<64xf32, strided<[1]>> to memref<64xf32, strided<[1], offset: ?>>
    memref.dealloc %a : memref<16x16xf32>
    memref.dealloc %b : memref<1024xf32>
    scf.reduce
  }
  return
}

// A buffer that is not freed in the task (it outlives it) stays as it is.
// CHECK-LABEL: func.func @escaping
// CHECK-NOT:   memref.alloca
// CHECK:       memref.alloc()
func.func @escaping(%out: memref<8x64xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %a = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
    linalg.fill ins(%zero : f32) outs(%a : memref<64xf32>)
    scf.reduce
  }
  return
}
