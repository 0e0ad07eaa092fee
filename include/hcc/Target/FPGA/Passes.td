//===- Passes.td - FPGA target passes ----------------------*- tablegen -*-===//

#ifndef HCC_TARGET_FPGA_PASSES
#define HCC_TARGET_FPGA_PASSES

include "mlir/Pass/PassBase.td"

def FPGAKernelAttributes
    : Pass<"hcc-fpga-kernel-attributes", "mlir::ModuleOp"> {
  let summary = "Vendor attributes of single-work-item FPGA kernels";
  let description = [{
    Runs on an FPGA target module after the OpenCL C lowering (EmitC stage
    functions, each a single work-item). Defines, after the program's
    prelude, the vendor's attribute macros for the board's `vendor`, each
    overridable (`#ifndef`): `HCC_FPGA_KERNEL` (Intel:
    `__attribute__((max_global_work_dim(0)))`; AMD:
    `__attribute__((reqd_work_group_size(1, 1, 1)))`) on every `__kernel`,
    and `HCC_FPGA_PIPELINE` (Intel: `#pragma ii 1` through `_Pragma`; AMD:
    `__attribute__((xcl_pipeline_loop(1)))`) before every innermost loop:
    the initiation-interval target. OpenCL compilers that do not know them
    (PoCL) ignore them, so the same text runs functionally. Every stage of
    the kernel table launches as one work-group of one work-item
    (`local_size = 1`, which a `reqd_work_group_size` kernel requires).
  }];
  let options = [
    Option<"vendor", "vendor", "std::string", /*default=*/"\"amd\"",
           "Attribute dialect: amd or intel">,
  ];
  let dependentDialects = ["mlir::emitc::EmitCDialect"];
}

#endif // HCC_TARGET_FPGA_PASSES
