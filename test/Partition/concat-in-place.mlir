// RUN: hcc-opt %s --split-input-file --hcc-concat-in-place | FileCheck %s

// Both operands come from kernels of the host target: the concatenation is
// written in place and its kernel goes away.
// CHECK-LABEL: func.func @in_place
// CHECK: %[[A:.+]] = exec.launch @cpu::@a
// CHECK: %[[B:.+]] = exec.launch @cpu::@b
// CHECK: %[[C:.+]] = exec.concat %[[B]], %[[A]] {axis = 1 : i64} : (tensor<1x3x2xf32>, tensor<1x2x2xf32>) -> tensor<1x5x2xf32>
// CHECK: exec.launch @cpu::@use(%[[C]])
// CHECK-NOT: func.func @cat
func.func @in_place(%x: tensor<1x2x2xf32>, %y: tensor<1x3x2xf32>) -> tensor<1x5x2xf32> {
  %a = exec.launch @cpu::@a(%x) : (tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %b = exec.launch @cpu::@b(%y) : (tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
  %c = exec.launch @cpu::@cat(%a, %b) : (tensor<1x2x2xf32>, tensor<1x3x2xf32>) -> tensor<1x5x2xf32>
  %d = exec.launch @cpu::@use(%c) : (tensor<1x5x2xf32>) -> tensor<1x5x2xf32>
  return %d : tensor<1x5x2xf32>
}
module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @a(%x: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
    %0 = graph.Relu(%x) : (tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
    return %0 : tensor<1x2x2xf32>
  }
  func.func @b(%x: tensor<1x3x2xf32>) -> tensor<1x3x2xf32> {
    %0 = graph.Relu(%x) : (tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
    return %0 : tensor<1x3x2xf32>
  }
  // The kernel's arguments in another order than the Concat's operands.
  func.func @cat(%p: tensor<1x2x2xf32>, %q: tensor<1x3x2xf32>) -> tensor<1x5x2xf32> {
    %0 = graph.Concat(%q, %p) {axis = -2 : i64} : (tensor<1x3x2xf32>, tensor<1x2x2xf32>) -> tensor<1x5x2xf32>
    return %0 : tensor<1x5x2xf32>
  }
  func.func @use(%x: tensor<1x5x2xf32>) -> tensor<1x5x2xf32> {
    %0 = graph.Relu(%x) : (tensor<1x5x2xf32>) -> tensor<1x5x2xf32>
    return %0 : tensor<1x5x2xf32>
  }
}

// -----

// Left as kernels: an operand that is the model's input, one that is also
// returned, a kernel doing more than the Concat, and a Concat whose slices
// interleave (rows of a 2-row tensor).
// CHECK-LABEL: func.func @kept
// CHECK-NOT: exec.concat
// CHECK-COUNT-4: exec.launch @cpu::@cat
func.func @kept(%x: tensor<1x2xf32>, %m: tensor<2x2xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x2xf32>, tensor<1x4xf32>, tensor<2x4xf32>) {
  %a = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %b = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %c = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %d = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %r = exec.launch @cpu::@r(%m) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %s = exec.launch @cpu::@r(%m) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %0 = exec.launch @cpu::@cat(%a, %x) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %1 = exec.launch @cpu::@cat(%a, %b) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %2 = exec.launch @cpu::@cat_relu(%c, %d) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %3 = exec.launch @cpu::@cat_rows(%r, %s) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
  return %0, %1, %b, %2, %3 : tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x2xf32>, tensor<1x4xf32>, tensor<2x4xf32>
}
module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    %0 = graph.Relu(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
    return %0 : tensor<1x2xf32>
  }
  func.func @r(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
    %0 = graph.Relu(%x) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    return %0 : tensor<2x2xf32>
  }
  func.func @cat(%p: tensor<1x2xf32>, %q: tensor<1x2xf32>) -> tensor<1x4xf32> {
    %0 = graph.Concat(%p, %q) {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
    return %0 : tensor<1x4xf32>
  }
  func.func @cat_relu(%p: tensor<1x2xf32>, %q: tensor<1x2xf32>) -> tensor<1x4xf32> {
    %0 = graph.Concat(%p, %q) {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
    %1 = graph.Relu(%0) : (tensor<1x4xf32>) -> tensor<1x4xf32>
    return %1 : tensor<1x4xf32>
  }
  func.func @cat_rows(%p: tensor<2x2xf32>, %q: tensor<2x2xf32>) -> tensor<2x4xf32> {
    %0 = graph.Concat(%p, %q) {axis = 1 : i64} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
    return %0 : tensor<2x4xf32>
  }
}

// -----

// Only the host target's buffers are host memory: a concatenation on
// another target, or of operands made on another target, stays a kernel.
// CHECK-LABEL: func.func @devices
// CHECK-NOT: exec.concat
// CHECK: exec.launch @opencl::@cat
// CHECK: exec.launch @cpu::@cat
func.func @devices(%x: tensor<1x2xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %a = exec.launch @opencl::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %b = exec.launch @opencl::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %0 = exec.launch @opencl::@cat(%a, %b) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %c = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %1 = exec.launch @cpu::@cat(%a, %c) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  return %0, %1 : tensor<1x4xf32>, tensor<1x4xf32>
}
module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    %0 = graph.Relu(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
    return %0 : tensor<1x2xf32>
  }
  func.func @cat(%p: tensor<1x2xf32>, %q: tensor<1x2xf32>) -> tensor<1x4xf32> {
    %0 = graph.Concat(%p, %q) {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
    return %0 : tensor<1x4xf32>
  }
}
module @opencl attributes {exec.target = #exec.target<"opencl">} {
  func.func @k(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    %0 = graph.Relu(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
    return %0 : tensor<1x2xf32>
  }
  func.func @cat(%p: tensor<1x2xf32>, %q: tensor<1x2xf32>) -> tensor<1x4xf32> {
    %0 = graph.Concat(%p, %q) {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
    return %0 : tensor<1x4xf32>
  }
}

// -----

// An operand feeds one concatenation in place; a second one that reads it
// stays a kernel.
// CHECK-LABEL: func.func @shared
// CHECK: exec.concat
// CHECK: exec.launch @cpu::@cat
func.func @shared(%x: tensor<1x2xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %a = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %b = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %c = exec.launch @cpu::@k(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %0 = exec.launch @cpu::@cat(%a, %b) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %1 = exec.launch @cpu::@cat(%a, %c) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  return %0, %1 : tensor<1x4xf32>, tensor<1x4xf32>
}
module @cpu attributes {exec.target = #exec.target<"cpu">} {
  func.func @k(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
    %0 = graph.Relu(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
    return %0 : tensor<1x2xf32>
  }
  func.func @cat(%p: tensor<1x2xf32>, %q: tensor<1x2xf32>) -> tensor<1x4xf32> {
    %0 = graph.Concat(%p, %q) {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
    return %0 : tensor<1x4xf32>
  }
}
