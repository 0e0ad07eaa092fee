//===- Passes.td - hcc placement and partitioning passes ---*- tablegen -*-===//

#ifndef HCC_PARTITION_PASSES
#define HCC_PARTITION_PASSES

include "mlir/Pass/PassBase.td"

def Place : Pass<"hcc-place", "mlir::ModuleOp"> {
  let summary = "Assign every graph op to a target";
  let description = [{
    Sets `exec.target` on every graph op of the host functions. An op that
    already carries a target (from the user, or an earlier run) keeps it,
    so a placement can be overridden by editing the IR. Every op is placed
    on `default-target` for now; the learned cost model decides once more
    than one target is available.

    ```mlir
    %0 = graph.Relu(%x) {exec.target = #exec.target<cpu>} : ...
    ```
  }];
  let options = [
    Option<"defaultTarget", "default-target", "std::string", "\"cpu\"",
           "Target of ops without a placement (cpu, cuda, opencl, fpga)">
  ];
  let dependentDialects = ["hcc::exec::ExecDialect"];
}

def OutlineKernels : Pass<"hcc-outline-kernels", "mlir::ModuleOp"> {
  let summary = "Form kernels from placed graph ops and outline them";
  let description = [{
    Groups placed graph ops into kernels and moves each kernel into a
    `func.func` of its target's nested module
    (`module @cpu attributes {exec.target = #exec.target<cpu>}`), replacing
    it in the host function by `exec.launch`. An elementwise or reshape op
    joins the kernel of its producer when both have the same target (so
    `Conv -> BatchNormalization -> Relu` is one kernel); every other op starts
    a kernel. Small constants (at most `inline-constant-limit` elements) are
    copied into the kernels that use them; bigger ones stay in the host
    function as weights and are passed to kernels as operands. Where a kernel
    reads a value produced on another target an `exec.transfer` is inserted.
    Host results that are inputs, weights or repeated values get a copy
    kernel so every output has a buffer of its own.
  }];
  let options = [
    Option<"inlineConstantLimit", "inline-constant-limit", "int64_t", "64",
           "Constants with at most this many elements are copied into kernels">,
    Option<"fuseElementwise", "fuse-elementwise", "bool", "true",
           "Let elementwise and reshape ops join their producer's kernel">
  ];
  let dependentDialects = ["hcc::exec::ExecDialect",
                           "mlir::func::FuncDialect"];
}

#endif // HCC_PARTITION_PASSES
