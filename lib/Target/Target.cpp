//===- Target.cpp - The target registry and knob checks -------------------===//

#include "hcc/Target/Target.h"

#include "dialects/Exec/IR/ExecDialect.h"

#include "mlir/IR/Diagnostics.h"

#include <cassert>

using namespace mlir;

namespace hcc {

Target::~Target() = default;

// A generic accelerator: what placement assumes of a target that states no
// figures of its own (each registered target overrides these).
cost::RooflineSpec Target::rooflinePrior(mlir::DictionaryAttr) const {
  // peak FLOP/s, bytes/s, launch s, compute and memory efficiency
  return cost::RooflineSpec{100e9, 10e9, 20e-6, 0.5, 0.7};
}

cost::TransferFit Target::hostLinkPrior(mlir::DictionaryAttr) const {
  cost::TransferFit fit;
  if (isHost()) {
    fit.bytesPerSecond = 1e15; // host memory: no copy
    return fit;
  }
  fit.latency = 20e-6;
  fit.bytesPerSecond = 8e9;
  return fit;
}

TargetRegistry &TargetRegistry::global() {
  static TargetRegistry registry;
  return registry;
}

void TargetRegistry::add(std::unique_ptr<Target> target) {
  if (!lookup(target->name()))
    list.push_back(std::move(target));
}

const Target *TargetRegistry::lookup(llvm::StringRef name) const {
  for (const auto &t : list)
    if (t->name() == name)
      return t.get();
  return nullptr;
}

std::vector<const Target *> TargetRegistry::targets() const {
  std::vector<const Target *> out;
  for (const auto &t : list)
    out.push_back(t.get());
  return out;
}

std::string TargetRegistry::names() const {
  std::string out;
  for (const auto &t : list)
    out += (out.empty() ? "" : ", ") + t->name().str();
  return out.empty() ? "none" : out;
}

const Target *TargetRegistry::host() const {
  for (const auto &t : list)
    if (t->isHost())
      return t.get();
  return nullptr;
}

const Target *lookupTarget(llvm::StringRef name, Location loc) {
  const Target *t = TargetRegistry::global().lookup(name);
  if (!t)
    emitError(loc) << "unknown target '" << name << "' (registered targets: "
                   << TargetRegistry::global().names() << ")";
  return t;
}

static std::string describe(const KnobSpec &s) {
  std::string out =
      "[" + std::to_string(s.min) + ", " + std::to_string(s.max) + "]";
  if (s.powerOfTwo)
    out += ", a power of two";
  return out;
}

LogicalResult verifyKnobDictionary(DictionaryAttr dict,
                                   llvm::ArrayRef<KnobSpec> specs,
                                   llvm::StringRef what, Location loc,
                                   llvm::StringRef noun) {
  if (!dict)
    return success();
  for (NamedAttribute entry : dict) {
    const KnobSpec *spec = nullptr;
    for (const KnobSpec &s : specs)
      if (s.name == entry.getName().getValue())
        spec = &s;
    if (!spec) {
      std::string known;
      for (const KnobSpec &s : specs)
        known += (known.empty() ? "" : ", ") + s.name;
      return emitError(loc)
             << what << ": unknown " << noun << " '"
             << entry.getName().getValue()
             << "' (known: " << (known.empty() ? "none" : known) << ")";
    }
    auto value = dyn_cast<IntegerAttr>(entry.getValue());
    if (!value || !value.getType().isSignlessInteger() ||
        value.getValue().getSignificantBits() > 64)
      return emitError(loc) << what << ": " << noun << " '" << spec->name
                            << "' must be an integer, got " << entry.getValue();
    if (!spec->accepts(value.getInt()))
      return emitError(loc) << what << ": " << noun << " '" << spec->name
                            << "' = " << value.getInt() << " is out of range "
                            << describe(*spec);
  }
  return success();
}

LogicalResult verifyTargetConfig(const Target &target, DictionaryAttr config,
                                 llvm::StringRef what, Location loc) {
  if (!config)
    return success();
  SmallVector<NamedAttribute> integers;
  for (NamedAttribute entry : config) {
    llvm::StringRef key = entry.getName().getValue();
    if (llvm::any_of(target.configKeys(),
                     [&](const KnobSpec &s) { return s.name == key; })) {
      integers.push_back(entry);
      continue;
    }
    if (llvm::none_of(target.nameConfigKeys(),
                      [&](const NameKeySpec &s) { return s.name == key; })) {
      std::string known;
      for (const KnobSpec &s : target.configKeys())
        known += (known.empty() ? "" : ", ") + s.name;
      for (const NameKeySpec &s : target.nameConfigKeys())
        known += (known.empty() ? "" : ", ") + s.name;
      return emitError(loc)
             << what << ": unknown configuration key '" << key
             << "' (known: " << (known.empty() ? "none" : known) << ")";
    }
    auto name = dyn_cast<StringAttr>(entry.getValue());
    if (!name || name.getValue().empty())
      return emitError(loc) << what << ": configuration key '" << key
                            << "' must be a name, got " << entry.getValue();
  }
  if (failed(verifyKnobDictionary(
          DictionaryAttr::get(config.getContext(), integers),
          target.configKeys(), what, loc, "configuration key")))
    return failure();
  return target.verifyConfig(config, what, loc);
}

DictionaryAttr enclosingTargetConfig(Operation *op) {
  for (; op; op = op->getParentOp())
    if (auto target = exec::getTarget(op))
      return target.getConfig();
  return nullptr;
}

LogicalResult verifyKernelKnobs(func::FuncOp kernel,
                                llvm::ArrayRef<KnobSpec> specs,
                                llvm::StringRef targetName) {
  auto dict = kernel->getAttrOfType<DictionaryAttr>(exec::kKnobsAttrName);
  if (failed(verifyKnobDictionary(
          dict, specs, ("kernel '" + kernel.getSymName() + "'").str(),
          kernel.getLoc())))
    return failure();
  DictionaryAttr config = enclosingTargetConfig(kernel);
  if (!config)
    return success();
  // Only its knob keys: other keys (names) are the target's to check.
  SmallVector<NamedAttribute> knobEntries;
  for (NamedAttribute entry : config)
    if (llvm::any_of(specs, [&](const KnobSpec &s) {
          return s.name == entry.getName().getValue();
        }))
      knobEntries.push_back(entry);
  return verifyKnobDictionary(
      DictionaryAttr::get(kernel.getContext(), knobEntries), specs,
      ("the " + targetName + " target's configuration").str(), kernel.getLoc(),
      "configuration key");
}

int64_t knobValue(Operation *kernel, const KnobSpec &spec, int64_t fallback) {
  if (auto dict = kernel->getAttrOfType<DictionaryAttr>(exec::kKnobsAttrName))
    if (auto v = dict.getAs<IntegerAttr>(spec.name))
      return v.getInt();
  // Out-of-range values are rejected where the configuration is verified
  // (verifyTargetConfig); never used here.
  if (DictionaryAttr config = enclosingTargetConfig(kernel))
    if (auto v = config.getAs<IntegerAttr>(spec.name);
        v && spec.accepts(v.getInt()))
      return v.getInt();
  return fallback;
}

LogicalResult checkKnobOption(const KnobSpec &spec, int64_t value,
                              Operation *where) {
  if (spec.accepts(value))
    return success();
  return where->emitError() << "option '" << spec.name << "' = " << value
                            << " is out of range " << describe(spec);
}

const KnobSpec &findKnob(llvm::ArrayRef<KnobSpec> specs, llvm::StringRef name) {
  for (const KnobSpec &s : specs)
    if (s.name == name)
      return s;
  assert(false && "no knob of that name");
  return specs.front();
}

} // namespace hcc
