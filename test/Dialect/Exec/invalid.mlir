// RUN: hcc-opt %s --split-input-file --verify-diagnostics

func.func @missing(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{kernel @cpu::@nope does not exist}}
  %0 = exec.launch @cpu::@nope(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
module @cpu attributes {exec.target = #exec.target<"cpu">} {
}

// -----

func.func @types(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{operand/result types do not match kernel @cpu::@k}}
  %0 = exec.launch @cpu::@k(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<8xf32>) -> tensor<8xf32> {
    return %x : tensor<8xf32>
  }
}

// -----

func.func @no_target(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{kernel @m::@k is not in a target module}}
  %0 = exec.launch @m::@k(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
module @m {
  func.func @k(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

func.func @self(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{transfers from cpu to itself}}
  %0 = exec.transfer %x from <"cpu"> to <"cpu"> : tensor<4xf32>
  return %0 : tensor<4xf32>
}
