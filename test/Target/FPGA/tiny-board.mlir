// RUN: %python -c "import json; b = json.load(open('%S/../../../boards/u250.json')); b['dsp']['co' 'unt'] = 4; json.dump(b, open('%t.tiny.json', 'w'))"
// RUN: hcc-opt %s --hcc-fpga-codegen-pipeline="board=%t.tiny.json" 2>&1 >/dev/null | FileCheck %s

// A board too small for even one multiply-add per kernel (4 DSP blocks;
// an f32 multiply-add takes 5): the kernel gets the smallest array, 1 x 1,
// and the model warns that the design does not fit.
// CHECK: warning: FPGA target (modelled): the kernels need 5 DSP48E2 blocks, board 'u250' has 4 even with kernels sized to the board (hcc-fpga-fit)
module {
  func.func @k0(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>) -> tensor<64x128xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>
    return %0 : tensor<64x128xf32>
  }
}
