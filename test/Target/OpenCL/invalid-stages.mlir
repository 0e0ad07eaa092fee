// RUN: hcc-opt %s --split-input-file --verify-diagnostics --hcc-ocl-convert-to-emitc

// A stage's parameters are the runtime's buffers (memrefs of numbers):
// anything else is an error naming the stage and the parameter (a scalar,
// an unranked or complex buffer crashed the pass).

// expected-error @+1 {{stage @s parameter #0 has type 'i32'; stage parameters are buffers (memrefs of numbers)}}
func.func @s(%n: i32) attributes {hcc.opencl.stage} {
  return
}

// -----

// expected-error @+1 {{stage @c parameter #1 has type 'memref<4xcomplex<f32>>'}}
func.func @c(%a: memref<4xf32>, %x: memref<4xcomplex<f32>>) attributes {hcc.opencl.stage} {
  return
}

// -----

// expected-error @+1 {{stage @u parameter #0 has type 'memref<*xf32>'}}
func.func @u(%x: memref<*xf32>) attributes {hcc.opencl.stage} {
  return
}
