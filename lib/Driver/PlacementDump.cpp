//===- PlacementDump.cpp - the placed kernel DAG as JSON or DOT -----------===//

#include "hcc/Driver/PlacementDump.h"

#include "dialects/Exec/IR/ExecDialect.h"
#include "dialects/Graph/IR/GraphOps.h"
#include "hcc/CostModel/Dataset.h"
#include "hcc/Driver/KernelSpaces.h"
#include "hcc/Partition/Clusters.h"
#include "hcc/Partition/Passes.h"
#include "hcc/Support/Files.h"
#include "hcc/Tuning/Workload.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/MapVector.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

using namespace mlir;

namespace hcc {
namespace {

int64_t bytesOf(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return -1;
  int64_t bits = shaped.getElementType().getIntOrFloatBitWidth();
  return shaped.getNumElements() * std::max<int64_t>(1, bits / 8);
}

/// A fixed colour per target, in registry order of first appearance.
const char *colour(unsigned index) {
  static const char *palette[] = {"lightblue", "orange", "palegreen",
                                  "pink",      "khaki",  "plum"};
  return palette[index % 6];
}

struct Dag {
  struct Kernel {
    std::string name, target;
    std::vector<std::pair<std::string, std::string>> nodes; // name, op type
    cost::KernelFeatures features;
    double predictedUs = -1;  // from automatic placement, -1 when none
    std::string workload;     // its tuning workload (hcc/Tuning/Workload.h)
    std::string targetConfig; // its target's configuration (attribute text)
  };
  struct Edge {
    std::string from, to; // kernel names, "input"/"weights"/"output"
    int64_t bytes;
    bool transfer;
    std::string fromTarget, toTarget;
  };
  std::vector<Kernel> kernels;
  std::vector<Edge> edges;
  /// Automatic placement's prediction of the whole plan (-1: none).
  double makespanUs = -1, periodUs = -1;
  std::string method;
};

Dag buildDag(func::FuncOp host) {
  Dag dag;
  if (auto a = host->getAttrOfType<FloatAttr>("exec.predicted_makespan_us"))
    dag.makespanUs = a.getValueAsDouble();
  if (auto a = host->getAttrOfType<FloatAttr>("exec.predicted_period_us"))
    dag.periodUs = a.getValueAsDouble();
  if (auto a = host->getAttrOfType<StringAttr>("exec.placement_method"))
    dag.method = a.str();
  DenseMap<Operation *, std::string> producer;
  // Target module -> the target part of its kernels' workload keys.
  DenseMap<Operation *, std::string> scopes;
  SymbolTableCollection symbols;
  auto source = [&](Value v) -> std::string {
    if (isa<BlockArgument>(v))
      return "input";
    Operation *def = v.getDefiningOp();
    auto it = producer.find(def);
    return it != producer.end() ? it->second : "weights";
  };
  // A concatenation written in place is no kernel: its readers read the
  // slices straight from the kernels that wrote them.
  auto slices = [](Value v) -> SmallVector<Value> {
    if (auto concat = v.getDefiningOp<exec::ConcatOp>())
      return SmallVector<Value>(concat.getInputs());
    return {v};
  };
  for (Operation &op : host.getBody().front()) {
    if (auto launch = dyn_cast<exec::LaunchOp>(op)) {
      auto kernel = symbols.lookupNearestSymbolFrom<func::FuncOp>(
          launch, launch.getCalleeAttr());
      Dag::Kernel k;
      k.name = launch.getCallee().getLeafReference().str();
      k.target = launch.getCallee().getRootReference().str();
      if (kernel)
        kernel.walk([&](Operation *nested) {
          std::string n = graph::getNodeName(nested);
          if (!n.empty() && nested->getDialect() &&
              nested->getDialect()->getNamespace() == "graph")
            k.nodes.push_back({n, nested->getName().stripDialect().str()});
        });
      if (kernel) {
        k.features = kernelFeatures(kernelGraphOps(kernel));
        DictionaryAttr config;
        if (auto attr = exec::getTarget(kernel->getParentOp()))
          config = attr.getConfig();
        auto scope = scopes.find(kernel->getParentOp());
        if (scope == scopes.end())
          scope = scopes
                      .try_emplace(kernel->getParentOp(),
                                   tuning::workloadScope(k.target, config))
                      .first;
        k.workload = tuning::workloadOf(kernel, k.target, scope->second).key;
        if (config && !config.empty()) {
          llvm::raw_string_ostream os(k.targetConfig);
          config.print(os);
        }
        // Weights are kernel arguments here: count them from the host side.
        for (Value v : launch.getArgs()) {
          Value source = v;
          if (auto t = v.getDefiningOp<exec::TransferOp>())
            source = t.getInput();
          if (source.getDefiningOp<graph::ConstantOp>())
            k.features.weightBytes += typeBytes(v.getType());
        }
        kernel.walk([&](Operation *nested) {
          if (auto p = nested->getAttrOfType<FloatAttr>(kPredictedAttrName))
            k.predictedUs = std::max(0.0, k.predictedUs) + p.getValueAsDouble();
        });
      }
      for (Value v : launch.getArgs())
        if (!v.getDefiningOp<exec::TransferOp>())
          for (Value part : slices(v))
            dag.edges.push_back(
                {source(part), k.name, bytesOf(part.getType()), false, "", ""});
      producer[launch] = k.name;
      dag.kernels.push_back(std::move(k));
    } else if (auto transfer = dyn_cast<exec::TransferOp>(op)) {
      // A transfer is an edge from its producer to each reader.
      for (Value part : slices(transfer.getInput()))
        for (Operation *user : transfer->getUsers()) {
          std::string to = isa<func::ReturnOp>(user) ? "output"
                           : isa<exec::LaunchOp>(user)
                               ? cast<exec::LaunchOp>(user)
                                     .getCallee()
                                     .getLeafReference()
                                     .str()
                               : "?";
          dag.edges.push_back({source(part), to, bytesOf(part.getType()), true,
                               transfer.getFrom().getName().str(),
                               transfer.getTo().getName().str()});
        }
    } else if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands())
        if (!v.getDefiningOp<exec::TransferOp>())
          for (Value part : slices(v))
            dag.edges.push_back({source(part), "output",
                                 bytesOf(part.getType()), false, "", ""});
    }
  }
  return dag;
}

void printJson(const Dag &dag, llvm::raw_ostream &os) {
  llvm::json::Array kernels, transfers, nodes;
  for (const Dag::Kernel &k : dag.kernels) {
    llvm::json::Array members;
    for (const auto &[name, type] : k.nodes) {
      members.push_back(name);
      nodes.push_back(llvm::json::Object{{"name", name},
                                         {"op", type},
                                         {"kernel", k.name},
                                         {"target", k.target}});
    }
    llvm::json::Object kernel{{"name", k.name},
                              {"target", k.target},
                              {"nodes", std::move(members)},
                              {"features", cost::featuresToJson(k.features)}};
    if (k.predictedUs >= 0)
      kernel["predicted_us"] = k.predictedUs;
    if (!k.workload.empty())
      kernel["workload"] = k.workload;
    if (!k.targetConfig.empty())
      kernel["target_config"] = k.targetConfig;
    kernels.push_back(std::move(kernel));
  }
  for (const Dag::Edge &e : dag.edges)
    if (e.transfer)
      transfers.push_back(llvm::json::Object{{"from_kernel", e.from},
                                             {"to_kernel", e.to},
                                             {"from", e.fromTarget},
                                             {"to", e.toTarget},
                                             {"bytes", e.bytes}});
  // Every data edge, crossing devices or not (hcc-sim reads the DAG).
  llvm::json::Array edges;
  for (const Dag::Edge &e : dag.edges)
    edges.push_back(
        llvm::json::Object{{"from", e.from}, {"to", e.to}, {"bytes", e.bytes}});
  llvm::json::Object doc{{"nodes", std::move(nodes)},
                         {"edges", std::move(edges)},
                         {"kernels", std::move(kernels)},
                         {"transfers", std::move(transfers)}};
  if (dag.makespanUs >= 0)
    doc["predicted"] = llvm::json::Object{{"makespan_us", dag.makespanUs},
                                          {"period_us", dag.periodUs},
                                          {"method", dag.method}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(doc))) << "\n";
}

void printDot(const Dag &dag, llvm::raw_ostream &os) {
  llvm::MapVector<std::string, unsigned, std::map<std::string, unsigned>>
      targets;
  for (const Dag::Kernel &k : dag.kernels)
    targets.insert({k.target, targets.size()});
  os << "digraph placement {\n  node [shape=box, style=filled];\n"
     << "  input [shape=ellipse, fillcolor=white];\n"
     << "  weights [shape=ellipse, fillcolor=white];\n"
     << "  output [shape=ellipse, fillcolor=white];\n";
  for (const Dag::Kernel &k : dag.kernels)
    os << "  \"" << k.name << "\" [label=\"" << k.name << "\\n"
       << k.target << "\", fillcolor=" << colour(targets.lookup(k.target))
       << "];\n";
  for (const Dag::Edge &e : dag.edges) {
    os << "  \"" << e.from << "\" -> \"" << e.to << "\"";
    if (e.transfer)
      os << " [color=red, style=bold, label=\"" << e.fromTarget << "->"
         << e.toTarget << " " << e.bytes << " B\"]";
    os << ";\n";
  }
  os << "  subgraph cluster_legend { label=\"targets\";\n";
  for (const auto &[name, index] : targets)
    os << "    \"legend_" << name << "\" [label=\"" << name
       << "\", fillcolor=" << colour(index) << "];\n";
  os << "  }\n}\n";
}

} // namespace

LogicalResult writePlacementDump(ModuleOp module, func::FuncOp host,
                                 const std::string &path) {
  Dag dag = buildDag(host);
  // Written to a temporary file and renamed: never half-written.
  llvm::Error error = hcc::writeOutputFile(path, [&](llvm::raw_ostream &os) {
    if (llvm::StringRef(path).ends_with(".dot"))
      printDot(dag, os);
    else
      printJson(dag, os);
    return llvm::Error::success();
  });
  if (error)
    return module.emitError() << llvm::toString(std::move(error));
  return success();
}

} // namespace hcc
