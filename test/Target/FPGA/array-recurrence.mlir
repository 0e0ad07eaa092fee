// RUN: hcc-opt %s --hcc-fpga-estimate --hcc-fpga-simulate | FileCheck %s

// Sums kept in a private array carry from iteration to iteration through
// memory. @same adds into one element every iteration: the next load
// waits for the store, 1 (load) + 7 (add) + 1 (read back) cycles: II 9.
// @period adds into a 2 x 32 tile indexed by the innermost results of the
// delinearized induction variable: an element comes back every 64
// iterations, so the loop issues every cycle. @never writes a new element
// every iteration. The simulator, which evaluates the indices and makes
// each load wait for the last store to its element, agrees with the
// model (to 2 cycles on @same: the final read back).
// CHECK: hcc.fpga.estimates = {never = {cycles = 135 : i64, {{.*}}, ii = 1 : i64{{.*}}}, period = {cycles = 199 : i64, {{.*}}, ii = 1 : i64{{.*}}}, same = {cycles = 352 : i64, {{.*}}, ii = 9 : i64
// CHECK: hcc.fpga.simulated = {never = 135 : i64, period = 199 : i64, same = 354 : i64}
func.func @same(%x: memref<32xf32>, %o: memref<1xf32>) attributes {hcc.opencl.stage} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  %acc = memref.alloca() : memref<1xf32>
  memref.store %zero, %acc[%c0] : memref<1xf32>
  scf.for %i = %c0 to %c32 step %c1 {
    %v = memref.load %x[%i] : memref<32xf32>
    %a = memref.load %acc[%c0] : memref<1xf32>
    %s = arith.addf %a, %v : f32
    memref.store %s, %acc[%c0] : memref<1xf32>
  }
  %r = memref.load %acc[%c0] : memref<1xf32>
  memref.store %r, %o[%c0] : memref<1xf32>
  return
}
func.func @period(%x: memref<128xf32>, %o: memref<2x32xf32>) attributes {hcc.opencl.stage} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %acc = memref.alloca() : memref<2x32xf32>
  scf.for %i = %c0 to %c128 step %c1 {
    %d:3 = affine.delinearize_index %i into (2, 2, 32) : index, index, index
    %v = memref.load %x[%i] : memref<128xf32>
    %a = memref.load %acc[%d#1, %d#2] : memref<2x32xf32>
    %s = arith.addf %a, %v : f32
    memref.store %s, %acc[%d#1, %d#2] : memref<2x32xf32>
  }
  return
}
func.func @never(%x: memref<64xf32>) attributes {hcc.opencl.stage} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %acc = memref.alloca() : memref<64xf32>
  scf.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %x[%i] : memref<64xf32>
    %a = memref.load %acc[%i] : memref<64xf32>
    %s = arith.addf %a, %v : f32
    memref.store %s, %acc[%i] : memref<64xf32>
  }
  return
}
