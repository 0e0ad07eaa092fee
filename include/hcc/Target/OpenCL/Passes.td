//===- Passes.td - OpenCL target passes --------------------*- tablegen -*-===//

#ifndef HCC_TARGET_OPENCL_PASSES
#define HCC_TARGET_OPENCL_PASSES

include "mlir/Pass/PassBase.td"

def OpenCLPrepareKernels
    : Pass<"hcc-ocl-prepare-kernels", "mlir::ModuleOp"> {
  let summary = "Mark kernel operands read-only before bufferization";
  let description = [{
    A kernel's operands are device buffers the runtime owns and other
    kernels may still read: every argument of an `exec.kernel` function gets
    `bufferization.writable = false`, so one-shot bufferization writes into a
    copy instead. Kernels with floats other than f16, f32 and f64 (bf16)
    are rejected here, at the op that produces them.
  }];
}

def OpenCLIm2Col : Pass<"hcc-ocl-im2col", "mlir::func::FuncOp"> {
  let summary = "Strided convolutions to im2col + contraction (tensors)";
  let description = [{
    `linalg.conv_2d_nchw_fchw` ops with strides or dilations other than 1
    become upstream's im2col form: a patch tensor [N, C*KH*KW, OH*OW],
    contiguous along the output positions, and a contraction with the
    reshaped filter, which hcc-ocl-lower-linalg turns into vector register
    tiles. Unit-stride convolutions read contiguous input rows already and
    stay direct (no patch buffer) unless `all` is set.
  }];
  let options = [
    Option<"all", "all", "bool", /*default=*/"false",
           "Also rewrite unit-stride convolutions">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect"
  ];
}

def OpenCLPrepareBuffers
    : Pass<"hcc-ocl-prepare-buffers", "mlir::ModuleOp"> {
  let summary = "Buffer fix-ups after bufferization";
  let description = [{
    Runs after bufferization, before `buffer-results-to-out-params` hoists
    returned allocations into the kernel's output buffers:
    - an allocation a kernel returns several times gets a copy for each
      further result, so each result is hoisted into its own out-param;
    - a constant buffer (`memref.get_global`, a `__constant` array in
      OpenCL C) that control flow chooses at run time (scf.yield,
      arith.select) is copied into device memory first: OpenCL C 1.2 has
      no pointer that may point into both address spaces.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def OpenCLLowerLinalg : Pass<"hcc-ocl-lower-linalg", "mlir::func::FuncOp"> {
  let summary = "Lower linalg ops and copies on buffers to CPU-shaped loops";
  let description = [{
    Every linalg op on buffers (and `memref.copy`, first rewritten to
    `linalg.copy`) becomes one loop nest whose outermost loop is an
    `scf.parallel` over the dimensions that index every output injectively
    (the ones work-items may share out), all other dimensions sequential
    inside, in their original order.

    Ops with sequential (reduction) dimensions are register-blocked: the
    innermost output dimension `n` and the parallel dimension `m` whose
    loads are most reused across it (for a matmul, the rows of A) are tiled
    by `tile-n` x `tile-m`; each tile keeps its accumulators in a private
    array, runs the reduction loops outside a contiguous inner `n` loop and
    writes the outputs once. Full tiles have static bounds; edge tiles take
    a dynamic copy of the same code. Row reductions (inputs contiguous along
    the reduced dimension only) get one output per tile.

    Full tiles of f32/f64 contractions (mul/add payloads, operands either
    unit-stride along `n` or independent of it: matmuls, unit-stride
    convolutions) keep their accumulators in OpenCL vectors of up to
    `vector-width` lanes carried through the reduction loops, which OpenCL
    compilers hold in registers. An elementwise op right before that only
    initializes the output (the fill of a matmul, the bias broadcast of a
    convolution) is computed into the accumulators instead of through
    memory; then edge tiles shift back to overlap their neighbour
    (recomputing identical values) and are full vector tiles too.

    With `gpu-contractions` (the GPU shape), contractions with one m, n and
    k dimension instead become a block-tiled form already mapped to GPU
    blocks and threads: each block computes a 64 x 64 output tile (narrower
    for small m or n), staging 16-deep slices of A and B in double-buffered
    workgroup memory (the next step's slices are staged before this step
    multiplies), each thread accumulating a 4 x 4 register tile; it is an
    `scf.execute_region` with `hcc.gpu.launch = {grid, block}` that the
    stage split turns into a stage. Reductions of
    at least 64 elements per output whose payload ends in an associative
    combiner (sum, product, max, min, and, or, xor) likewise become one
    block per output folding strided shares, then folding the block's
    partials as `gpu-reductions` says: `tree` (halving over workgroup
    memory between barriers), `shuffle` (warp reductions: butterfly
    `gpu.shuffle xor` within warps of 32, then over the warps' totals, for
    32-bit values) or `emulated-shuffle` (the warp reductions with every
    shuffle an exchange through workgroup memory, for devices without
    sub-group shuffles). Both kinds compute the elementwise op that
    initializes their output (a fill, a bias broadcast) into their
    accumulators and apply the elementwise op right after that consumes
    their output (an activation, a residual add, a copy) before storing,
    in that op's place; the two may sit on another contiguous view of the
    output buffer.
  }];
  let options = [
    Option<"tileM", "tile-m", "int64_t", /*default=*/"8",
           "Rows of a register tile (1-64)">,
    Option<"tileN", "tile-n", "int64_t", /*default=*/"32",
           "Columns of a register tile, the contiguous inner loop (1-1024); "
           "tile-m * tile-n is at most 8192">,
    Option<"workItems", "work-items", "int64_t", /*default=*/"64",
           "Work-items the tiles are shared out to: tiles shrink (rows "
           "first, columns down to 16) until there are this many (1-65536)">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "Lanes of the OpenCL vectors (floatN) of contraction tiles: "
           "1 (scalar tiles), 2, 4, 8 or 16">,
    Option<"gpuContractions", "gpu-contractions", "bool", /*default=*/"false",
           "GPU shape: contractions (one m, n and k dimension, any batch "
           "dimensions) and long reductions become workgroup-tiled "
           "`scf.execute_region`s mapped to blocks and threads "
           "(hcc.gpu.launch)">,
    Option<"gpuReductions", "gpu-reductions", "std::string",
           /*default=*/"\"tree\"",
           "How GPU-shaped reductions fold a block's partials: tree, "
           "shuffle or emulated-shuffle">,
    Option<"tileEpilogues", "tile-epilogues", "bool", /*default=*/"false",
           "Vector register tiles (no scalar edge tiles) also apply the "
           "elementwise op right after that consumes their output (an "
           "activation, a residual add) before storing, in its place, as "
           "GPU tiles do (the FPGA target: a kernel streams its data once)">,
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::gpu::GPUDialect", "mlir::linalg::LinalgDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect"
  ];
}

def OpenCLSplitStages : Pass<"hcc-ocl-split-stages", "mlir::ModuleOp"> {
  let summary = "Split kernels into OpenCL entry points over 1-D NDRanges";
  let description = [{
    Runs on the bufferized, loop-level kernels (results already out-params).
    Temporaries (`memref.alloc`, hoisted out of control flow) become scratch
    buffers. Each top-level side-effecting op of a kernel body becomes one
    stage: a function of its own taking only the buffers it uses (kernel
    arguments, then scratch buffers), with the pure ops it needs (constants,
    index arithmetic, views, reads of kernel inputs) cloned in. Ops that
    pass a non-buffer value or a buffer chosen at run time to a later op are
    merged with it into one stage. A stage that is one `scf.parallel` is
    distributed: the smallest prefix of its dimensions with at least
    `work-items` iterations is collapsed and split into contiguous chunks
    over `get_global_id(0)`, the rest stays sequential per work-item; other
    stages run on one work-item. Remaining `scf.parallel` loops become
    `scf.for`. The stages and scratch sizes of each kernel are recorded in
    the module attribute `hcc.opencl.kernels`; the kernel functions are
    replaced by the stage functions (`hcc.opencl.stage`).

    With `gpu-shape` (GPU-class devices, and the CUDA target), a stage that
    is one `scf.parallel` gives every iteration its own thread instead: a
    1-D grid of `block-size`-thread blocks indexed with `gpu.block_id` and
    `gpu.thread_id`, striding the grid when there are more than 65535
    blocks' worth of iterations; the kernel table records each stage's
    block size (`local_size`), 1 for single-thread stages.
  }];
  let options = [
    Option<"workItems", "work-items", "int64_t", /*default=*/"64",
           "Largest number of work-items of a stage (1-65536)">,
    Option<"gpuShape", "gpu-shape", "bool", /*default=*/"false",
           "One thread per parallel iteration, in blocks (GPU-class "
           "devices)">,
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads of a block with gpu-shape (1-1024)">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::emitc::EmitCDialect",
    "mlir::func::FuncDialect", "mlir::gpu::GPUDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect"
  ];
}

def OpenCLConvertToEmitC
    : Pass<"hcc-ocl-convert-to-emitc", "mlir::ModuleOp"> {
  let summary = "Stage functions to EmitC for OpenCL C 1.2";
  let description = [{
    Converts the stage functions (scalar loops over memrefs with static
    strides, after `expand-strided-metadata` and `lower-affine`) to EmitC:
    each buffer is a typedef'd `__global` pointer (`hcc_gf32`), constants
    (`memref.global`) are `__constant` arrays, private accumulators are C
    arrays; loads and stores linearize their indices with the buffer's
    strides; index is `ptrdiff_t`; math ops call OpenCL built-ins; f16 is
    read and written with `vload_half`/`vstore_half` and computed in float.
    Stage functions become `__kernel` functions. A prelude (typedefs for
    the C integer names and pointer types, extension pragmas) comes first.
    Unsupported ops or types fail with an error naming them.
  }];
  let dependentDialects = ["mlir::emitc::EmitCDialect"];
}

#endif // HCC_TARGET_OPENCL_PASSES
