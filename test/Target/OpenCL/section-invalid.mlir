// A kernel table that is not what split-stages makes is an error naming the
// entry, never a crash (an entry that was not a dictionary, or had no
// stages, crashed both section writers: the CUDA one shares this table),
// and a stage whose arguments index past the kernel's buffers and scratch,
// or that runs no work-item, or that names no function of the program (or
// one taking other arguments), is refused before anything is written.
// RUN: not hcc-translate %s --split-input-file --emit-opencl-section 2>&1 | FileCheck %s

// CHECK: malformed entry '"k"' in hcc.opencl.kernels
module attributes {hcc.opencl.kernels = {k = 5}} {
}

// -----

// CHECK: malformed entry '"k"' in hcc.opencl.kernels
module attributes {hcc.opencl.kernels = {k = {num_args = 3 : i64, scratch = []}}} {
}

// -----

// CHECK: malformed entry '"k"' in hcc.opencl.kernels
module attributes {hcc.opencl.kernels = {k = {num_args = 3 : i64, scratch = [], stages = [{entry = "k_s0", global_size = 64 : i64, args = [0, 7]}]}}} {
}

// -----

// CHECK: malformed entry '"k"' in hcc.opencl.kernels
module attributes {hcc.opencl.kernels = {k = {num_args = 3 : i64, scratch = [16 : i64], stages = [{entry = "k_s0", global_size = 0 : i64, args = [0, 3]}]}}} {
}

// -----

// A stage must name a function of the program...
// CHECK: stage 'k_s1' of kernel 'k' in hcc.opencl.kernels names no function of the program
module attributes {hcc.opencl.kernels = {k = {num_args = 1 : i64, scratch = [], stages = [{entry = "k_s1", global_size = 4 : i64, args = [0]}]}}} {
  emitc.func @k_s0(%arg0: !emitc.opaque<"hcc_gf32">, %arg1: ui64) attributes {hcc.opencl.stage, specifiers = ["__kernel"]} {
    emitc.return
  }
}

// -----

// ... that takes a buffer and its size per argument the table binds.
// CHECK: stage 'k_s0' takes 2 parameters, but hcc.opencl.kernels binds 2 buffers (a pointer and a size each)
module attributes {hcc.opencl.kernels = {k = {num_args = 2 : i64, scratch = [], stages = [{entry = "k_s0", global_size = 4 : i64, args = [0, 1]}]}}} {
  emitc.func @k_s0(%arg0: !emitc.opaque<"hcc_gf32">, %arg1: ui64) attributes {hcc.opencl.stage, specifiers = ["__kernel"]} {
    emitc.return
  }
}
