//===- PlanFile.cpp - the kernel DAG of hcc-compile --dump-placement ------===//

#include "hcc/Planner/PlanFile.h"

#include "hcc/CostModel/Dataset.h"
#include "hcc/Support/Files.h"
#include "hcc/Support/JSON.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>

namespace hcc {
namespace plan {

bool readPlanFile(const std::string &path, PlanInput &out, std::string &error) {
  auto fail = [&](const std::string &what) {
    error = "plan '" + path + "': " + what;
    return false;
  };
  auto buffer = readInputFile(path);
  if (!buffer)
    return fail(llvm::toString(buffer.takeError()));
  llvm::Expected<llvm::json::Value> doc =
      hcc::parseJSON((*buffer)->getBuffer());
  if (!doc)
    return fail("not JSON: " + llvm::toString(doc.takeError()));
  const llvm::json::Object *root = doc->getAsObject();
  const llvm::json::Array *kernels = root ? root->getArray("kernels") : nullptr;
  const llvm::json::Array *edges = root ? root->getArray("edges") : nullptr;
  if (!kernels || !edges)
    return fail("not a placement dump of hcc-compile (needs 'kernels' and "
                "'edges')");
  PlanInput plan;
  std::map<std::string, int> index;
  for (const llvm::json::Value &k : *kernels) {
    const llvm::json::Object *o = k.getAsObject();
    const llvm::json::Object *f = o ? o->getObject("features") : nullptr;
    auto name = o ? o->getString("name") : std::nullopt;
    if (!f || !name)
      return fail("a kernel without 'name' or 'features'");
    cost::KernelFeatures features;
    if (!cost::featuresFromJson(*f, features, error))
      return fail("kernel '" + name->str() + "': " + error);
    Graph::Node node;
    node.name = name->str();
    node.memoryBytes = features.weightBytes + features.bytesOut;
    index[node.name] = static_cast<int>(plan.graph.nodes.size());
    plan.graph.nodes.push_back(node);
    plan.features.push_back(features);
    plan.targets.push_back(o->getString("target").value_or("").str());
  }
  std::map<std::pair<int, int>, double> bytes;
  for (const llvm::json::Value &e : *edges) {
    const llvm::json::Object *o = e.getAsObject();
    auto from = o ? o->getString("from") : std::nullopt;
    auto to = o ? o->getString("to") : std::nullopt;
    double b = o ? o->getNumber("bytes").value_or(0) : 0;
    if (!from || !to)
      return fail("an edge without 'from' and 'to'");
    if (*from == "weights")
      continue; // preloaded once per session
    if (*to == "output") {
      auto it = index.find(from->str());
      if (it != index.end())
        plan.graph.nodes[it->second].outputBytes += std::max(0.0, b);
      continue;
    }
    auto dst = index.find(to->str());
    if (dst == index.end())
      return fail("an edge to unknown kernel '" + to->str() + "'");
    if (*from == "input") {
      plan.graph.nodes[dst->second].inputBytes += std::max(0.0, b);
      continue;
    }
    auto src = index.find(from->str());
    if (src == index.end() || src->second >= dst->second)
      return fail("an edge from '" + from->str() + "' to '" + to->str() +
                  "' that is not between kernels in launch order");
    bytes[{src->second, dst->second}] += std::max(0.0, b);
  }
  for (const auto &[key, b] : bytes)
    plan.graph.edges.push_back({key.first, key.second, b});
  out = std::move(plan);
  return true;
}

} // namespace plan
} // namespace hcc
