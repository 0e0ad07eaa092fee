// Tuned arrays too large for the board, together at their smallest or one
// alone (resources=kernel), are errors naming the kernel; so is a
// `resources` that is neither.
// RUN: not hcc-opt %s --hcc-fpga-fit="board=u250" 2>&1 | FileCheck %s --check-prefix=TOGETHER
// RUN: not hcc-opt %s --hcc-fpga-fit="board=u250 resources=kernel" 2>&1 | FileCheck %s --check-prefix=ONE
// RUN: not hcc-opt %s --hcc-fpga-fit="board=u250 resources=bitstream" 2>&1 | FileCheck %s --check-prefix=BAD
// TOGETHER: error: FPGA target: kernel 'big0' and the other tuned kernels need, at their smallest measured arrays and beside the forced kernels, 6144 multiply-adds, more than board 'u250' holds (2457, by its DSP48E2 blocks)
// ONE: error: FPGA target: kernel 'big0' is tuned to tile-m x tile-n = 64 x 64, that is 4096 multiply-adds, more than board 'u250' holds
// ONE-NOT: error:
// BAD: error: FPGA target: 'resources' is board or kernel, not 'bitstream'
module {
  func.func @big0(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel, exec.tuned_options = [
      {config = {"tile-m" = 64 : i64, "tile-n" = 64 : i64}, seconds = 1.0e-04 : f64}]} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
  func.func @big1(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel, exec.tuned_options = [
      {config = {"tile-m" = 32 : i64, "tile-n" = 64 : i64}, seconds = 1.0e-04 : f64}]} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
}
