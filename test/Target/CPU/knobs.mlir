// Knobs are checked against the CPU target's declared ranges: an option or
// a kernel's exec.knobs out of range is a diagnostic, never a crash.
// RUN: hcc-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(func.func(hcc-cpu-tile-and-vectorize))'
// RUN: not hcc-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(hcc-cpu-tile-and-vectorize{tile-n=0}))' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OPTION
// OPTION: option 'tile-n' = 0 is out of range [1, 256], a power of two

// expected-error @+1 {{kernel 'k': knob 'tile-m' = 0 is out of range [1, 32]}}
func.func @k(%a: tensor<4x4xf32>) -> tensor<4x4xf32> attributes {exec.knobs = {"tile-m" = 0 : i64}} {
  return %a : tensor<4x4xf32>
}

// -----

// expected-error @+1 {{kernel 'k': unknown knob 'unroll' (known: tile-m, tile-n}}
func.func @k(%a: tensor<4x4xf32>) -> tensor<4x4xf32> attributes {exec.knobs = {unroll = 4 : i64}} {
  return %a : tensor<4x4xf32>
}

// -----

// expected-error @+1 {{kernel 'k': knob 'tile-n' must be an integer}}
func.func @k(%a: tensor<4x4xf32>) -> tensor<4x4xf32> attributes {exec.knobs = {"tile-n" = "wide"}} {
  return %a : tensor<4x4xf32>
}

// -----

// A valid knob is accepted.
func.func @k(%a: tensor<4x4xf32>) -> tensor<4x4xf32> attributes {exec.knobs = {"tile-n" = 16 : i64}} {
  return %a : tensor<4x4xf32>
}

// -----

// The target module's configuration (hcc-compile --target-config) sets
// knobs of kernels that set none, checked the same way.
module attributes {exec.target = #exec.target<"cpu", {"tile-m" = 99 : i64}>} {
  // expected-error @+1 {{the cpu target's configuration: configuration key 'tile-m' = 99 is out of range [1, 32]}}
  func.func @k(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
    return %a : tensor<4x4xf32>
  }
}
