// RUN: not hcc-opt %s --hcc-fpga-fit="board=u250" 2>&1 | FileCheck %s --check-prefix=FORCED
// RUN: not hcc-opt %s --hcc-fpga-fit="board=vu9p" 2>&1 | FileCheck %s --check-prefix=BOARD

// Forced sizes that cannot fit are an error naming kernel and resource.
// FORCED: error: FPGA target: kernel 'k1' forces tile-m x tile-n = 64 x 64; with the other forced kernels that is 4352 multiply-adds, more than board 'u250' holds (2457, by its DSP48E2 blocks)
module {
  func.func @k0(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel, exec.knobs = {"tile-m" = 8 : i64, "tile-n" = 32 : i64}} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @k1(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel, exec.knobs = {"tile-m" = 64 : i64, "tile-n" = 64 : i64}} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
}
// BOARD: error: FPGA target: unknown board 'vu9p'
