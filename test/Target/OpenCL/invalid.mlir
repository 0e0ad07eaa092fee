// RUN: hcc-opt %s --split-input-file --verify-diagnostics --hcc-opencl-codegen-pipeline

// What the OpenCL target cannot generate is an error naming the kernel or
// op, never a crash.

// expected-error @+1 {{kernel 'k_bf16': element type 'bf16' is not supported by the OpenCL target}}
func.func @k_bf16(%a: tensor<4xbf16>) -> tensor<4xbf16> attributes {exec.kernel} {
  %0 = graph.Relu(%a) : (tensor<4xbf16>) -> tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// -----

func.func @k_cast(%a: tensor<4xf32>) -> tensor<4xf32> attributes {exec.kernel} {
  // expected-error @+1 {{graph.Cast in kernel 'k_cast': element type 'bf16' is not supported by the OpenCL target}}
  %0 = graph.Cast(%a) {to = 16 : i64} : (tensor<4xf32>) -> tensor<4xbf16>
  %1 = graph.Cast(%0) {to = 1 : i64} : (tensor<4xbf16>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

func.func @k_bernoulli(%p: tensor<2x3xf32>) -> tensor<2x3xf32> attributes {exec.kernel} {
  // expected-error @+1 {{graph.Bernoulli has no lowering to linalg}}
  %0 = graph.Bernoulli(%p) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// expected-error @+1 {{OpenCL target: function @helper is not a kernel (no exec.kernel)}}
func.func @helper(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// The CUDA and FPGA pipelines prepare kernels with the same pass: the
// message names the kernel's target.
module @cuda attributes {exec.target = #exec.target<"cuda">} {
  // expected-error @+1 {{kernel 'k_bf16_cuda': element type 'bf16' is not supported by the 'cuda' target}}
  func.func @k_bf16_cuda(%a: tensor<4xbf16>) -> tensor<4xbf16> attributes {exec.kernel} {
    %0 = graph.Relu(%a) : (tensor<4xbf16>) -> tensor<4xbf16>
    return %0 : tensor<4xbf16>
  }
}
