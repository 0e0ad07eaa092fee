//===- Budgets.cpp - graph size budgets checked before import -------------===//

#include "Budgets.h"

#include "mlir/IR/Diagnostics.h"

#include <string>
#include <vector>

using namespace mlir;

namespace hcc::onnx_import {

std::string boundedName(const std::string &name) {
  constexpr size_t kMax = 200;
  if (name.size() <= kMax)
    return name;
  return name.substr(0, kMax - 40) + "...(" + std::to_string(name.size()) +
         " bytes)";
}

LogicalResult checkGraphBudgets(const onnx::ModelProto &model,
                                const ImportOptions &options, Location loc) {
  // Iterative walk: subgraph nesting is bounded by the parser's recursion
  // limit, but the budget check must not depend on it.
  std::vector<const onnx::GraphProto *> pending = {&model.graph()};
  uint64_t nodes = 0;
  while (!pending.empty()) {
    const onnx::GraphProto *graph = pending.back();
    pending.pop_back();
    nodes += static_cast<uint64_t>(graph->node_size());
    if (nodes > options.maxNodes)
      return emitError(loc)
             << "the model has more than " << options.maxNodes
             << " nodes (counting subgraphs), the node budget; raise it "
                "with "
             << options.optionPrefix << "max-nodes";
    for (int i = 0; i < graph->node_size(); ++i) {
      const onnx::NodeProto &node = graph->node(i);
      if (static_cast<uint64_t>(node.input_size()) > options.maxNodeInputs)
        return emitError(loc)
               << "node "
               << (node.name().empty() ? "#" + std::to_string(i)
                                       : "'" + boundedName(node.name()) + "'")
               << " (" << node.op_type() << ") has " << node.input_size()
               << " inputs, more than the budget of " << options.maxNodeInputs
               << " per node; raise it with " << options.optionPrefix
               << "max-node-inputs";
      for (const onnx::AttributeProto &attr : node.attribute()) {
        if (attr.has_g())
          pending.push_back(&attr.g());
        for (const onnx::GraphProto &g : attr.graphs())
          pending.push_back(&g);
      }
    }
  }
  return success();
}

} // namespace hcc::onnx_import
