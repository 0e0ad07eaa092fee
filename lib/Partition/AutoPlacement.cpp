//===- AutoPlacement.cpp - placement by predicted cost --------------------===//
//
// Clusters (the kernels outlining would form) become the nodes of a
// plan::Graph with a predicted time per target; the partitioner picks the
// assignment with the least predicted makespan (or period), and every op of
// a cluster gets its cluster's target.
//
//===----------------------------------------------------------------------===//

#include "AutoPlacement.h"

#include "hcc/CostModel/CostModel.h"
#include "hcc/Partition/Clusters.h"
#include "hcc/Partition/Passes.h"
#include "hcc/Planner/Partitioner.h"

#include "dialects/Exec/IR/ExecDialect.h"
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <cmath>
#include <thread>

using namespace mlir;

namespace hcc {
namespace {

std::string defaultCostModelPath() {
  if (std::optional<std::string> env =
          llvm::sys::Process::GetEnv("HCC_COST_MODEL"))
    return *env;
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  if (exe.empty())
    return "";
  llvm::SmallString<256> path(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(path, "..", "share", "hcc", "cost-model.json");
  return llvm::sys::fs::exists(path) ? std::string(path) : "";
}

/// The learned model of this process, loaded once per path.
const cost::CostModel *loadCostModel(const std::string &path,
                                     std::string &error) {
  // Never destroyed: XGBoost's own statics may be gone at exit, and a
  // booster freed after them crashes.
  static std::mutex mu;
  static auto *cache = new std::map<std::string, cost::CostModel *>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache->find(path);
  if (it != cache->end())
    return it->second;
  auto model = std::make_unique<cost::CostModel>();
  if (!model->load(path, error))
    return nullptr;
  return (*cache)[path] = model.release();
}

std::string describe(Operation *op) {
  std::string node = graph::getNodeName(op);
  std::string type = op->getName().stripDialect().str();
  return node.empty() ? type + " op" : "node '" + node + "' (" + type + ")";
}

/// The configuration hcc-compile gives `target` (--targets=NAME:VARIANT,
/// --target-config), kept on the module for placement; null when none.
DictionaryAttr configOf(func::FuncOp func, const Target &target) {
  return configuredTarget(func->getParentOfType<ModuleOp>(), target.name());
}

/// Seconds per cluster from the target's own model of its hardware: the
/// whole function is outlined onto the target in a scratch module, run
/// through the target's codegen, and each kernel's modelled time read back
/// (kernel k<i> is cluster i). Empty, with `why`, when that fails.
std::vector<double> modelledClusterSeconds(func::FuncOp func,
                                           const Target &target,
                                           DictionaryAttr config,
                                           size_t clusters, std::string &why) {
  MLIRContext *ctx = func.getContext();
  // The scratch compilation's diagnostics are not the user's.
  std::string firstError;
  ScopedDiagnosticHandler silence(ctx, [&](Diagnostic &d) {
    if (firstError.empty() && d.getSeverity() == DiagnosticSeverity::Error)
      firstError = d.str();
    return success();
  });
  OwningOpRef<ModuleOp> scratch = ModuleOp::create(func.getLoc());
  OpBuilder b = OpBuilder::atBlockEnd(scratch->getBody());
  auto clone = cast<func::FuncOp>(b.clone(*func));
  auto attr = exec::TargetAttr::get(ctx, target.name(), config);
  for (Operation &op : clone.getBody().front())
    if (isa<graph::GraphDialect>(op.getDialect()) &&
        !isa<graph::ConstantOp, graph::NoneOp>(op))
      op.setAttr(exec::kTargetAttrName, attr);
  PassManager outline(ctx, ModuleOp::getOperationName());
  outline.addPass(createOutlineKernels());
  ModuleOp targetModule;
  if (succeeded(outline.run(*scratch)))
    for (auto m : scratch->getOps<ModuleOp>())
      if (m.getSymName() == target.name())
        targetModule = m;
  CodegenOptions options;
  options.config = config;
  PassManager codegen(ctx, ModuleOp::getOperationName());
  target.buildCodegenPipeline(codegen, options);
  if (!targetModule || failed(codegen.run(targetModule))) {
    why = firstError.empty() ? "code generation failed" : firstError;
    return {};
  }
  std::vector<double> seconds(clusters, -1);
  for (const auto &[symbol, s] : target.modelledSeconds(targetModule)) {
    llvm::StringRef name(symbol);
    name.consume_front("hcc_");
    unsigned index = 0;
    if (name.consume_front("k") && !name.consumeInteger(10, index) &&
        index < clusters)
      seconds[index] = s;
  }
  if (llvm::is_contained(seconds, -1.0)) {
    why = "the model did not cost every kernel";
    return {};
  }
  return seconds;
}

} // namespace

LogicalResult placeAutomatically(func::FuncOp func,
                                 llvm::ArrayRef<const Target *> targets,
                                 const AutoPlacementOptions &options) {
  MLIRContext *ctx = func.getContext();
  if (options.objective != "latency" && options.objective != "throughput")
    return func.emitError()
           << "unknown placement objective '" << options.objective
           << "' (expected latency or throughput)";
  // Devices: the host first (graph inputs and outputs live there), then
  // the listed targets.
  std::vector<const Target *> devices;
  const Target *host = TargetRegistry::global().host();
  bool hostListed = llvm::is_contained(targets, host);
  devices.push_back(host);
  for (const Target *t : targets)
    if (t != host)
      devices.push_back(t);

  std::string path =
      options.costModel.empty() ? defaultCostModelPath() : options.costModel;
  const cost::CostModel *learned = nullptr;
  if (!path.empty()) {
    std::string error;
    learned = loadCostModel(path, error);
    if (!learned)
      return func.emitError() << error;
  }
  for (size_t d = hostListed ? 0 : 1; d < devices.size(); ++d)
    if (!devices[d]->modelsKernelCosts() &&
        (!learned || !learned->hasTarget(devices[d]->name().str())))
      func.emitWarning() << "no learned cost model for target '"
                         << devices[d]->name() << "'"
                         << (learned ? " in '" + path + "'"
                                     : std::string(" (none found; see "
                                                   "hcc-costmodel)"))
                         << ": placing with its roofline prior";

  // Clusters; one no listed target can run whole is split into its ops.
  auto allowed = [&](Operation *op, size_t d) {
    if (d == 0 && !hostListed)
      return false;
    if (auto given = exec::getTarget(op))
      return given.getName() == devices[d]->name();
    std::string reason;
    return devices[d]->supports(op, reason);
  };
  std::vector<Cluster> clusters;
  for (Cluster &c : formClusters(func)) {
    bool somewhere = false;
    for (size_t d = 0; d < devices.size() && !somewhere; ++d)
      somewhere =
          llvm::all_of(c.ops, [&](Operation *op) { return allowed(op, d); });
    if (somewhere || c.ops.size() == 1) {
      clusters.push_back(std::move(c));
      continue;
    }
    for (Operation *op : c.ops)
      clusters.push_back(Cluster{{op}});
  }

  plan::Graph graph;
  DenseMap<Operation *, int> clusterOf;
  for (auto [i, c] : llvm::enumerate(clusters))
    for (Operation *op : c.ops)
      clusterOf[op] = static_cast<int>(i);
  unsigned threads = options.threads > 0
                         ? options.threads
                         : std::max(1u, std::thread::hardware_concurrency());
  std::vector<cost::KernelFeatures> features;
  for (Cluster &c : clusters) {
    features.push_back(kernelFeatures(c.ops));
    plan::Graph::Node node;
    node.name = describe(c.ops.front());
    node.memoryBytes = features.back().weightBytes + features.back().bytesOut;
    graph.nodes.push_back(node);
  }
  // Edges (one per value and reading cluster), graph inputs and outputs.
  std::map<std::pair<int, int>, double> edgeBytes;
  for (auto [index, c] : llvm::enumerate(clusters)) {
    size_t i = index; // lambdas capture structured bindings only from C++20
    llvm::DenseSet<Value> seen;
    for (Operation *op : c.ops)
      op->walk([&](Operation *nested) {
        for (Value v : nested->getOperands()) {
          if (!seen.insert(v).second)
            continue;
          if (isa<BlockArgument>(v) &&
              cast<BlockArgument>(v).getOwner()->getParentOp() == func) {
            graph.nodes[i].inputBytes += typeBytes(v.getType());
            continue;
          }
          auto it = clusterOf.find(v.getDefiningOp());
          if (it != clusterOf.end() && it->second != static_cast<int>(i))
            edgeBytes[{it->second, static_cast<int>(i)}] +=
                typeBytes(v.getType());
        }
      });
  }
  for (const auto &[key, bytes] : edgeBytes)
    graph.edges.push_back({key.first, key.second, bytes});
  func.walk([&](func::ReturnOp ret) {
    if (ret->getParentOp() != func)
      return;
    for (Value v : ret.getOperands()) {
      auto it = clusterOf.find(v.getDefiningOp());
      if (it != clusterOf.end())
        graph.nodes[it->second].outputBytes += typeBytes(v.getType());
    }
  });

  // Predicted seconds per cluster and device.
  for (size_t d = 0; d < devices.size(); ++d) {
    const Target *t = devices[d];
    std::vector<cost::KernelFeatures> asked = features;
    for (cost::KernelFeatures &f : asked)
      f.threads = t->isHost() ? threads : 0;
    std::vector<double> seconds;
    std::string error;
    DictionaryAttr config = configOf(func, *t);
    if (t->modelsKernelCosts()) {
      seconds =
          modelledClusterSeconds(func, *t, config, clusters.size(), error);
      if (seconds.empty())
        func.emitWarning() << "the model of target '" << t->name()
                           << "' could not cost this graph (" << error
                           << "): placing with its roofline prior";
    } else if (learned && learned->hasTarget(t->name().str())) {
      if (!learned->predict(t->name().str(), asked, seconds, error))
        return func.emitError() << "cost model '" << path << "': " << error;
    }
    if (seconds.empty()) {
      cost::RooflineSpec spec = t->rooflinePrior(config);
      for (const cost::KernelFeatures &f : asked)
        seconds.push_back(cost::rooflineSeconds(f, spec));
    }
    for (auto [i, c] : llvm::enumerate(clusters)) {
      bool runs =
          llvm::all_of(c.ops, [&](Operation *op) { return allowed(op, d); });
      graph.nodes[i].seconds.push_back(runs ? seconds[i] : plan::kInfinity);
    }
  }

  plan::Machine machine;
  for (const Target *t : devices) {
    machine.devices.push_back(t->name().str());
    // A device on the host's own cores (PoCL) shares the host's queue.
    bool shared = learned && learned->sharesHostCores(t->name().str());
    machine.queueOf.push_back(shared ? 0 : machine.queueOf.size());
  }
  auto hop = [&](size_t a, size_t b, double bytes) {
    if (learned)
      if (const cost::TransferFit *fit = learned->transfer(
              devices[a]->name().str(), devices[b]->name().str()))
        return fit->seconds(bytes);
    const Target *other = devices[a]->isHost() ? devices[b] : devices[a];
    return other->hostLinkPrior(configOf(func, *other)).seconds(bytes);
  };
  machine.transfer = [&](int a, int b, double bytes) {
    if (a == 0 || b == 0)
      return hop(a, b, bytes);
    if (learned &&
        learned->transfer(devices[a]->name().str(), devices[b]->name().str()))
      return hop(a, b, bytes);
    return hop(a, 0, bytes) + hop(0, b, bytes); // through host memory
  };

  if (!(options.minGain >= 0 && options.minGain < 1))
    return func.emitError()
           << "min-gain must be in [0, 1), got " << options.minGain;
  plan::Options opts;
  opts.minGainOverSingle = options.minGain;
  opts.objective = options.objective == "throughput"
                       ? plan::Objective::Throughput
                       : plan::Objective::Latency;
  std::string error;
  plan::Result result = plan::partition(graph, machine, opts, error);
  if (result.assignment.empty()) {
    for (auto [i, c] : llvm::enumerate(clusters))
      if (llvm::all_of(graph.nodes[i].seconds,
                       [](double s) { return !std::isfinite(s); }))
        return c.ops.front()->emitError()
               << "no listed target can run " << describe(c.ops.front());
    return func.emitError() << "automatic placement failed: " << error;
  }
  Builder b(ctx);
  for (auto [i, c] : llvm::enumerate(clusters)) {
    const Target *t = devices[result.assignment[i]];
    for (Operation *op : c.ops)
      if (!op->hasAttr(exec::kTargetAttrName))
        op->setAttr(exec::kTargetAttrName,
                    exec::TargetAttr::get(ctx, t->name()));
    c.ops.front()->setAttr(
        kPredictedAttrName,
        b.getF64FloatAttr(graph.nodes[i].seconds[result.assignment[i]] * 1e6));
  }
  func->setAttr("exec.predicted_makespan_us",
                b.getF64FloatAttr(result.evaluation.makespan * 1e6));
  func->setAttr("exec.predicted_period_us",
                b.getF64FloatAttr(result.evaluation.period * 1e6));
  func->setAttr("exec.placement_method", b.getStringAttr(result.method));
  return success();
}

} // namespace hcc
