//===- VectorizeTiles.cpp - the tiles' vectorization and clean-up ---------===//
//
// A helper of hcc-cpu-tile-and-vectorize: its last stage. The tiles the
// pass marked are vectorized with linalg::vectorize, the transfers folded,
// register tiles' wide vector ops split (splitWideTileVectors), the
// accumulators hoisted out of their K loops so that they stay in
// registers, and short loops that carry vectors (window taps, K
// remainders) unrolled.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

using namespace mlir;

namespace hcc::cpu {

namespace {
/// Vector-accumulating loops up to this trip count and body size are
/// unrolled (3x3 kernel taps, short K remainders).
constexpr int64_t kMaxUnrolledTrips = 7;
constexpr size_t kMaxUnrolledBody = 48;
} // namespace

void populateCanonicalization(MLIRContext *ctx, RewritePatternSet &patterns) {
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
}

void populateVectorizeCleanup(MLIRContext *ctx, RewritePatternSet &patterns) {
  populateCanonicalization(ctx, patterns);
  vector::populateVectorReductionToContractPatterns(patterns);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  vector::populateSinkVectorOpsPatterns(patterns);
  tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
}

void vectorizeMarkedTiles(RewriterBase &rewriter, func::FuncOp func,
                          llvm::StringRef mark, int64_t vectorWidth,
                          const FrozenRewritePatternSet &cleanup) {
  MLIRContext *ctx = func.getContext();
  SmallVector<linalg::LinalgOp> marked;
  func.walk([&](linalg::LinalgOp op) {
    if (op->hasAttr(mark))
      marked.push_back(op);
  });
  for (linalg::LinalgOp op : marked) {
    op->removeAttr(mark);
    if (!op.hasPureTensorSemantics() || op.hasDynamicShape())
      continue;
    if (failed(linalg::vectorizeOpPrecondition(op)))
      continue;
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::VectorizationResult> result =
        linalg::vectorize(rewriter, op);
    if (succeeded(result))
      rewriter.replaceOp(op, result->replacements);
  }

  (void)applyPatternsGreedily(func, cleanup);

  splitWideTileVectors(func, vectorWidth);

  // Keep accumulators in registers across the K loop.
  // Innermost loops first (post-order); hoisting replaces only the loop
  // it is given.
  SmallVector<scf::ForOp> loops;
  func.walk([&](scf::ForOp loop) { loops.push_back(loop); });
  for (scf::ForOp loop : loops)
    (void)hoistLoopInvariantSubsets(
        rewriter, cast<LoopLikeOpInterface>(loop.getOperation()));
  // The hoisted accumulator reads of fused tiles read what the previous op
  // of the tile wrote.
  RewritePatternSet forwarding(ctx);
  populateForwardWholeTileWritePatterns(forwarding);
  (void)applyPatternsGreedily(func, std::move(forwarding));

  // Short loops that carry vector accumulators (the kernel taps of
  // depthwise rows) are unrolled: LLVM scalarizes wide vector phis.
  SmallVector<scf::ForOp> accumulations;
  func.walk([&](scf::ForOp loop) {
    std::optional<APInt> trips = loop.getStaticTripCount();
    bool carriesVector =
        llvm::any_of(loop.getRegionIterArgs(), [](BlockArgument arg) {
          return isa<VectorType>(arg.getType());
        });
    if (trips && trips->getSExtValue() <= kMaxUnrolledTrips && carriesVector &&
        loop.getBody()->getOperations().size() <= kMaxUnrolledBody)
      accumulations.push_back(loop);
  });
  for (scf::ForOp loop : accumulations)
    (void)loopUnrollFull(loop);
}

} // namespace hcc::cpu
