//===- InferShapes.cpp - the hcc-infer-shapes pass ------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace hcc::graph {
#define GEN_PASS_DEF_GRAPHINFERSHAPES
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace hcc::graph

using namespace mlir;
using namespace hcc::graph;

LogicalResult hcc::graph::refineResultTypes(ShapeInferenceOpInterface op) {
  SmallVector<Type> types(op->getNumResults());
  if (failed(op.inferResultTypes(types)))
    return failure();
  for (auto [i, type] : llvm::enumerate(types))
    if (type && failed(refineResult(op, i, type)))
      return failure();
  return success();
}

bool hcc::graph::foldToValues(Operation *op,
                              SmallVectorImpl<Value> &replacements) {
  if (op->getNumRegions() || isa<ConstantOp, NoneOp>(op) ||
      !isa<GraphDialect>(op->getDialect()))
    return false;
  SmallVector<OpFoldResult> folded;
  if (failed(op->fold(folded)) || folded.size() != op->getNumResults())
    return false;
  // Check everything before creating constants: all or nothing.
  for (auto [result, f] : llvm::zip(op->getResults(), folded)) {
    if (auto v = dyn_cast<Value>(f)) {
      if (v.getType() != result.getType())
        return false;
    } else if (!isa<ElementsAttr>(cast<Attribute>(f))) {
      return false;
    }
  }
  OpBuilder b(op);
  replacements.clear();
  for (OpFoldResult f : folded) {
    if (auto v = dyn_cast<Value>(f)) {
      replacements.push_back(v);
      continue;
    }
    auto value = cast<ElementsAttr>(cast<Attribute>(f));
    OperationState state(op->getLoc(), ConstantOp::getOperationName());
    state.addTypes(value.getType());
    state.addAttribute("value", value);
    replacements.push_back(b.create(state)->getResult(0));
  }
  return true;
}

LogicalResult hcc::graph::inferShapes(Operation *root, bool foldConstants) {
  // Post-order: a subgraph's ops are refined before the op owning it; an op
  // that folds is replaced right away so its users see the value.
  WalkResult result = root->walk([&](Operation *op) {
    if (auto iface = dyn_cast<ShapeInferenceOpInterface>(op))
      if (failed(refineResultTypes(iface)))
        return WalkResult::interrupt();
    SmallVector<Value> replacements;
    if (foldConstants && foldToValues(op, replacements)) {
      // A folded constant may drop a #graph.dims encoding; keep users'
      // types consistent by only replacing when the types agree.
      bool same = llvm::all_of(
          llvm::zip(op->getResults(), replacements), [](auto pair) {
            return std::get<0>(pair).getType() == std::get<1>(pair).getType();
          });
      if (same) {
        op->replaceAllUsesWith(replacements);
        op->erase();
      } else {
        for (Value v : replacements)
          if (v.use_empty() && v.getDefiningOp<ConstantOp>())
            v.getDefiningOp()->erase();
      }
    }
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    return failure();
  root->walk([](func::FuncOp func) {
    if (func.isExternal())
      return;
    auto ret = dyn_cast<func::ReturnOp>(func.getBody().back().getTerminator());
    if (!ret)
      return;
    func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                   ret.getOperandTypes()));
  });
  return success();
}

namespace {
struct GraphInferShapesPass
    : public hcc::graph::impl::GraphInferShapesBase<GraphInferShapesPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(inferShapes(getOperation(), foldConstants)))
      signalPassFailure();
  }
};
} // namespace
