// RUN: hcc-opt %s --hcc-fpga-interleave-accumulators=board=agilex7 | FileCheck %s
// RUN: hcc-opt %s --hcc-fpga-interleave-accumulators=board=agilex7 --hcc-fpga-estimate=board=agilex7 --hcc-fpga-simulate=board=agilex7 | FileCheck %s --check-prefix=MODEL
// RUN: not hcc-opt %s --hcc-fpga-interleave-accumulators=board=vu9p 2>&1 | FileCheck %s --check-prefix=BOARD

// On the Agilex 7 a float add takes 4 cycles: a sum carried straight back
// would make the loop's II 4. It becomes 4 partial sums in a shift
// register: each iteration adds into the oldest (written 4 iterations
// earlier) and the others move along; after the loop they are added
// pairwise.
// CHECK-LABEL: func.func @sum
// CHECK:      %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:      %[[R:.*]]:4 = scf.for %{{.*}} = {{.*}} iter_args(%[[S0:.*]] = %{{.*}}, %[[S1:.*]] = %[[Z]], %[[S2:.*]] = %[[Z]], %[[S3:.*]] = %[[Z]])
// CHECK:        %[[N:.*]] = arith.addf %[[S3]], %{{.*}} : f32
// CHECK-NEXT:   scf.yield %[[N]], %[[S0]], %[[S1]], %[[S2]]
// CHECK:      %[[A:.*]] = arith.addf %[[R]]#0, %[[R]]#1
// CHECK-NEXT: %[[B:.*]] = arith.addf %[[R]]#2, %[[R]]#3
// CHECK-NEXT: %[[T:.*]] = arith.addf %[[A]], %[[B]]
// CHECK-NEXT: memref.store %[[T]]
// The model's recurrence follows the value around the register: 4 cycles
// over 4 iterations, II 1: 1 (constants) + 64 (load) + 4 (add) + 63 more
// iterations + 2 adds of the tree = 140; the simulator's 141 adds the
// store's fraction of a cycle. @short keeps II 4; in @read the store of
// the running sum is scheduled late, so the add's latency still sets II 4
// and the simulator agrees.
// MODEL: hcc.fpga.estimates = {read = {cycles = 321 : i64, {{.*}}, ii = 4 : i64{{.*}}}, short = {cycles = 94 : i64, {{.*}}, ii = 4 : i64{{.*}}}, sum = {cycles = 140 : i64, {{.*}}, ii = 1 : i64
// MODEL: hcc.fpga.simulated = {read = 322 : i64, short = 94 : i64, sum = 141 : i64}
func.func @sum(%x: memref<64xf32>, %o: memref<1xf32>) attributes {hcc.opencl.stage} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %init = arith.constant 1.0 : f32
  %r = scf.for %i = %c0 to %c64 step %c1 iter_args(%acc = %init) -> f32 {
    %v = memref.load %x[%i] : memref<64xf32>
    %n = arith.addf %acc, %v : f32
    scf.yield %n : f32
  }
  memref.store %r, %o[%c0] : memref<1xf32>
  return
}

// Loops shorter than twice the latency, and sums read in the loop, keep
// their carried value.
// CHECK-LABEL: func.func @short
// CHECK:       scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32)
// CHECK-LABEL: func.func @read
// CHECK:       scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32)
// BOARD: error: FPGA target: unknown board 'vu9p'
func.func @short(%x: memref<64xf32>, %o: memref<1xf32>) attributes {hcc.opencl.stage} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %init = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %c7 step %c1 iter_args(%acc = %init) -> f32 {
    %v = memref.load %x[%i] : memref<64xf32>
    %n = arith.addf %acc, %v : f32
    scf.yield %n : f32
  }
  memref.store %r, %o[%c0] : memref<1xf32>
  return
}
func.func @read(%x: memref<64xf32>, %o: memref<64xf32>) attributes {hcc.opencl.stage} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %init = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %c64 step %c1 iter_args(%acc = %init) -> f32 {
    %v = memref.load %x[%i] : memref<64xf32>
    memref.store %acc, %o[%i] : memref<64xf32>
    %n = arith.addf %acc, %v : f32
    scf.yield %n : f32
  }
  return
}
