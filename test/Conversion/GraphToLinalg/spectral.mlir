// RUN: hcc-opt %s --convert-graph-to-linalg --split-input-file | FileCheck %s

// A real DFT along axis 1 (constant): one generic with the samples as a
// reduction loop, f64 accumulation, the angle reduced mod n first.
// CHECK-LABEL: func.func @dft_axis1
// CHECK: tensor.empty() : tensor<8xf64>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK: arith.remsi
// CHECK: math.cos
// CHECK: math.sin
// CHECK: arith.truncf {{.+}} : f64 to f32
func.func @dft_axis1(%x: tensor<2x8x3x1xf32>) -> tensor<2x8x3x2xf32> {
  %n = graph.none
  %a = graph.Constant() {value = dense<1> : tensor<i64>} : () -> tensor<i64>
  %0 = graph.DFT(%x, %n, %a) : (tensor<2x8x3x1xf32>, none, tensor<i64>) -> tensor<2x8x3x2xf32>
  return %0 : tensor<2x8x3x2xf32>
}

// -----

// A run-time axis: both axes give this shape, scf.index_switch picks one.
// CHECK-LABEL: func.func @dft_runtime_axis
// CHECK: scf.index_switch
// CHECK: case 1 {
// CHECK: linalg.generic
// CHECK: case 2 {
// CHECK: linalg.generic
func.func @dft_runtime_axis(%x: tensor<1x4x4x2xf32>, %a: tensor<i64>) -> tensor<1x4x4x2xf32> {
  %n = graph.none
  %0 = graph.DFT(%x, %n, %a) {inverse = 1 : i64} : (tensor<1x4x4x2xf32>, none, tensor<i64>) -> tensor<1x4x4x2xf32>
  return %0 : tensor<1x4x4x2xf32>
}

// -----

// STFT with a window: 16 taps, the run-time frame_step scales the frame
// index, reads past the signal count 0.
// CHECK-LABEL: func.func @stft_window
// CHECK: tensor.extract %arg1[]
// CHECK: tensor.empty() : tensor<16xf64>
// CHECK: linalg.generic
// CHECK: arith.muli
// CHECK: arith.cmpi ult
// CHECK: tensor.extract %arg2
func.func @stft_window(%x: tensor<1x128x1xf32>, %step: tensor<i64>, %w: tensor<16xf32>) -> tensor<1x15x9x2xf32> {
  %n = graph.none
  %0 = graph.STFT(%x, %step, %w, %n) : (tensor<1x128x1xf32>, tensor<i64>, tensor<16xf32>, none) -> tensor<1x15x9x2xf32>
  return %0 : tensor<1x15x9x2xf32>
}

// -----

// MelWeightMatrix from run-time scalars: one generic, triangular filters
// between mel edges floor((dft + 1) hz / rate) computed in f64.
// CHECK-LABEL: func.func @mel_weights
// CHECK: tensor.extract %arg0
// CHECK: linalg.generic
// CHECK: math.log10
// CHECK: math.powf
// CHECK: math.floor
// CHECK: arith.select
func.func @mel_weights(%m: tensor<i64>, %d: tensor<i64>, %r: tensor<i64>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<9x8xf32> {
  %0 = graph.MelWeightMatrix(%m, %d, %r, %lo, %hi) : (tensor<i64>, tensor<i64>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<9x8xf32>
  return %0 : tensor<9x8xf32>
}
