//===- KernelSpaces.cpp - Kernels' search spaces for a tuning log ---------===//

#include "hcc/Driver/KernelSpaces.h"

#include "dialects/Exec/IR/ExecDialect.h"
#include "dialects/Graph/IR/GraphOps.h"
#include "hcc/Partition/Clusters.h"
#include "hcc/Tuning/Workload.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace hcc {

SmallVector<Operation *> kernelGraphOps(func::FuncOp kernel) {
  SmallVector<Operation *> ops;
  for (Operation &op : kernel.getBody().front())
    if (isa<graph::GraphDialect>(op.getDialect()) &&
        !isa<graph::ConstantOp, graph::NoneOp>(op))
      ops.push_back(&op);
  return ops;
}

std::string outsideSearchSpace(const SearchSpace &space,
                               llvm::ArrayRef<KnobSpec> specs,
                               const std::map<std::string, int64_t> &config) {
  if (space.empty())
    return "nothing about this workload is tuned";
  // The defaults (a tuner's first trial) always compile, whether or not
  // the space lists them.
  bool defaults = llvm::all_of(config, [&](const auto &entry) {
    const KnobSpec *spec = llvm::find_if(
        specs, [&](const KnobSpec &s) { return s.name == entry.first; });
    return spec != specs.end() && spec->defaultValue == entry.second;
  });
  if (defaults && llvm::all_of(space.knobs, [&](const KnobChoices &k) {
        return config.count(k.name);
      }))
    return "";
  for (const auto &entry : config) {
    const std::string &name = entry.first;
    if (llvm::none_of(space.knobs,
                      [&](const KnobChoices &k) { return k.name == name; }))
      return "knob '" + name + "' is not tuned for this workload";
  }
  SmallVector<int64_t> point;
  for (const KnobChoices &k : space.knobs) {
    auto it = config.find(k.name);
    if (it == config.end())
      continue;
    if (!llvm::is_contained(k.values, it->second))
      return "knob '" + k.name + "' = " + std::to_string(it->second) +
             " is not one of its values for this workload (" +
             llvm::join(
                 llvm::map_range(k.values,
                                 [](int64_t v) { return std::to_string(v); }),
                 ", ") +
             ")";
    point.push_back(it->second);
  }
  // A record of some of the knobs (hcc-tune --knobs) leaves the others at
  // the kernel's values: only a whole point is checked against the
  // constraint.
  if (point.size() == space.knobs.size() && !space.accepts(point))
    return "the configuration breaks this workload's constraints";
  return "";
}

std::vector<tuning::TuningRecord>
recordsInSearchSpaces(ModuleOp module,
                      const std::vector<tuning::TuningRecord> &records,
                      std::vector<std::string> &warnings) {
  // Workload -> its search space (from its first kernel) and its target's
  // knobs.
  std::map<std::string, std::pair<SearchSpace, llvm::ArrayRef<KnobSpec>>>
      spaces;
  for (tuning::KernelWorkload &kw : tuning::collectKernelWorkloads(module)) {
    if (spaces.count(kw.workload.key))
      continue;
    const Target *target = TargetRegistry::global().lookup(kw.workload.target);
    DictionaryAttr config;
    if (auto attr = exec::getTarget(kw.kernel->getParentOp()))
      config = attr.getConfig();
    if (target)
      spaces[kw.workload.key] = {
          target->searchSpace(kernelFeatures(kernelGraphOps(kw.kernel)),
                              config),
          target->knobs()};
    else
      spaces[kw.workload.key] = {};
  }
  std::vector<tuning::TuningRecord> kept;
  for (const tuning::TuningRecord &r : records) {
    auto it = spaces.find(r.workload);
    if (it != spaces.end()) {
      std::string why =
          outsideSearchSpace(it->second.first, it->second.second, r.config);
      if (!why.empty()) {
        warnings.push_back(r.origin + ": skipped: " + why);
        continue;
      }
    }
    kept.push_back(r);
  }
  return kept;
}

} // namespace hcc
