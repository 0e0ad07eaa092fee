//===- Passes.td - CPU target passes -----------------------*- tablegen -*-===//

#ifndef HCC_TARGET_CPU_PASSES
#define HCC_TARGET_CPU_PASSES

include "mlir/Pass/PassBase.td"

def CPUPrepareKernels : Pass<"hcc-cpu-prepare-kernels", "mlir::ModuleOp"> {
  let summary = "Mark kernel operands read-only before bufferization";
  let description = [{
    A kernel's operands are buffers the runtime owns and other kernels may
    still read, so one-shot bufferization must never write into them: every
    argument of an `exec.kernel` function gets `bufferization.writable =
    false` (a write to it then works on a copy).
  }];
}

def CPUDistinctResults : Pass<"hcc-cpu-distinct-results", "mlir::ModuleOp"> {
  let summary = "Give every returned buffer its own allocation";
  let description = [{
    Runs after bufferization, before `buffer-results-to-out-params` hoists
    returned allocations into the runtime's output buffers: a kernel that
    returns one allocation several times (e.g. the empty results of a Split
    into zero-size parts) gets a clone of the allocation for each further
    result, so each output is hoisted on its own (upstream's hoisting
    erases an allocation the first time it meets it).
  }];
}

def CPUFuseElementwise : Pass<"hcc-cpu-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops and propagate reshapes, keeping "
                "contractions named";
  let description = [{
    Upstream's elementwise fusion (producer into consumer when the producer
    has one use) with reshape propagation by expansion, as
    `linalg-fuse-elementwise-ops` does, except that reshapes are never
    folded into contractions and convolutions: a `linalg.matmul` between a
    `collapse_shape` and an `expand_shape` (a [seq, 1, d] x [d, n] MatMul)
    would otherwise become a 5-D `linalg.generic` that the tiler cannot
    recognise as a GEMM and runs row by row (60x slower on BERT's attention
    input projection). Nor is a producer with a math function or a division
    fused into a consumer that broadcasts it: the producer would run once
    per consumer element (a squeeze-and-excite gate's sigmoid of C values
    became C x H x W exponentials).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::affine::AffineDialect",
                           "mlir::tensor::TensorDialect"];
}

def CPULowerCopies : Pass<"hcc-cpu-lower-copies", "mlir::ModuleOp"> {
  let summary = "Kernel buffer fix-ups after bufferization";
  let description = [{
    Bufferization copies buffers with `memref.copy`, which the LLVM lowering
    turns into a call to MLIR's C runner library for strided copies. Kernels
    must link against nothing but libc/libm and the hcc runtime, so copies
    become `linalg.copy` and are lowered to loops like every other op.
    Kernel parameters without elements (e.g. `memref<3x0xf32>`), which the
    bare-pointer calling convention rejects, become `memref<1xT>` viewed back
    as the empty shape with `memref.reinterpret_cast`. A buffer that each
    iteration of an `scf.for` allocates and frees (a packed B panel) is
    allocated once around the loop. A distributed task
    (`scf.parallel` body) whose own buffers, allocated and freed in it,
    total at most 4 KiB gets them on its stack (`memref.alloca` in a
    `memref.alloca_scope` per iteration) instead of a malloc and a free each.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def CPUKernelABI : Pass<"hcc-cpu-kernel-abi", "mlir::ModuleOp"> {
  let summary = "Give every kernel the runtime's CPU calling convention";
  let description = [{
    Runs on the LLVM dialect after `convert-func-to-llvm` with the bare-pointer
    memref convention. For each kernel `@k(ptr, ..., ptr)` (inputs, then
    outputs) it adds `void @hcc_k(ptr args)` that loads `args[i]` and calls
    `@k`, the entry point the runtime calls (docs/Bundle.md, "CPU kernel
    ABI"); `@k` itself becomes internal so LLVM may inline it.
    Heap allocations, lowered to the generic `_mlir_memref_to_llvm_*`
    functions, call the runtime's scratch allocator
    (`hcc_cpu_scratch_alloc`, `hcc_cpu_scratch_aligned_alloc`,
    `hcc_cpu_scratch_free`), which keeps freed blocks for the next run.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def CPUTileAndVectorize
    : Pass<"hcc-cpu-tile-and-vectorize", "mlir::func::FuncOp"> {
  let summary = "Tile convolutions, matmuls and elementwise ops and "
                "vectorize them (on tensors)";
  let description = [{
    Runs on the output of `convert-graph-to-linalg` (tensors), all upstream
    transforms:
    - `linalg.conv_2d_nchw_fchw` becomes im2col + a matmul-like generic
      (`linalg::rewriteInIm2Col`). A convolution whose im2col matrix
      exceeds `im2col-block-kib` is first tiled into an `scf.forall` over
      blocks of whole output rows (`scf::tileUsingSCF`, its bias and
      activation fused in), so that each block's im2col copy is written
      and read while it is in L2 rather than streamed through memory.
      The copy is written a row at a time; a whole (unblocked) one as a
      task per (image, channel, tap) plane whose rows are an `scf.for`
      (a task per row delinearized its index into five loops').
    - A 3x3 stride-1 convolution with a constant filter (the CPU target
      asks for such filters in the kernel's code) whose output is at
      least `winograd-min-size` high and wide runs as Winograd F(4x4, 3x3):
      the filter transformed at compile time, the input transform gathering
      each 6x6 input tile (vectors of tiles), 36 GEMMs as a
      `linalg.batch_matmul` tiled like every other contraction, and the
      output transform scattering each 4x4 output tile with its
      accumulator (a fill or a per-channel bias) added, and the
      convolution's elementwise consumer (activation, residual add)
      applied before each scatter. Smaller outputs, at least
      `winograd-f2-min-size` (8x8), run as F(2x2, 3x3) the same way (4x4
      input tiles, 16 GEMMs; filters 16/9 of the weights instead of 4x).
      Over fewer than `winograd-min-channels` (8) input channels (an RGB
      image) the GEMMs are too shallow to pay for the transforms: im2col.
      7x7 maps stay direct: their F(2x2) GEMMs (16 tiles per filter
      element) read the larger filters from memory and measured no faster
      inside resnet18.
    - Every f32 contraction with one M, N and K dimension (and at most one
      batch dimension) is tiled into register tiles of `tile-m` x `tile-n`
      (`scf::tileUsingSCF`, N outermost so the B panel stays in cache),
      the remainder iterations are peeled (`scf::peelForLoopAndSimplifyBounds`)
      so every tile has a static shape; where several register tiles reuse
      a cache-k x tile-n panel of B it is first copied into a contiguous
      buffer (`pack-min-rows`); K is tiled by `tile-k`, and each tile
      is vectorized (`linalg::vectorize`) into a `vector.contract`; the
      accumulator's transfers are hoisted out of the K loop. N is split
      into a multiple of `tile-n` and power-of-two remainders; a remainder
      of whole vectors joins the last full column tile as one wider
      register tile (`wide-tile-max-acc`: 49 = 48 + 1, 784 = 736 + 48)
      rather than a tile of one vector per row, which its loads bound. The threads'
      tasks are blocks of column tiles: one each, or up to `task-cols`
      columns (keeping `min-tasks` tasks, with blocks of at least `cache-m`
      rows if needed) when A is larger than L2 (2 MiB) or a column tile is
      under 64K multiply-adds, so that a task sweeps its columns for each
      block of A while it is in L2. A piece of
      at most `k-lane-max-cols` columns (the 1 of 49 = 48 + 1) reads
      B's columns transposed into rows and is written as vector code with
      the lanes along K: register tiles of rows x columns accumulators,
      each reduced to its output element at the end.
    - Depthwise convolutions with a multiple of 16 channels whose input
      and output planes have at most `depthwise-channel-max-pixels` pixels
      (14x14 and 7x7 layers) run as tasks per (image, 16 channels) with the
      channels as vector lanes: the planes are transposed 16 pixels at a
      time into a zeroed channels-last buffer (the padding is its border),
      each output pixel accumulates one 16-lane filter vector per tap, a
      row of pixels at a time, and the outputs are transposed back through
      the elementwise consumer.
    - Undilated f32 max pools (`max-pool-rows`) run as tasks per (image,
      channel), one output row at a time: the max of the window's input
      rows (clamped to the plane: the padding is never copied) as whole
      vectors into a row buffer whose borders hold -inf, then the max of
      the window's columns of that buffer (stride-2 columns read as a
      deinterleave): KH + KW - 2 maxima per output instead of KH * KW - 1.
    - Other depthwise convolutions, 2-D sum pools, and max pools that are
      stride-1 or padded (output rows at most `flat-depthwise-max-width` wide) run as tasks
      per (image, channel):
      the task copies its channel's unpadded input plane into a small
      buffer filled with the padding value, split into stride x stride
      phase planes, each flattened into one row; every window tap is then
      one contiguous vector over all of the plane's outputs, and the taps
      (and the op's elementwise consumer) are one elementwise generic in
      chunks whose accumulators stay in registers. Wider ones, unpadded
      strided max pools (the planes' copy costs more than their few reads
      of each row; padded, the rows would copy the whole padded tensor
      first), or all with the knob at 0, are tiled per (channel, output
      row) and each window
      tap becomes a row vector (strided rows read as strided slices,
      deinterleaved after bufferization).
    - A `tensor.concat` of static tensors becomes one `linalg.copy` per
      input into its slice of the result, distributed like any elementwise
      op (otherwise bufferized into copies on the kernel's thread alone).
    - Reductions along the innermost, contiguous loop (global pools,
      ReduceMean over the last axes, softmax's max and sum) are distributed
      over their parallel loops and reduce a row vector at a time; trailing
      reduction loops read contiguously (a global pool's H and W) are
      collapsed into one first.
    - A chain of row ops that starts at such a reduction and continues
      through consumers over the same loops (elementwise along the rows,
      or reducing them) or over the outer loops only (one value per row: a
      mean) runs as one scf.forall over the rows when only its last op's
      result leaves it (softmax, LayerNorm): a row's intermediates stay in
      registers or L1, and the rows are the threads' tasks.
    - Padded tensors (`tensor.pad`, convolution inputs) become fills of the
      border only (a slab per padded dimension and side) and a
      `linalg.copy` of the interior, then row tiles like any elementwise
      op (a non-constant padding: upstream's
      `linalg::rewriteInDestinationPassingStyle`, a fill of the whole).
    - Parallel generics whose operands are contiguous along the innermost
      loop are tiled to one row (`vector-width`-multiple chunks of the
      innermost dimension) and vectorized.
    - The 4-deep uint8 x int8 dot-product contraction of quantized
      convolutions (`acc[n, m, p] += x[n, q, p, j] * w[m, q, j]`, j < 4) is
      distributed over output channels, tiled to 4 channels x 64 pixels and
      written as vector code over its K loop (16 x 4-byte dot products that
      hcc-cpu-lower-vectors turns into `vpdpbusd` where the host has
      AVX-512 VNNI). Its im2col copy becomes rows of interleaved quads.
  }];
  let options = [
    Option<"tileM", "tile-m", "int64_t", /*default=*/"8",
           "Rows of the register tile (broadcast operand)">,
    Option<"tileN", "tile-n", "int64_t", /*default=*/"32",
           "Columns of the register tile (vector operand)">,
    Option<"tileK", "tile-k", "int64_t", /*default=*/"4",
           "Reduction steps per vectorized tile (unrolled)">,
    Option<"cacheK", "cache-k", "int64_t", /*default=*/"512",
           "Reduction block kept in L1 (a cache-k x tile-n panel of B is "
           "reused by every register tile of a column; 0: no blocking)">,
    Option<"l1KiB", "l1-kib", "int64_t", /*default=*/"32",
           "L1 data cache (KiB) a K block shares when A is read with its "
           "rows (K) far apart and M contiguous (channel lanes' input read "
           "in place): the block's A and B panel then take at most half of "
           "it, so that a register tile finds in L1 the lines of A its "
           "neighbours loaded">,
    Option<"packMinRows", "pack-min-rows", "int64_t", /*default=*/"32",
           "Copy each cache-k x tile-n panel of B into a contiguous buffer "
           "when at least this many rows of A (register tiles) reuse it: "
           "B's rows are otherwise a row stride apart, which maps a panel "
           "onto few L1 sets (strides of multiples of 4 KiB) and many "
           "pages; 0: never">,
    Option<"unpackedRowBytes", "unpacked-row-bytes", "int64_t",
           /*default=*/"1024",
           "Read the panels of a B computed at run time in place, without "
           "packing, when its rows take at most this many bytes: such a "
           "matrix (an im2col block of a few output rows, a 14x14 map's "
           "activations) already streams through consecutive cache lines; "
           "0: pack as pack-min-rows says">,
    Option<"cacheM", "cache-m", "int64_t", /*default=*/"128",
           "Rows of A per block kept in L2 while the block's B panels pass "
           "(with packed panels; 0: no blocking)">,
    Option<"flatDepthwiseMaxWidth", "flat-depthwise-max-width", "int64_t",
           /*default=*/"4096",
           "Depthwise convolutions and pools whose output rows are at most "
           "this wide run per channel over flattened (phase) planes, a "
           "vector over the whole plane per window tap, instead of row by "
           "row; 0: never">,
    Option<"depthwiseRowsMinWidth", "depthwise-rows-min-width", "int64_t",
           /*default=*/"48",
           "Planes whose output rows are at least this wide compute their "
           "outputs row by row straight into the output (taps read windows "
           "of the phase planes) instead of over one flat row of all "
           "outputs copied out after">,
    Option<"depthwiseTileRows", "depthwise-tile-rows", "int64_t",
           /*default=*/"4",
           "Output rows per register tile of such row-by-row planes (by 8 / "
           "rows vectors of columns): a tap's input row is loaded once for "
           "every output row of the tile that reads it">,
    Option<"depthwiseChannelMaxPixels", "depthwise-channel-max-pixels",
           "int64_t", /*default=*/"256",
           "Depthwise convolutions with at most this many output pixels per "
           "plane and a multiple of 16 channels run with 16 channels as "
           "vector lanes (planes transposed into a padded channels-last "
           "buffer and back) instead of over flattened planes; 0: never">,
    Option<"maxPoolRows", "max-pool-rows", "int64_t", /*default=*/"1",
           "1: max pools run separably, a max over the window's rows then "
           "over its columns, one output row at a time; 0: as the other "
           "window ops">,
    Option<"winogradMinSize", "winograd-min-size", "int64_t",
           /*default=*/"28",
           "3x3 stride-1 convolutions with constant filters and outputs at "
           "least this high and wide run as Winograd F(4x4, 3x3); 0: never">,
    Option<"winogradF2MinSize", "winograd-f2-min-size", "int64_t",
           /*default=*/"8",
           "Such convolutions below winograd-min-size with outputs at least "
           "this high and wide run as Winograd F(2x2, 3x3); 0: never">,
    Option<"winogradMinChannels", "winograd-min-channels", "int64_t",
           /*default=*/"8",
           "Input channels from which such convolutions run as Winograd "
           "(fewer: im2col, whose GEMM is channels x 9 deep)">,
    Option<"channelLaneMaxPixels", "channel-lanes-max-pixels", "int64_t",
           /*default=*/"64",
           "Convolutions with at most this many output pixels per image and "
           "a multiple of tile-n output channels run with the channels as "
           "the vector lanes (the filter transposed at compile time); 0: "
           "never">,
    Option<"kLaneMaxCols", "k-lane-max-cols", "int64_t", /*default=*/"15",
           "A contraction piece with at most this many columns (N) and at "
           "least vector-width reduction steps runs with its vector lanes "
           "along K (B's columns transposed into rows, a vector of partial "
           "sums per output element) instead of narrow vectors along N; "
           "0: never">,
    Option<"wideTileMaxAcc", "wide-tile-max-acc", "int64_t",
           /*default=*/"24",
           "A remainder of N that is whole vectors joins the last tile-n "
           "column tile as one wider register tile (49 = 48 + 1) when its "
           "tile-m x width accumulators are at most this many vectors, and "
           "register tiles take more rows than tile-m, within as many "
           "accumulators, where that leaves no last tile shorter than "
           "tile-m (49 = 9 x 5 + 4 with 4 x 16 AVX2 tiles); 0: never. "
           "Register tiles with lanes along K (k-lane-max-cols) hold at "
           "most this many accumulators (with 0, tile-m x tile-n's)">,
    Option<"im2colBlockKiB", "im2col-block-kib", "int64_t",
           /*default=*/"512",
           "A convolution whose im2col matrix is larger than this (KiB) is "
           "distributed over blocks of whole output rows, each block's "
           "im2col copy made and multiplied while it is in L2 (blocks of "
           "whole vectors of columns where the height allows; where it does "
           "not, a matrix up to four times this is made whole); 0: one "
           "whole im2col copy">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of a hardware vector (16 for AVX-512)">,
    Option<"maxInnerTile", "max-inner-tile", "int64_t", /*default=*/"256",
           "Largest innermost extent an elementwise op is vectorized at "
           "once; longer rows are tiled by this many">,
    Option<"distributeTiles", "distribute", "bool", /*default=*/"true",
           "Put the outermost tiles of ops in the kernel body in scf.forall "
           "loops (run by the runtime's threads)">,
    Option<"minParallelTiles", "min-parallel-tiles", "int64_t",
           /*default=*/"16",
           "Contractions with fewer register-tile columns than this are "
           "also distributed over blocks of rows">,
    Option<"taskCols", "task-cols", "int64_t", /*default=*/"256",
           "Columns (N) of a contraction per task at most: a task sweeps "
           "its register-tile columns while its blocks of A stay in L2; "
           "tile-n or less: one column tile per task">,
    Option<"minTasks", "min-tasks", "int64_t", /*default=*/"8",
           "Tasks a contraction keeps when its tasks take several column "
           "tiles (task-cols)">,
    Option<"narrowMinTasks", "narrow-min-tasks", "int64_t", /*default=*/"4",
           "Blocks of rows (tasks) at least of a contraction with too few "
           "column tiles to share, whose tasks each sweep all its columns "
           "(N = 196 on a 14x14 map: 96 rows as 4 tasks of 24, not 3 of 32 "
           "that two threads share 2:1; a multiple of this many blocks "
           "where M allows, else an even number: 1000 rows as 10 blocks, "
           "not 5)">,
    Option<"costlyEpilogueVectors", "costly-epilogue-vectors", "int64_t",
           /*default=*/"8",
           "Hardware vectors per row tile of elementwise ops with "
           "transcendental functions (exp, tanh, erf, log), which then also "
           "finish a contraction as rows of its task's strip instead of in "
           "its register tiles; 0: as other elementwise ops">,
    Option<"costlyWindowVectors", "costly-window-vectors", "int64_t",
           /*default=*/"8",
           "Hardware vectors per chunk of a depthwise convolution or pool "
           "over planes whose fused consumer has transcendental functions "
           "(SiLU): the taps' sums and the polynomials share the registers">,
    Option<"fuseEpilogues", "fuse-epilogues", "bool", /*default=*/"true",
           "Compute a distributed contraction's accumulator init (bias, "
           "fill) and elementwise consumer (activation) tile by tile inside "
           "its scf.forall">,
    Option<"minParallelWork", "min-parallel-work", "int64_t",
           /*default=*/"32768",
           "Iterations below which other ops are not distributed">,
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect", "mlir::vector::VectorDialect"
  ];
}

def CPULowerVectors : Pass<"hcc-cpu-lower-vectors", "mlir::func::FuncOp"> {
  let summary = "Hoist and lower vector ops after bufferization";
  let description = [{
    Tiles static buffer copies (`linalg.copy`, from hcc-cpu-lower-copies) to
    rows and vectorizes them, hoists loop-invariant vector transfers out of
    loops, then
    lowers `vector.contract` to outer products and FMAs (broadcast-FMA
    micro-kernels), transposes, broadcasts, multi-reductions and n-D
    transfers towards 1-D vectors that `convert-vector-to-llvm` handles.
    Float reductions of a row (multi-reductions of row tiles, and the dot
    products a contraction over a row lowers to, such as a variance's sum
    of squares) are summed as a tree of 16-lane vectors and one
    reassociated horizontal reduction, not in order (one dependent add per
    element). A vector read whose every use takes out one element (the
    column of A a register tile broadcasts in its K steps) becomes scalar
    loads, which LLVM folds into broadcasts from memory (from the vector
    it merged neighbours into wider loads and shuffled them apart, on one
    FMA pipe's port). A contraction of 16 x 4 unsigned bytes with 4 signed bytes into 16 i32
    lanes (the quantized-convolution tiles of hcc-cpu-tile-and-vectorize)
    becomes one `vpdpbusd` (`llvm.x86.avx512.vpdpbusd.512`) when `int8-dot`
    allows it. Reads of constants of the kernel in the K loops of register
    tiles (packed weights, streamed from memory once per run) get software
    prefetches into L2: of the next K block of a contiguous panel, each
    register tile of the block a share of it (`prefetch-next-block`), so
    that the next block arrives over the whole block's time; otherwise
    `prefetch-kib` ahead, a line at a time. Reads of
    other buffers' rows at least 1 KiB apart that a K loop takes one after
    another (32 rows or more: unpacked activations of contractions with
    many columns) get prefetches of the same rows `row-prefetch-cols`
    columns further on (the next column tiles), into L2. Rows of a kernel
    argument that register tiles read in place along K and read again for
    every column tile (a convolution's filter as A) get prefetches of the
    next row block, spread over the iterations that read the current one
    (`prefetch-next-rows`), so that memory delivers it at the block's pace
    instead of within its first column tile.
  }];
  let options = [
    Option<"prefetchKiB", "prefetch-kib", "int64_t", /*default=*/"24",
           "Register tiles that stream a constant of the kernel (packed "
           "weights) prefetch it this many KiB ahead into L2 (unless "
           "prefetch-next-block applies); 0: never">,
    Option<"prefetchNextBlock", "prefetch-next-block", "int64_t",
           /*default=*/"1",
           "1: register tiles that stream a contiguous constant panel "
           "prefetch the next K block's panel into L2, each tile of the "
           "block its share; 0: prefetch-kib ahead instead">,
    Option<"prefetchNextRows", "prefetch-next-rows", "int64_t",
           /*default=*/"1",
           "1: register tiles that read a kernel argument's rows in place "
           "(filters as A) and read each row block again for every column "
           "tile prefetch the next row block into L2, spread over the "
           "block's iterations; 0: never">,
    Option<"rowPrefetchCols", "row-prefetch-cols", "int64_t",
           /*default=*/"64",
           "Register tiles that read far-apart activation rows prefetch "
           "them this many columns ahead into L2; 0: never">,
    Option<"epiloguePrefetchTiles", "epilogue-prefetch-tiles", "int64_t",
           /*default=*/"1",
           "Register tiles prefetch the far-apart rows they touch outside "
           "their K loop (epilogue reads and writes, spread over the K "
           "steps; activation rows copied into B panels) this many column "
           "tiles ahead into L2; 0: never">,
    Option<"int8Dot", "int8-dot", "std::string", /*default=*/"\"auto\"",
           "4-byte dot products: 'vnni' (vpdpbusd), 'portable' (plain "
           "vector code) or 'auto' (vnni where the host has AVX-512 VNNI)">,
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect", "mlir::LLVM::LLVMDialect"
  ];
}

def CPUAsyncParallelFor
    : Pass<"hcc-cpu-async-parallel-for", "mlir::ModuleOp"> {
  let summary = "Run the distributed tiles of kernels on the runtime's workers";
  let description = [{
    Rewrites the `scf.parallel` loops of the kernels (the scf.forall tiles of
    `hcc-cpu-tile-and-vectorize`, after bufferization and
    `scf-forall-to-parallel`) into a work-sharing loop over the runtime's
    workers. The loop body is outlined into a function that claims chunks
    of iterations with an atomic counter; the kernel's thread calls it, and
    so does each of `parts - 1` async tasks, then it awaits them.
     - `parts` is the number of workers, but no more than gives each part
       `task-work` estimated instructions (vector ops count once per
       hardware vector, nested loops times their trip counts): a small loop
       runs on the kernel's thread alone, without tasks.
     - The iterations are cut into `parts` contiguous parts. A participant
       starts with the part of its worker index (the runtime's
       `hcc_cpu_worker_index`), so one worker tends to handle the same
       region of the data in successive kernels, still in its core's
       cache, and then takes chunks of the other parts (load balance).
     - A claim takes at least `claim-work` estimated instructions.
    Captured views and index arithmetic are cloned into the loop so the
    outlined function takes identity-layout buffers only (the bare-pointer
    kernel convention); loops for which that fails, and loops nested in
    another parallel loop, become sequential `scf.for` nests. Loops of
    several dimensions are collapsed to one first. The async ops are lowered
    afterwards by `async-to-async-runtime`, reference counting and
    `convert-async-to-llvm` to calls of the MLIR async runtime API, which the
    hcc runtime serves from its thread pool.
  }];
  let options = [
    Option<"taskWork", "task-work", "int64_t", /*default=*/"32768",
           "Estimated instructions below which a loop is not split further">,
    Option<"claimWork", "claim-work", "int64_t", /*default=*/"256",
           "Estimated instructions one claim of iterations takes at least">,
    Option<"numWorkers", "num-workers", "int32_t", /*default=*/"-1",
           "Worker threads to plan for (-1: ask the runtime when the kernel "
           "runs)">,
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::async::AsyncDialect", "mlir::func::FuncDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect"
  ];
}

#endif // HCC_TARGET_CPU_PASSES
