// RUN: hcc-opt %s --hcc-cpu-async-parallel-for="task-work=1024" --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-async-parallel-for | FileCheck %s --check-prefix=NOALIGN
// NOALIGN-NOT: parallel_compute_fn_with_aligned_loops

// A distributed loop becomes a compute function over blocks of iterations
// and a recursive async dispatch; the view it captured is rebuilt inside
// the compute function, which takes the whole buffer. With one worker the
// loop is one block (select on the runtime's worker count).
// CHECK-LABEL: func.func @rows
// CHECK:         async.runtime.num_worker_threads
// CHECK:         arith.select
// CHECK:         call @async_dispatch_fn
// CHECK:         async.await_all
func.func @rows(%buf: memref<64x64xf32>, %v: vector<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %half = memref.subview %buf[32, 0] [32, 64] [1, 1] : memref<64x64xf32> to memref<32x64xf32, strided<[64, 1], offset: 2048>>
  scf.parallel (%i) = (%c0) to (%c32) step (%c1) {
    vector.store %v, %half[%i, %c0] : memref<32x64xf32, strided<[64, 1], offset: 2048>>, vector<16xf32>
    scf.reduce
  }
  return
}

// A loop nested in another one runs sequentially inside the outer task.
// CHECK-LABEL: func.func @nested
// CHECK:         call @async_dispatch_fn
// CHECK-NOT:     scf.parallel
func.func @nested(%buf: memref<64x64xf32>, %v: vector<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
      %col = arith.muli %j, %c4 : index
      vector.store %v, %buf[%i, %col] : memref<64x64xf32>, vector<16xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// A buffer with a strided layout cannot be passed to an outlined function
// with the bare-pointer convention: the loop runs sequentially.
// CHECK-LABEL: func.func @strided_argument
// CHECK-NOT:     async
// CHECK:         scf.for
// CHECK:           vector.store
func.func @strided_argument(%buf: memref<32x64xf32, strided<[128, 1]>>, %v: vector<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  scf.parallel (%i) = (%c0) to (%c32) step (%c1) {
    vector.store %v, %buf[%i, %c0] : memref<32x64xf32, strided<[128, 1]>>, vector<16xf32>
    scf.reduce
  }
  return
}


// A two-dimensional loop is collapsed to one dimension before the rewrite:
// upstream's block-aligned dispatch of multi-dimensional loops ran surplus
// blocks whose first index wrapped around, computing tiles twice.
// CHECK-LABEL: func.func @two_dims
// CHECK:         call @parallel_compute_fn(%c0, %{{.*}}, %c18, %c0, %c18, %c1,
// CHECK:         call @async_dispatch_fn(

// The outlined functions (@two_dims', @nested's, then @rows').
// CHECK-LABEL: func.func private @parallel_compute_fn_0(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             vector.store
// CHECK-LABEL: func.func private @parallel_compute_fn_1(
// CHECK-SAME:    memref<64x64xf32>
// CHECK:         memref.subview
func.func @two_dims(%buf: memref<192x48xf32>, %v: vector<16xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c48 = arith.constant 48 : index
  %c192 = arith.constant 192 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c192, %c48) step (%c32, %c16) {
    vector.store %v, %buf[%i, %j] : memref<192x48xf32>, vector<16xf32>
    scf.reduce
  }
  return
}
