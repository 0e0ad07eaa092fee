//===- ShapeControlFlow.cpp - shapes of If, Loop and Scan -----------------===//

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
  // Called on imported ops before they are verified.
  if (thenYield.getNumOperands() != getNumResults() ||
      elseYield.getNumOperands() != getNumResults())
    return emitOpError() << "then_branch yields " << thenYield.getNumOperands()
                         << " values and else_branch "
                         << elseYield.getNumOperands() << ", but the If has "
                         << getNumResults() << " outputs";
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
  if (yield.getNumOperands() != getNumResults() + 1)
    return emitOpError() << "the body yields " << yield.getNumOperands()
                         << " values, expected the condition and "
                         << getNumResults() << " outputs";
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

LogicalResult ScanOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  // Final states keep their initial type when the body yields the same
  // type; scan outputs gain the scanned length at scan_output_axes (0 by
  // default), taken from the first scan input's scanned axis.
  Block &body = getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  ValueRange operands = getInitialStateAndScanInputs();
  int64_t scanInputs = getNumScanInputs();
  int64_t states = int64_t(operands.size()) - scanInputs;
  if (states < 0 || scanInputs < 1)
    return emitOpError() << "num_scan_inputs " << scanInputs
                         << " must be in [1, " << operands.size() << "]";
  if (body.getNumArguments() != operands.size() ||
      yield.getNumOperands() != getNumResults())
    return emitOpError() << "the body takes " << body.getNumArguments()
                         << " inputs and yields " << yield.getNumOperands()
                         << " values; the Scan has " << operands.size()
                         << " inputs and " << getNumResults() << " outputs";
  // Scan-8's batched form: every operand has a leading batch axis the body
  // does not see (scan inputs [B, T, ...], states [B, ...]).
  auto firstIn = dyn_cast<RankedTensorType>(operands[states].getType());
  auto firstArg =
      dyn_cast<RankedTensorType>(body.getArgument(states).getType());
  if (!getScanInputAxesAttr() && !getScanOutputAxesAttr() && firstIn &&
      firstArg && firstIn.getRank() == firstArg.getRank() + 2) {
    for (unsigned i = 0, e = getNumResults(); i < e; ++i) {
      if (int64_t(i) < states) {
        types[i] = operands[i].getType();
        continue;
      }
      auto t = dyn_cast<RankedTensorType>(yield.getOperand(i).getType());
      if (!t)
        continue;
      SmallVector<int64_t> dims = {firstIn.getDimSize(0),
                                   firstIn.getDimSize(1)};
      llvm::append_range(dims, t.getShape());
      types[i] = RankedTensorType::get(dims, t.getElementType());
    }
    return success();
  }
  int64_t length = ShapedType::kDynamic;
  if (auto first = firstIn) {
    SmallVector<int64_t> inAxes = getI64s(getScanInputAxesAttr());
    int64_t axis = inAxes.empty() ? 0 : inAxes[0];
    if (axis < 0)
      axis += first.getRank();
    if (axis >= 0 && axis < first.getRank())
      length = first.getDimSize(axis);
  }
  SmallVector<int64_t> outAxes = getI64s(getScanOutputAxesAttr());
  for (unsigned i = 0, e = getNumResults(); i < e && i < yield.getNumOperands();
       ++i) {
    Type yielded = yield.getOperand(i).getType();
    if (int64_t(i) < states) {
      types[i] = joinTypes(operands[i].getType(), yielded);
      continue;
    }
    auto t = dyn_cast<RankedTensorType>(yielded);
    if (!t)
      continue;
    int64_t k = i - states;
    int64_t axis = k < int64_t(outAxes.size()) ? outAxes[k] : 0;
    if (axis < 0)
      axis += t.getRank() + 1;
    if (axis < 0 || axis > t.getRank())
      return emitOpError() << "scan_output_axes entry " << outAxes[k]
                           << " is out of range for rank " << t.getRank() + 1;
    SmallVector<int64_t> dims(t.getShape());
    dims.insert(dims.begin() + axis, length);
    types[i] = RankedTensorType::get(dims, t.getElementType());
  }
  return success();
}
