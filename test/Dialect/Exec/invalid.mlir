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

// -----

module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    return %x : tensor<1x2xf32>
  }
}
func.func @concat_of_input(%x: tensor<1x2xf32>) -> tensor<1x4xf32> {
  %a = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-error @+1 {{input 1 is not a kernel's result, so it cannot be written in place}}
  %c = exec.concat %a, %x {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  return %c : tensor<1x4xf32>
}

// -----

module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
    return %x : tensor<2x2xf32>
  }
}
func.func @interleaved(%x: tensor<2x2xf32>) -> tensor<2x4xf32> {
  %a = exec.launch @cpu::@k(%x) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %b = exec.launch @cpu::@k(%x) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-error @+1 {{input slices along axis 1 of 'tensor<2x4xf32>' are not contiguous (dimension 0 is not 1)}}
  %c = exec.concat %a, %b {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
  return %c : tensor<2x4xf32>
}

// -----

module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    return %x : tensor<1x2xf32>
  }
}
func.func @twice(%x: tensor<1x2xf32>) -> tensor<1x4xf32> {
  %a = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-error @+1 {{input 0 appears twice}}
  %c = exec.concat %a, %a {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  return %c : tensor<1x4xf32>
}

// -----

module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    return %x : tensor<1x2xf32>
  }
}
func.func @returned(%x: tensor<1x2xf32>) -> (tensor<1x4xf32>, tensor<1x2xf32>) {
  %a = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %b = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-error @+1 {{input 1 is also returned}}
  %c = exec.concat %a, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  return %c, %b : tensor<1x4xf32>, tensor<1x2xf32>
}

// -----

module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    return %x : tensor<1x2xf32>
  }
}
module @opencl attributes {exec.target = #exec.target<"opencl">} {
  func.func @k(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    return %x : tensor<1x2xf32>
  }
}
func.func @two_targets(%x: tensor<1x2xf32>) -> tensor<1x4xf32> {
  %a = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %b = exec.launch @opencl::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-error @+1 {{input 1 is computed on "opencl", input 0 on "cpu"}}
  %c = exec.concat %a, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  return %c : tensor<1x4xf32>
}

// -----

module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    return %x : tensor<1x2xf32>
  }
}
func.func @sizes(%x: tensor<1x2xf32>) -> tensor<1x5xf32> {
  %a = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %b = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-error @+1 {{inputs add up to 4 along axis 1, the result has 5}}
  %c = exec.concat %a, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x5xf32>
  return %c : tensor<1x5xf32>
}

// -----

module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    return %x : tensor<1x2xf32>
  }
  func.func @i(%x: tensor<1x2xf32>) -> tensor<1x2xi32> {
    %0 = arith.constant dense<0> : tensor<1x2xi32>
    return %0 : tensor<1x2xi32>
  }
}
func.func @types(%x: tensor<1x2xf32>) -> tensor<1x4xf32> {
  %a = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %b = exec.launch @cpu::@i(%x) : (tensor<1x2xf32>) -> tensor<1x2xi32>
  // expected-error @+1 {{input 1 ('tensor<1x2xi32>') does not match the result 'tensor<1x4xf32>'}}
  %c = exec.concat %a, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xi32>) -> tensor<1x4xf32>
  return %c : tensor<1x4xf32>
}

// -----

func.func @axis(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{axis 2 is not a dimension of 'tensor<1x2xf32>'}}
  %c = exec.concat %x {axis = 2 : i64} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  return %c : tensor<1x2xf32>
}

// -----

func.func @no_inputs() -> tensor<1x0xf32> {
  // expected-error @+1 {{needs at least one input}}
  %c = exec.concat {axis = 1 : i64} : () -> tensor<1x0xf32>
  return %c : tensor<1x0xf32>
}

// -----

func.func @dynamic(%x: tensor<1x2xf32>) -> tensor<1x?xf32> {
  // expected-error @+1 {{needs a static shape of integers or floats, not 'tensor<1x?xf32>'}}
  %c = exec.concat %x {axis = 1 : i64} : (tensor<1x2xf32>) -> tensor<1x?xf32>
  return %c : tensor<1x?xf32>
}

// -----

module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<1x2x3xf32>) -> tensor<1x2x3xf32> {
    return %x : tensor<1x2x3xf32>
  }
}
func.func @other_dim(%x: tensor<1x2x3xf32>) -> tensor<1x4x4xf32> {
  %a = exec.launch @cpu::@k(%x) : (tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
  %b = exec.launch @cpu::@k(%x) : (tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
  // expected-error @+1 {{input 0 ('tensor<1x2x3xf32>') differs from the result 'tensor<1x4x4xf32>' in dimension 2}}
  %c = exec.concat %a, %b {axis = 1 : i64} : (tensor<1x2x3xf32>, tensor<1x2x3xf32>) -> tensor<1x4x4xf32>
  return %c : tensor<1x4x4xf32>
}
