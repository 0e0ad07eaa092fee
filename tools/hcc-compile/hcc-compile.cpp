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

#include "hcc/Driver/Compile.h"
#include "hcc/Support/MemoryBudget.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

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
using hcc::driver::Emit;
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

  hcc::driver::CompileOptions options;
  options.inputPath = inputPath;
  options.outputPath = outputPath;
  options.targets.assign(targetNames.begin(), targetNames.end());
  options.placement = placementFile;
  options.placementStrategy = placementStrategy;
  options.costModel = costModelPath;
  options.tuningLog = tuningLog;
  options.objective = placementObjective;
  options.targetConfigs.assign(targetConfigs.begin(), targetConfigs.end());
  options.dumpPlacement.assign(dumpPlacement.begin(), dumpPlacement.end());
  options.dims.assign(dims.begin(), dims.end());
  options.optLevel = optLevel;
  options.precision = precision;
  options.parallel = parallelKernels;
  options.report = printReport;
  options.timing = timing;
  options.emit = emit;
  options.import.maxNodes = maxNodes;
  options.import.maxNodeInputs = maxNodeInputs;
  options.import.maxTotalConstantBytes = maxConstantBytes;
  // The budget is the process's: set here, not by the library.
  if (llvm::Error e = hcc::setMemoryBudget(maxMemoryMiB, "hcc-compile",
                                           "--max-memory-mb")) {
    llvm::errs() << "hcc-compile: error: " << llvm::toString(std::move(e))
                 << "\n";
    return 1;
  }
  return hcc::driver::compile(options, llvm::outs(), llvm::errs()) ? 0 : 1;
}
