//===- Passes.td - hcc placement and partitioning passes ---*- tablegen -*-===//

#ifndef HCC_PARTITION_PASSES
#define HCC_PARTITION_PASSES

include "mlir/Pass/PassBase.td"

def Place : Pass<"hcc-place", "mlir::ModuleOp"> {
  let summary = "Assign every graph op to a target";
  let description = [{
    Sets `exec.target` on every graph op of the host functions, choosing
    among `targets` (registered target names; the first is the default):
    1. an op that already carries a target (from the user, or an earlier
       run) keeps it, so a placement can be overridden by editing the IR;
    2. else the first rule of `placement-file` that matches the op (by ONNX
       op type or by node-name glob) decides;
    3. else `strategy`: `default` puts it on the first target, `alternate`
       cycles through the targets op by op (every edge then crosses
       devices: a test of transfers), `auto` places the clusters of ops
       that would form one kernel (hcc-outline-kernels' fusion rule) where
       the predicted makespan (`objective=latency`) or period of a stream
       of requests (`objective=throughput`) is least: kernel times from the
       learned cost model (`cost-model`, `hcc-costmodel train`) where it
       covers a target, else the target's roofline prior (a warning says
       so), transfers from the model's fitted links, else the targets'
       host-link priors. Ops placed by 1 or 2 keep their target and
       restrict their cluster. Each cluster's predicted time is kept in
       `exec.predicted_us` on its first op.
    Every choice is checked with the target's capability query. An op that
    the chosen target cannot run falls back to the first target that can,
    with a remark naming the node; when the user forced it (IR attribute or
    placement rule) that is an error naming the node.

    ```mlir
    %0 = graph.Relu(%x) {exec.target = #exec.target<"cpu">} : ...
    ```

    Placement file (JSON):
    ```json
    {"rules": [
      {"op": "Conv", "target": "opencl"},
      {"node": "layer4.*", "target": "cpu"}
    ]
    }
    ```
  }];
  let options = [
    ListOption<"targets", "targets", "std::string",
               "Targets ops may be placed on, the first is the default "
               "(default: the host target)">,
    Option<"placementFile", "placement-file", "std::string", "\"\"",
           "JSON rules: op type or node-name glob -> target">,
    Option<"strategy", "strategy", "std::string", "\"default\"",
           "Ops without a rule: 'default' (first target), 'alternate' "
           "(cycle through the targets) or 'auto' (least predicted cost)">,
    Option<"costModel", "cost-model", "std::string", "\"\"",
           "strategy=auto: a model saved by hcc-costmodel train (default: "
           "$HCC_COST_MODEL, then share/hcc/cost-model.json)">,
    Option<"objective", "objective", "std::string", "\"latency\"",
           "strategy=auto: 'latency' (one request) or 'throughput' (a "
           "stream of requests)">,
    Option<"minGain", "min-gain", "double", "0.05",
           "strategy=auto: a plan over several devices must be predicted "
           "this much faster than the best single device (0.05: 5 %)">,
    Option<"threads", "threads", "int", "0",
           "strategy=auto: threads the host's kernels run with (0: the "
           "hardware threads)">
  ];
  let dependentDialects = ["hcc::exec::ExecDialect"];
}

def OutlineKernels : Pass<"hcc-outline-kernels", "mlir::ModuleOp"> {
  let summary = "Form kernels from placed graph ops and outline them";
  let description = [{
    Groups placed graph ops into kernels and moves each kernel into a
    `func.func` of its target's nested module
    (`module @cpu attributes {exec.target = #exec.target<"cpu">}`), replacing
    it in the host function by `exec.launch`. An elementwise or reshape op
    joins the kernel of its producer when both have the same target (so
    `Conv -> BatchNormalization -> Relu` is one kernel): the producer of its
    first operand, or for an elementwise op of any operand of the result's
    type (a residual `Add(skip, conv)`). An elementwise op that reads
    nothing the latest kernel produces joins it side by side when that kernel
    is elementwise, of the same result shape and under 16 ops: the branches
    of a wide fan-out share kernels instead of being one tiny kernel each.
    Every other op starts a kernel. Small constants (at most
    `inline-constant-limit` elements) and
    splats of any size (one value: zero points, fills) are copied into the
    kernels that use them; bigger ones stay in the host
    function as weights and are passed to kernels as operands. Where a kernel
    reads a value produced on another target an `exec.transfer` is inserted.
    Host results that are inputs, weights or repeated values get a copy
    kernel so every output has a buffer of its own.
  }];
  let options = [
    Option<"inlineConstantLimit", "inline-constant-limit", "int64_t", "64",
           "Constants with at most this many elements are copied into kernels">,
    Option<"fuseElementwise", "fuse-elementwise", "bool", "true",
           "Let elementwise and reshape ops join their producer's kernel "
           "(and independent elementwise ops one side by side)">
  ];
  // graph: the Identity copies of returned arguments (an input with only
  // func ops would otherwise get an unregistered op).
  let dependentDialects = ["hcc::exec::ExecDialect",
                           "hcc::graph::GraphDialect",
                           "mlir::func::FuncDialect"];
}

def ConcatInPlace : Pass<"hcc-concat-in-place", "mlir::ModuleOp"> {
  let summary = "Concatenate by writing the operands in place";
  let description = [{
    A launch of a kernel that only concatenates its operands (a `Concat` of
    the kernel's arguments) becomes `exec.concat` when every operand can be
    written straight into its slice of the result: the slices are contiguous
    (the dimensions before the axis are 1), and each operand is a result of
    a kernel of the same target, which must be the host target (its buffers
    are host memory), is not returned by the model and feeds no other
    `exec.concat`. The bundle then declares the operands' buffers as views of
    the result's (`view_of`), so no copy runs; the kernel is dropped.
  }];
  let dependentDialects = ["hcc::exec::ExecDialect"];
}

#endif // HCC_PARTITION_PASSES
