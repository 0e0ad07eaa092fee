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

LogicalResult hcc::graph::inferShapes(Operation *root) {
  // Post-order: a subgraph's ops are refined before the op owning it.
  WalkResult result = root->walk([](Operation *op) {
    if (auto iface = dyn_cast<ShapeInferenceOpInterface>(op))
      if (failed(refineResultTypes(iface)))
        return WalkResult::interrupt();
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
  void runOnOperation() override {
    if (failed(inferShapes(getOperation())))
      signalPassFailure();
  }
};
} // namespace
