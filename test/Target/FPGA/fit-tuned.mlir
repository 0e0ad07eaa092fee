// Kernels a tuning log tuned (exec.tuned_options) share their part of the
// board: each starts at its smallest measured array, then the upgrade
// that saves the most time per multiply-add added is taken while the part
// holds it. With resources=kernel (a tuner's candidates) each takes its
// fastest option as if it had the board alone.
// RUN: hcc-opt %s --hcc-fpga-fit="board=u250" | FileCheck %s
// RUN: hcc-opt %s --hcc-fpga-fit="board=u250 resources=kernel" | FileCheck %s --check-prefix=ALONE

// u250: 2457 multiply-adds, 1965 of them (80 %) shared by three kernels
// with a contraction; k0 and k1 are tuned: 1310 for them. k0 gains most
// from growing (1000 -> 100 -> 40 us) until 1024; 2048 would not fit, nor
// k1's 1024. k2 (untuned) is sized from what is left (1965 - 1280).
// k1's 16 x 32 is slower than its 8 x 32 (dominated) and its defaults
// (tile-m = 0) are not an array: neither is chosen.
// CHECK-LABEL: func.func @k0
// CHECK-SAME: exec.knobs = {"tile-m" = 16 : i64, "tile-n" = 64 : i64}
// CHECK-NOT: exec.tuned_options
// CHECK-LABEL: func.func @k1
// CHECK-SAME: exec.knobs = {"tile-m" = 8 : i64, "tile-n" = 32 : i64}
// CHECK-LABEL: func.func @k2
// CHECK-SAME: exec.knobs = {"tile-m" = 8 : i64, "tile-n" = 32 : i64}
// ALONE-LABEL: func.func @k0
// ALONE-SAME: exec.knobs = {"tile-m" = 32 : i64, "tile-n" = 64 : i64}
// ALONE-LABEL: func.func @k1
// ALONE-SAME: exec.knobs = {"tile-m" = 16 : i64, "tile-n" = 64 : i64}
module {
  func.func @k0(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel, exec.tuned_options = [
      {config = {"tile-m" = 16 : i64, "tile-n" = 64 : i64}, seconds = 4.0e-05 : f64},
      {config = {"tile-m" = 32 : i64, "tile-n" = 64 : i64}, seconds = 3.5e-05 : f64},
      {config = {"tile-m" = 8 : i64, "tile-n" = 32 : i64}, seconds = 1.0e-04 : f64},
      {config = {"tile-m" = 1 : i64, "tile-n" = 8 : i64}, seconds = 1.0e-03 : f64}]} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k1(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel, exec.tuned_options = [
      {config = {"tile-m" = 16 : i64, "tile-n" = 64 : i64}, seconds = 4.5e-05 : f64},
      {config = {"tile-m" = 8 : i64, "tile-n" = 32 : i64}, seconds = 5.0e-05 : f64},
      {config = {"tile-m" = 0 : i64, "tile-n" = 0 : i64}, seconds = 5.5e-05 : f64},
      {config = {"tile-m" = 16 : i64, "tile-n" = 32 : i64}, seconds = 6.0e-05 : f64}]} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k2(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
}
