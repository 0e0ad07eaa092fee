//===- FPGATarget.cpp - The FPGA target plug-in ---------------------------===//
//
// FPGA boards programmed with OpenCL: every kernel a single work-item
// (work-items = 1: the whole loop nest in one kernel invocation, the form
// FPGA OpenCL compilers pipeline), the OpenCL C emitter's program with the
// board vendor's attributes (hcc-fpga-kernel-attributes). The board comes
// from the `board` configuration key (`--targets=fpga:u250`; a built-in
// name or a .json path; default u250). The bundle's code runs on the
// runtime's fpga driver: a board's OpenCL platform, or an OpenCL device
// emulating it (PoCL here), with the model's times in the trace.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/FPGA/FPGATarget.h"

#include "hcc/Target/FPGA/Board.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"

#include "../OpenCL/OpenCLUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace mlir;

namespace hcc {
namespace {

constexpr llvm::StringLiteral kDefaultBoard = "u250";

/// The board a configuration names (kDefaultBoard when none).
llvm::StringRef boardName(DictionaryAttr config) {
  if (config)
    if (auto board = config.getAs<StringAttr>("board"))
      return board.getValue();
  return kDefaultBoard;
}

llvm::Expected<fpga::Board> configuredBoard(DictionaryAttr config) {
  return fpga::loadBoard(boardName(config));
}

/// Single work-item OpenCL kernels (the loop nest is the pipeline), the
/// model of their latency and resources on `board` (and, with `simulate`,
/// the cycle-level simulation that checks it), the vendor's attributes. A board
/// that does not load is reported by verifyConfig (or, in hcc-opt, by
/// hcc-fpga-estimate); the attributes then default to AMD's.
void buildFPGACodegenPipeline(OpPassManager &pm, llvm::StringRef board,
                              bool simulate = false,
                              llvm::StringRef resources = "board") {
  FPGAFitOptions fit;
  fit.board = board.str();
  fit.resources = resources.str();
  pm.addPass(createFPGAFit(fit));
  OpenCLCodegenOptions ocl;
  ocl.workItems = 1;
  ocl.tileEpilogues = true; // A kernel streams its data once.
  FPGAEstimateOptions estimate;
  estimate.board = board.str();
  FPGASimulateOptions simulation;
  simulation.board = board.str();
  FPGAInterleaveAccumulatorsOptions interleave;
  interleave.board = board.str();
  ocl.afterStages = [estimate, simulation, simulate,
                     interleave](OpPassManager &nested) {
    nested.addPass(createFPGAFlattenLoops());
    nested.addPass(createFPGAInterleaveAccumulators(interleave));
    nested.addPass(createFPGAEstimate(estimate));
    if (simulate)
      nested.addPass(createFPGASimulate(simulation));
  };
  buildOpenCLCodegenPipeline(pm, ocl);
  llvm::Expected<fpga::Board> loaded = fpga::loadBoard(board);
  FPGAKernelAttributesOptions attributes;
  if (loaded)
    attributes.vendor = loaded->vendor;
  else
    llvm::consumeError(loaded.takeError());
  pm.addPass(createFPGAKernelAttributes(attributes));
}

struct FPGAPipelineCLOptions
    : public PassPipelineOptions<FPGAPipelineCLOptions> {
  Option<std::string> board{
      *this, "board",
      llvm::cl::desc("Board: a built-in name or the path of a .json "
                     "description"),
      llvm::cl::init(kDefaultBoard.str())};
  Option<bool> simulate{
      *this, "simulate",
      llvm::cl::desc("Also simulate every stage cycle by cycle "
                     "(hcc-fpga-simulate) to check the model"),
      llvm::cl::init(false)};
};

class FPGATarget : public Target {
public:
  llvm::StringRef name() const override { return "fpga"; }
  llvm::StringRef description() const override {
    return "FPGA boards through OpenCL (AMD Vitis, Intel FPGA SDK): single-"
           "work-item kernels with the board vendor's attributes; run "
           "functionally on an OpenCL device";
  }
  llvm::StringRef deviceKind() const override { return "fpga"; }
  llvm::ArrayRef<NameKeySpec> nameConfigKeys() const override {
    static const std::vector<NameKeySpec> keys = {
        {"board", "board description: a built-in board (u250, ...) or the "
                  "path of a .json file (docs/Boards.md); default u250"},
        {"simulate", "on: also simulate every stage cycle by cycle and "
                     "report the model beside it (hcc-fpga-simulate); "
                     "default off"},
        {"resources", "board (default): the kernels fit the board together; "
                      "kernel: each is sized and costed as if it had the "
                      "board alone (what hcc-tune compiles candidates with; "
                      "the bitstream may not fit)"}};
    return keys;
  }
  llvm::StringRef variantKey() const override { return "board"; }
  LogicalResult verifyConfig(DictionaryAttr config, llvm::StringRef what,
                             Location loc) const override {
    llvm::Expected<fpga::Board> board = configuredBoard(config);
    if (!board)
      return emitError(loc)
             << what << ": " << llvm::toString(board.takeError());
    if (config)
      if (auto simulate = config.getAs<StringAttr>("simulate"))
        if (simulate.getValue() != "on" && simulate.getValue() != "off")
          return emitError(loc) << what << ": 'simulate' is on or off, not '"
                                << simulate.getValue() << "'";
    if (config)
      if (auto resources = config.getAs<StringAttr>("resources"))
        if (resources.getValue() != "board" && resources.getValue() != "kernel")
          return emitError(loc)
                 << what << ": 'resources' is board or kernel, not '"
                 << resources.getValue() << "'";
    return success();
  }
  /// The board's figures: its DSPs as fp32 MACs at the kernel clock, its
  /// DDR channels, its PCIe link. Only a prior: placement asks the board
  /// model (modelledSeconds) where it has generated code.
  cost::RooflineSpec rooflinePrior(DictionaryAttr config) const override {
    cost::RooflineSpec spec;
    llvm::Expected<fpga::Board> board = configuredBoard(config);
    if (!board) {
      llvm::consumeError(board.takeError());
      return Target::rooflinePrior(config);
    }
    spec.peakFlops = 2.0 * board->clockMHz * 1e6 * board->dsp /
                     std::max(0.25, board->f32Mac.dsp);
    spec.bytesPerSecond = board->memoryGBps * 1e9;
    spec.launchSeconds = 50e-6;
    spec.computeEfficiency = 0.3;
    spec.memoryEfficiency = 0.7;
    return spec;
  }
  cost::TransferFit hostLinkPrior(DictionaryAttr config) const override {
    cost::TransferFit fit = Target::hostLinkPrior(config);
    llvm::Expected<fpga::Board> board = configuredBoard(config);
    if (!board)
      llvm::consumeError(board.takeError());
    else if (board->hostLinkGBps > 0)
      fit.bytesPerSecond = board->hostLinkGBps * 1e9;
    return fit;
  }
  llvm::ArrayRef<KnobSpec> knobs() const override {
    static const std::vector<KnobSpec> specs = {
        {"tile-m", 0, 64, 0, false,
         "rows of a contraction's processing-element array (0: sized to "
         "fit the board, hcc-fpga-fit)"},
        {"tile-n", 0, 1024, 0, false,
         "columns of a contraction's processing-element array, the "
         "contiguous inner loop (0: sized to fit the board)"},
    };
    return specs;
  }
  SearchSpace searchSpace(const cost::KernelFeatures &kernel,
                          DictionaryAttr) const override {
    return fpgaSearchSpaceFor(kernel);
  }
  /// Costs are modelled per board: workloads of one board are not
  /// another's (fpga/u250:...).
  std::string workloadClass(DictionaryAttr config) const override {
    return fpga::boardIdentity(boardName(config));
  }
  bool choosesAmongTunedConfigs() const override { return true; }
  std::vector<std::pair<std::string, std::string>>
  tuningRoundConfig() const override {
    return {{"resources", "kernel"}};
  }

  bool supports(Operation *op, std::string &reason) const override {
    return stageFunctionPipelineSupports(op, "FPGA OpenCL kernels", reason);
  }

  void buildCodegenPipeline(OpPassManager &pm,
                            const CodegenOptions &options) const override {
    auto simulate = options.config
                        ? options.config.getAs<StringAttr>("simulate")
                        : StringAttr();
    auto resources = options.config
                         ? options.config.getAs<StringAttr>("resources")
                         : StringAttr();
    buildFPGACodegenPipeline(pm, boardName(options.config),
                             simulate && simulate.getValue() == "on",
                             resources ? resources.getValue() : "board");
  }

  void report(ModuleOp module, llvm::raw_ostream &os) const override;
  std::map<std::string, double> modelledSeconds(ModuleOp module) const override;
  bool modelsKernelCosts() const override { return true; }

  LogicalResult serialize(ModuleOp module, const CodegenOptions &options,
                          std::vector<uint8_t> &section) const override;
};

/// Each kernel of the kernel table and its modelled cycles (the sum of its
/// stages'); empty when the model did not run.
std::map<std::string, int64_t> kernelCycles(ModuleOp module) {
  std::map<std::string, int64_t> out;
  auto estimates = module->getAttrOfType<DictionaryAttr>(fpga::kEstimatesAttr);
  auto kernels = module->getAttrOfType<DictionaryAttr>(opencl::kKernelsAttr);
  if (!estimates || !kernels)
    return out;
  for (NamedAttribute kernel : kernels) {
    int64_t &cycles = out[kernel.getName().str()];
    // Malformed entries (hand-written IR) count no cycles; the section
    // writer reports them.
    auto meta = dyn_cast<DictionaryAttr>(kernel.getValue());
    auto stages = meta ? meta.getAs<ArrayAttr>("stages") : nullptr;
    for (Attribute stage : stages ? stages.getValue() : ArrayRef<Attribute>()) {
      auto dict = dyn_cast<DictionaryAttr>(stage);
      StringAttr entry = dict ? dict.getAs<StringAttr>("entry") : nullptr;
      auto e =
          entry ? estimates.getAs<DictionaryAttr>(entry.getValue()) : nullptr;
      if (auto c = e ? e.getAs<IntegerAttr>("cycles") : nullptr)
        cycles += c.getInt();
    }
  }
  return out;
}

std::map<std::string, double>
FPGATarget::modelledSeconds(ModuleOp module) const {
  std::map<std::string, double> out;
  auto board = module->getAttrOfType<DictionaryAttr>(fpga::kBoardAttr);
  if (!board)
    return out;
  double hz = board.getAs<FloatAttr>("clock_mhz").getValueAsDouble() * 1e6;
  for (auto [kernel, cycles] : kernelCycles(module))
    out[kernel] = cycles / hz;
  return out;
}

/// The OpenCL section (the program and its kernel table) with an "fpga"
/// object: the board, its clock and OpenCL platform, and each kernel's
/// modelled cycles, which the runtime's fpga driver reports beside the
/// wall time (runtime/src/drivers/fpga_code.h).
LogicalResult FPGATarget::serialize(ModuleOp module,
                                    const CodegenOptions &options,
                                    std::vector<uint8_t> &section) const {
  std::string text;
  if (failed(emitOpenCLSection(module, text)))
    return failure();
  llvm::Expected<llvm::json::Value> doc = llvm::json::parse(text);
  assert(doc && doc->getAsObject() && "the OpenCL section is a JSON object");
  auto board = module->getAttrOfType<DictionaryAttr>(fpga::kBoardAttr);
  if (!board || !module->hasAttr(fpga::kEstimatesAttr))
    return module.emitError("FPGA target: the module has no model estimates "
                            "(hcc-fpga-estimate did not run)");
  llvm::json::Object modelled;
  for (auto [kernel, cycles] : kernelCycles(module))
    modelled[kernel] = llvm::json::Object{{"cycles", cycles}};
  (*doc->getAsObject())["fpga"] = llvm::json::Object{
      {"board", board.getAs<StringAttr>("name").getValue()},
      {"clock_mhz", board.getAs<FloatAttr>("clock_mhz").getValueAsDouble()},
      {"opencl_platform",
       board.getAs<StringAttr>("opencl_platform").getValue()},
      {"kernels", std::move(modelled)}};
  std::string out;
  llvm::raw_string_ostream os(out);
  os << llvm::formatv("{0:1}", *doc) << "\n";
  section.assign(out.begin(), out.end());
  return success();
}

/// The model's table: per stage II, cycles, microseconds at the board's
/// clock, DSP / logic / RAM blocks and their share of the board; totals.
void FPGATarget::report(ModuleOp module, llvm::raw_ostream &os) const {
  auto estimates = module->getAttrOfType<DictionaryAttr>(fpga::kEstimatesAttr);
  auto board = module->getAttrOfType<DictionaryAttr>(fpga::kBoardAttr);
  if (!estimates || !board)
    return;
  double clock = board.getAs<FloatAttr>("clock_mhz").getValueAsDouble();
  auto count = [&](DictionaryAttr d, llvm::StringRef key) {
    Attribute a = d.get(key);
    if (auto f = dyn_cast_or_null<FloatAttr>(a))
      return f.getValueAsDouble();
    if (auto i = dyn_cast_or_null<IntegerAttr>(a))
      return static_cast<double>(i.getInt());
    return 0.0;
  };
  double dspAll = count(board, "dsp"), logicAll = count(board, "logic"),
         ramAll = count(board, "ram_blocks");
  os << llvm::formatv("FPGA model for board '{0}' at {1} MHz (MODELLED, not "
                      "measured):\n",
                      board.getAs<StringAttr>("name").getValue(), clock);
  auto simulated = module->getAttrOfType<DictionaryAttr>(fpga::kSimulatedAttr);
  os << llvm::formatv("{0,-24} {1,-28} {2,4} {3,12} {4,11} {5,9} {6,6} "
                      "{7,9} {8,6} {9,6} {10,6}",
                      "kernel", "stage", "II", "cycles", "us", "DSP", "%",
                      "logic", "%", "RAM", "%");
  if (simulated)
    os << llvm::formatv(" {0,12} {1,7}", "simulated", "error");
  os << "\n";
  double cycles = 0, dsp = 0, logic = 0, ram = 0;
  for (NamedAttribute stage : estimates) {
    auto e = cast<DictionaryAttr>(stage.getValue());
    double c = count(e, "cycles"), d = count(e, "dsp"), l = count(e, "logic"),
           r = count(e, "ram_blocks");
    cycles += c;
    dsp += d;
    logic += l;
    ram += r;
    os << llvm::formatv(
        "{0,-24} {1,-28} {2,4} {3,12} {4,11:F1} {5,9:F0} {6,6:F1} {7,9:F0} "
        "{8,6:F1} {9,6:F0} {10,6:F1}",
        e.getAs<StringAttr>("kernel").getValue(), stage.getName().getValue(),
        static_cast<int64_t>(count(e, "ii")), static_cast<int64_t>(c),
        c / clock, d, 100 * d / dspAll, l, 100 * l / logicAll, r,
        100 * r / ramAll);
    if (simulated)
      if (auto sim = simulated.getAs<IntegerAttr>(stage.getName()))
        os << llvm::formatv(" {0,12} {1,7:P1}", sim.getInt(),
                            (c - sim.getInt()) /
                                std::max<double>(sim.getInt(), 1));
    os << "\n";
  }
  os << llvm::formatv("{0,-24} {1,-28} {2,4} {3,12} {4,11:F1} {5,9:F0} "
                      "{6,6:F1} {7,9:F0} {8,6:F1} {9,6:F0} {10,6:F1}\n",
                      "total", "", "", static_cast<int64_t>(cycles),
                      cycles / clock, dsp, 100 * dsp / dspAll, logic,
                      100 * logic / logicAll, ram, 100 * ram / ramAll);
}

} // namespace

void registerFPGATarget(TargetRegistry &registry) {
  registry.add(std::make_unique<FPGATarget>());
}

void registerFPGATargetPasses() {
  registerHccFPGAPasses();
  PassPipelineRegistration<FPGAPipelineCLOptions>(
      "hcc-fpga-codegen-pipeline",
      "FPGA codegen phase, on the target module it runs on: single work-"
      "item OpenCL C kernels, their modelled latency and resources "
      "(hcc.fpga.estimates), the board vendor's attributes",
      [](OpPassManager &pm, const FPGAPipelineCLOptions &cl) {
        buildFPGACodegenPipeline(pm, cl.board, cl.simulate);
      });
}

} // namespace hcc
