//===- LinalgLoops.h - loop nests of linalg ops on buffers ------*- C++ -*-===//
//
// Shared by hcc-ocl-lower-linalg's scalar nests (LowerLinalg.cpp) and its
// vector register tiles (VectorTile.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef HCC_LIB_TARGET_OPENCL_LINALGLOOPS_H
#define HCC_LIB_TARGET_OPENCL_LINALGLOOPS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/Support/LLVM.h"

#include <functional>
#include <optional>

namespace hcc::opencl {

/// How the loops of one linalg op are arranged.
struct GPUEpilogue;

struct LoopPlan {
  llvm::SmallVector<int64_t> ranges;
  /// Dimensions of the scf.parallel (they index every output injectively),
  /// in their original order.
  llvm::SmallVector<unsigned> parallel;
  /// All other dimensions, sequential inside, in their original order.
  llvm::SmallVector<unsigned> sequential;
  /// Register-blocked: `n` (innermost output dimension) and optionally `m`
  /// are tiled by tn and tm.
  bool blocked = false;
  std::optional<unsigned> m, n;
  int64_t tm = 1, tn = 1;
  /// Per output of a blocked op: the elementwise op that initializes it
  /// right before (fill, bias broadcast), computed into the accumulators
  /// instead of through memory; null where there is none.
  llvm::SmallVector<mlir::linalg::LinalgOp> inits;
  /// > 0: full tiles are vector tiles of this many lanes.
  int64_t vectorWidth = 0;
  /// Edge tiles shift back to overlap their neighbours (full tiles only).
  bool overlapEdges = false;
  /// Vector tiles only (no scalar edge tiles): the elementwise op after
  /// that consumes the output, applied before storing (findGPUEpilogue);
  /// null when none.
  const GPUEpilogue *epilogue = nullptr;
};

/// An index constant.
mlir::Value cst(mlir::OpBuilder &b, mlir::Location loc, int64_t v);

/// Index arithmetic emitted at `b` (held by reference, so it follows the
/// builder's insertion point), for the GPU tile emitters.
struct IndexMath {
  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::Value c(int64_t v) const;
  mlir::Value divS(mlir::Value x, int64_t y) const;
  mlir::Value remS(mlir::Value x, int64_t y) const;
  mlir::Value mulC(mlir::Value x, int64_t y) const;
  mlir::Value add(mlir::Value x, mlir::Value y) const;
  /// x + y, or x itself when y is 0.
  mlir::Value addC(mlir::Value x, int64_t y) const;
  /// x < y (signed).
  mlir::Value lessThan(mlir::Value x, int64_t y) const;
  mlir::Value both(mlir::Value x, mlir::Value y) const;
};

/// The indices `map` gives at the loop position `ivs`.
llvm::SmallVector<mlir::Value> applyMap(mlir::OpBuilder &b, mlir::Location loc,
                                        mlir::AffineMap map,
                                        mlir::ValueRange ivs);

/// `op`'s payload on the values `inputs` (one per DPS input, null where the
/// payload does not read it) and `outs` (the current output values) at the
/// loop position `ivs` (for linalg.index); returns what it yields.
llvm::SmallVector<mlir::Value> emitPayload(mlir::OpBuilder &b,
                                           mlir::linalg::LinalgOp op,
                                           llvm::ArrayRef<mlir::Value> inputs,
                                           mlir::ValueRange ivs,
                                           llvm::ArrayRef<mlir::Value> outs);

/// One iteration of `op` at `ivs`: reads the inputs its payload uses, runs
/// the payload with `outs` as the current output values (null where the
/// payload does not read them) and returns what it yields.
llvm::SmallVector<mlir::Value>
emitIteration(mlir::OpBuilder &b, mlir::Location loc, mlir::linalg::LinalgOp op,
              mlir::ValueRange ivs, llvm::ArrayRef<mlir::Value> outs);

/// Whether the full tiles of `plan` can be vector register tiles of
/// `vectorWidth` lanes: a single-output f32/f64 contraction-like payload
/// (mulf, addf, subf, fma, constants), inputs either independent of n
/// (broadcast) or unit-stride along n, the output (and an absorbed fill or
/// copy initializer) likewise.
bool canVectorizeTile(mlir::linalg::LinalgOp op, const LoopPlan &plan,
                      int64_t vectorWidth);

/// A full tm x tn tile at (m0, n0) as tm x tn/vectorWidth vector
/// accumulators carried through the reduction loops (iter_args, so the
/// OpenCL compiler keeps them in registers). canVectorizeTile must hold.
void emitVectorTile(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::linalg::LinalgOp op, const LoopPlan &plan,
                    llvm::SmallVector<mlir::Value> ivs, mlir::Value m0,
                    mlir::Value n0, int64_t vectorWidth);

/// Creates before the builder's insertion point an `scf.execute_region`
/// mapped to `grid` blocks of `block` threads (kGPULaunchAttr, no_inline)
/// and returns a builder at the start of its body; the caller ends it with
/// scf.yield.
mlir::OpBuilder createLaunchRegion(mlir::OpBuilder &outer, mlir::Location loc,
                                   int64_t grid, int64_t block);

/// The element of `operand` (an input or output of `op`) at iteration
/// `at` when `inBounds`, else zero of `type` (an scf.if).
mlir::Value loadOrZero(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::linalg::LinalgOp op, mlir::OpOperand *operand,
                       mlir::Type type, mlir::ValueRange at,
                       mlir::Value inBounds);

/// The elementwise op right before `op` that only writes `init` (a fill or
/// a broadcast, reading nothing `op` writes), or null: `op` overwrites the
/// whole buffer, so the initializer can be computed into its accumulators.
mlir::linalg::LinalgOp findInitializer(mlir::linalg::LinalgOp op,
                                       mlir::OpOperand &init);

/// What initializer `producer` (findInitializer) stores at the element of
/// `op`'s output `init` that `op` reaches at iteration `ivs`.
mlir::Value initializerValue(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::linalg::LinalgOp op, mlir::OpOperand &init,
                             mlir::linalg::LinalgOp producer,
                             mlir::ValueRange ivs);

/// The elementwise op before `op` that initializes its output `init` (a
/// fill or bias broadcast, possibly on another contiguous view of the same
/// buffer, with ops between that touch neither that buffer nor its
/// inputs), or null: a GPU tile computes it into its accumulators
/// (GPUEpilogue.cpp).
mlir::linalg::LinalgOp findGPUInitializer(mlir::linalg::LinalgOp op,
                                          mlir::OpOperand &init);

/// What `producer` (findGPUInitializer) stores at the element of `op`'s
/// output `init` that `op` reaches at iteration `ivs`.
mlir::Value gpuInitializerValue(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::linalg::LinalgOp op,
                                mlir::OpOperand &init,
                                mlir::linalg::LinalgOp producer,
                                mlir::ValueRange ivs);

/// The elementwise op right after a GPU tile kernel `op` that consumes its
/// (single) output: an activation, a residual add, a copy to the result.
/// The kernel applies it to each value it stores and is emitted in its
/// place (GPUEpilogue.cpp).
struct GPUEpilogue {
  mlir::linalg::LinalgOp op;
  /// The input of `op` that reads the tile kernel's output.
  mlir::OpOperand *input = nullptr;
  /// `op` writes the tile kernel's output in place.
  bool inPlace = false;
  /// The raw output is read elsewhere too, so it is stored as well.
  bool keepOutput = true;
};

/// `op`'s epilogue, if it has one; `init` is the initializer it absorbs
/// (or null).
std::optional<GPUEpilogue> findGPUEpilogue(mlir::linalg::LinalgOp op,
                                           mlir::linalg::LinalgOp init);

/// Stores `value`, `op`'s output at iteration `ivs`: into the output
/// (unless an epilogue makes that unnecessary) and, with an epilogue,
/// the epilogue's results at the matching element.
void storeGPUResult(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::linalg::LinalgOp op, const GPUEpilogue *epilogue,
                    mlir::Value value, mlir::ValueRange ivs);

/// The first accumulator value of a contraction `op` at iteration `at`:
/// what `init` (findGPUInitializer, or null) stores there, else the
/// output's value; zero of `type` when not `inBounds`.
mlir::Value initialAccumulator(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::linalg::LinalgOp op,
                               mlir::linalg::LinalgOp init, mlir::Type type,
                               mlir::ValueRange at, mlir::Value inBounds);

/// The kernel's gpuTileKnobSpecs() values (0: chosen from the shape).
struct GPUTileKnobs {
  int64_t blockM = 0, blockN = 0, blockK = 0, threadM = 0, threadN = 0;
};

/// The knobs of `kernel` (its `exec.knobs`, else its target's
/// configuration, else 0), checked: each 0 or a power of two, at most
/// kGPUMaxThreads threads per block and kGPUMaxSharedBytes of staged f32
/// slices whatever the shape narrows; an error on `kernel` naming the
/// knobs otherwise.
mlir::FailureOr<GPUTileKnobs> resolveGPUTileKnobs(mlir::Operation *kernel);

/// The dimensions of a contraction the GPU path tiles (GPUContraction.cpp):
/// one m, n and k dimension and any batch dimensions, two buffer inputs
/// (A indexed by m and k, B by k and n) and one output.
struct GPUContractionDims {
  llvm::SmallVector<unsigned> batch;
  unsigned m = 0, n = 0, k = 0;
  /// Which DPS input is A (the one indexed by m).
  unsigned a = 0;
};

/// `op`'s dimensions when it is such a contraction (mul-add payload,
/// static ranges), else nothing.
std::optional<GPUContractionDims>
matchGPUContraction(mlir::linalg::LinalgOp op);

/// The output tile block `blockId` of a tiled contraction owns: the block
/// id split row-major into (batch..., tile row, tile column) over
/// `tilesM` x `tilesN` tiles; `point` holds the batch dimensions' indices
/// (zero for the other loops).
struct BlockTile {
  llvm::SmallVector<mlir::Value> point;
  mlir::Value tileM, tileN;
};
BlockTile blockTile(mlir::OpBuilder &b, mlir::Location loc, mlir::Value blockId,
                    const GPUContractionDims &dims,
                    llvm::ArrayRef<int64_t> ranges, int64_t tilesM,
                    int64_t tilesN);

/// One operand tile of a GPU contraction staged into workgroup memory
/// for one k step (GPUContraction.cpp).
struct TileStaging {
  mlir::OpOperand *operand;
  /// The tile: [2][bk][extent] or, with `kInner`, [2][extent][bk].
  mlir::Value tile;
  bool kInner = false;
  /// The tile's other dimension (m or n), its first index in the output
  /// (`base`), its tile extent and full range.
  unsigned dim;
  mlir::Value base;
  int64_t extent, bound;
  /// Consecutive threads take consecutive k (else consecutive `dim`).
  bool kFastest = false;
  /// Applied to each element before it is stored (rounding to the tile's
  /// type), or null.
  std::function<mlir::Value(mlir::OpBuilder &, mlir::Value)> convert;
};

/// Stages `s` for the k step at `k0` (of `bk`, over [0, k)) into tile
/// buffer `buffer`: the `threads` threads (`tid`) copy it with coalesced
/// loads, zero-padded past the edges, each store marked kGPUStagedAttr.
/// Where the operand is contiguous along the tile's contiguous dimension
/// (f32, identity layout, ranges multiples of 4), each thread copies 4
/// elements at once (vector<4xf32> loads and stores, 16-byte aligned).
/// `point` holds the batch indices.
void emitTileStaging(mlir::OpBuilder &b, mlir::Location loc,
                     mlir::linalg::LinalgOp op,
                     llvm::ArrayRef<mlir::Value> point, unsigned kDim,
                     mlir::Value k0, int64_t bk, int64_t k, mlir::Value buffer,
                     mlir::Value tid, int64_t threads, const TileStaging &s);

/// A k loop over [0, k) in steps of `bk` whose operand tiles are double
/// buffered in workgroup memory: `stage(b, k0, buffer)` fills buffer
/// `buffer` (an index, 0 or 1) with the tiles of step k0 (its stores carry
/// kGPUStagedAttr), `compute(b, k0, buffer, accs)` consumes them and
/// returns the next accumulators. Step 0 is staged before the loop; step
/// i stages step i + 1 into the other buffer, then waits at a barrier
/// (kGPUStageReadyAttr) and computes, then a barrier guards the buffer it
/// read. Returns the final accumulators.
llvm::SmallVector<mlir::Value> emitStagedKLoop(
    mlir::OpBuilder &b, mlir::Location loc, int64_t k, int64_t bk,
    mlir::ValueRange accInit,
    llvm::function_ref<void(mlir::OpBuilder &, mlir::Value, mlir::Value)> stage,
    llvm::function_ref<llvm::SmallVector<mlir::Value>(
        mlir::OpBuilder &, mlir::Value, mlir::Value, mlir::ValueRange)>
        compute);

/// Replaces nothing: emits at `b` the tiled GPU form of `op`, an
/// `scf.execute_region` (kGPULaunchAttr: grid and block sizes) whose body
/// indexes blocks and threads with the gpu dialect. Each block computes a
/// bm x bn output tile: k steps of bk stage A and B tiles through double-
/// buffered workgroup memory (emitStagedKLoop), each thread accumulates a
/// tm x tn register tile (iter_args). Accumulators start from the output's
/// values, or from what `init` (findGPUInitializer; may be null) would
/// store there; results are stored through `epilogue` (may be null).
/// False when the grid would be too large.
bool emitGPUContraction(mlir::OpBuilder &b, mlir::linalg::LinalgOp op,
                        const GPUContractionDims &dims,
                        mlir::linalg::LinalgOp init,
                        const GPUEpilogue *epilogue, const GPUTileKnobs &knobs);

/// How a block folds its threads' partial results (GPUReduction.cpp).
enum class GPUReductionMode {
  /// A tree over workgroup memory, halving between barriers.
  Tree,
  /// Warp reductions: butterfly gpu.shuffle xor within warps of 32, then
  /// over the warps' totals (32-bit values; others use the tree).
  Shuffles,
  /// The warp reductions' logic with each shuffle an exchange through
  /// workgroup memory between barriers: devices without sub-group
  /// shuffles (PoCL) run and check the kernels CUDA runs with Shuffles.
  EmulatedShuffles,
};

/// Parses `tree`, `shuffle` or `emulated-shuffle`.
std::optional<GPUReductionMode> parseGPUReductionMode(llvm::StringRef name);

/// Emits before `op` the GPU form of a reduction of at least 64 elements
/// per output whose payload ends in an associative combiner (GPUReduction.
/// cpp): one block per output, its threads' partials folded as `mode`
/// says; the output starts from what `init` (findGPUInitializer; may be
/// null) stores, results are stored through `epilogue` (may be null).
/// False (nothing emitted) for other ops.
bool emitGPUReduction(mlir::OpBuilder &b, mlir::linalg::LinalgOp op,
                      GPUReductionMode mode, mlir::linalg::LinalgOp init,
                      const GPUEpilogue *epilogue);

/// Whether emitGPUReduction takes `op`.
bool isGPUReduction(mlir::linalg::LinalgOp op);

} // namespace hcc::opencl

#endif // HCC_LIB_TARGET_OPENCL_LINALGLOOPS_H
