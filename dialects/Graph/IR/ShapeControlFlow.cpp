//===- ShapeControlFlow.cpp - shapes of If and Loop -----------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;
using namespace hcc::graph;

/// The least precise type both `a` and `b` fit: the join of two branches.
static Type joinTypes(Type a, Type b) {
  if (a == b)
    return a;
  auto ta = dyn_cast<TensorType>(a), tb = dyn_cast<TensorType>(b);
  if (!ta || !tb || ta.getElementType() != tb.getElementType())
    return {};
  if (!ta.hasRank() || !tb.hasRank() || ta.getRank() != tb.getRank())
    return UnrankedTensorType::get(ta.getElementType());
  SmallVector<int64_t> dims;
  for (auto [x, y] : llvm::zip(ta.getShape(), tb.getShape()))
    dims.push_back(x == y ? x : ShapedType::kDynamic);
  return RankedTensorType::get(dims, ta.getElementType());
}

LogicalResult IfOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  auto thenYield = cast<YieldOp>(getThenBranch().front().getTerminator());
  auto elseYield = cast<YieldOp>(getElseBranch().front().getTerminator());
  for (unsigned i = 0, e = getNumResults(); i < e; ++i) {
    Type joined = joinTypes(thenYield.getOperand(i).getType(),
                            elseYield.getOperand(i).getType());
    types[i] = joined;
  }
  return success();
}

LogicalResult LoopOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  // Loop-carried values keep their initial type when the body yields the
  // same type; scan outputs gain a leading dimension of the trip count.
  Block &body = getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  unsigned numCarried = getVInitial().size();
  for (unsigned i = 0, e = getNumResults(); i < e; ++i) {
    Type yielded = yield.getOperand(i + 1).getType();
    if (i < numCarried) {
      Type joined = joinTypes(getVInitial()[i].getType(), yielded);
      types[i] = joined;
      continue;
    }
    auto t = dyn_cast<RankedTensorType>(yielded);
    if (!t)
      continue;
    SmallVector<int64_t> dims{ShapedType::kDynamic};
    llvm::append_range(dims, t.getShape());
    types[i] = RankedTensorType::get(dims, t.getElementType());
  }
  return success();
}
