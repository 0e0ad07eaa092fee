//===- FuseElementwise.cpp - elementwise fusion that keeps GEMMs named ----===//
//
// Upstream's elementwise fusion and reshape propagation, with a control
// function that leaves contractions and convolutions alone so that the
// tiler still sees them as named ops (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"
#include "hcc/Target/CPU/CPUTarget.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hcc {
#define GEN_PASS_DEF_CPUFUSEELEMENTWISE
#include "hcc/Target/CPU/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {

/// A contraction or convolution: the tiler's GEMM and conv paths need it
/// as the named op it is.
bool isNamedContraction(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  if (!linalgOp || isa<linalg::GenericOp>(op))
    return false;
  return linalg::isaContractionOpInterface(linalgOp) ||
         linalg::isaConvolutionOpInterface(linalgOp);
}

/// Whether `op`'s body computes anything costly per element (a math
/// function or a division).
bool hasCostlyBody(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic)
    return false;
  bool costly = false;
  generic.getBody()->walk([&](Operation *inner) {
    if (isa<math::MathDialect>(inner->getDialect()) ||
        isa<arith::DivFOp>(inner))
      costly = true;
  });
  return costly;
}

/// Fusing a producer into a consumer that broadcasts it recomputes the
/// producer once per consumer element: a squeeze-and-excite gate's sigmoid
/// of C values became C x H x W exponentials. Cheap producers (a bias add)
/// are still fused.
bool recomputesCostlyProducer(OpOperand *fused) {
  auto consumer = dyn_cast<linalg::GenericOp>(fused->getOwner());
  if (!consumer || !hasCostlyBody(fused->get().getDefiningOp()))
    return false;
  AffineMap map = consumer.getMatchingIndexingMap(fused);
  return !map.isPermutation();
}

/// Ops of a fused body past which fusion stops: each fusion clones both
/// bodies, so a chain of N elementwise ops fused into one would clone
/// O(N^2) ops (a 10,000-op chain took 40 s); in blocks of this size it
/// clones O(N) and each block still keeps its values in registers.
constexpr int64_t kMaxFusedBodyOps = 256;

int64_t bodyOps(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp
             ? static_cast<int64_t>(linalgOp.getBlock()->getOperations().size())
             : 0;
}

bool fusedBodyTooLarge(Operation *producer, Operation *consumer) {
  return bodyOps(producer) + bodyOps(consumer) > kMaxFusedBodyOps;
}

struct CPUFuseElementwisePass
    : hcc::impl::CPUFuseElementwiseBase<CPUFuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    // The int8 dot-product contraction keeps its packed operands and its
    // [N, M, P] shape (its micro-kernel reads 4-byte quads).
    linalg::ControlFusionFn fuseOneUse = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse() &&
             !hcc::cpu::isDot4Contraction(fused->getOwner()) &&
             !recomputesCostlyProducer(fused) &&
             !fusedBodyTooLarge(producer, fused->getOwner());
    };
    linalg::ControlFusionFn reshapeControl = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      if (!producer || !producer->hasOneUse())
        return false;
      return !isNamedContraction(producer) &&
             !isNamedContraction(fused->getOwner()) &&
             !hcc::cpu::isDot4Contraction(producer) &&
             !hcc::cpu::isDot4Contraction(fused->getOwner());
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, fuseOneUse);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, reshapeControl);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(
        patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, fuseOneUse);
    // Pow with a constant exponent the fusion inlined (LayerNorm's x^2,
    // x^0.5, 1/x) becomes multiplies, sqrt or a division, so that the
    // tiling rules no longer treat the op as transcendental
    // (hasTranscendentals counts powf: shorter rows, costly epilogues).
    // LLVM folded pow(x, 2) late anyway, so no speed change was measured.
    populateMathAlgebraicSimplificationPatterns(patterns);
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace
