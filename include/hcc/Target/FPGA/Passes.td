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
    and `HCC_FPGA_PIPELINE(n)` (Intel: `#pragma ii n` through `_Pragma`;
    AMD: `__attribute__((xcl_pipeline_loop(n)))`) before every innermost
    loop: the initiation-interval target, the II hcc-fpga-estimate found
    for that loop (the stage's `hcc.fpga.loop_ii`), 1 where it did not
    run. OpenCL compilers that do not know them
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

    Kernels a tuning log tuned (`exec.tuned_options`: their workload's
    measured configurations with their costs) are sized together first,
    within their share of the 80 % (kernels tuned over all the kernels
    with a contraction): each starts at its configuration with the fewest
    processing elements, then the upgrade that saves the most time per
    processing element added is taken while the share holds it (a greedy
    knapsack over each kernel's faster, larger configurations).

    `resources=kernel` (what a tuner compiles its candidates with) costs
    every kernel as if it had the board alone: forced sizes are checked one
    kernel at a time, not together, and the bundle may not fit the board.
  }];
  let options = [
    Option<"board", "board", "std::string", /*default=*/"\"u250\"",
           "Board: a built-in name or the path of a .json description">,
    Option<"resources", "resources", "std::string", /*default=*/"\"board\"",
           "board: the kernels fit the board together; kernel: each alone "
           "(for tuners)">,
  ];
}

def FPGAFlattenLoops : Pass<"hcc-fpga-flatten-loops", "mlir::ModuleOp"> {
  let summary = "Coalesce perfect loop nests of FPGA stages into one pipeline";
  let description = [{
    Runs on an FPGA target module's stage functions (loops over memrefs,
    after the stage split). An FPGA compiler pipelines innermost loops, so
    a nest of short loops (a 3x3 window inside the channels) pays the
    pipeline's depth once per run of its innermost loop. Every perfect
    nest of loops with constant bounds (each loop's body is the next loop
    alone, carrying its values through) becomes one loop over the product
    of their trip counts, the original induction variables recomputed by
    division and remainder (upstream scf::coalesceLoops; what Intel's
    `loop_coalesce` and Vitis' `loop_flatten` do): the depth is paid once
    per nest. Loops whose bounds are not constant, and nests whose bodies
    hold other operations between the loops, are kept.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::affine::AffineDialect"];
}

def FPGAInterleaveAccumulators
    : Pass<"hcc-fpga-interleave-accumulators", "mlir::ModuleOp"> {
  let summary = "Shift-register partial sums: II 1 for floating accumulations";
  let description = [{
    Runs on an FPGA target module's stage functions (loops over memrefs,
    after the stage split). An innermost loop that adds into a floating
    sum it carries (the carried value used only by the `arith.addf` it
    yields) cannot issue an iteration before the previous add is done: its
    II is the add's latency L on the `board`. Such sums become L partial
    sums in a shift register: each iteration adds into the partial written
    L iterations earlier (the Intel FPGA single-work-item idiom; Vitis does
    the same for floating sums under unsafe math), so the dependence's
    distance is L and the II 1; after the loop the partials are added
    pairwise. This reassociates the sum, as -ffast-math does. Loops of
    fewer than 2 L trips, or whose trip count is not constant, keep their
    sums.
  }];
  let options = [
    Option<"board", "board", "std::string", /*default=*/"\"u250\"",
           "Board: a built-in name or the path of a .json description">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def FPGAEstimate : Pass<"hcc-fpga-estimate", "mlir::ModuleOp"> {
  let summary = "Modelled latency and resources of FPGA kernels";
  let description = [{
    Runs on an FPGA target module whose stage functions are loops over
    memrefs (after the stage split). For each stage, from the `board`
    description: every innermost loop is a pipeline taking the longer of
    its compute bound, depth + II * (trips - 1) with II = max(1,
    recurrence II, port II: an on-chip RAM array's accesses in an
    iteration over its 2 ports), and its memory bound, trips times the iteration's
    global bytes over the board's bytes per cycle plus what the iteration
    does after its last access (load units queue requests, so memory and
    compute overlap). The depth is the longest chain of operations (global
    loads count a fixed latency), the recurrence II the smallest II at
    which every cycle of carried values keeps up (its latency over the
    iterations it spans: an accumulator carried straight back needs its
    add's latency, partial sums in a shift register of L a fraction 1/L of
    it; a private array element loaded, updated and stored back every D
    iterations its (W + 1) / D). Outer
    loops run their body once per trip plus a cycle of control; the
    straight-line code of a block costs its longest chain or its global
    bytes over the bandwidth. Index arithmetic is evaluated: loop bounds
    and branch conditions that depend on outer induction variables (tile
    remainders) are costed per value of those variables; bounds that
    depend on data count one trip, branches on data their longer side.
    Resources: every floating multiply feeding an add is one multiply-add
    of the board's cost per vector lane, other floating multiplies and
    adds half of one; private arrays of more than 1 Kbit take RAM blocks.
    Each stage function gets `hcc.fpga.loop_ii`, the II of each innermost
    loop in pre-order, which hcc-fpga-kernel-attributes asks the vendor
    compiler for. The results go into the module attribute
    `hcc.fpga.estimates` (stage
    -> {kernel, ii, cycles, dsp, logic, ram_blocks}; ii is max(recurrence,
    bandwidth) rounded up), which `hcc-compile --report` prints, labelled
    as modelled; a design that still exceeds the board's DSPs, RAM or
    logic after hcc-fpga-fit sized its kernels gets a warning naming the
    resource. hcc-fpga-simulate checks the cycles.
  }];
  let options = [
    Option<"board", "board", "std::string", /*default=*/"\"u250\"",
           "Board: a built-in name or the path of a .json description">,
  ];
}

def FPGASimulate : Pass<"hcc-fpga-simulate", "mlir::ModuleOp"> {
  let summary = "Cycle-level simulation of FPGA kernels, to check the model";
  let description = [{
    Runs where hcc-fpga-estimate runs (stage functions over memrefs) and
    simulates, iteration by iteration, the schedule an FPGA OpenCL
    compiler builds from each stage on the `board`: index arithmetic is
    evaluated, so every loop runs its real trip count (tile remainders,
    bounds from outer loops) and every branch its taken side; data values
    are not computed. Straight-line operations start as soon as their
    operands are ready, loops run one after another, an outer loop spends
    one cycle of control per trip. An innermost loop is a pipeline whose
    operations keep their static offsets from the iteration's issue (as
    soon as their operands are ready; those reading a carried value as
    late as they can without lengthening the iteration);
    iteration i issues one cycle after iteration i - 1 at the earliest,
    and late enough that each value it carries in is ready when its first
    user's offset comes; an operation whose operand comes late stalls the
    pipeline, delaying the iterations after it. Global loads and stores
    queue for one memory channel that moves the board's bytes per cycle:
    an access takes what is left of the cycles from its start until its
    bytes are moved; a load's data is there a fixed latency after it
    starts or the cycle after its last byte moved if the queue made it
    later (the pipeline waits for late data, not for the request). An
    on-chip RAM array (a private array of more than 1 Kbit) serves two
    accesses a cycle; an access that finds both ports taken waits. A load
    of a private array element waits for the last store to it (the
    indices are evaluated), so dependences through arrays carried from
    one iteration to another set the pace as carried values do. A loop
    ends when its last operation completes. The cycles of each stage go
    into the module attribute `hcc.fpga.simulated` (stage -> cycles), which
    `hcc-compile --report` prints beside the model's. A branch on data, or
    more than `max-steps` simulated operations, is an error.
  }];
  let options = [
    Option<"board", "board", "std::string", /*default=*/"\"u250\"",
           "Board: a built-in name or the path of a .json description">,
    Option<"maxSteps", "max-steps", "int64_t", /*default=*/"50000000",
           "Operations the simulation may execute before it gives up">,
  ];
  let dependentDialects = ["mlir::emitc::EmitCDialect"];
}

#endif // HCC_TARGET_FPGA_PASSES
