//===- Compile.cpp - ONNX model -> .hccb bundle, as a library -------------===//

#include "hcc/Driver/Compile.h"

#include "dialects/Exec/IR/ExecDialect.h"
#include "dialects/Graph/IR/GraphOps.h"
#include "hcc/Bundle/BundleEmitter.h"
#include "hcc/CostModel/CostModel.h"
#include "hcc/Driver/KernelSpaces.h"
#include "hcc/Driver/PlacementDump.h"
#include "hcc/InitAllDialects.h"
#include "hcc/InitAllTargets.h"
#include "hcc/Partition/Passes.h"
#include "hcc/Pipelines/Pipelines.h"
#include "hcc/Support/Files.h"
#include "hcc/Target/Target.h"
#include "hcc/Tuning/TuningLog.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <map>

using namespace mlir;

namespace hcc {
namespace driver {
namespace {

/// A message on one line and at most 300 characters: whatever a model
/// holds (megabyte names, types of a thousand dimensions), it is not echoed.
std::string bounded(std::string message) {
  constexpr size_t kMax = 300;
  for (char &c : message)
    if (c == '\n' || c == '\r')
      c = ' ';
  if (message.size() > kMax)
    message = message.substr(0, kMax) + "... (" +
              std::to_string(message.size() - kMax) + " more characters)";
  return message;
}

/// One compile: its options and where its messages go.
class Compiler {
public:
  Compiler(const CompileOptions &options, llvm::raw_ostream &out,
           llvm::raw_ostream &diag)
      : options(options), out(out), diag(diag) {}

  bool run();

private:
  const CompileOptions &options;
  llvm::raw_ostream &out, &diag;

  /// `tool: error: message`; false, for `return error(...)`.
  bool error(const llvm::Twine &message) {
    diag << options.tool << ": error: " << message << "\n";
    return false;
  }
  LogicalResult printDiagnostic(Diagnostic &d);
  bool parseTargetConfigs(MLIRContext *ctx,
                          const std::map<std::string, std::string> &variants,
                          std::map<std::string, DictionaryAttr> &configs);
  bool readTuningLog(std::vector<tuning::TuningRecord> &records);
  void warnAboutLog(const std::vector<std::string> &warnings);
  /// The tuning log's skipped lines, printed when it is applied.
  std::vector<std::string> logWarnings;
  void applyTuningLog(ModuleOp module,
                      const std::vector<tuning::TuningRecord> &records);
  void printModelledTimes(const Target &target, ModuleOp module);
};

/// Prints `file: error: node 'name': message`: the ONNX node an op came
/// from (its NameLoc) is what a user can find in their model. Notes that
/// only dump IR ("see current operation") are left out.
LogicalResult Compiler::printDiagnostic(Diagnostic &d) {
  std::string node, file = options.tool;
  d.getLocation()->walk([&](Location loc) {
    if (auto name = dyn_cast<NameLoc>(loc); name && node.empty())
      node = name.getName().str();
    if (auto fileLoc = dyn_cast<FileLineColLoc>(loc); fileLoc)
      file = fileLoc.getFilename().str();
    return WalkResult::advance();
  });
  const char *severity =
      d.getSeverity() == DiagnosticSeverity::Error     ? "error"
      : d.getSeverity() == DiagnosticSeverity::Warning ? "warning"
      : d.getSeverity() == DiagnosticSeverity::Remark  ? "remark"
                                                       : "note";
  diag << file << ": " << severity << ": ";
  if (!node.empty() && d.str().find("node ") == std::string::npos)
    diag << "node '" << bounded(node) << "': ";
  diag << bounded(d.str()) << "\n";
  for (Diagnostic &note : d.getNotes())
    if (note.str().find("see current operation") == std::string::npos)
      diag << file << ": note: " << bounded(note.str()) << "\n";
  return success();
}

/// Parses the target configurations (and the variants of the targets,
/// which set their target's variantKey()) into one dictionary per target
/// name. Integer values become integers, anything else a name.
bool Compiler::parseTargetConfigs(
    MLIRContext *ctx, const std::map<std::string, std::string> &variants,
    std::map<std::string, DictionaryAttr> &configs) {
  std::map<std::string, SmallVector<NamedAttribute>> entries;
  for (const auto &[name, variant] : variants)
    entries[name].push_back(NamedAttribute(
        StringAttr::get(ctx,
                        TargetRegistry::global().lookup(name)->variantKey()),
        StringAttr::get(ctx, variant)));
  for (const std::string &text : options.targetConfigs) {
    llvm::StringRef rest(text);
    auto [name, pairs] = rest.split(':');
    if (name.empty() || pairs.empty())
      return error("--target-config expects NAME:KEY=VALUE[;KEY=VALUE], got '" +
                   text + "'");
    llvm::SmallVector<llvm::StringRef> items;
    pairs.split(items, ';');
    for (llvm::StringRef item : items) {
      // Not a structured binding: a lambda below captures `key`.
      llvm::StringRef key, value;
      std::tie(key, value) = item.split('=');
      if (key.empty() || value.empty())
        return error("--target-config '" + text + "': '" + item +
                     "' is not KEY=VALUE");
      int64_t v = 0;
      Attribute attr =
          value.getAsInteger(10, v)
              ? Attribute(StringAttr::get(ctx, value))
              : Attribute(IntegerAttr::get(IntegerType::get(ctx, 64), v));
      auto &list = entries[name.str()];
      llvm::erase_if(list, [&](const NamedAttribute &e) {
        return e.getName().getValue() == key;
      });
      list.push_back(NamedAttribute(StringAttr::get(ctx, key), attr));
    }
  }
  for (auto &[name, list] : entries)
    configs[name] = DictionaryAttr::get(ctx, list);
  return true;
}

/// Gives each symbolic (or unknown) input dimension a value so every shape
/// is static; records the values for the manifest.
void specializeInputs(func::FuncOp func,
                      const std::map<std::string, int64_t> &given,
                      std::map<std::string, int64_t> &used) {
  SmallVector<Type> inputs;
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || type.hasStaticShape()) {
      inputs.push_back(arg.getType());
      continue;
    }
    auto names = dyn_cast_or_null<graph::DimSymbolsAttr>(type.getEncoding());
    SmallVector<int64_t> shape(type.getShape());
    for (auto [i, d] : llvm::enumerate(shape)) {
      if (!ShapedType::isDynamic(d))
        continue;
      std::string name =
          names ? cast<StringAttr>(names.getNames()[i]).str() : "";
      if (name.empty())
        name = "?";
      auto it = given.find(name);
      d = it == given.end() ? 1 : it->second;
      used[name] = d;
    }
    auto fixed =
        RankedTensorType::get(shape, type.getElementType(), type.getEncoding());
    arg.setType(fixed);
    inputs.push_back(fixed);
  }
  func.setType(FunctionType::get(func.getContext(), inputs,
                                 func.getFunctionType().getResults()));
}

/// The report: the kernel times a target's model predicts
/// (Target::modelledSeconds), for targets that have one.
void Compiler::printModelledTimes(const Target &target, ModuleOp module) {
  std::map<std::string, double> seconds = target.modelledSeconds(module);
  if (seconds.empty())
    return;
  out << "modelled kernel times on '" << target.name()
      << "' (MODELLED, not measured):\n";
  for (const auto &[kernel, s] : seconds)
    out << llvm::formatv("  {0,-40} {1,12:F1} us\n", kernel, s * 1e6);
}

/// Reads the tuning log's records; bad lines are warnings (kept for
/// applyTuningLog), an unreadable file an error.
bool Compiler::readTuningLog(std::vector<tuning::TuningRecord> &records) {
  std::vector<std::string> warnings;
  std::string problem;
  if (!tuning::readTuningLog(options.tuningLog, records, warnings, problem))
    return error(problem);
  if (records.empty() && !warnings.empty())
    return error(
        "no usable record in the tuning log: " + bounded(warnings.front()) +
        (warnings.size() > 1
             ? " (and " + std::to_string(warnings.size() - 1) + " more lines)"
             : std::string()));
  // An empty log tunes nothing: say so (the report of applyTuningLog is
  // printed only for a log with records).
  if (records.empty())
    diag << options.tool << ": warning: tuning log '" << options.tuningLog
         << "' has no records: the defaults apply\n";
  logWarnings = std::move(warnings);
  return true;
}

/// A few warnings, not one per line of a damaged log.
void Compiler::warnAboutLog(const std::vector<std::string> &warnings) {
  constexpr size_t kMaxWarnings = 10;
  for (size_t i = 0; i < warnings.size() && i < kMaxWarnings; ++i)
    diag << options.tool << ": warning: " << bounded(warnings[i]) << "\n";
  if (warnings.size() > kMaxWarnings)
    diag << options.tool << ": warning: " << warnings.size() - kMaxWarnings
         << " more lines of '" << options.tuningLog << "' skipped\n";
}

/// Sets the knobs of the kernels the tuning log has records for and says
/// which workloads it had none for.
void Compiler::applyTuningLog(
    ModuleOp module, const std::vector<tuning::TuningRecord> &records) {
  tuning::ApplyReport report = tuning::applyTuning(
      module, recordsInSearchSpaces(module, records, logWarnings));
  warnAboutLog(logWarnings);
  diag << options.tool << ": tuning log '" << options.tuningLog
       << "': " << report.tunedKernels << " of " << report.kernels
       << " kernels tuned (" << report.tuned.size() << " workloads)";
  if (report.untuned.empty()) {
    diag << "\n";
    return;
  }
  constexpr size_t kListed = 8;
  diag << "; no record for " << report.untuned.size()
       << " workloads (defaults apply): ";
  for (size_t i = 0; i < std::min(kListed, report.untuned.size()); ++i)
    diag << (i ? ", " : "") << report.untuned[i];
  if (report.untuned.size() > kListed)
    diag << " and " << report.untuned.size() - kListed << " more";
  diag << "\n";
}

bool Compiler::run() {
  std::map<std::string, int64_t> given;
  for (const std::string &d : options.dims) {
    size_t eq = d.find('=');
    int64_t value = 0;
    if (eq == std::string::npos || eq == 0 ||
        llvm::StringRef(d).drop_front(eq + 1).getAsInteger(10, value) ||
        value < 0)
      return error("--dim expects NAME=VALUE with a non-negative integer, "
                   "got '" +
                   d + "'");
    given[d.substr(0, eq)] = value;
  }
  registerAllTargets();
  TargetRegistry &targets = TargetRegistry::global();
  // NAME:VARIANT entries of the targets.
  std::vector<std::string> targetList;
  std::map<std::string, std::string> variants;
  for (const std::string &entry : options.targets) {
    auto [name, variant] = llvm::StringRef(entry).split(':');
    const Target *target = targets.lookup(name);
    if (!target)
      return error("unknown target '" + name +
                   "' (registered targets: " + targets.names() + ")");
    if (llvm::StringRef(entry).contains(':') &&
        (variant.empty() || target->variantKey().empty()))
      return error("--targets entry '" + entry + "': " +
                   (variant.empty()
                        ? "empty variant"
                        : "target '" + name.str() + "' takes no variant"));
    if (!variant.empty())
      variants[name.str()] = variant.str();
    targetList.push_back(name.str());
  }
  if (!llvm::is_contained({"fp32", "tf32", "fp16", "bf16"}, options.precision))
    return error("--precision=" + options.precision +
                 " is not one of fp32, tf32, fp16, bf16");
  for (const std::string &name : targetList) {
    llvm::ArrayRef<llvm::StringRef> supported =
        targets.lookup(name)->precisions();
    if (!llvm::is_contained(supported, options.precision))
      return error("target '" + name +
                   "' does not support --precision=" + options.precision +
                   " (supported: " + llvm::join(supported, ", ") + ")");
  }
  for (const std::string &path : options.dumpPlacement)
    if (!llvm::StringRef(path).ends_with(".json") &&
        !llvm::StringRef(path).ends_with(".dot"))
      return error("--dump-placement expects a .json or .dot file, got '" +
                   path + "'");
  if (options.optLevel > 3)
    return error("-O" + llvm::Twine(options.optLevel) +
                 " is not a level (0 to 3)");
  std::string output = options.outputPath;
  if (output.empty()) {
    llvm::SmallString<128> p(options.inputPath);
    llvm::sys::path::replace_extension(p, "hccb");
    output = std::string(p);
  }
  // A cost model given but not needed (one target) is still checked: a
  // wrong path must not pass silently.
  if (!options.costModel.empty()) {
    cost::CostModel model;
    std::string problem;
    if (!model.load(options.costModel, problem))
      return error(bounded(problem));
  }
  // Checked before the compile, which may take minutes.
  std::vector<std::string> outputs(options.dumpPlacement);
  if (options.emit == Emit::Bundle)
    outputs.push_back(output);
  for (const std::string &path : outputs)
    if (llvm::Error e = checkOutputFile(path))
      return error(llvm::toString(std::move(e)));

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllTargetDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  ScopedDiagnosticHandler diagnostics(
      &context, [this](Diagnostic &d) { return printDiagnostic(d); });
  DefaultTimingManager timingManager;
  timingManager.setEnabled(options.timing);
  TimingScope rootTiming = timingManager.getRootScope();

  TimingScope importTiming = rootTiming.nest("import");
  OwningOpRef<ModuleOp> module =
      options.modelBytes
          ? onnx_import::importModel(*options.modelBytes, options.inputPath,
                                     &context, options.import)
          : onnx_import::importModelFile(options.inputPath, &context,
                                         options.import);
  if (!module)
    return false;
  importTiming.stop();
  std::map<std::string, DictionaryAttr> configs;
  if (!parseTargetConfigs(&context, variants, configs))
    return false;
  for (const auto &[name, config] : configs) {
    const Target *target = targets.lookup(name);
    if (!target)
      return error("--target-config: unknown target '" + name +
                   "' (registered targets: " + targets.names() + ")");
    if (failed(verifyTargetConfig(*target, config,
                                  "--target-config for '" + name + "'",
                                  UnknownLoc::get(&context))))
      return false;
  }
  std::vector<tuning::TuningRecord> tuning;
  if (!options.tuningLog.empty() && !readTuningLog(tuning))
    return false;
  auto funcs = module->getOps<func::FuncOp>();
  if (std::distance(funcs.begin(), funcs.end()) != 1)
    return module->emitError() << "expected one host function", false;
  func::FuncOp host = *funcs.begin();
  std::map<std::string, int64_t> symbolicDims;
  specializeInputs(host, given, symbolicDims);

  // Placement costs each target as configured (the FPGA target's board).
  SmallVector<NamedAttribute> configAttrs;
  for (const auto &[name, config] : configs)
    configAttrs.push_back(
        NamedAttribute(StringAttr::get(&context, name), config));
  if (!configAttrs.empty())
    (*module)->setAttr(kTargetConfigsAttrName,
                       DictionaryAttr::get(&context, configAttrs));

  PassManager pm(&context);
  buildGraphPipeline(pm, {});
  if (options.emit != Emit::Graph) {
    PlacementPipelineOptions placement;
    placement.targets.assign(targetList.begin(), targetList.end());
    bool automatic = options.placement == "auto";
    placement.placementFile = automatic ? std::string() : options.placement;
    placement.strategy =
        !options.placementStrategy.empty()   ? options.placementStrategy
        : automatic || targetList.size() > 1 ? std::string("auto")
                                             : std::string("default");
    placement.costModel = options.costModel;
    placement.objective = options.objective;
    buildPlacementPipeline(pm, placement);
  }
  pm.enableTiming(rootTiming);
  if (failed(pm.run(*module)))
    return false;
  // Target modules carry their configuration from here on: their kernels'
  // tuning workloads depend on it (Target::workloadClass).
  for (auto targetModule : module->getOps<ModuleOp>())
    if (auto attr = exec::getTarget(targetModule))
      if (auto it = configs.find(attr.getName().str()); it != configs.end())
        targetModule->setAttr(
            exec::kTargetAttrName,
            exec::TargetAttr::get(&context, attr.getName(), it->second));
  if (!tuning.empty())
    applyTuningLog(*module, tuning);
  for (const std::string &path : options.dumpPlacement)
    if (failed(writePlacementDump(*module, host, path)))
      return false;
  if (options.emit == Emit::Graph || options.emit == Emit::Placed) {
    module->print(out);
    return true;
  }

  if (failed(checkBundleTypes(host)))
    return false;

  BundleContents contents;
  contents.hostTarget = targets.host()->name().str();
  contents.symbolicDims = symbolicDims;
  if (auto name = (*module)->getAttrOfType<StringAttr>("graph.name"))
    contents.modelName = name.str();
  CodegenOptions codegenOptions;
  codegenOptions.optLevel = options.optLevel;
  codegenOptions.parallel = options.parallel;
  codegenOptions.precision = options.precision;
  for (auto targetModule : module->getOps<ModuleOp>()) {
    auto attr = exec::getTarget(targetModule);
    const Target *target =
        attr ? lookupTarget(attr.getName(), targetModule.getLoc()) : nullptr;
    if (!target ||
        failed(verifyTargetConfig(*target, attr.getConfig(),
                                  "target '" + target->name().str() + "'",
                                  targetModule.getLoc())))
      return false;
    CodegenOptions targetOptions = codegenOptions;
    targetOptions.config = attr.getConfig();
    PassManager codegen(&context, ModuleOp::getOperationName());
    target->buildCodegenPipeline(codegen, targetOptions);
    TimingScope targetTiming =
        rootTiming.nest(("target '" + target->name() + "'").str());
    codegen.enableTiming(targetTiming);
    if (failed(codegen.run(targetModule)))
      return false;
    if (options.report) {
      target->report(targetModule, out);
      printModelledTimes(*target, targetModule);
    }
    if (options.emit == Emit::Codegen)
      continue;
    TimingScope serializeTiming = targetTiming.nest("serialize");
    if (failed(target->serialize(targetModule, targetOptions,
                                 contents.code[target->name().str()])))
      return false;
    serializeTiming.stop();
    contents.deviceKinds[target->name().str()] = target->deviceKind().str();
  }
  if (options.emit == Emit::Codegen) {
    module->print(out);
    return true;
  }
  TimingScope writeTiming = rootTiming.nest("write bundle");
  return succeeded(writeBundle(host, contents, output));
}

} // namespace

bool compile(const CompileOptions &options, llvm::raw_ostream &out,
             llvm::raw_ostream &diagnostics) {
  return Compiler(options, out, diagnostics).run();
}

} // namespace driver
} // namespace hcc
