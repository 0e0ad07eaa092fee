// RUN: not hcc-opt %s --split-input-file --hcc-fpga-simulate 2>&1 | FileCheck %s
// RUN: not hcc-opt %s --split-input-file --hcc-fpga-estimate --hcc-fpga-simulate 2>&1 | FileCheck %s --check-prefix=RAM
// RUN: not hcc-opt %s --split-input-file --hcc-fpga-simulate=max-steps=100 2>&1 | FileCheck %s --check-prefix=BUDGET
// RUN: not hcc-opt %s --split-input-file --hcc-fpga-simulate=board=vu9p 2>&1 | FileCheck %s --check-prefix=BOARD

// Worked by hand on the U250 (256 B per cycle, f32 add 7 cycles, global
// load 64; constants and index operations 1 cycle). @acc starts its loop
// at 1; the loop carries its sum, so iteration i issues when iteration
// i - 1's add is done, 7 cycles apart: the last (96th) issues at
// 1 + 95 * 7 = 666, its add ends at 666 + 64 + 7 = 737; the store's 4
// bytes move in a fraction of the next cycle: 738 rounded up. @rem's
// inner loop runs min(8, 20 - 8 * i) trips, 8, 8 and 4 (index arithmetic
// is evaluated), a store a cycle (the last one's bytes a fraction later)
// after 3 cycles of index arithmetic, then 1 of loop control:
// 1 + (3 + 8 + 1) + (3 + 8 + 1) + (3 + 4 + 1) = 33, and the fractions
// round it up to 34.
// @ram reads a 64 x f32 private array (2 Kbit: an on-chip RAM block of 2
// ports) 4 times an iteration: 2 cycles an iteration (the port II), depth
// 6 (4 chained index/load steps, 3 max, then the store):
// 1 + 6 + 2 * 15 = 37, in the model and the simulator.
// CHECK-DAG: hcc.fpga.simulated = {acc = 738 : i64, ram = 37 : i64, rem = 34 : i64}
// RAM: ram = {cycles = 37 : i64, dsp = 0.000000e+00 : f64, ii = 2 : i64, kernel = "", logic = 1.000000e+02 : f64, ram_blocks = 1 : i64}
// RAM: hcc.fpga.simulated = {acc = 738 : i64, ram = 37 : i64
// BUDGET: error: FPGA simulator: more than 100 operations to simulate
// BOARD: error: FPGA target: unknown board 'vu9p'
  func.func @acc(%a: memref<96xf32>, %o: memref<1xf32>) attributes {hcc.opencl.stage} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c96 = arith.constant 96 : index
    %zero = arith.constant 0.0 : f32
    %r = scf.for %k = %c0 to %c96 step %c1 iter_args(%acc = %zero) -> f32 {
      %x = memref.load %a[%k] : memref<96xf32>
      %s = arith.addf %acc, %x : f32
      scf.yield %s : f32
    }
    memref.store %r, %o[%c0] : memref<1xf32>
    return
  }
  func.func @rem(%o: memref<20xf32>) attributes {hcc.opencl.stage} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %c8 = arith.constant 8 : index
    %c20 = arith.constant 20 : index
    %zero = arith.constant 0.0 : f32
    scf.for %i = %c0 to %c3 step %c1 {
      %base = arith.muli %i, %c8 : index
      %left = arith.subi %c20, %base : index
      %n = arith.minsi %left, %c8 : index
      scf.for %j = %c0 to %n step %c1 {
        %at = arith.addi %base, %j : index
        memref.store %zero, %o[%at] : memref<20xf32>
      }
    }
    return
  }
func.func @ram(%o: memref<16xf32>) attributes {hcc.opencl.stage} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c16 = arith.constant 16 : index
  %buf = memref.alloca() : memref<64xf32>
  scf.for %i = %c0 to %c16 step %c1 {
    %a = memref.load %buf[%i] : memref<64xf32>
    %j = arith.addi %i, %c16 : index
    %b = memref.load %buf[%j] : memref<64xf32>
    %k = arith.addi %j, %c16 : index
    %c = memref.load %buf[%k] : memref<64xf32>
    %l = arith.addi %k, %c16 : index
    %d = memref.load %buf[%l] : memref<64xf32>
    %s1 = arith.maximumf %a, %b : f32
    %s2 = arith.maximumf %c, %d : f32
    %s = arith.maximumf %s1, %s2 : f32
    memref.store %s, %o[%i] : memref<16xf32>
  }
  return
}

// -----

// CHECK-DAG: error: FPGA simulator: the branch condition depends on data
  func.func @data(%a: memref<4xi32>, %o: memref<4xi32>) attributes {hcc.opencl.stage} {
    %c0 = arith.constant 0 : index
    %zero = arith.constant 0 : i32
    %x = memref.load %a[%c0] : memref<4xi32>
    %p = arith.cmpi sgt, %x, %zero : i32
    scf.if %p {
      memref.store %x, %o[%c0] : memref<4xi32>
    }
    return
  }
