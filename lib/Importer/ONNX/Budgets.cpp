//===- Budgets.cpp - graph size budgets checked before import -------------===//

#include "Budgets.h"

#include "mlir/IR/Diagnostics.h"

#include <string>
#include <vector>

using namespace mlir;

namespace hcc::onnx_import {

std::string printable(llvm::StringRef text, size_t max) {
  std::string out;
  size_t i = 0;
  for (; i < text.size() && out.size() + 4 <= max; ++i) {
    unsigned char c = text[i];
    if (c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
    } else {
      // A control character would break the message's one line.
      static const char hex[] = "0123456789abcdef";
      out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
    }
  }
  if (i < text.size())
    out += "...(" + std::to_string(text.size()) + " bytes)";
  return out;
}

std::string boundedName(const std::string &name) {
  return printable(name, 160);
}

PrintableDiagnostics::PrintableDiagnostics(MLIRContext *context)
    : handler(context, [this](Diagnostic &diag) {
        makePrintable(diag);
        for (Diagnostic &note : diag.getNotes())
          makePrintable(note);
        return failure(); // on to the caller's handler
      }) {}

void PrintableDiagnostics::makePrintable(Diagnostic &diag) {
  for (DiagnosticArgument &arg : diag.getArguments()) {
    if (arg.getKind() != DiagnosticArgument::DiagnosticArgumentKind::String)
      continue;
    llvm::StringRef text = arg.getAsString();
    std::string safe = printable(text, 600);
    if (safe == text)
      continue;
    storage.push_back(std::move(safe));
    arg = DiagnosticArgument(llvm::StringRef(storage.back()));
  }
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
