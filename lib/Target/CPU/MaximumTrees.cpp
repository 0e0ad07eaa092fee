//===- MaximumTrees.cpp - maxima of many vectors as hardware maxima ------===//
//
// A helper of hcc-cpu-lower-vectors. arith.maximumf propagates NaN and
// orders -0 below +0; x86 has no instruction for that (vmaxps returns its
// second operand when either is NaN and for equal zeros), so LLVM lowers
// every maximumf to 4-6 instructions. A max pool's window (and a ReduceMax
// row, a variadic Max) is a tree of maximumf over many vectors: it becomes
// the same tree of compare-selects, which LLVM matches to one vmaxps each,
// and one NaN check for the whole tree (an ordered-compare of the leaves
// two at a time, the masks and-ed, which AVX-512 folds into masked
// compares):
//
//   max(a, b) -> a > b ? a : b      (each node of the tree)
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

/// An operand of a tree's maximumf that is a part of the tree: a maximumf
/// of the same type used only there.
arith::MaximumFOp innerNode(Value operand, Type type) {
  auto inner = operand.getDefiningOp<arith::MaximumFOp>();
  return inner && inner->hasOneUse() && inner.getType() == type
             ? inner
             : arith::MaximumFOp();
}

/// The leaves of the maximumf tree rooted at `op`, left to right.
void collectLeaves(arith::MaximumFOp op, SmallVectorImpl<Value> &leaves) {
  for (Value operand : op->getOperands()) {
    if (arith::MaximumFOp inner = innerNode(operand, op.getType()))
      collectLeaves(inner, leaves);
    else
      leaves.push_back(operand);
  }
}

/// The tree rooted at `op` again, each maximumf a compare-select (the same
/// shape: a balanced reduction keeps its short dependence chains).
Value selectTree(PatternRewriter &rewriter, arith::MaximumFOp op) {
  SmallVector<Value, 2> sides;
  for (Value operand : op->getOperands()) {
    arith::MaximumFOp inner = innerNode(operand, op.getType());
    sides.push_back(inner ? selectTree(rewriter, inner) : operand);
  }
  Value greater = arith::CmpFOp::create(
      rewriter, op.getLoc(), arith::CmpFPredicate::OGT, sides[0], sides[1]);
  return arith::SelectOp::create(rewriter, op.getLoc(), greater, sides[0],
                                 sides[1]);
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
    rewriter.setInsertionPoint(root);
    Value max = selectTree(rewriter, root);
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
