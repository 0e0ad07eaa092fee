//===- hcc-compile.cpp - ONNX model -> .hccb bundle -----------------------===//
//
//   hcc-compile model.onnx -o model.hccb [--targets=cpu,opencl] [-O3]
//               [--dim N=8] [--placement=rules.json] [--dump-placement=f.dot]
//
// Imports the model, runs the graph phase (shape inference, folding), the
// placement phase (targets, kernels, transfers) and each target's codegen,
// then writes one bundle with the manifest, the code and the weights. Every
// failure prints one diagnostic naming the node or file and exits 1 without
// leaving an output file. --emit stops after a phase and prints its IR.
//
//===----------------------------------------------------------------------===//

#include "PlacementDump.h"
#include "dialects/Exec/IR/ExecDialect.h"
#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/Transforms/Passes.h"
#include "hcc/Bundle/BundleEmitter.h"
#include "hcc/CostModel/CostModel.h"
#include "hcc/Importer/ONNX/Importer.h"
#include "hcc/Partition/Passes.h"

#include "hcc/InitAllDialects.h"
#include "hcc/InitAllTargets.h"
#include "hcc/Pipelines/Pipelines.h"
#include "hcc/Support/Files.h"
#include "hcc/Support/MemoryBudget.h"
#include "hcc/Target/Target.h"
#include "hcc/Tuning/TuningLog.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <map>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("hcc-compile options");
static cl::opt<std::string> inputPath(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx | model.onnxtxt>"),
                                      cl::cat(category));
static cl::opt<std::string>
    outputPath("o",
               cl::desc("Bundle to write (default: the model's name with "
                        ".hccb)"),
               cl::value_desc("file"), cl::cat(category));
static cl::list<std::string>
    targetNames("targets",
                cl::desc("Targets to compile for, comma-separated; the first "
                         "is the default of every op (default: the host); "
                         "NAME:VARIANT picks a variant (fpga:u250: a board)"),
                cl::CommaSeparated, cl::value_desc("t1,t2"), cl::cat(category));
static cl::alias targetAlias("target", cl::desc("Alias for --targets"),
                             cl::aliasopt(targetNames), cl::cat(category));
static cl::opt<std::string> placementFile(
    "placement",
    cl::desc("auto (the default with several targets: each op where the "
             "learned cost model predicts the least makespan), or JSON "
             "placement rules that override it per op: {\"rules\": "
             "[{\"op\": \"Conv\", \"target\": \"opencl\"}, {\"node\": "
             "\"glob\", ...}]}"),
    cl::value_desc("auto|file.json"), cl::cat(category));
static cl::opt<std::string> placementStrategy(
    "placement-strategy",
    cl::desc("Ops without a rule: auto (default with several targets), "
             "default (the first target; the default with one) or "
             "alternate (cycle through --targets; every edge crosses "
             "devices)"),
    cl::init(""), cl::cat(category));
static cl::opt<std::string> costModelPath(
    "cost-model",
    cl::desc("Automatic placement: a model saved by hcc-costmodel train "
             "(default: $HCC_COST_MODEL, then share/hcc/cost-model.json)"),
    cl::value_desc("file.json"), cl::cat(category));
static cl::opt<std::string> tuningLog(
    "tuning-log",
    cl::desc("Apply the best record of every kernel's workload from a log "
             "written by hcc-tune (kernels without one keep the defaults)"),
    cl::value_desc("tuning.jsonl"), cl::cat(category));
static cl::opt<std::string> placementObjective(
    "objective",
    cl::desc("Automatic placement: latency (one request, default) or "
             "throughput (a stream of requests, pipelined over devices)"),
    cl::init("latency"), cl::cat(category));
static cl::opt<bool>
    printReport("report",
                cl::desc("Print what each target knows of its kernels (the "
                         "FPGA target: modelled latency and resources)"),
                cl::init(false), cl::cat(category));
static cl::list<std::string> targetConfigs(
    "target-config",
    cl::desc("Configuration of a target, e.g. opencl:vector-width=8 "
             "(repeatable; keys and ranges are the target's)"),
    cl::value_desc("name:key=value[;key=value]"), cl::cat(category));
static cl::list<std::string> dumpPlacement(
    "dump-placement",
    cl::desc("Write the kernel DAG with targets and transfers (.json or "
             ".dot; repeatable)"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<unsigned>
    optLevel("O", cl::desc("Optimization level of generated code (-O0 .. -O3)"),
             cl::Prefix, cl::init(3), cl::cat(category));
static cl::opt<std::string> precision(
    "precision",
    cl::desc("Operand precision of matmuls and convolutions: fp32 (exact, "
             "default), tf32, fp16 or bf16 where a target runs them in lower "
             "precision (tensor cores); every listed target must support it"),
    cl::init("fp32"), cl::cat(category));
static cl::opt<bool>
    timing("timing",
           cl::desc("Print how long each phase and pass took (as mlir-opt's "
                    "--mlir-timing) to standard error"),
           cl::init(false), cl::cat(category));
static cl::opt<bool> parallelKernels(
    "parallel",
    cl::desc("Split each kernel's tiles over the runtime's threads "
             "(--parallel=false: each kernel runs on one thread)"),
    cl::init(true), cl::cat(category));
static cl::opt<uint64_t>
    maxNodes("max-nodes",
             cl::desc("Budget: most nodes a model may have, subgraphs included "
                      "(default 250000)"),
             cl::init(hcc::onnx_import::ImportOptions().maxNodes),
             cl::cat(category));
static cl::opt<uint64_t> maxNodeInputs(
    "max-node-inputs",
    cl::desc("Budget: most inputs one node may have (default 16384)"),
    cl::init(hcc::onnx_import::ImportOptions().maxNodeInputs),
    cl::cat(category));
static cl::opt<uint64_t> maxConstantBytes(
    "max-constant-bytes",
    cl::desc("Budget: most bytes of constants (initializers and Constant "
             "nodes) a model may hold (default 16 GiB)"),
    cl::init(hcc::onnx_import::ImportOptions().maxTotalConstantBytes),
    cl::cat(category));
static cl::opt<uint64_t> maxMemoryMiB(
    "max-memory-mb",
    cl::desc("Budget: memory the compile may use, in MiB (default: 3/4 of "
             "physical memory; 0: no budget)"),
    cl::init(hcc::defaultMemoryBudgetMiB()), cl::cat(category));
static cl::list<std::string>
    dims("dim",
         cl::desc("Value of a symbolic dimension, e.g. --dim N=8 (repeatable; "
                  "unset symbolic dimensions are 1)"),
         cl::value_desc("NAME=VALUE"), cl::cat(category));
enum class Emit { Graph, Placed, Codegen, Bundle };
static cl::opt<Emit>
    emit("emit", cl::desc("Stop after a phase and print its IR"),
         cl::values(clEnumValN(Emit::Graph, "graph",
                               "graph dialect after import "
                               "and the graph phase"),
                    clEnumValN(Emit::Placed, "placed",
                               "host function + per-target kernels"),
                    clEnumValN(Emit::Codegen, "codegen",
                               "after each target's codegen (LLVM dialect)"),
                    clEnumValN(Emit::Bundle, "bundle", "write the bundle")),
         cl::init(Emit::Bundle), cl::cat(category));

/// Parses --target-config values (and the variants of --targets, which
/// set their target's variantKey()) into one dictionary per target name.
/// Integer values become integers, anything else a name.
static LogicalResult
parseTargetConfigs(MLIRContext *ctx,
                   const std::map<std::string, std::string> &variants,
                   std::map<std::string, DictionaryAttr> &configs) {
  std::map<std::string, SmallVector<NamedAttribute>> entries;
  for (const auto &[name, variant] : variants)
    entries[name].push_back(NamedAttribute(
        StringAttr::get(
            ctx, hcc::TargetRegistry::global().lookup(name)->variantKey()),
        StringAttr::get(ctx, variant)));
  for (const std::string &text : targetConfigs) {
    llvm::StringRef rest(text);
    auto [name, pairs] = rest.split(':');
    if (name.empty() || pairs.empty()) {
      llvm::errs() << "hcc-compile: error: --target-config expects "
                      "NAME:KEY=VALUE[;KEY=VALUE], got '"
                   << text << "'\n";
      return failure();
    }
    llvm::SmallVector<llvm::StringRef> items;
    pairs.split(items, ';');
    for (llvm::StringRef item : items) {
      // Not a structured binding: a lambda below captures `key`.
      llvm::StringRef key, value;
      std::tie(key, value) = item.split('=');
      if (key.empty() || value.empty()) {
        llvm::errs() << "hcc-compile: error: --target-config '" << text
                     << "': '" << item << "' is not KEY=VALUE\n";
        return failure();
      }
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
  return success();
}

/// Gives each symbolic (or unknown) input dimension a value so every shape
/// is static; records the values for the manifest.
static LogicalResult
specializeInputs(func::FuncOp func, const std::map<std::string, int64_t> &given,
                 std::map<std::string, int64_t> &used) {
  SmallVector<Type> inputs;
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || type.hasStaticShape()) {
      inputs.push_back(arg.getType());
      continue;
    }
    auto names =
        dyn_cast_or_null<hcc::graph::DimSymbolsAttr>(type.getEncoding());
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
  return success();
}

static int fail() { return 1; }

/// --report: the kernel times a target's model predicts (Target::
/// modelledSeconds), for targets that have one.
static void printModelledTimes(const hcc::Target &target, ModuleOp module) {
  std::map<std::string, double> seconds = target.modelledSeconds(module);
  if (seconds.empty())
    return;
  llvm::outs() << "modelled kernel times on '" << target.name()
               << "' (MODELLED, not measured):\n";
  for (const auto &[kernel, s] : seconds)
    llvm::outs() << llvm::formatv("  {0,-40} {1,12:F1} us\n", kernel, s * 1e6);
}

/// Prints `file: error: node 'name': message`: the ONNX node an op came
/// from (its NameLoc) is what a user can find in their model. Notes that
/// only dump IR ("see current operation") are left out.
/// A message on one line and at most 300 characters: whatever a model
/// holds (megabyte names, types of a thousand dimensions), it is not echoed.
static std::string bounded(std::string message) {
  constexpr size_t kMax = 300;
  for (char &c : message)
    if (c == '\n' || c == '\r')
      c = ' ';
  if (message.size() > kMax)
    message = message.substr(0, kMax) + "... (" +
              std::to_string(message.size() - kMax) + " more characters)";
  return message;
}

static LogicalResult printDiagnostic(Diagnostic &diag) {
  std::string node, file = "hcc-compile";
  diag.getLocation()->walk([&](Location loc) {
    if (auto name = dyn_cast<NameLoc>(loc); name && node.empty())
      node = name.getName().str();
    if (auto fileLoc = dyn_cast<FileLineColLoc>(loc); fileLoc)
      file = fileLoc.getFilename().str();
    return WalkResult::advance();
  });
  const char *severity =
      diag.getSeverity() == DiagnosticSeverity::Error     ? "error"
      : diag.getSeverity() == DiagnosticSeverity::Warning ? "warning"
      : diag.getSeverity() == DiagnosticSeverity::Remark  ? "remark"
                                                          : "note";
  llvm::errs() << file << ": " << severity << ": ";
  if (!node.empty() && diag.str().find("node ") == std::string::npos)
    llvm::errs() << "node '" << bounded(node) << "': ";
  llvm::errs() << bounded(diag.str()) << "\n";
  for (Diagnostic &note : diag.getNotes())
    if (note.str().find("see current operation") == std::string::npos)
      llvm::errs() << file << ": note: " << bounded(note.str()) << "\n";
  return success();
}

/// Reads --tuning-log's records; bad lines are warnings, an unreadable file
/// an error.
static bool readTuningLog(std::vector<hcc::tuning::TuningRecord> &records) {
  std::vector<std::string> warnings;
  std::string error;
  if (!hcc::tuning::readTuningLog(tuningLog, records, warnings, error)) {
    llvm::errs() << "hcc-compile: error: " << error << "\n";
    return false;
  }
  if (records.empty() && !warnings.empty()) {
    llvm::errs() << "hcc-compile: error: no usable record in the tuning log: "
                 << bounded(warnings.front());
    if (warnings.size() > 1)
      llvm::errs() << " (and " << warnings.size() - 1 << " more lines)";
    llvm::errs() << "\n";
    return false;
  }
  // A few warnings, not one per line of a damaged log.
  constexpr size_t kMaxWarnings = 10;
  for (size_t i = 0; i < warnings.size() && i < kMaxWarnings; ++i)
    llvm::errs() << "hcc-compile: warning: " << bounded(warnings[i]) << "\n";
  if (warnings.size() > kMaxWarnings)
    llvm::errs() << "hcc-compile: warning: " << warnings.size() - kMaxWarnings
                 << " more lines of '" << tuningLog << "' skipped\n";
  return true;
}

/// Sets the knobs of the kernels --tuning-log has records for and says
/// which workloads it had none for.
static bool
applyTuningLog(ModuleOp module,
               const std::vector<hcc::tuning::TuningRecord> &records) {
  hcc::tuning::ApplyReport report = hcc::tuning::applyTuning(module, records);
  llvm::errs() << "hcc-compile: tuning log '" << tuningLog
               << "': " << report.tunedKernels << " of " << report.kernels
               << " kernels tuned (" << report.tuned.size() << " workloads)";
  if (report.untuned.empty()) {
    llvm::errs() << "\n";
    return true;
  }
  constexpr size_t kListed = 8;
  llvm::errs() << "; no record for " << report.untuned.size()
               << " workloads (defaults apply): ";
  for (size_t i = 0; i < std::min(kListed, report.untuned.size()); ++i)
    llvm::errs() << (i ? ", " : "") << report.untuned[i];
  if (report.untuned.size() > kListed)
    llvm::errs() << " and " << report.untuned.size() - kListed << " more";
  llvm::errs() << "\n";
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "hcc-compile: compile an ONNX model into a bundle (.hccb) that the hcc "
      "runtime, hcc-run and hcc-bench load.\n\n"
      "  hcc-compile model.onnx -o model.hccb\n"
      "  hcc-compile model.onnx --dim N=8 -O3 -o model_b8.hccb\n"
      "  hcc-compile model.onnx --emit=placed   # print the kernel DAG\n");

  std::map<std::string, int64_t> given;
  for (const std::string &d : dims) {
    size_t eq = d.find('=');
    int64_t value = 0;
    if (eq == std::string::npos || eq == 0 ||
        llvm::StringRef(d).drop_front(eq + 1).getAsInteger(10, value) ||
        value < 0) {
      llvm::errs() << "hcc-compile: error: --dim expects NAME=VALUE with a "
                      "non-negative integer, got '"
                   << d << "'\n";
      return fail();
    }
    given[d.substr(0, eq)] = value;
  }
  hcc::registerAllTargets();
  hcc::TargetRegistry &targets = hcc::TargetRegistry::global();
  // NAME:VARIANT entries of --targets.
  std::vector<std::string> targetList;
  std::map<std::string, std::string> variants;
  for (const std::string &entry : targetNames) {
    auto [name, variant] = llvm::StringRef(entry).split(':');
    const hcc::Target *target = targets.lookup(name);
    if (!target) {
      llvm::errs() << "hcc-compile: error: unknown target '" << name
                   << "' (registered targets: " << targets.names() << ")\n";
      return fail();
    }
    if (llvm::StringRef(entry).contains(':') &&
        (variant.empty() || target->variantKey().empty())) {
      llvm::errs() << "hcc-compile: error: --targets entry '" << entry << "': "
                   << (variant.empty()
                           ? "empty variant"
                           : "target '" + name.str() + "' takes no variant")
                   << "\n";
      return fail();
    }
    if (!variant.empty())
      variants[name.str()] = variant.str();
    targetList.push_back(name.str());
  }
  if (!llvm::is_contained({"fp32", "tf32", "fp16", "bf16"}, precision)) {
    llvm::errs() << "hcc-compile: error: --precision=" << precision
                 << " is not one of fp32, tf32, fp16, bf16\n";
    return fail();
  }
  for (const std::string &name : targetList) {
    llvm::ArrayRef<llvm::StringRef> supported =
        targets.lookup(name)->precisions();
    if (!llvm::is_contained(supported, precision)) {
      llvm::errs() << "hcc-compile: error: target '" << name
                   << "' does not support --precision=" << precision
                   << " (supported: " << llvm::join(supported, ", ") << ")\n";
      return fail();
    }
  }
  for (const std::string &path : dumpPlacement)
    if (!llvm::StringRef(path).ends_with(".json") &&
        !llvm::StringRef(path).ends_with(".dot")) {
      llvm::errs() << "hcc-compile: error: --dump-placement expects a .json "
                      "or .dot file, got '"
                   << path << "'\n";
      return fail();
    }
  if (optLevel > 3) {
    llvm::errs() << "hcc-compile: error: -O" << optLevel
                 << " is not a level (0 to 3)\n";
    return fail();
  }
  std::string output = outputPath;
  if (output.empty()) {
    llvm::SmallString<128> p(inputPath);
    llvm::sys::path::replace_extension(p, "hccb");
    output = std::string(p);
  }
  // A cost model given but not needed (one target) is still checked: a
  // wrong path must not pass silently.
  if (!costModelPath.empty()) {
    hcc::cost::CostModel model;
    std::string error;
    if (!model.load(costModelPath, error)) {
      llvm::errs() << "hcc-compile: error: " << bounded(error) << "\n";
      return fail();
    }
  }
  // Checked before the compile, which may take minutes.
  std::vector<std::string> outputs(dumpPlacement.begin(), dumpPlacement.end());
  if (emit == Emit::Bundle)
    outputs.push_back(output);
  for (const std::string &path : outputs)
    if (llvm::Error e = hcc::checkOutputFile(path)) {
      llvm::errs() << "hcc-compile: error: " << llvm::toString(std::move(e))
                   << "\n";
      return fail();
    }

  if (llvm::Error e = hcc::setMemoryBudget(maxMemoryMiB, "hcc-compile",
                                           "--max-memory-mb")) {
    llvm::errs() << "hcc-compile: error: " << llvm::toString(std::move(e))
                 << "\n";
    return fail();
  }

  DialectRegistry registry;
  hcc::registerAllDialects(registry);
  hcc::registerAllTargetDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  ScopedDiagnosticHandler diagnostics(&context, printDiagnostic);
  DefaultTimingManager timingManager;
  timingManager.setEnabled(timing);
  TimingScope rootTiming = timingManager.getRootScope();

  TimingScope importTiming = rootTiming.nest("import");
  hcc::onnx_import::ImportOptions importOptions;
  importOptions.maxNodes = maxNodes;
  importOptions.maxNodeInputs = maxNodeInputs;
  importOptions.maxTotalConstantBytes = maxConstantBytes;
  OwningOpRef<ModuleOp> module =
      hcc::onnx_import::importModelFile(inputPath, &context, importOptions);
  if (!module)
    return fail();
  importTiming.stop();
  std::map<std::string, DictionaryAttr> configs;
  if (failed(parseTargetConfigs(&context, variants, configs)))
    return fail();
  for (const auto &[name, config] : configs) {
    const hcc::Target *target = targets.lookup(name);
    if (!target) {
      llvm::errs() << "hcc-compile: error: --target-config: unknown target '"
                   << name << "' (registered targets: " << targets.names()
                   << ")\n";
      return fail();
    }
    if (failed(hcc::verifyTargetConfig(*target, config,
                                       "--target-config for '" + name + "'",
                                       UnknownLoc::get(&context))))
      return fail();
  }
  std::vector<hcc::tuning::TuningRecord> tuning;
  if (!tuningLog.empty() && !readTuningLog(tuning))
    return fail();
  auto funcs = module->getOps<func::FuncOp>();
  if (std::distance(funcs.begin(), funcs.end()) != 1)
    return module->emitError() << "expected one host function", fail();
  func::FuncOp host = *funcs.begin();
  std::map<std::string, int64_t> symbolicDims;
  if (failed(specializeInputs(host, given, symbolicDims)))
    return fail();

  // Placement costs each target as configured (the FPGA target's board).
  SmallVector<NamedAttribute> configAttrs;
  for (const auto &[name, config] : configs)
    configAttrs.push_back(
        NamedAttribute(StringAttr::get(&context, name), config));
  if (!configAttrs.empty())
    (*module)->setAttr(hcc::kTargetConfigsAttrName,
                       DictionaryAttr::get(&context, configAttrs));

  PassManager pm(&context);
  hcc::buildGraphPipeline(pm, {});
  if (emit != Emit::Graph) {
    hcc::PlacementPipelineOptions placement;
    placement.targets.assign(targetList.begin(), targetList.end());
    bool automatic = placementFile == "auto";
    placement.placementFile = automatic ? std::string() : placementFile;
    placement.strategy =
        !placementStrategy.empty()           ? std::string(placementStrategy)
        : automatic || targetList.size() > 1 ? std::string("auto")
                                             : std::string("default");
    placement.costModel = costModelPath;
    placement.objective = placementObjective;
    hcc::buildPlacementPipeline(pm, placement);
  }
  pm.enableTiming(rootTiming);
  if (failed(pm.run(*module)))
    return fail();
  if (!tuning.empty() && !applyTuningLog(*module, tuning))
    return fail();
  for (const std::string &path : dumpPlacement)
    if (failed(hcc::writePlacementDump(*module, host, path)))
      return fail();
  if (emit == Emit::Graph || emit == Emit::Placed) {
    module->print(llvm::outs());
    return 0;
  }

  if (failed(hcc::checkBundleTypes(host)))
    return fail();

  hcc::BundleContents contents;
  contents.hostTarget = targets.host()->name().str();
  contents.symbolicDims = symbolicDims;
  if (auto name = (*module)->getAttrOfType<StringAttr>("graph.name"))
    contents.modelName = name.str();
  hcc::CodegenOptions codegenOptions;
  codegenOptions.optLevel = optLevel;
  codegenOptions.parallel = parallelKernels;
  codegenOptions.precision = precision;
  for (auto targetModule : module->getOps<ModuleOp>()) {
    auto attr = hcc::exec::getTarget(targetModule);
    const hcc::Target *target =
        attr ? hcc::lookupTarget(attr.getName(), targetModule.getLoc())
             : nullptr;
    if (!target ||
        failed(hcc::verifyTargetConfig(*target, attr.getConfig(),
                                       "target '" + target->name().str() + "'",
                                       targetModule.getLoc())))
      return fail();
    hcc::CodegenOptions options = codegenOptions;
    options.config = attr.getConfig();
    if (auto given = configs.find(target->name().str());
        given != configs.end()) {
      options.config = given->second;
      targetModule->setAttr(
          hcc::exec::kTargetAttrName,
          hcc::exec::TargetAttr::get(&context, target->name(), given->second));
    }
    PassManager codegen(&context, ModuleOp::getOperationName());
    target->buildCodegenPipeline(codegen, options);
    TimingScope targetTiming =
        rootTiming.nest(("target '" + target->name() + "'").str());
    codegen.enableTiming(targetTiming);
    if (failed(codegen.run(targetModule)))
      return fail();
    if (printReport) {
      target->report(targetModule, llvm::outs());
      printModelledTimes(*target, targetModule);
    }
    if (emit == Emit::Codegen)
      continue;
    TimingScope serializeTiming = targetTiming.nest("serialize");
    if (failed(target->serialize(targetModule, options,
                                 contents.code[target->name().str()])))
      return fail();
    serializeTiming.stop();
    contents.deviceKinds[target->name().str()] = target->deviceKind().str();
  }
  if (emit == Emit::Codegen) {
    module->print(llvm::outs());
    return 0;
  }
  TimingScope writeTiming = rootTiming.nest("write bundle");
  if (failed(hcc::writeBundle(host, contents, output)))
    return fail();
  return 0;
}
