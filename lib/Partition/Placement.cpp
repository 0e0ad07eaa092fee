//===- Placement.cpp - assign graph ops to targets ------------------------===//
//
// Every graph op of a host function gets an `exec.target`. Ops placed
// earlier (by a user or a previous run) keep theirs, so a placement can be
// overridden in the IR and re-run with hcc-opt.
//
//===----------------------------------------------------------------------===//

#include "hcc/Partition/Passes.h"

#include "dialects/Graph/IR/GraphOps.h"

namespace hcc {
#define GEN_PASS_DEF_PLACE
#include "hcc/Partition/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using namespace hcc;

namespace {
struct PlacePass : hcc::impl::PlaceBase<PlacePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<exec::Target> target = exec::symbolizeTarget(defaultTarget);
    if (!target) {
      module.emitError() << "unknown target '" << defaultTarget
                         << "' (expected cpu, cuda, opencl or fpga)";
      return signalPassFailure();
    }
    auto attr = exec::TargetAttr::get(&getContext(), *target);
    for (auto func : module.getOps<func::FuncOp>())
      for (Operation &op : func.getOps())
        if (isa<graph::GraphDialect>(op.getDialect()) &&
            !isa<graph::ConstantOp, graph::NoneOp>(op) &&
            !op.hasAttr(exec::kTargetAttrName))
          op.setAttr(exec::kTargetAttrName, attr);
  }
};
} // namespace
