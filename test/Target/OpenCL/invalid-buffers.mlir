// RUN: hcc-opt %s --split-input-file --verify-diagnostics \
// RUN:   --hcc-ocl-split-stages --hcc-ocl-convert-to-emitc

// Buffer-level programs the OpenCL target rejects (bufferization does not
// produce them for graph kernels; they are errors, not crashes).

func.func @carried(%y: memref<4xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%b = %y) -> (memref<4xf32>) {
    // expected-error @+1 {{OpenCL target: temporary buffer carried across loop iterations}}
    %t = memref.alloc() : memref<4xf32>
    scf.yield %t : memref<4xf32>
  }
  return
}

// -----

func.func @in_parallel(%y: memref<4xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    // expected-error @+1 {{OpenCL target: temporary buffer inside a parallel loop}}
    %t = memref.alloc() : memref<4xf32>
    scf.reduce
  }
  return
}

// -----

func.func @dynamic(%y: memref<?xf32>) attributes {exec.kernel} {
  // expected-error @-1 {{OpenCL target: kernel @dynamic argument 0 of type 'memref<?xf32>' is not a static dense buffer}}
  return
}

// -----

func.func @vectors(%y: memref<8xf32>) attributes {exec.kernel} {
  %c0 = arith.constant 0 : index
  %v = vector.load %y[%c0] : memref<8xf32>, vector<4xf32>
  // expected-error @+1 {{OpenCL target: vector.reduction is not supported}}
  %s = vector.reduction <add>, %v : vector<4xf32> into f32
  memref.store %s, %y[%c0] : memref<8xf32>
  return
}
