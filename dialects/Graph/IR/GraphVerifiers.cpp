//===- GraphVerifiers.cpp - verifiers of graph ops ------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;
using namespace hcc::graph;

/// A subgraph region ends in graph.yield with `expected` values.
static LogicalResult verifySubgraph(Operation *op, Region &region,
                                    StringRef name, unsigned expected) {
  if (region.empty())
    return op->emitOpError() << "subgraph '" << name << "' is empty";
  auto yield = dyn_cast<YieldOp>(region.front().getTerminator());
  if (!yield)
    return op->emitOpError()
           << "subgraph '" << name << "' must end in graph.yield";
  if (yield.getNumOperands() != expected)
    return op->emitOpError()
           << "subgraph '" << name << "' yields " << yield.getNumOperands()
           << " values but " << expected << " are expected";
  return success();
}

LogicalResult IfOp::verify() {
  auto cond = dyn_cast<RankedTensorType>(getCond().getType());
  if (cond && cond.getNumElements() != 1)
    return emitOpError() << "condition must hold a single element, got "
                         << cond;
  if (failed(verifySubgraph(*this, getThenBranch(), "then_branch",
                            getNumResults())) ||
      failed(verifySubgraph(*this, getElseBranch(), "else_branch",
                            getNumResults())))
    return failure();
  if (getThenBranch().front().getNumArguments() ||
      getElseBranch().front().getNumArguments())
    return emitOpError() << "If branches take no inputs";
  return success();
}

LogicalResult LoopOp::verify() {
  Block &body = getBody().front();
  unsigned numCarried = getVInitial().size();
  if (body.getNumArguments() != numCarried + 2)
    return emitOpError() << "body takes " << body.getNumArguments()
                         << " inputs but Loop passes " << numCarried + 2
                         << " (iteration number, condition and " << numCarried
                         << " loop-carried values)";
  if (getNumResults() < numCarried)
    return emitOpError() << "has " << getNumResults()
                         << " outputs, fewer than its " << numCarried
                         << " loop-carried values";
  return verifySubgraph(*this, getBody(), "body", 1 + getNumResults());
}

LogicalResult ScanOp::verify() {
  int64_t numScanInputs = getNumScanInputs();
  if (numScanInputs < 0 ||
      numScanInputs >
          static_cast<int64_t>(getInitialStateAndScanInputs().size()))
    return emitOpError() << "num_scan_inputs " << numScanInputs
                         << " is out of range";
  unsigned numState = getInitialStateAndScanInputs().size() - numScanInputs;
  Block &body = getBody().front();
  if (body.getNumArguments() != getInitialStateAndScanInputs().size())
    return emitOpError() << "body takes " << body.getNumArguments()
                         << " inputs but Scan passes "
                         << getInitialStateAndScanInputs().size();
  if (getNumResults() < numState)
    return emitOpError() << "has fewer outputs than state variables";
  return verifySubgraph(*this, getBody(), "body", getNumResults());
}

LogicalResult SequenceMapOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != 1 + getAdditionalInputs().size())
    return emitOpError() << "body takes " << body.getNumArguments()
                         << " inputs but SequenceMap passes "
                         << 1 + getAdditionalInputs().size();
  return verifySubgraph(*this, getBody(), "body", getNumResults());
}
