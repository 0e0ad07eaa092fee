// A function that only returns its argument (an input with no graph op, so
// no graph dialect loaded by the parser): the returned value gets its copy
// kernel, a graph.Identity, which the pass's dependent dialects register
// (it was an unregistered op, and the pass crashed on it).
// RUN: hcc-opt %s --hcc-outline-kernels | FileCheck %s

// CHECK-LABEL: func.func @k
// CHECK:         %[[COPY:.*]] = exec.launch @cpu::@k0_Identity(%arg0)
// CHECK:         return %[[COPY]]
// CHECK:       module @cpu
// CHECK:         func.func @k0_Identity
// CHECK:           graph.Identity(%arg0)
func.func @k(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
