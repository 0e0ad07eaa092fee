// RUN: hcc-opt %s --split-input-file --hcc-fpga-fit="board=u250" | FileCheck %s
// RUN: hcc-opt %s --split-input-file --hcc-fpga-codegen-pipeline="board=u250" 2>&1 | FileCheck %s --check-prefix=MODEL

// Kernels' processing-element arrays (tile-m x tile-n multiply-adds) are
// sized so that all kernels fit the board together. The U250 holds
// min(12288 DSP / 5, 1728000 LUT / 700) = 2457 f32 multiply-adds (DSP
// bound); sized kernels share 80 % of it.
// One matmul: 1966 each -> the largest tiles, 8 x 32 (256 multiply-adds,
// 1280 DSP).
// CHECK-LABEL: func.func @k0
// CHECK-SAME:    exec.knobs = {"tile-m" = 8 : i64, "tile-n" = 32 : i64}
// MODEL: hcc.fpga.estimates = {k0_s0 = {{{.*}}dsp = 1.280000e+03 : f64
module {
  func.func @k0(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
}

// -----

// Ten matmuls: 196 each -> 6 x 32 (960 DSP each, 9600 in all: no
// warning).
// CHECK-LABEL: func.func @k0
// CHECK-SAME:    exec.knobs = {"tile-m" = 6 : i64, "tile-n" = 32 : i64}
// CHECK-LABEL: func.func @k9
// CHECK-SAME:    exec.knobs = {"tile-m" = 6 : i64, "tile-n" = 32 : i64}
// MODEL-NOT: warning
// MODEL: k9_s0 = {{{.*}}dsp = 9.600000e+02 : f64
module {
  func.func @k0(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k1(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k2(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k3(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k4(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k5(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k6(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k7(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k8(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k9(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
}

// -----

// A forced 8 x 32 kernel keeps its size; the other nine share what is
// left: (1966 - 256) / 9 = 190 -> 5 x 32.
// CHECK-LABEL: func.func @k0
// CHECK-SAME:    exec.knobs = {"tile-m" = 8 : i64, "tile-n" = 32 : i64}
// CHECK-LABEL: func.func @k1
// CHECK-SAME:    exec.knobs = {"tile-m" = 5 : i64, "tile-n" = 32 : i64}
module {
  func.func @k0(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel, exec.knobs = {"tile-m" = 8 : i64, "tile-n" = 32 : i64}} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k1(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k2(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k3(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k4(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k5(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k6(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k7(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k8(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k9(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
}
