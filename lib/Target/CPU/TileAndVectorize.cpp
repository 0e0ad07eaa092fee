//===- TileAndVectorize.cpp - register tiles and vectors for the CPU ------===//
//
// hcc-cpu-tile-and-vectorize (tensors, before bufferization) and
// hcc-cpu-lower-vectors (after bufferization). Nothing here writes a loop
// nest by hand: convolutions go through upstream im2col, tiling is
// scf::tileUsingSCF, remainders are peeled with scf's peeling, tiles are
// vectorized by linalg::vectorize and lowered by the vector dialect's
// lowering patterns.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/CPU/CPUTarget.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace hcc {
#define GEN_PASS_DEF_CPUTILEANDVECTORIZE
#define GEN_PASS_DEF_CPULOWERVECTORS
#include "hcc/Target/CPU/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {
/// Marks the register tiles of a contraction between the two tiling levels.
constexpr llvm::StringLiteral kMicroKernel = "hcc.micro_kernel";
/// Marks the row tiles of an elementwise op.
constexpr llvm::StringLiteral kRowTile = "hcc.row_tile";

void populateCanonicalization(MLIRContext *ctx, RewritePatternSet &patterns) {
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
}

bool hasStaticF32Tensors(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics())
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.get().getType());
    if (!type) {
      if (operand.get().getType().isIntOrIndexOrFloat())
        continue;
      return false;
    }
    if (!type.hasStaticShape() || !type.getElementType().isF32())
      return false;
  }
  return true;
}

/// The loop dimensions of a matmul-like contraction whose register tile is
/// (m x n) with n the output's innermost (contiguous) dimension. Batch
/// dimensions and unit dimensions of any kind are tiled by 1.
struct MatmulDims {
  SmallVector<unsigned> outer;
  unsigned m, n, k;
};

std::optional<MatmulDims> getMatmulDims(linalg::LinalgOp op) {
  if (!hasStaticF32Tensors(op) || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims))
    return std::nullopt;
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  MatmulDims result;
  result.outer.append(dims->batch.begin(), dims->batch.end());
  // Of each kind, the one non-unit dimension (or the last one).
  auto pick = [&](ArrayRef<unsigned> list, unsigned &chosen) -> bool {
    if (list.empty())
      return false;
    std::optional<unsigned> nonUnit;
    for (unsigned d : list) {
      if (bounds[d] == 1)
        continue;
      if (nonUnit)
        return false;
      nonUnit = d;
    }
    chosen = nonUnit ? *nonUnit : list.back();
    for (unsigned d : list)
      if (d != chosen)
        result.outer.push_back(d);
    return true;
  };
  if (!pick(dims->m, result.m) || !pick(dims->n, result.n) ||
      !pick(dims->k, result.k))
    return std::nullopt;
  // Unit reduction dimensions would be tiled by 1 like parallel ones; that
  // is fine for tiling, but keep it simple: only parallel outer dims.
  for (unsigned d : result.outer)
    if (!linalg::isParallelIterator(op.getIteratorTypesArray()[d]))
      return std::nullopt;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  // Vector lanes run along the output's contiguous dimension; contractions
  // whose contiguous dimension is M are left to the loop lowering.
  if (outMap.getNumResults() == 0 ||
      outMap.getResults().back() != getAffineDimExpr(result.n, op.getContext()))
    return std::nullopt;
  return result;
}

/// Peels the partial last iteration off each loop, innermost first, so that
/// every tile inside has a static shape.
void peelLoops(RewriterBase &rewriter, ArrayRef<LoopLikeOpInterface> loops) {
  for (LoopLikeOpInterface loop : llvm::reverse(loops)) {
    auto forOp = dyn_cast<scf::ForOp>(loop.getOperation());
    if (!forOp)
      continue;
    scf::ForOp partial;
    (void)scf::peelForLoopAndSimplifyBounds(rewriter, forOp, partial);
  }
}

FailureOr<scf::SCFTilingResult> tile(RewriterBase &rewriter, Operation *op,
                                     ArrayRef<int64_t> sizes,
                                     ArrayRef<int64_t> interchange = {}) {
  scf::SCFTilingOptions options;
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  if (!interchange.empty())
    options.setInterchange(interchange);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return result;
}

/// Whether every operand is read contiguously along the innermost loop
/// (or not indexed by it: a broadcast), so row vectors are plain loads.
bool isRowVectorizable(linalg::LinalgOp op) {
  if (!hasStaticF32Tensors(op) || op.getNumLoops() == 0 ||
      op.getNumReductionLoops() != 0 || op.getNumDpsInits() != 1 ||
      !op.hasOnlyProjectedPermutations())
    return false;
  unsigned inner = op.getNumLoops() - 1;
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<RankedTensorType>(operand.get().getType()))
      continue;
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!map.isFunctionOfDim(inner))
      continue;
    if (map.getResults().back() != getAffineDimExpr(inner, op.getContext()))
      return false;
  }
  // The output must be written contiguously.
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  return outMap.isIdentity();
}

struct CPUTileAndVectorizePass
    : hcc::impl::CPUTileAndVectorizeBase<CPUTileAndVectorizePass> {
  using CPUTileAndVectorizeBase::CPUTileAndVectorizeBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    CPUTileAndVectorizeBase::getDependentDialects(registry);
    // The vector transfers on tensors this pass creates must bufferize.
    vector::registerBufferizableOpInterfaceExternalModels(registry);
  }

  void runOnOperation() override;
  void tileContraction(RewriterBase &rewriter, linalg::LinalgOp op,
                       const MatmulDims &dims);
  void tileRows(RewriterBase &rewriter, linalg::LinalgOp op);
  void canonicalize() {
    RewritePatternSet patterns(&getContext());
    populateCanonicalization(&getContext(), patterns);
    (void)applyPatternsGreedily(getOperation(), std::move(patterns));
  }
};

void CPUTileAndVectorizePass::tileContraction(RewriterBase &rewriter,
                                              linalg::LinalgOp op,
                                              const MatmulDims &dims) {
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  SmallVector<int64_t> sizes(op.getNumLoops(), 0);
  for (unsigned d : dims.outer)
    sizes[d] = 1;
  sizes[dims.m] = std::min<int64_t>(tileM, bounds[dims.m]);
  sizes[dims.n] = std::min<int64_t>(tileN, bounds[dims.n]);
  // Loop order: batch, N (the B panel of a column of tiles stays in cache
  // while all of A streams past it), M.
  SmallVector<int64_t> interchange(dims.outer.begin(), dims.outer.end());
  interchange.push_back(dims.n);
  interchange.push_back(dims.m);
  for (unsigned i = 0, e = op.getNumLoops(); i < e; ++i)
    if (!llvm::is_contained(interchange, i))
      interchange.push_back(i);
  op->setAttr(kMicroKernel, rewriter.getUnitAttr());
  FailureOr<scf::SCFTilingResult> tiled =
      tile(rewriter, op, sizes, interchange);
  if (failed(tiled)) {
    op->removeAttr(kMicroKernel);
    return;
  }
  peelLoops(rewriter, tiled->loops);
}

void CPUTileAndVectorizePass::tileRows(RewriterBase &rewriter,
                                       linalg::LinalgOp op) {
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  unsigned inner = op.getNumLoops() - 1;
  if (bounds[inner] < vectorWidth / 2)
    return;
  SmallVector<int64_t> sizes(op.getNumLoops(), 1);
  sizes[inner] = bounds[inner] > maxInnerTile ? maxInnerTile : 0;
  op->setAttr(kRowTile, rewriter.getUnitAttr());
  bool allOuterUnit = llvm::all_of(ArrayRef(bounds).drop_back(),
                                   [](int64_t b) { return b == 1; });
  if (allOuterUnit && sizes[inner] == 0)
    return;
  FailureOr<scf::SCFTilingResult> tiled = tile(rewriter, op, sizes);
  if (failed(tiled)) {
    op->removeAttr(kRowTile);
    return;
  }
  peelLoops(rewriter, tiled->loops);
}

void CPUTileAndVectorizePass::runOnOperation() {
  func::FuncOp func = getOperation();
  MLIRContext *ctx = &getContext();
  IRRewriter rewriter(ctx);

  // Convolutions -> im2col + matmul-like generic.
  SmallVector<linalg::Conv2DNchwFchwOp> convs;
  func.walk([&](linalg::Conv2DNchwFchwOp conv) { convs.push_back(conv); });
  for (linalg::Conv2DNchwFchwOp conv : convs) {
    if (!hasStaticF32Tensors(conv))
      continue;
    rewriter.setInsertionPoint(conv);
    (void)linalg::rewriteInIm2Col(rewriter, conv);
  }

  // First level: register tiles of contractions, rows of elementwise ops.
  SmallVector<linalg::LinalgOp> ops;
  func.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
  for (linalg::LinalgOp op : ops) {
    if (std::optional<MatmulDims> dims = getMatmulDims(op))
      tileContraction(rewriter, op, *dims);
    else if (isRowVectorizable(op))
      tileRows(rewriter, op);
  }
  canonicalize();

  // Second level: K steps of the register tiles; then vectorize.
  SmallVector<linalg::LinalgOp> microKernels, rows;
  func.walk([&](linalg::LinalgOp op) {
    if (op->hasAttr(kMicroKernel))
      microKernels.push_back(op);
    else if (op->hasAttr(kRowTile))
      rows.push_back(op);
  });
  SmallVector<Operation *> toVectorize;
  for (linalg::LinalgOp op : microKernels) {
    op->removeAttr(kMicroKernel);
    std::optional<MatmulDims> dims = getMatmulDims(op);
    if (!dims)
      continue;
    SmallVector<int64_t> bounds = op.getStaticLoopRanges();
    if (bounds[dims->k] <= tileK) {
      toVectorize.push_back(op);
      continue;
    }
    SmallVector<int64_t> sizes(op.getNumLoops(), 0);
    sizes[dims->k] = tileK;
    FailureOr<scf::SCFTilingResult> tiled = tile(rewriter, op, sizes);
    if (failed(tiled))
      continue;
    toVectorize.push_back(tiled->tiledOps.front());
    auto kLoop = cast<scf::ForOp>(tiled->loops.front().getOperation());
    scf::ForOp partial;
    if (succeeded(
            scf::peelForLoopAndSimplifyBounds(rewriter, kLoop, partial))) {
      partial.walk([&](linalg::LinalgOp tail) { toVectorize.push_back(tail); });
    }
  }
  for (linalg::LinalgOp op : rows) {
    op->removeAttr(kRowTile);
    toVectorize.push_back(op);
  }
  canonicalize();

  for (Operation *op : toVectorize) {
    // Peeled tails may have been folded away by canonicalization.
    bool alive = false;
    func.walk([&](Operation *nested) {
      if (nested == op)
        alive = true;
    });
    if (!alive)
      continue;
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
        linalgOp.hasDynamicShape())
      continue;
    if (failed(linalg::vectorizeOpPrecondition(op)))
      continue;
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::VectorizationResult> result =
        linalg::vectorize(rewriter, op);
    if (succeeded(result))
      rewriter.replaceOp(op, result->replacements);
  }

  {
    RewritePatternSet patterns(ctx);
    populateCanonicalization(ctx, patterns);
    vector::populateVectorReductionToContractPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateSinkVectorOpsPatterns(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    (void)applyPatternsGreedily(func, std::move(patterns));
  }

  // Keep accumulators in registers across the K loop.
  // Innermost loops first (post-order); hoisting replaces only the loop
  // it is given.
  SmallVector<scf::ForOp> loops;
  func.walk([&](scf::ForOp loop) { loops.push_back(loop); });
  for (scf::ForOp loop : loops)
    (void)hoistLoopInvariantSubsets(
        rewriter, cast<LoopLikeOpInterface>(loop.getOperation()));
}

struct CPULowerVectorsPass
    : hcc::impl::CPULowerVectorsBase<CPULowerVectorsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    linalg::hoistRedundantVectorTransfers(func);

    {
      RewritePatternSet patterns(ctx);
      vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
      vector::populateVectorTransferDropUnitDimsPatterns(patterns);
      vector::populateVectorReductionToContractPatterns(patterns);
      vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
      populateCanonicalization(ctx, patterns);
      (void)applyPatternsGreedily(func, std::move(patterns));
    }
    {
      RewritePatternSet patterns(ctx);
      vector::populateVectorContractLoweringPatterns(
          patterns, vector::VectorContractLowering::OuterProduct);
      vector::populateVectorOuterProductLoweringPatterns(patterns);
      vector::populateVectorTransposeLoweringPatterns(
          patterns, vector::VectorTransposeLowering::EltWise);
      vector::populateVectorMultiReductionLoweringPatterns(
          patterns, vector::VectorMultiReductionLowering::InnerParallel);
      vector::populateVectorBroadcastLoweringPatterns(patterns);
      vector::populateVectorShapeCastLoweringPatterns(patterns);
      vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
      vector::populateVectorTransferLoweringPatterns(patterns,
                                                     /*maxTransferRank=*/1);
      vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
      (void)applyPatternsGreedily(func, std::move(patterns));
    }
  }
};
} // namespace
