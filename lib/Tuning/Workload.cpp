//===- Workload.cpp - What a tuning record is about -----------------------===//

#include "hcc/Tuning/Workload.h"

#include "dialects/Exec/IR/ExecDialect.h"
#include "hcc/Target/Target.h"

#include "llvm/Support/xxhash.h"

using namespace mlir;

namespace hcc {
namespace tuning {

namespace {
/// Elements attributes larger than this print as elided: weights do not
/// enter a workload, shape and axis constants do.
constexpr int64_t kLargeElements = 16;

std::string typeText(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto shaped = dyn_cast<ShapedType>(type); shaped && shaped.hasRank()) {
    for (int64_t d : shaped.getShape())
      os << (ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d))
         << "x";
    os << shaped.getElementType();
  } else {
    os << type;
  }
  return text;
}
} // namespace

std::string workloadScope(StringRef target, DictionaryAttr config) {
  std::string scope = target.str();
  if (const Target *t = TargetRegistry::global().lookup(target))
    if (std::string cls = t->workloadClass(config); !cls.empty())
      scope += "/" + cls;
  return scope;
}

Workload workloadOf(func::FuncOp kernel, StringRef target, StringRef scope) {
  Workload w;
  w.target = target.str();
  for (Operation &op : kernel.getBody().front()) {
    if (op.hasTrait<OpTrait::ConstantLike>() ||
        op.hasTrait<OpTrait::IsTerminator>())
      continue;
    w.kind = op.getName().getStringRef().str();
    break;
  }
  if (w.kind.empty())
    w.kind = "copy";

  // The canonical text: the kernel's body ops in generic form, with local
  // value numbering, no locations and elided weights. The function's name
  // and attributes (its knobs) stay out.
  std::string text;
  llvm::raw_string_ostream os(text);
  os << kernel.getFunctionType() << "\n";
  OpPrintingFlags flags;
  flags.printGenericOpForm().useLocalScope().elideLargeElementsAttrs(
      kLargeElements);
  for (Operation &op : kernel.getBody().front()) {
    op.print(os, flags);
    os << "\n";
  }
  uint64_t hash = llvm::xxh3_64bits(text);

  std::string result = kernel.getFunctionType().getNumResults()
                           ? typeText(kernel.getFunctionType().getResult(0))
                           : std::string("none");
  char hex[17];
  snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)hash);
  w.key = scope.str() + ":" + w.kind + ":" + result + ":" + hex;
  return w;
}

std::vector<KernelWorkload> collectKernelWorkloads(ModuleOp module) {
  std::vector<KernelWorkload> out;
  for (auto targetModule : module.getOps<ModuleOp>()) {
    auto attr = exec::getTarget(targetModule);
    if (!attr)
      continue;
    std::string scope = workloadScope(attr.getName(), attr.getConfig());
    for (auto kernel : targetModule.getOps<func::FuncOp>())
      if (kernel->hasAttr(exec::kKernelAttrName) && !kernel.isExternal())
        out.push_back({kernel, workloadOf(kernel, attr.getName(), scope)});
  }
  return out;
}

} // namespace tuning
} // namespace hcc
