// RUN: hcc-opt %s --split-input-file --hcc-ocl-split-stages="work-items=4" --canonicalize | FileCheck %s

// Two loop nests with a temporary between them: the temporary is scratch
// buffer 0 (argument 2 of the stages), each nest its own entry point with
// only the buffers it uses, distributed over 4 work-items (one row each).
// CHECK:       module attributes {hcc.opencl.kernels = {hcc_k = {num_args = 2 : i64, scratch = [256],
// CHECK-SAME:    stages = [{args = [0, 2], entry = "k_s0", global_size = 4 : i64}, {args = [1, 2], entry = "k_s1", global_size = 4 : i64}]}}}
// CHECK-LABEL: func.func @k_s0
// CHECK-SAME:    (%[[X:.*]]: memref<4x16xf32>, %[[T:.*]]: memref<4x16xf32>) attributes {hcc.opencl.stage}
// CHECK:         %[[GID:.*]] = emitc.call_opaque "get_global_id"() {args = [0 : i32]} : () -> i64
// CHECK:         %[[ROW:.*]] = arith.index_cast %[[GID]] : i64 to index
// CHECK:         scf.for %[[I:.*]] = %[[ROW]] to
// CHECK:           scf.for %[[J:.*]] =
// CHECK:             memref.load %[[X]][%[[I]], %[[J]]]
// CHECK:             math.exp
// CHECK:             memref.store {{.*}}, %[[T]][%[[I]], %[[J]]]
// CHECK-LABEL: func.func @k_s1
// CHECK-SAME:    (%[[Y:.*]]: memref<4x16xf32>, %[[T2:.*]]: memref<4x16xf32>)
// CHECK:           memref.load %[[T2]]
// CHECK:           memref.store {{.*}}, %[[Y]]
// CHECK-NOT:   func.func @k(
func.func @k(%x: memref<4x16xf32>, %y: memref<4x16xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %t = memref.alloc() : memref<4x16xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c16) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<4x16xf32>
    %e = math.exp %v : f32
    memref.store %e, %t[%i, %j] : memref<4x16xf32>
    scf.reduce
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c16) step (%c1, %c1) {
    %v = memref.load %t[%i, %j] : memref<4x16xf32>
    memref.store %v, %y[%i, %j] : memref<4x16xf32>
    scf.reduce
  }
  return
}

// -----

// 1000 iterations over 4 work-items: contiguous chunks of 250.
// CHECK-LABEL: func.func @chunks_s0
// CHECK-DAG:     %[[C250:.*]] = arith.constant 250 : index
// CHECK-DAG:     %[[C1000:.*]] = arith.constant 1000 : index
// CHECK:         %[[LO:.*]] = arith.muli %{{.*}}, %[[C250]] : index
// CHECK:         %[[END:.*]] = arith.addi %[[LO]], %[[C250]] : index
// CHECK:         %[[HI:.*]] = arith.minsi %[[END]], %[[C1000]] : index
// CHECK:         scf.for %{{.*}} = %[[LO]] to %[[HI]]
func.func @chunks(%y: memref<1000xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1000 = arith.constant 1000 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c1000) step (%c1) {
    memref.store %cst, %y[%i] : memref<1000xf32>
    scf.reduce
  }
  return
}

// -----

// A buffer chosen at run time (an scf.if result) joins its producer and
// users in one stage on one work-item; the temporary inside the branch is
// hoisted into a scratch buffer (the last argument), and inner parallel
// loops run sequentially. (The canonicalizer makes the choice a select.)
// CHECK:       hcc_sel = {num_args = 4 : i64, scratch = [16], stages = [{args = [0, 1, 2, 3, 4], entry = "sel_s0", global_size = 1 : i64}]}
// CHECK-LABEL: func.func @sel_s0
// CHECK-SAME:    (%[[C:.*]]: memref<i1>, %[[A:.*]]: memref<4xf32>, %{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>, %[[T:.*]]: memref<4xf32>)
// CHECK:         %[[P:.*]] = memref.load %[[C]][]
// CHECK:         %[[R:.*]] = arith.select %[[P]], %[[A]], %[[T]]
// CHECK-NOT:     scf.parallel
// CHECK:         memref.load %[[R]]
func.func @sel(%c: memref<i1>, %a: memref<4xf32>, %b: memref<4xf32>, %y: memref<4xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %p = memref.load %c[] : memref<i1>
  %r = scf.if %p -> memref<4xf32> {
    scf.yield %a : memref<4xf32>
  } else {
    %t = memref.alloc() : memref<4xf32>
    scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
      %v = memref.load %b[%i] : memref<4xf32>
      memref.store %v, %t[%i] : memref<4xf32>
      scf.reduce
    }
    scf.yield %t : memref<4xf32>
  }
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %v = memref.load %r[%i] : memref<4xf32>
    memref.store %v, %y[%i] : memref<4xf32>
    scf.reduce
  }
  return
}

// -----

// A scalar read of a kernel input is repeated in each stage that needs it
// (inputs are never written), so both loops stay distributed.
// CHECK-LABEL: func.func @scalar_s0
// CHECK:         memref.load %{{.*}}[] : memref<f32>
// CHECK:         emitc.call_opaque "get_global_id"
// CHECK-LABEL: func.func @scalar_s1
// CHECK:         memref.load %{{.*}}[] : memref<f32>
// CHECK:         emitc.call_opaque "get_global_id"
func.func @scalar(%s: memref<f32>, %y: memref<8xf32>, %z: memref<8xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %v = memref.load %s[] : memref<f32>
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %v, %y[%i] : memref<8xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %v, %z[%i] : memref<8xf32>
    scf.reduce
  }
  return
}

// -----

// A kernel without work (empty tensors) still has one stage, doing nothing.
// CHECK:       hcc_nothing = {num_args = 2 : i64, scratch = [], stages = [{args = [], entry = "nothing_s0", global_size = 1 : i64}]}
// CHECK-LABEL: func.func @nothing_s0()
// CHECK-NEXT:    return
func.func @nothing(%x: memref<0x4xf32>, %y: memref<4x0xf32>) attributes {exec.kernel} {
  return
}
