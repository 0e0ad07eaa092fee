//===- FoldChannelScales.cpp - per-channel input scales into conv weights -===//
//
// A Conv whose input is scaled per input channel,
//
//   Conv(Mul(x, s), W)   with s broadcasting as [1, C, 1, ..., 1],
//
// computes sum_c W[m, c, k] * (s[c] * x[c, ...]) = Conv(x, W * s): the
// scale moves onto the weights, M x C x K elements instead of a pass that
// reads and writes the whole activation (C x H x W) only for the Conv to
// read it again. Squeeze-and-excitation blocks (EfficientNet, MobileNetV3,
// MnasNet) end this way: the excitation scales the block's features, which
// feed the 1x1 projection.
//
// Zero padding commutes with the scale (0 * s = 0), so pads are unchanged.
// The rewrite applies when the Conv has one group, the Mul feeds only the
// Conv and keeps x's shape, s is the same for every image (dimensions
// other than the channel are 1) and x has more elements than W (the
// excitation's own 1x1 convolutions on 1x1 maps keep their activation). A scale
// computed at run time is moved only onto 1x1 filters: a larger filter may be
// one a target transforms at compile time (Winograd), which a run-time weight
// would rule out; a constant scale folds into constant weights and always
// moves.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hcc::graph {
#define GEN_PASS_DEF_GRAPHFOLDCHANNELSCALES
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace hcc::graph

using namespace mlir;
using namespace hcc::graph;

namespace {

/// Whether `scale` broadcasts against a rank-`rank` NCHW-like tensor as one
/// value per channel (axis 1, `channels` of them) or one value in all.
bool isChannelScale(RankedTensorType scale, int64_t rank, int64_t channels) {
  if (!scale.hasStaticShape() || scale.getRank() > rank)
    return false;
  int64_t offset = rank - scale.getRank();
  for (auto [i, size] : llvm::enumerate(scale.getShape()))
    if (size != 1 && !(int64_t(i) + offset == 1 && size == channels))
      return false;
  return true;
}

struct ScaleIntoConvWeights : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp conv,
                                PatternRewriter &rewriter) const override {
    auto mul = conv.getX().getDefiningOp<MulOp>();
    auto wType = dyn_cast<RankedTensorType>(conv.getW().getType());
    auto xType = dyn_cast<RankedTensorType>(conv.getX().getType());
    if (!mul || !mul->hasOneUse() || conv.getGroup() != 1 || !wType || !xType ||
        !wType.hasStaticShape() || !xType.hasStaticShape() ||
        xType.getNumElements() <= wType.getNumElements() ||
        wType.getRank() < 3 || xType.getRank() != wType.getRank() ||
        !isa<FloatType>(wType.getElementType()))
      return failure();
    bool pointwise = llvm::all_of(wType.getShape().drop_front(2),
                                  [](int64_t size) { return size == 1; });
    for (auto operands : {std::pair(mul.getA(), mul.getB()),
                          std::pair(mul.getB(), mul.getA())}) {
      // Not a structured binding: lambdas capture those only from C++20.
      Value scale = operands.first, input = operands.second;
      auto scaleType = dyn_cast<RankedTensorType>(scale.getType());
      if (!scaleType || input.getType() != xType ||
          scaleType.getElementType() != wType.getElementType() ||
          !isChannelScale(scaleType, xType.getRank(), wType.getDimSize(1)))
        continue;
      if (!pointwise && !matchPattern(scale, m_Constant()))
        continue;
      // W * s: s lines up with W's input-channel axis as it did with x's.
      Value weights =
          MulOp::create(rewriter, mul.getLoc(), wType, conv.getW(), scale);
      rewriter.modifyOpInPlace(conv, [&] {
        conv.getXMutable().assign(input);
        conv.getWMutable().assign(weights);
      });
      rewriter.eraseOp(mul);
      return success();
    }
    return failure();
  }
};

struct GraphFoldChannelScalesPass
    : public hcc::graph::impl::GraphFoldChannelScalesBase<
          GraphFoldChannelScalesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ScaleIntoConvWeights>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
