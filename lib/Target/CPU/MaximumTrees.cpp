//===- MaximumTrees.cpp - maxima of many vectors as hardware maxima ------===//
//
// A helper of hcc-cpu-lower-vectors. arith.maximumf propagates NaN and
// orders -0 below +0; x86 has no instruction for that (vmaxps returns its
// second operand when either is NaN and for equal zeros), so LLVM lowers
// every maximumf to 4-6 instructions. A max pool's window (and a ReduceMax
// row, a variadic Max) is a tree of maximumf over many vectors: it becomes
// a chain of compare-selects that LLVM matches to one vmaxps each, and one
// NaN check for the whole tree (an ordered-compare of the leaves two at a
// time, the masks and-ed, which AVX-512 folds into masked compares):
//
//   r = l0;  r = l_i > r ? l_i : r  (i = 1 .. n-1)
//   result = ord(l0, l1) & ord(l2, l3) & ... ? r : NaN
//
// Exact for every input but a tie between -0 and +0, where either may
// result (as in ONNX Runtime's and NumPy's maxima).
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>

using namespace mlir;

namespace {
/// Trees of at least this many leaves are rewritten (a single maximumf,
/// such as a ReLU's, keeps LLVM's exact lowering).
constexpr size_t kMinLeaves = 3;

/// The leaves of the maximumf tree rooted at `op`, left to right: operands
/// that are not maximumf ops used only by the tree.
void collectLeaves(arith::MaximumFOp op, SmallVectorImpl<Value> &leaves) {
  for (Value operand : op->getOperands()) {
    auto inner = operand.getDefiningOp<arith::MaximumFOp>();
    if (inner && inner->hasOneUse() && inner.getType() == op.getType())
      collectLeaves(inner, leaves);
    else
      leaves.push_back(operand);
  }
}

struct MaximumTreeToSelects : OpRewritePattern<arith::MaximumFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::MaximumFOp root,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<VectorType>(root.getType());
    if (!type || type.isScalable() || !type.getElementType().isF32())
      return failure();
    // Only the root of a tree: a maximumf used once by another is a part.
    if (root->hasOneUse())
      if (auto user = dyn_cast<arith::MaximumFOp>(*root->user_begin()))
        if (user.getType() == type)
          return failure();
    SmallVector<Value> leaves;
    collectLeaves(root, leaves);
    if (leaves.size() < kMinLeaves)
      return failure();
    Location loc = root.getLoc();
    Value max = leaves.front();
    for (Value leaf : ArrayRef<Value>(leaves).drop_front()) {
      Value greater = arith::CmpFOp::create(
          rewriter, loc, arith::CmpFPredicate::OGT, leaf, max);
      max = arith::SelectOp::create(rewriter, loc, greater, leaf, max);
    }
    Value ordered;
    for (size_t i = 0; i < leaves.size(); i += 2) {
      Value other = leaves[std::min(i + 1, leaves.size() - 1)];
      Value pair = arith::CmpFOp::create(
          rewriter, loc, arith::CmpFPredicate::ORD, leaves[i], other);
      ordered =
          ordered ? arith::AndIOp::create(rewriter, loc, ordered, pair) : pair;
    }
    Value nan = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            type,
            rewriter.getF32FloatAttr(std::numeric_limits<float>::quiet_NaN())
                .getValue()));
    rewriter.replaceOpWithNewOp<arith::SelectOp>(root, ordered, max, nan);
    return success();
  }
};
} // namespace

void hcc::cpu::populateMaximumTreePatterns(RewritePatternSet &patterns) {
  patterns.add<MaximumTreeToSelects>(patterns.getContext());
}
