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
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
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
             !hcc::cpu::isDot4Contraction(fused->getOwner());
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
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace
