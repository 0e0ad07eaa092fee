// Knobs are checked against the OpenCL target's declared ranges: a pass
// option or a kernel's exec.knobs out of range is a diagnostic, never a
// crash (or a division by zero).
// RUN: hcc-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(func.func(hcc-ocl-lower-linalg))'
// RUN: not hcc-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(hcc-ocl-lower-linalg{tile-m=0}))' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TILEM
// TILEM: option 'tile-m' = 0 is out of range [1, 64]
// RUN: not hcc-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(hcc-ocl-lower-linalg{tile-m=64 tile-n=1024}))' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PRODUCT
// PRODUCT: options tile-m * tile-n = 65536 exceeds 8192
// RUN: not hcc-opt %s --split-input-file --hcc-ocl-split-stages=work-items=0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ITEMS
// ITEMS: option 'work-items' = 0 is out of range [1, 65536]
// RUN: not hcc-opt %s --split-input-file --hcc-opencl-codegen-pipeline=tile-n=0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PIPELINE
// PIPELINE: option 'tile-n' = 0 is out of range [1, 1024]

// expected-error @+1 {{kernel 'k': knob 'tile-n' = 2048 is out of range [1, 1024]}}
func.func @k(%a: memref<4xf32>) attributes {exec.kernel, exec.knobs = {"tile-n" = 2048 : i64}} {
  return
}

// -----

// expected-error @+1 {{kernel 'k': unknown knob 'unroll' (known: work-items, tile-m, tile-n, block-m, block-n, block-k, thread-m, thread-n)}}
func.func @k(%a: memref<4xf32>) attributes {exec.kernel, exec.knobs = {unroll = 4 : i64}} {
  return
}

// -----

// expected-error @+1 {{kernel 'k': tile-m * tile-n = 16384 exceeds 8192}}
func.func @k(%a: memref<4xf32>) attributes {exec.kernel, exec.knobs = {"tile-m" = 16 : i64, "tile-n" = 1024 : i64}} {
  return
}

// -----

// Valid knobs are accepted.
func.func @k(%a: memref<4xf32>) attributes {exec.kernel, exec.knobs = {"tile-m" = 4 : i64, "tile-n" = 32 : i64, "work-items" = 8 : i64}} {
  return
}
