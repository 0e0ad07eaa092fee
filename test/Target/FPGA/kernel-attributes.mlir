// RUN: hcc-opt %s --hcc-opencl-codegen-pipeline="work-items=1" --hcc-fpga-kernel-attributes=vendor=intel | hcc-translate --emit-opencl | FileCheck %s --check-prefix=INTEL
// RUN: hcc-opt %s --hcc-opencl-codegen-pipeline="work-items=1" --hcc-fpga-kernel-attributes=vendor=amd | hcc-translate --emit-opencl | FileCheck %s --check-prefix=AMD
// RUN: not hcc-opt %s --hcc-opencl-codegen-pipeline="work-items=1" --hcc-fpga-kernel-attributes=vendor=acme 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: hcc-opt %s --hcc-fpga-codegen-pipeline="board=u250" | hcc-translate --emit-opencl | FileCheck %s --check-prefix=MODEL

// FPGA kernels are single work-items (the loop nest is the pipeline)
// carrying the board vendor's attributes through overridable macros; every
// innermost loop asks for the initiation interval the model found for it
// (hcc-fpga-estimate), 1 where the model did not run.
// INTEL:      #ifndef HCC_FPGA_KERNEL
// INTEL-NEXT: #define HCC_FPGA_KERNEL __attribute__((max_global_work_dim(0)))
// INTEL:      #define HCC_FPGA_STR(x) #x
// INTEL:      #define HCC_FPGA_PIPELINE(n) _Pragma(HCC_FPGA_STR(ii n))
// INTEL:      __kernel HCC_FPGA_KERNEL void k_mm_s0(
// INTEL-NOT:  get_global_id
// INTEL:      HCC_FPGA_PIPELINE(1)
// INTEL-NEXT: for (
// AMD:        #define HCC_FPGA_KERNEL __attribute__((reqd_work_group_size(1, 1, 1)))
// AMD:        #define HCC_FPGA_PIPELINE(n) __attribute__((xcl_pipeline_loop(n)))
// AMD:        __kernel HCC_FPGA_KERNEL void k_mm_s0(
// BAD:        FPGA target: vendor 'acme' is not amd or intel
// On the U250 an add takes 7 cycles: the k loop of 16 steps keeps each
// sum as 7 partial sums and streams at II 1; the k loop of 6 steps, too
// short for that, carries its sums through the add: II 7.
// MODEL:      __kernel HCC_FPGA_KERNEL void k_mm_s0(
// MODEL:      HCC_FPGA_PIPELINE(1)
// MODEL-NEXT: for (
// The ReLU is applied to each lane (an OpenCL vector component) as the
// tile stores: the kernel is one stage.
// MODEL:      = v{{[0-9]+}}.s0;
// MODEL-NOT:  __kernel HCC_FPGA_KERNEL void k_mm_s1(
// MODEL:      __kernel HCC_FPGA_KERNEL void k_short_s0(
// MODEL:      HCC_FPGA_PIPELINE(7)
// MODEL-NEXT: for (
module {
  func.func @k_mm(%a: tensor<8x16xf32>, %b: tensor<16x4xf32>) -> tensor<8x4xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<8x16xf32>, tensor<16x4xf32>) -> tensor<8x4xf32>
    %1 = graph.Relu(%0) : (tensor<8x4xf32>) -> tensor<8x4xf32>
    return %1 : tensor<8x4xf32>
  }
  func.func @k_short(%a: tensor<8x6xf32>, %b: tensor<6x4xf32>) -> tensor<8x4xf32> attributes {exec.kernel} {
    %0 = graph.MatMul(%a, %b) : (tensor<8x6xf32>, tensor<6x4xf32>) -> tensor<8x4xf32>
    return %0 : tensor<8x4xf32>
  }
}
