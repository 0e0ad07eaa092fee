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

def FPGAFit : Pass<"hcc-fpga-fit", "mlir::ModuleOp"> {
  let summary = "Size FPGA kernels' processing-element arrays to the board";
  let description = [{
    Runs first on an FPGA target module (graph-dialect kernels). A kernel's
    knobs `tile-m` x `tile-n` are its contraction's processing elements
    (multiply-adds unrolled in the innermost loop); 0 (the default) means
    "sized to fit the board". Kernels that force non-zero values keep them,
    but if the forced ones alone need more DSP blocks or logic than the
    `board` has, that is an error naming the kernel and the resource. The
    others share 80 % of what remains: each kernel with a contraction gets
    the largest tile-n (a power of two up to 32) and tile-m (up to 8) whose
    product fits its share; kernels without one get 1 x 16.
  }];
  let options = [
    Option<"board", "board", "std::string", /*default=*/"\"u250\"",
           "Board: a built-in name or the path of a .json description">,
  ];
}

def FPGAEstimate : Pass<"hcc-fpga-estimate", "mlir::ModuleOp"> {
  let summary = "Modelled latency and resources of FPGA kernels";
  let description = [{
    Runs on an FPGA target module whose stage functions are loops over
    memrefs (after the stage split). For each stage, from the `board`
    description: every innermost loop is pipelined with initiation
    interval II = max(1, recurrence II, bandwidth II), where the recurrence
    II is the latency of the operation that carries an accumulator from
    one iteration to the next and the bandwidth II the global bytes of an
    iteration over the board's memory bandwidth per cycle; its latency is
    depth + II * (trips - 1), its depth the longest chain of operations
    (global loads count a fixed latency). Outer loops run their body once
    per trip. Resources: every floating multiply feeding an add is one
    multiply-add of the board's cost per vector lane, other floating
    multiplies and adds half of one; private arrays of more than 1 Kbit
    take RAM blocks. The results go into the module attribute
    `hcc.fpga.estimates` (stage -> {kernel, ii, cycles, dsp, logic,
    ram_blocks}), which `hcc-compile --report` prints, labelled as
    modelled; a design that still exceeds the board's DSPs, RAM or logic
    after hcc-fpga-fit sized its kernels gets a warning naming the
    resource.
  }];
  let options = [
    Option<"board", "board", "std::string", /*default=*/"\"u250\"",
           "Board: a built-in name or the path of a .json description">,
  ];
}

#endif // HCC_TARGET_FPGA_PASSES
