// RUN: hcc-opt %s --hcc-cpu-async-parallel-for="task-work=16 claim-work=8" --canonicalize | FileCheck %s
// RUN: hcc-opt %s --hcc-cpu-async-parallel-for | FileCheck %s --check-prefix=SMALL
// RUN: hcc-opt %s --hcc-cpu-async-parallel-for="task-work=16 num-workers=1" | FileCheck %s --check-prefix=ONE
// Worker counts other than -1 (ask the runtime) or a positive number are
// refused.
// RUN: not hcc-opt %s --hcc-cpu-async-parallel-for="num-workers=-5" 2>&1 | FileCheck %s --check-prefix=BADWORKERS
// RUN: not hcc-opt %s --hcc-cpu-async-parallel-for="num-workers=0" 2>&1 | FileCheck %s --check-prefix=BADWORKERS
// BADWORKERS: error: hcc-cpu-async-parallel-for: num-workers must be -1 (ask the runtime) or at least 1

// A distributed loop becomes a function that claims chunks of iterations.
// The kernel's thread calls it, and so does each of parts - 1 async tasks
// (parts: the runtime's workers, but no more than the work is worth), then
// it awaits them. The view the loop captured is rebuilt in the function,
// which takes the whole buffer.
// CHECK-LABEL: func.func @rows
// CHECK:         %[[COUNTERS:.*]] = memref.alloca() : memref<512xi64>
// CHECK:         %[[WORKERS:.*]] = async.runtime.num_worker_threads
// CHECK:         %[[PARTS:.*]] = arith.minui %[[WORKERS]]
// CHECK:         scf.for
// CHECK:           memref.store %{{.*}}, %[[COUNTERS]]
// CHECK:         %[[HELPERS:.*]] = arith.subi %{{.*}}, %c1
// CHECK:         scf.if
// CHECK:           call @rows_tiles0(%[[COUNTERS]],
// CHECK:         } else {
// CHECK:           %[[GROUP:.*]] = async.create_group %[[HELPERS]]
// CHECK:           scf.for
// CHECK:             async.execute {
// CHECK:               func.call @rows_tiles0(%[[COUNTERS]],
// CHECK:             async.add_to_group %{{.*}}, %[[GROUP]]
// CHECK:           call @rows_tiles0(%[[COUNTERS]],
// CHECK:           async.await_all %[[GROUP]]
// A loop too small for two parts runs on the kernel's thread alone.
// SMALL-LABEL: func.func @rows
// SMALL-NOT:     async
// SMALL:         call @rows_tiles0(
// SMALL-NEXT:    return
// Without parallelism (--parallel=false) no loop asks for workers.
// ONE-NOT:       async.
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

// A loop nested in another one runs sequentially inside the outer one.
// CHECK-LABEL: func.func @nested
// CHECK:         async.execute
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

// A two-dimensional loop is collapsed to one dimension of 6 x 3 = 18
// iterations first.
// CHECK-LABEL: func.func @two_dims
// CHECK:         call @two_dims_tiles2(%{{.*}}, %{{.*}}, %{{.*}}, %c18,

// The claim loop: a participant starts with the part of its worker index,
// then visits the other parts; each part's counter (one cache line apart)
// hands out chunks until the part's last one.
// CHECK-LABEL: func.func private @rows_tiles0(
// CHECK-SAME:    %[[NEXT:[^:]*]]: memref<512xi64>, %[[NPARTS:[^:]*]]: index, %[[CHUNK:[^:]*]]: index, %[[TRIPS:[^:]*]]: index, %[[LB:[^:]*]]: index, %[[STEP:[^:]*]]: index, %[[BUF:[^:]*]]: memref<64x64xf32>
// CHECK:         %[[WORKER:.*]] = call @hcc_cpu_worker_index() : () -> i64
// CHECK:         %[[SELF:.*]] = arith.remui %{{.*}}, %[[NPARTS]]
// CHECK:         scf.for %[[K:.*]] = %c0 to %[[NPARTS]]
// CHECK:           %[[SUM:.*]] = arith.addi %[[SELF]], %[[K]]
// CHECK:           %[[PART:.*]] = arith.remui %[[SUM]], %[[NPARTS]]
// CHECK:           %[[SLOT:.*]] = arith.muli %[[PART]], %c8
// CHECK:           scf.while
// CHECK:             memref.atomic_rmw addi %c1_i64, %[[NEXT]][%[[SLOT]]]
// CHECK:             scf.condition
// CHECK:           } do {
// CHECK:             arith.minui %{{.*}}, %[[TRIPS]]
// CHECK:             scf.for
// CHECK:               memref.subview %[[BUF]][32, 0] [32, 64]
// CHECK:               vector.store
// CHECK:       func.func private @hcc_cpu_worker_index() -> i64
// CHECK-LABEL: func.func private @two_dims_tiles2(
// CHECK:         arith.remsi
// CHECK:         arith.divsi
// CHECK:         vector.store
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

// A buffer an iteration allocates and frees itself (static shape) is
// allocated once per call of the claim loop and freed before it returns;
// one that escapes the iteration (not freed in it) stays.
// RUN: hcc-opt %s --hcc-cpu-async-parallel-for="task-work=16 claim-work=8" | FileCheck %s --check-prefix=HOIST
// HOIST-LABEL: func.func private @iteration_buffers_tiles3(
// HOIST:         %[[PLANE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<32x64xf32>
// HOIST:         scf.for
// HOIST:           scf.while
// HOIST:             scf.for
// HOIST-NOT:           memref.alloc() {alignment = 64 : i64} : memref<32x64xf32>
// HOIST:               memref.alloc() : memref<16xf32>
// HOIST:               vector.store %{{.*}}, %[[PLANE]]
// HOIST-NOT:           memref.dealloc %[[PLANE]]
// HOIST:         memref.dealloc %[[PLANE]]
// HOIST-NEXT:    return
func.func @iteration_buffers(%buf: memref<64x64xf32>, %v: vector<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    %plane = memref.alloc() {alignment = 64 : i64} : memref<32x64xf32>
    %kept = memref.alloc() : memref<16xf32>
    vector.store %v, %plane[%c0, %c0] : memref<32x64xf32>, vector<16xf32>
    %r = vector.load %plane[%c0, %c0] : memref<32x64xf32>, vector<16xf32>
    vector.store %r, %buf[%i, %c0] : memref<64x64xf32>, vector<16xf32>
    vector.store %r, %kept[%c0] : memref<16xf32>, vector<16xf32>
    memref.dealloc %plane : memref<32x64xf32>
    scf.reduce
  }
  return
}
