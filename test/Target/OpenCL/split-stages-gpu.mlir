// RUN: hcc-opt %s --split-input-file --hcc-ocl-split-stages="gpu-shape=true block-size=32" --canonicalize | FileCheck %s
// RUN: hcc-opt %s --split-input-file --hcc-ocl-split-stages="gpu-shape=true block-size=32" --hcc-ocl-convert-to-emitc | hcc-translate --emit-opencl | FileCheck %s --check-prefix=OPENCL

// GPU shape: one thread per iteration of both dimensions (64), in blocks
// of 32; the table records each stage's block size.
// CHECK:       stages = [{args = [0, 1], entry = "k_s0", global_size = 64 : i64, local_size = 32 : i64}]
// CHECK-LABEL: func.func @k_s0
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK:         %[[B:.*]] = gpu.block_id x
// CHECK:         %[[T:.*]] = gpu.thread_id x
// CHECK:         %[[BASE:.*]] = arith.muli %[[B]], %[[C32]] : index
// CHECK:         %[[FIRST:.*]] = arith.addi %[[BASE]], %[[T]] : index
// CHECK:         scf.for %[[I:.*]] = %[[FIRST]] to %[[C64]] step %[[C64]] {
// CHECK:           %[[COL:.*]] = arith.remsi %[[I]], %[[C16]] : index
// CHECK:           %[[ROW:.*]] = arith.divsi %[[I]], %[[C16]] : index
// CHECK:           memref.load %{{.*}}[%[[ROW]], %[[COL]]]
// CHECK-NOT:     scf.for

// OPENCL: __kernel void k_s0(
// OPENCL:   get_group_id(0)
// OPENCL:   get_local_id(0)
func.func @k(%x: memref<4x16xf32>, %y: memref<4x16xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c16) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<4x16xf32>
    %e = math.exp %v : f32
    memref.store %e, %y[%i, %j] : memref<4x16xf32>
    scf.reduce
  }
  return
}

// -----

// More iterations than 65535 blocks hold: the threads stride the grid.
// CHECK:       global_size = 2097120 : i64, local_size = 32 : i64
// CHECK-LABEL: func.func @big_s0
// CHECK-DAG:     %[[STEP:.*]] = arith.constant 2097120 : index
// CHECK-DAG:     %[[N:.*]] = arith.constant 3000000 : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[N]] step %[[STEP]]
func.func @big(%y: memref<3000000xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 3000000 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %cst, %y[%i] : memref<3000000xf32>
    scf.reduce
  }
  return
}

// -----

// A stage that is not one parallel loop runs on a single thread.
// CHECK:       stages = [{args = [0], entry = "serial_s0", global_size = 1 : i64, local_size = 1 : i64}]
// CHECK-LABEL: func.func @serial_s0
// CHECK-NOT:     gpu.thread_id
func.func @serial(%y: memref<4xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %cst = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    %p = memref.load %y[%i] : memref<4xf32>
    %s = arith.addf %p, %cst : f32
    memref.store %s, %y[%i] : memref<4xf32>
  }
  return
}
