// A kernel table that is not what split-stages makes is an error naming the
// entry, never a crash (an entry that was not a dictionary, or had no
// stages, crashed both section writers: the CUDA one shares this table),
// and a stage whose arguments index past the kernel's buffers and scratch,
// or that runs no work-item, is refused before anything is written.
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
