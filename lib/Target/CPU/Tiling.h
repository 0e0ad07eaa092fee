//===- Tiling.h - Tiling helpers shared by the CPU passes -------*- C++ -*-===//
#ifndef HCC_LIB_TARGET_CPU_TILING_H
#define HCC_LIB_TARGET_CPU_TILING_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

#include <optional>
#include <vector>

namespace hcc::cpu {
/// Tiles `op` (a TilingInterface op) by `sizes` with upstream's
/// scf::tileUsingSCF and replaces it with the tiled loops.
mlir::FailureOr<mlir::scf::SCFTilingResult>
tile(mlir::RewriterBase &rewriter, mlir::Operation *op,
     llvm::ArrayRef<int64_t> sizes, llvm::ArrayRef<int64_t> interchange = {},
     mlir::scf::SCFTilingOptions::LoopType loopType =
         mlir::scf::SCFTilingOptions::LoopType::ForOp);
/// Peels the partial last iteration off each scf.for, innermost first, so
/// that every tile inside has a static shape.
void peelLoops(mlir::RewriterBase &rewriter,
               llvm::ArrayRef<mlir::LoopLikeOpInterface> loops);
/// Rows of A per task when a contraction's `tiles` column tiles (or
/// tasks) are too few to keep the threads busy: the largest multiple of
/// `tileM` dividing `m` with `tiles` x blocks at least `target` (`tileM`
/// itself if none does); 0 when M is not a multiple of `tileM` or one
/// block would be all of M.
int64_t rowBlock(int64_t m, int64_t tiles, int64_t target, int64_t tileM);
/// The divisors of `m` (> 0) that are multiples of `unit`, largest first
/// (none for m <= 0); O(sqrt(m)).
llvm::SmallVector<int64_t> divisorsDescending(int64_t m, int64_t unit);
/// Rows of A per task when the tasks are blocks of rows that the threads
/// share: the largest multiple of `tileM` dividing `m` into a multiple of
/// `minBlocks` blocks, else into an even number of at least `minBlocks`
/// (shared evenly by two threads: 1000 rows are 10 blocks of 100, not 5 of
/// 200 that two threads split 3:2), else (with no such count in multiples
/// of `tileM`) into an even number of blocks of a multiple of half of
/// `tileM` (1000 rows with 8-row tiles: 10 blocks of 100, covered by
/// 10-row register tiles), else into at least `minBlocks`; 0 when M is not
/// a multiple of `tileM` or one block would be all of M.
int64_t balancedRowBlock(int64_t m, int64_t minBlocks, int64_t tileM);

/// Rows of A per L2 block (cache-m) of a contraction with packed panels:
/// the largest multiple of `tileM` dividing `m` that is at most `cacheM`
/// and at least half of it (192 rows: 2 blocks of 96), so that every block
/// has a static shape and the epilogues follow its register tiles; else
/// `cacheM` (a partial last block).
int64_t l2RowBlock(int64_t m, int64_t cacheM, int64_t tileM);

/// Static tensors of one 32-bit element type, f32 or i32: what the register
/// tiles and vector widths are sized for (OpClasses.cpp).
bool hasStaticF32Tensors(mlir::linalg::LinalgOp op);
/// The loop dimensions of a matmul-like contraction whose register tile is
/// (m x n) with n the output's innermost (contiguous) dimension. Batch
/// dimensions and unit dimensions of any kind are tiled by 1.
struct MatmulDims {
  llvm::SmallVector<unsigned> outer;
  unsigned m, n, k;
};
std::optional<MatmulDims> getMatmulDims(mlir::linalg::LinalgOp op);
/// The register tile's rows for a piece `m` rows high, at most `maxRows`
/// (the accumulators allow): `tileM`, or the fewest more that leave no last
/// tile shorter than `tileM`. A short tile is bound by the latency of its
/// few accumulators and costs about a full one: 49 pixels of a 7x7 map are
/// 9 x 5 + 4 rows on AVX2, not 12 x 4 + 1 (such 1x1 convolutions 20 %
/// faster) (Tiling.cpp).
int64_t registerTileRows(int64_t m, int64_t tileM, int64_t maxRows);
/// The register tile's rows for a piece of few rows (below pack-min-rows,
/// B read in place): every register tile streams the column tile's B (an
/// activation's rows, far apart), so the fewest tiles of at most `maxRows`
/// that leave no last tile shorter than `tileM`. 24 rows are 4 x 6 on
/// AVX2, not 6 x 4: mobilenet_v2's 144->24 projection on 56x56 20 %
/// faster (Tiling.cpp).
int64_t fewestRegisterTileRows(int64_t m, int64_t tileM, int64_t maxRows);
/// K steps per block of a contraction piece whose register tiles are
/// `cols` wide: `cacheK`, or fewer where A is read with M contiguous and
/// its K rows far apart (channel lanes' input X[k, p] read in place). Each
/// register tile then reads a slice of every row of the block, and the
/// tiles next to it read the rest of the same cache lines, which are still
/// in L1 only if the block's live lines of A (two per row) and its B panel
/// take at most half of `l1KiB`. The blocks split K evenly, in multiples
/// of `tileK`. With 512-step blocks (the 512 x 16 B panel alone fills a 32
/// KiB L1) mobilenet_v2's 1x1 convolutions on 7x7 maps ran 20-27 % slower
/// (Tiling.cpp).
int64_t contractionKBlock(mlir::linalg::LinalgOp piece, const MatmulDims &dims,
                          int64_t cols, int64_t cacheK, int64_t l1KiB,
                          int64_t tileK);
/// Whether every operand is read contiguously along the innermost loop (or
/// not indexed by it), so row vectors are plain loads.
bool isRowVectorizable(mlir::linalg::LinalgOp op);
/// The loop along which the transposed inputs of an elementwise op with a
/// contiguous output are contiguous (OpClasses.cpp), if it has any.
std::optional<unsigned> transposedInnerLoop(mlir::linalg::LinalgOp op);
/// Whether `op` reduces along its innermost loop with every input read
/// contiguously along it and the output not indexed by it.
bool isRowReduction(mlir::linalg::LinalgOp op);

/// Marks an elementwise epilogue to join the register tiles it finishes.
constexpr llvm::StringLiteral kTileEpilogue = "hcc.tile_epilogue";
/// Marks the per-tap rows of a depthwise convolution, pool or im2col copy.
constexpr llvm::StringLiteral kDepthwiseRow = "hcc.depthwise_row";
/// Ops directly in the kernel function are distributed over threads; ops in
/// loop bodies (Loop/Scan, tiles) run on the thread of their loop.
bool isTopLevel(mlir::Operation *op);
/// Tiles `op` by `sizes` (0: not tiled) into one scf.forall, the runtime
/// threads' tasks; returns the tiled op, or `op` when there would be fewer
/// than two tiles or fewer than `minWork` iterations (WindowTiles.cpp).
mlir::Operation *distribute(mlir::RewriterBase &rewriter, mlir::Operation *op,
                            llvm::ArrayRef<int64_t> sizes, int64_t minWork,
                            llvm::ArrayRef<int64_t> interchange = {});
/// Runs the ops of each chain that starts at a reduction over the
/// innermost loop and continues through consumers with the same loops (or
/// the outer ones, on one value per row), mapping or reducing only the
/// innermost loop (softmax, LayerNorm), as one scf.forall over the rows
/// (RowChains.cpp).
void fuseRowChains(mlir::RewriterBase &rewriter, mlir::func::FuncOp func,
                   int64_t vectorWidth);
/// Sizes that distribute every parallel loop of `op` but the innermost
/// `keep` of them by 1.
llvm::SmallVector<int64_t> outerParallelUnitTiles(mlir::linalg::LinalgOp op,
                                                  unsigned keep);
/// In a one-loop generic, inputs indexed by `d0 * s` become strided slices.
void stridedInputsToSlices(mlir::RewriterBase &rewriter,
                           mlir::linalg::GenericOp op);
/// Tiles a sliding-window generic (depthwise convolution, pool, im2col) into
/// rows of its output's innermost dimension (kDepthwiseRow), distributed
/// over the threads when `distributeRows` (a task per row, or with
/// `planeTasks` per plane of rows); returns their scf.forall if any.
mlir::scf::ForallOp tileWindowRows(mlir::RewriterBase &rewriter,
                                   mlir::linalg::GenericOp generic,
                                   bool distributeRows, int64_t minWork,
                                   bool planeTasks = false);
/// Tiles an elementwise op whose inputs are transposed against its output
/// (transposedInnerLoop: `other`) into lanes x lanes tiles, distributed
/// when `distributeTiles`, remainders peeled (WindowTiles.cpp).
void tileTransposed(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op,
                    unsigned other, int64_t lanes, bool distributeTiles,
                    int64_t minWork);
/// Finishes a row tile of tileWindowRows (unit dims dropped, strided reads
/// as strided slices); returns the row to vectorize, or null (a plain row
/// copy, left a linalg.copy).
mlir::Operation *finishWindowRow(mlir::RewriterBase &rewriter,
                                 mlir::linalg::GenericOp op);
/// Replaces upstream's im2col gather `copy` of an NCHW convolution by a 6-D
/// generic of row copies (contiguous or strided), tiled into rows.
void rowWiseIm2Col(mlir::RewriterBase &rewriter, mlir::Operation *copy,
                   mlir::Value input, mlir::RankedTensorType filterType,
                   mlir::RankedTensorType outType,
                   llvm::ArrayRef<int64_t> strides, bool distributeRows,
                   int64_t minWork);
/// Output rows per block of a convolution run in row blocks
/// (im2col-block-kib); 0 for one whole im2col matrix.
int64_t im2colRowBlock(int64_t rows, int64_t cols, int64_t depth,
                       int64_t budget, int64_t lanes);
/// Rewrites a depthwise convolution or a max or sum pool (static f32,
/// undilated) as tasks over (image, channel) that each copy their input
/// plane into padded phase planes and compute all of the plane's outputs
/// with one elementwise generic of the window's taps (and the op's
/// elementwise consumer): over [OH, OW] into the output when OW is at least
/// `rowsMinWidth`, else over all outputs flattened into rows of the phase
/// planes' width (padded to a multiple of `lanes`) and copied out
/// (DepthwisePlanes.cpp); returns that generic.
mlir::FailureOr<mlir::linalg::GenericOp>
windowOnPlanes(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op,
               int64_t lanes, int64_t rowsMinWidth);
/// The chunk (tile sizes) each task of a windowOnPlanes generic covers:
/// about eight vectors of outputs, or `tileRows` output rows by 8 / rows
/// vectors; `costlyWindowVectors` with a transcendental consumer
/// (DepthwisePlanes.cpp).
llvm::SmallVector<int64_t> windowPlaneChunk(mlir::linalg::GenericOp plane,
                                            int64_t vectorWidth,
                                            int64_t costlyWindowVectors,
                                            int64_t tileRows);
/// Rewrites a depthwise convolution (static f32, undilated, channels a
/// multiple of 16, at most `maxPixels` outputs per plane, zero or no
/// padding, a fill or per-channel start) as tasks over (image, 16
/// channels) with the channels as vector lanes: planes transposed into a
/// padded channels-last buffer, a row of output pixels accumulated per tap,
/// transposed back through the elementwise consumer (DepthwiseChannels.cpp).
mlir::LogicalResult
depthwiseOnChannelLanes(mlir::RewriterBase &rewriter,
                        mlir::linalg::DepthwiseConv2DNchwChwOp op,
                        int64_t maxPixels);
/// Replaces every top-level static tensor.concat in `func` by one
/// linalg.copy per input into its slice of the result, so that the copies
/// are distributed like elementwise ops (ShapePrep.cpp).
void concatsToCopies(mlir::RewriterBase &rewriter, mlir::func::FuncOp func);
/// Moves the reshapes of im2col past the elementwise ops next to
/// contractions (top level, or fused into a block of rows), so that they
/// work on the contraction's collapsed shape and can join its tiles; an
/// epilogue that finishes a contraction in a task keeps its mark
/// (kTileEpilogue) unless it has transcendental functions and
/// `costlyEpilogueVectors` > 0 (ShapePrep.cpp).
void collapseEpilogues(mlir::func::FuncOp func, int64_t costlyEpilogueVectors);
/// Replaces every linalg op with a loop of no iterations (a MatMul with
/// K = 0, a Conv with no filters) by its inits: it computes nothing, and
/// tiling would divide by its zero extent (ShapePrep.cpp).
void foldEmptyIterationSpaces(mlir::RewriterBase &rewriter,
                              mlir::func::FuncOp func);
/// Collapses the trailing reduction loops of `op` (a generic) into one when
/// every operand reads them contiguously; returns the new op, or `op`
/// (ShapePrep.cpp).
mlir::linalg::LinalgOp collapseInnerReductions(mlir::RewriterBase &rewriter,
                                               mlir::linalg::LinalgOp op);
/// Collapses the trailing loops of `op` (an elementwise generic) while its
/// rows are narrower than `minLanes` and every operand reads them
/// contiguously or not at all; returns the new op, or `op` (ShapePrep.cpp).
mlir::linalg::LinalgOp collapseNarrowRows(mlir::RewriterBase &rewriter,
                                          mlir::linalg::LinalgOp op,
                                          int64_t minLanes);
/// An scf.forall over (image n, `count` index i) whose tasks each replace
/// the slice of `dest` at `offsets(n, i)` x `sizes` (unit strides) by what
/// `body(n, i, slice)` builds from it; returns the forall's result
/// (ConvParts.cpp).
mlir::Value forEachSlice(
    mlir::OpBuilder &b, mlir::Location loc, int64_t images, int64_t count,
    mlir::Value dest,
    llvm::function_ref<llvm::SmallVector<mlir::OpFoldResult>(mlir::Value,
                                                             mlir::Value)>
        offsets,
    llvm::ArrayRef<int64_t> sizes,
    llvm::function_ref<mlir::Value(mlir::Value, mlir::Value, mlir::Value)>
        body);
/// How a convolution's accumulator starts: a scalar for every output (a
/// fill), a value per output channel (a broadcast bias), or anything else
/// (both null: read back per output).
struct InitValue {
  mlir::Value scalar;    // f32, when a fill
  mlir::Value perFilter; // tensor<F x f32>, when a broadcast over (n, h, w)
};
InitValue classifyInit(mlir::Value init);
/// The elementwise op that alone reads `producer`'s result (a
/// convolution's), if it can run in the loops that replace the producer: a
/// generic whose maps are all identities over tensors of the result's
/// shape, which does not read its init, whose other inputs are defined
/// before the producer, and whose body is scalar arith/math ops (on
/// captured scalars at most).
mlir::linalg::GenericOp fusibleConsumer(mlir::Operation *producer);
/// A window op's input before its padding (a tensor.pad with a constant
/// on the spatial dimensions only: zeros for convolutions and sum pools,
/// the lowest value for max pools), the padding's low sides and value.
struct Unpadded {
  mlir::Value source;
  int64_t top = 0, left = 0;
  mlir::Value value; // null: no padding
};
Unpadded lookThroughPad(mlir::Value x);
/// The static shape of an undilated f32 NCHW window op (a depthwise
/// convolution, whose filter is [C, KH, KW]: `windowDim` 1; a pool, whose
/// window is [KH, KW]: 0): its input before a padding whose value
/// `isBorder` accepts (the padding's low sides then top and left), window
/// extents, strides and output.
struct WindowShape {
  mlir::Value source;
  int64_t top = 0, left = 0;
  int64_t n = 0, c = 0, h = 0, w = 0, kh = 0, kw = 0, sh = 0, sw = 0, oh = 0,
          ow = 0;
};
mlir::FailureOr<WindowShape>
windowShape(mlir::linalg::LinalgOp op, int64_t windowDim,
            llvm::function_ref<bool(mlir::Value)> isBorder);
/// Replaces the undilated f32 max pool `op` by tasks per (image, channel)
/// that compute an output row at a time as a max over the window's input
/// rows into a row buffer, then over its columns, in vectors of `lanes`
/// (MaxPoolRows.cpp).
mlir::LogicalResult maxPoolOnRows(mlir::RewriterBase &rewriter,
                                  mlir::linalg::PoolingNchwMaxOp op,
                                  int64_t lanes);
/// Replaces `consumer` (when fused) or else `op` by `result`, erases `op`,
/// and the tensor.pad of its first input once nothing else reads it.
void replaceWindowOp(mlir::RewriterBase &rewriter, mlir::Operation *op,
                     mlir::linalg::GenericOp consumer, mlir::Value result);
/// The output tile size of the Winograd algorithm `conv` runs with
/// (Winograd.cpp): 4 (F(4x4, 3x3)) for a 3x3 stride-1 f32 convolution
/// with a constant filter and an output at least `minSize4` high and wide,
/// 2 (F(2x2, 3x3)) for one at least `minSize2`, 0 otherwise (0 sizes:
/// never), and 0 with fewer than `minChannels` input channels.
int64_t winogradTileSize(mlir::linalg::Conv2DNchwFchwOp conv, int64_t minSize4,
                         int64_t minSize2, int64_t minChannels);
/// The same choice by the output's height and width and the input channels.
int64_t winogradTileSizeFor(int64_t height, int64_t width, int64_t channels,
                            int64_t minSize4, int64_t minSize2,
                            int64_t minChannels);
/// Replaces `conv` by its Winograd F(`tileSize`, 3x3) form: input
/// transform (an scf.forall over images and channels), a
/// linalg.batch_matmul of the compile-time transformed filter, output
/// transform (an scf.forall over images and filters); returns the result.
mlir::FailureOr<mlir::Value>
winogradConvolution(mlir::RewriterBase &rewriter,
                    mlir::linalg::Conv2DNchwFchwOp conv, int64_t tileSize,
                    int64_t lanes);
/// Whether a convolution with `pixels` output pixels per image and
/// `filters` output channels runs with its output channels as the vector
/// lanes (ChannelLanes.cpp): at most `maxPixels` pixels (0: never) and
/// whole column tiles of `tileN` channels.
bool isChannelLaneShape(int64_t pixels, int64_t filters, int64_t maxPixels,
                        int64_t tileN);
/// Rewrites the im2col contraction Y[b, f, p] = W[f, k] * X[b, k, p] of an
/// NCHW convolution into Y'[b, p, f] = X[b, k, p] * W'[k, f] (W' the
/// filter transposed, a constant when it is one) and a transpose back,
/// fused into the elementwise op that alone reads the result.
mlir::LogicalResult channelLaneContraction(mlir::RewriterBase &rewriter,
                                           mlir::linalg::GenericOp matmul);
/// Adds software prefetches to the reads of constants that register tiles
/// stream in their K loops (0 `aheadBytes`: none): with `nextBlock`, of
/// the next K block of a contiguous panel, spread over the block's register
/// tiles; otherwise (and for other reads) `aheadBytes` further on
/// (Prefetch.cpp).
void prefetchStreamedConstants(mlir::func::FuncOp func, int64_t aheadBytes,
                               bool nextBlock);
/// Adds software prefetches, `aheadCols` columns further on (0: none), to
/// the reads of other buffers' far-apart rows (activations with many
/// columns) that register tiles take one after another in their K loops:
/// the next column tiles' rows, which the hardware prefetchers (one stream
/// per 4 KiB page) do not follow when there are many (Prefetch.cpp).
void prefetchStridedRows(mlir::func::FuncOp func, int64_t aheadCols);
/// Adds software prefetches of the next row block to the reads of kernel
/// arguments' rows that register tiles take in place along K and read
/// again for every column tile (filters read as A): each iteration of the
/// nest that reads a block prefetches its share of the next one into L2
/// (Prefetch.cpp).
void prefetchNextRowBlocks(mlir::func::FuncOp func);
/// Adds software prefetches, `aheadTiles` column tiles further on (0:
/// none), of the far-apart rows that register tiles touch outside their K
/// loops: their epilogues' rows (residual reads, output writes), spread
/// over the K loop's iterations, and the activation rows that the loops
/// around them walk to pack B panels (Prefetch.cpp).
void prefetchTileRows(mlir::func::FuncOp func, int64_t aheadTiles);
/// Lowers the static f32 tensor.pad ops in the body of `func` (convolution
/// inputs) to linalg ops the row tiling vectorizes and shares: fills of the
/// border only and a linalg.copy of the interior (Padding.cpp).
void padsToLinalg(mlir::RewriterBase &rewriter, mlir::func::FuncOp func);
/// `operand`, a task's block of rows of a padded NCHW input (a slice of a
/// tensor.pad with a constant padding at a run-time row offset, whole
/// channels and padded width), rebuilt in a buffer of the task's own from
/// the unpadded source (Padding.cpp); failure, changing nothing, when it is
/// not one.
mlir::LogicalResult localizePaddedRows(mlir::RewriterBase &rewriter,
                                       mlir::OpOperand &operand);
/// Static sizes or offsets as index attributes.
llvm::SmallVector<mlir::OpFoldResult>
indexAttrs(mlir::OpBuilder &b, llvm::ArrayRef<int64_t> values);
/// Whether `op` is a linalg op whose loops are all parallel (a fill, a bias
/// broadcast, an activation): cheap to recompute per tile.
bool isElementwiseLinalg(mlir::Operation *op);
/// Fuses into a contraction's distributed tile (scf.forall) the elementwise
/// producer of its accumulator and its elementwise consumer; returns the
/// fused tile ops (TileContents.cpp).
llvm::SmallVector<mlir::Operation *>
fuseIntoDistributedTile(mlir::RewriterBase &rewriter,
                        mlir::scf::ForallOp forall);
/// Whether `op`'s payload computes a transcendental function (exp, tanh,
/// erf, log, ...: a long polynomial per element; OpClasses.cpp).
bool hasTranscendentals(mlir::linalg::LinalgOp op);
/// Whether `consumer` (elementwise) finishes its init in place, reading it.
bool finishesInPlace(mlir::linalg::LinalgOp consumer);
/// Moves an elementwise `consumer` that finishes the result of a loop nest
/// over tiles in place (its init is the nest's result) into the loops, one
/// tile per iteration, down to the first loop that does not insert a tile
/// per iteration (a reduction) or to the tile's producer. Returns the
/// consumer where it ended (TileContents.cpp).
mlir::linalg::LinalgOp sinkEpilogue(mlir::RewriterBase &rewriter,
                                    mlir::linalg::LinalgOp consumer);
/// After a contraction was split into `pieces` along its loop `n`, gives
/// each piece its own tile of the accumulator's elementwise producer and of
/// the output's elementwise `consumer` (which reads the whole output as its
/// operand `operand`), so each piece's distributed tile can fuse them (the
/// producer alone when the consumer does not qualify); false (nothing
/// changed) unless the producer qualifies (TileContents.cpp).
bool splitEpilogues(mlir::RewriterBase &rewriter,
                    llvm::ArrayRef<mlir::linalg::LinalgOp> pieces,
                    mlir::Operation *consumer, unsigned operand, unsigned n);
/// The elementwise op that finishes `result` in place (finishesInPlace: an
/// activation fused into a task of rows, marked to join the register
/// tiles), when nothing else reads `result` but unused slices; null
/// otherwise (TileContents.cpp).
mlir::linalg::LinalgOp inPlaceConsumer(mlir::Value result);
/// After a contraction in a task was split into pieces along N (dimension
/// `n` of its loops, the pieces in order), gives every piece its own tile of
/// `consumer` (inPlaceConsumer of the assembled output), finishing the
/// piece's result, so that the register tiles can finish it; false when
/// the pieces do not cover the output or the consumer's operands cannot be
/// made available where the pieces join (nothing changed but, possibly,
/// slices moved earlier).
bool splitInPlaceEpilogue(mlir::RewriterBase &rewriter,
                          llvm::ArrayRef<mlir::linalg::LinalgOp> pieces,
                          mlir::linalg::LinalgOp consumer, unsigned n);
/// Fuses the elementwise producer of a tiled contraction's accumulator (a
/// bias broadcast or fill, reached through the iter_args of `loops`, which
/// must not run over the reduction) into the innermost loop; returns the
/// fused tile or null (TileContents.cpp).
mlir::Operation *
fuseAccumulatorProducer(mlir::RewriterBase &rewriter,
                        mlir::linalg::LinalgOp tiled,
                        llvm::MutableArrayRef<mlir::LoopLikeOpInterface> loops);
/// The values of a constant f32 tensor of static shape (dense or a
/// resource blob), row-major; nullopt for anything else (PackedWeights.cpp).
std::optional<std::vector<float>> constantF32Values(mlir::Value v);
/// Splits register-tile vector ops whose lanes are several vectors but not
/// a power of two (8 x 48 tiles) into ops of `lanes` (TileContents.cpp).
void splitWideTileVectors(mlir::func::FuncOp func, int64_t lanes);
/// The operand of a contraction (loops m, n, k) read as B panels: indexed
/// by k and n but not m, its last two dimensions k then n; nullptr if none.
mlir::OpOperand *panelOperand(mlir::linalg::LinalgOp op, unsigned m, unsigned n,
                              unsigned k);
/// Whether `panel` (a B operand, or a slice of one) is computed at run time
/// with rows of at most `maxBytes`: a matrix that already streams row after
/// row through a few cache lines (an im2col block of a few output rows),
/// which packing would only copy again.
bool hasNarrowRows(mlir::Value panel, int64_t maxBytes);
/// Makes `op` read its B panel from its weight packed at compile time in
/// groups of `group` columns when B is a constant of the kernel (register
/// tiles of contractions with fewer rows than pack-min-rows, which copy no
/// panels); false, changing nothing, otherwise.
bool readPackedWeight(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op,
                      unsigned m, unsigned n, unsigned k, int64_t group,
                      llvm::DenseMap<mlir::Value, mlir::Value> &packedWeights);
/// Makes `op` read its B panel from a contiguous copy (pack-min-rows), or
/// from its weight packed at compile time in groups of `group` columns
/// (packedWeightPanel; `packedWeights` keeps the packed constants).
void packPanel(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op,
               unsigned m, unsigned n, unsigned k, int64_t group,
               llvm::DenseMap<mlir::Value, mlir::Value> &packedWeights);
/// The B panel `panel` (a chain of slices of a constant [K, N] matrix of
/// the kernel, or of its linalg.transpose) as a slice of the constant
/// packed at compile time into groups of `group` columns,
/// P[g, k, j] = B[k, g * group + j], when the panel provably lies within
/// one group; null otherwise. `packedWeights` maps each matrix to its
/// packed constant (PackedWeights.cpp).
mlir::Value
packedWeightPanel(mlir::RewriterBase &rewriter, mlir::Value panel,
                  int64_t group,
                  llvm::DenseMap<mlir::Value, mlir::Value> &packedWeights);
/// Every loaded dialect's and registered op's canonicalization patterns
/// (VectorizeTiles.cpp).
void populateCanonicalization(mlir::MLIRContext *ctx,
                              mlir::RewritePatternSet &patterns);
/// The last stage of hcc-cpu-tile-and-vectorize: vectorizes the ops of
/// `func` marked `mark` (removing the mark), folds the transfers, splits
/// wide register-tile vectors, keeps accumulators in registers across
/// their K loops and unrolls short vector-carrying loops (VectorizeTiles.cpp).
/// `cleanup` holds populateVectorizeCleanup's patterns (frozen once per
/// pass: building them costs about a millisecond, per kernel it dominated
/// the compile of graphs with thousands of small kernels).
void vectorizeMarkedTiles(mlir::RewriterBase &rewriter, mlir::func::FuncOp func,
                          llvm::StringRef mark, int64_t vectorWidth,
                          const mlir::FrozenRewritePatternSet &cleanup);
/// The patterns that fold vectorized tiles' transfers (canonicalization
/// and vector transfer folding) for vectorizeMarkedTiles.
void populateVectorizeCleanup(mlir::MLIRContext *ctx,
                              mlir::RewritePatternSet &patterns);
/// Whether `panel` (through slices) is a 2-D f32 constant of the kernel or
/// its transpose: a weight packedWeightPanel packs.
bool isPackableWeight(mlir::Value panel);
/// A f32 contraction piece with few columns (N below the vector width)
/// made to read B's columns as rows (a transposed copy): its tiles then run
/// with lanes along K (emitKLaneContraction). Operands must have unit
/// dimensions but the last two (A: m, k; B: k, n; output: m, n). Returns
/// the rewritten op (a generic), or null when `op` does not qualify
/// (KLaneTail.cpp).
mlir::linalg::GenericOp transposeNarrowPanel(mlir::RewriterBase &rewriter,
                                             mlir::linalg::LinalgOp op,
                                             unsigned m, unsigned n,
                                             unsigned k);
/// Writes a contraction that transposeNarrowPanel made as vector code:
/// register tiles of rows x columns accumulators (at most eight rows and
/// `maxAccumulators` vectors), `lanes` of K each, reduced onto the output at
/// the end of the tile.
mlir::LogicalResult emitKLaneContraction(mlir::RewriterBase &rewriter,
                                         mlir::linalg::GenericOp op,
                                         int64_t lanes,
                                         int64_t maxAccumulators);
/// Reads of a tile that a vector.transfer_write wrote whole become the
/// written vector, reshaped (TileContents.cpp).
void populateForwardWholeTileWritePatterns(mlir::RewritePatternSet &patterns);

/// The 4-deep uint8 x int8 dot-product contraction of a quantized
/// convolution (acc[n, m, p] += x[n, q, p, j] * w[m, q, j], j < 4), which
/// lowerDot4Contractions expects as it is: fusion must leave it alone.
bool isDot4Contraction(mlir::Operation *op);

/// Whether the host CPU has AVX-512 VNNI (vpdpbusd on 512-bit vectors).
bool hostHasAvx512Vnni();

/// Tiles the 4-deep uint8 x int8 dot-product contractions of quantized
/// convolutions in `func` into register tiles of 4 channels x 64 pixels and
/// writes their im2col copies as rows of interleaved quads (Int8Dot.cpp);
/// `distribute` spreads output channels and quads over scf.forall tasks.
/// Once the peeled bounds are canonicalized, emitDot4Tiles writes each
/// tile as vector code over its K loop.
void tileDot4Contractions(mlir::RewriterBase &rewriter, mlir::func::FuncOp func,
                          bool distribute);
void emitDot4Tiles(mlir::RewriterBase &rewriter, mlir::func::FuncOp func);
/// The tiles' 16 x 4-byte dot products as vpdpbusd (AVX-512 VNNI), for
/// hcc-cpu-lower-vectors on hosts that have it.
void populateDot4VnniPatterns(mlir::RewritePatternSet &patterns);

/// Trees of arith.maximumf over three or more f32 vectors (max pools'
/// windows, ReduceMax rows) as compare-selects LLVM turns into vmaxps, and
/// one NaN check per tree (MaximumTrees.cpp).
void populateMaximumTreePatterns(mlir::RewritePatternSet &patterns);
} // namespace hcc::cpu

#endif // HCC_LIB_TARGET_CPU_TILING_H
