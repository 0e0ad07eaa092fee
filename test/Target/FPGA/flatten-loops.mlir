// RUN: hcc-opt %s --hcc-fpga-flatten-loops | FileCheck %s

// A perfect nest (each body the next loop alone, carrying the sum
// through) becomes one loop over 8 * 3 * 3 trips, its induction variables
// recomputed from the flattened one.
// CHECK-LABEL: func.func @window
// CHECK: %[[R:.*]] = scf.for %[[I:.*]] = %{{.*}} to %c72{{.*}} iter_args(%[[A:.*]] = %{{.*}}) -> (f32)
// CHECK-NEXT: %[[IV:.*]]:3 = affine.delinearize_index %[[I]] into (8, 3, 3)
// CHECK-NEXT: memref.load %{{.*}}[%[[IV]]#0, %[[IV]]#1, %[[IV]]#2]
// CHECK-NOT: scf.for
// CHECK: memref.store %[[R]]
func.func @window(%x: memref<8x3x3xf32>, %o: memref<1xf32>) attributes {hcc.opencl.stage} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %r = scf.for %c = %c0 to %c8 step %c1 iter_args(%a = %zero) -> f32 {
    %s = scf.for %h = %c0 to %c3 step %c1 iter_args(%b = %a) -> f32 {
      %t = scf.for %w = %c0 to %c3 step %c1 iter_args(%d = %b) -> f32 {
        %v = memref.load %x[%c, %h, %w] : memref<8x3x3xf32>
        %n = arith.addf %d, %v : f32
        scf.yield %n : f32
      }
      scf.yield %t : f32
    }
    scf.yield %s : f32
  }
  memref.store %r, %o[%c0] : memref<1xf32>
  return
}

// Loops with other operations between them, or bounds that are not
// constant, stay: only the perfect part of a nest is flattened.
// CHECK-LABEL: func.func @kept
// CHECK: scf.for %{{.*}} = %{{.*}} to %c4
// CHECK: arith.muli
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[N:.*]] step
// CHECK: scf.for %{{.*}} = %{{.*}} to %c2
// CHECK-NOT: delinearize
func.func @kept(%x: memref<4x16xf32>, %n: index) attributes {hcc.opencl.stage} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    %base = arith.muli %i, %c4 : index
    scf.for %j = %c0 to %n step %c1 {
      scf.for %k = %c0 to %c2 step %c1 {
        %at = arith.addi %base, %k : index
        memref.store %zero, %x[%i, %at] : memref<4x16xf32>
      }
    }
  }
  return
}

// Functions that are not stages are left alone.
// CHECK-LABEL: func.func @host
// CHECK: scf.for
// CHECK: scf.for
func.func @host(%x: memref<2x2xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c2 step %c1 {
    scf.for %j = %c0 to %c2 step %c1 {
      memref.store %zero, %x[%i, %j] : memref<2x2xf32>
    }
  }
  return
}
