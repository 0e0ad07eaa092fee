//===- Placement.cpp - assign graph ops to targets ------------------------===//
//
// Every graph op of a host function gets an `exec.target`: the one it
// already has (user IR, an earlier run), else a placement-file rule, else
// the strategy. Each choice passes the target's capability query; what a
// target cannot run falls back to the first listed target that can, unless
// the user forced it there.
//
//===----------------------------------------------------------------------===//

#include "AutoPlacement.h"
#include "PlacementRules.h"

#include "hcc/Partition/Passes.h"
#include "hcc/Target/Target.h"

#include "dialects/Graph/IR/GraphOps.h"

namespace hcc {
#define GEN_PASS_DEF_PLACE
#include "hcc/Partition/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using namespace hcc;

namespace {

std::string describeNode(Operation *op) {
  std::string node = graph::getNodeName(op);
  std::string type = op->getName().stripDialect().str();
  return node.empty() ? type + " op" : "node '" + node + "' (" + type + ")";
}

struct PlacePass : hcc::impl::PlaceBase<PlacePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    std::vector<const Target *> list;
    for (const std::string &name : targets) {
      const Target *t = lookupTarget(name, module.getLoc());
      if (!t)
        return signalPassFailure();
      list.push_back(t);
    }
    if (list.empty()) {
      const Target *host = TargetRegistry::global().host();
      if (!host) {
        module.emitError() << "no target is registered";
        return signalPassFailure();
      }
      list.push_back(host);
    }
    if (strategy != "default" && strategy != "alternate" &&
        strategy != "auto") {
      module.emitError() << "unknown placement strategy '" << strategy
                         << "' (expected default, alternate or auto)";
      return signalPassFailure();
    }
    std::vector<PlacementRule> rules;
    if (!placementFile.empty() &&
        failed(readPlacementRules(placementFile, ctx, module.getLoc(), rules)))
      return signalPassFailure();

    unsigned next = 0;
    bool automatic = strategy == "auto" && list.size() > 1;
    for (auto func : module.getOps<func::FuncOp>()) {
      for (Operation &op : func.getOps()) {
        if (!isa<graph::GraphDialect>(op.getDialect()) ||
            isa<graph::ConstantOp, graph::NoneOp>(op))
          continue;
        // Automatic placement decides what neither the IR nor a rule does.
        if (automatic && !exec::getTarget(&op) && !matchRule(rules, &op))
          continue;
        if (failed(place(&op, list, rules, next)))
          return signalPassFailure();
      }
      AutoPlacementOptions options;
      options.costModel = costModel;
      options.objective = objective;
      options.threads = threads;
      options.minGain = minGain;
      if (automatic && !func.isExternal() &&
          failed(placeAutomatically(func, list, options)))
        return signalPassFailure();
    }
    for (const PlacementRule &rule : rules)
      if (!rule.node.empty() && !rule.used) {
        module.emitError() << "placement file '" << placementFile << "': rule "
                           << rule.index << ": no node matches '" << rule.node
                           << "'";
        return signalPassFailure();
      }
  }

  LogicalResult place(Operation *op, llvm::ArrayRef<const Target *> list,
                      std::vector<PlacementRule> &rules, unsigned &next) {
    std::string reason;
    if (auto given = exec::getTarget(op)) {
      const Target *t = lookupTarget(given.getName(), op->getLoc());
      if (!t || failed(verifyTargetConfig(
                    *t, given.getConfig(),
                    "target '" + given.getName().str() + "'", op->getLoc())))
        return failure();
      if (!t->supports(op, reason))
        return op->emitError()
               << describeNode(op) << " is placed on '" << t->name()
               << "', which cannot run it: " << reason;
      return success();
    }
    if (PlacementRule *rule = matchRule(rules, op)) {
      const Target *t = TargetRegistry::global().lookup(rule->target);
      if (!t->supports(op, reason))
        return op->emitError()
               << "placement file '" << placementFile << "': rule "
               << rule->index << " puts " << describeNode(op) << " on '"
               << t->name() << "', which cannot run it: " << reason;
      setTarget(op, t);
      return success();
    }
    const Target *chosen = list.front();
    if (strategy == "alternate")
      chosen = list[next++ % list.size()];
    if (chosen->supports(op, reason)) {
      setTarget(op, chosen);
      return success();
    }
    for (const Target *t : list) {
      std::string why;
      if (t != chosen && t->supports(op, why)) {
        op->emitRemark() << describeNode(op) << " runs on '" << t->name()
                         << "': '" << chosen->name()
                         << "' cannot run it: " << reason;
        setTarget(op, t);
        return success();
      }
    }
    return op->emitError() << "no target can run " << describeNode(op) << " ('"
                           << chosen->name() << "': " << reason << ")";
  }

  void setTarget(Operation *op, const Target *t) {
    op->setAttr(exec::kTargetAttrName,
                exec::TargetAttr::get(&getContext(), t->name()));
  }
};
} // namespace
