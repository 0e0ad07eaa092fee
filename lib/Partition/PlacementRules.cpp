//===- PlacementRules.cpp - User placement rules from a JSON file ---------===//

#include "PlacementRules.h"

#include "hcc/Support/Files.h"
#include "hcc/Support/JSON.h"
#include "hcc/Target/Target.h"

#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;

namespace hcc {

/// Placement files are small; anything larger is not one.
static constexpr uint64_t kMaxPlacementFileBytes = 16 << 20;

LogicalResult readPlacementRules(llvm::StringRef path, MLIRContext *ctx,
                                 Location loc,
                                 std::vector<PlacementRule> &rules) {
  auto fail = [&](const llvm::Twine &what) {
    emitError(loc) << "placement file '" << path << "': " << what;
    return failure();
  };
  auto file = readInputFile(path, /*isText=*/true, kMaxPlacementFileBytes);
  if (!file)
    return fail("cannot read it: " + llvm::toString(file.takeError()));
  llvm::Expected<llvm::json::Value> json = hcc::parseJSON((*file)->getBuffer());
  if (!json)
    return fail("not valid JSON: " + llvm::toString(json.takeError()));
  const llvm::json::Object *root = json->getAsObject();
  if (!root)
    return fail("expected an object with a \"rules\" array");
  for (const auto &kv : *root)
    if (kv.first != "rules")
      return fail("unknown key '" + kv.first.str() + "' (expected \"rules\")");
  const llvm::json::Array *list = root->getArray("rules");
  if (!list)
    return fail("expected an object with a \"rules\" array");
  for (auto [i, entry] : llvm::enumerate(*list)) {
    std::string where = "rule " + std::to_string(i);
    const llvm::json::Object *obj = entry.getAsObject();
    if (!obj)
      return fail(where + ": expected an object");
    PlacementRule rule;
    rule.index = i;
    for (const auto &kv : *obj) {
      std::optional<llvm::StringRef> text = kv.second.getAsString();
      if (!text)
        return fail(where + ": '" + kv.first.str() + "' must be a string");
      if (kv.first == "op")
        rule.opType = text->str();
      else if (kv.first == "node")
        rule.node = text->str();
      else if (kv.first == "target")
        rule.target = text->str();
      else
        return fail(where + ": unknown key '" + kv.first.str() +
                    "' (expected op, node, target)");
    }
    if (rule.opType.empty() == rule.node.empty())
      return fail(where + ": give exactly one of \"op\" and \"node\"");
    if (rule.target.empty())
      return fail(where + ": no \"target\"");
    if (!TargetRegistry::global().lookup(rule.target))
      return fail(where + ": unknown target '" + rule.target +
                  "' (registered targets: " + TargetRegistry::global().names() +
                  ")");
    if (!rule.opType.empty() &&
        !RegisteredOperationName::lookup("graph." + rule.opType, ctx))
      return fail(where + ": '" + rule.opType + "' is not an ONNX op type");
    if (!rule.node.empty()) {
      llvm::Expected<llvm::GlobPattern> glob =
          llvm::GlobPattern::create(rule.node);
      if (!glob)
        return fail(where + ": bad node pattern '" + rule.node +
                    "': " + llvm::toString(glob.takeError()));
    }
    rules.push_back(std::move(rule));
  }
  return success();
}

PlacementRule *matchRule(std::vector<PlacementRule> &rules, Operation *op) {
  llvm::StringRef type = op->getName().stripDialect();
  std::string node = graph::getNodeName(op);
  for (PlacementRule &rule : rules) {
    // A GlobPattern points into its pattern string: built where it is used.
    bool match = false;
    if (!rule.opType.empty())
      match = rule.opType == type;
    else if (llvm::Expected<llvm::GlobPattern> glob =
                 llvm::GlobPattern::create(rule.node))
      match = glob->match(node);
    else
      llvm::consumeError(glob.takeError());
    if (match) {
      rule.used = true;
      return &rule;
    }
  }
  return nullptr;
}

} // namespace hcc
