//===- Fit.cpp - size FPGA kernels to the board ---------------------------===//
//
// hcc-fpga-fit: every FPGA kernel's processing-element array (its tile-m x
// tile-n knobs) chosen so that all kernels of the bitstream fit the board
// together; forced sizes that cannot fit are rejected.
//
//===----------------------------------------------------------------------===//

#include "Timing.h"

#include "hcc/Target/FPGA/Board.h"
#include "hcc/Target/FPGA/FPGATarget.h"

#include "dialects/Exec/IR/ExecDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

namespace hcc {
#define GEN_PASS_DEF_FPGAFIT
#include "hcc/Target/FPGA/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {

/// Share of the board the sized kernels may take together.
constexpr double kBudgetShare = 0.8;
constexpr int64_t kMaxTileM = 8, kMaxTileN = 32;

/// Whether `kernel` holds a contraction (its loops get a processing-element
/// array).
bool hasContraction(func::FuncOp kernel) {
  static const llvm::StringSet<> names = {
      "graph.MatMul",        "graph.Gemm",          "graph.Conv",
      "graph.ConvTranspose", "graph.MatMulInteger", "graph.ConvInteger",
      "graph.QLinearConv",   "graph.QLinearMatMul", "graph.Einsum"};
  bool found = false;
  kernel.walk([&](Operation *op) {
    if (names.contains(op->getName().getStringRef()))
      found = true;
  });
  return found;
}

int64_t knob(func::FuncOp kernel, StringRef name) {
  if (auto knobs =
          kernel->getAttrOfType<DictionaryAttr>(hcc::exec::kKnobsAttrName))
    if (auto v = knobs.getAs<IntegerAttr>(name))
      return v.getInt();
  return 0;
}

/// Sets `values` over `kernel`'s knobs.
void setKnobs(func::FuncOp kernel, ArrayRef<NamedAttribute> values) {
  NamedAttrList knobs;
  if (auto given =
          kernel->getAttrOfType<DictionaryAttr>(hcc::exec::kKnobsAttrName))
    knobs.append(given.getValue());
  for (NamedAttribute v : values)
    knobs.set(v.getName(), v.getValue());
  kernel->setAttr(hcc::exec::kKnobsAttrName,
                  knobs.getDictionary(kernel.getContext()));
}

/// A configuration a tuning log measured for a kernel.
struct TunedOption {
  DictionaryAttr config;
  int64_t elements = 0; // tile-m x tile-n
  double seconds = 0;
};

/// A tuned kernel's options that are worth their size: by elements, each
/// faster than every smaller one (fewest elements first). Options without
/// positive tile-m and tile-n (sized by the board) are left out.
SmallVector<TunedOption> worthwhileOptions(func::FuncOp kernel) {
  SmallVector<TunedOption> all;
  auto options =
      kernel->getAttrOfType<ArrayAttr>(hcc::exec::kTunedOptionsAttrName);
  for (Attribute a : options ? options.getValue() : ArrayRef<Attribute>()) {
    auto option = dyn_cast<DictionaryAttr>(a);
    auto config = option ? option.getAs<DictionaryAttr>("config") : nullptr;
    auto seconds = option ? option.getAs<FloatAttr>("seconds") : nullptr;
    auto tm = config ? config.getAs<IntegerAttr>("tile-m") : nullptr;
    auto tn = config ? config.getAs<IntegerAttr>("tile-n") : nullptr;
    if (!seconds || !tm || !tn || tm.getInt() < 1 || tn.getInt() < 1)
      continue;
    all.push_back(
        {config, tm.getInt() * tn.getInt(), seconds.getValueAsDouble()});
  }
  llvm::stable_sort(all, [](const TunedOption &a, const TunedOption &b) {
    return a.elements != b.elements ? a.elements < b.elements
                                    : a.seconds < b.seconds;
  });
  SmallVector<TunedOption> kept;
  for (const TunedOption &o : all)
    if (kept.empty() || o.seconds < kept.back().seconds)
      kept.push_back(o);
  return kept;
}

/// "tile-m x tile-n = M x N" of an option.
std::string arrayOf(const TunedOption &o) {
  return llvm::formatv("tile-m x tile-n = {0} x {1}",
                       o.config.getAs<IntegerAttr>("tile-m").getInt(),
                       o.config.getAs<IntegerAttr>("tile-n").getInt())
      .str();
}

/// Chooses one option per tuned kernel: each starts at its smallest; then,
/// while `budget` (processing elements) holds it, the upgrade that saves
/// the most seconds per element added. Returns the elements used.
int64_t chooseTuned(ArrayRef<SmallVector<TunedOption>> options, double budget,
                    SmallVectorImpl<size_t> &chosen) {
  chosen.assign(options.size(), 0);
  int64_t used = 0;
  for (const auto &o : options)
    used += o.front().elements;
  while (true) {
    double bestRatio = 0;
    size_t bestKernel = 0, bestOption = 0;
    for (size_t k = 0; k < options.size(); ++k) {
      const TunedOption &now = options[k][chosen[k]];
      for (size_t j = chosen[k] + 1; j < options[k].size(); ++j) {
        const TunedOption &next = options[k][j];
        int64_t added = next.elements - now.elements;
        if (used + added > budget)
          break; // larger options add more
        double ratio = (now.seconds - next.seconds) / added;
        if (ratio > bestRatio) {
          bestRatio = ratio;
          bestKernel = k;
          bestOption = j;
        }
      }
    }
    if (bestRatio <= 0)
      return used;
    used += options[bestKernel][bestOption].elements -
            options[bestKernel][chosen[bestKernel]].elements;
    chosen[bestKernel] = bestOption;
  }
}

struct FitPass : hcc::impl::FPGAFitBase<FitPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (resources != "board" && resources != "kernel") {
      module.emitError() << "FPGA target: 'resources' is board or kernel, "
                            "not '"
                         << resources << "'";
      return signalPassFailure();
    }
    bool alone = resources == "kernel";
    std::optional<hcc::fpga::Board> loaded =
        hcc::fpga::loadBoardOrError(module, board);
    if (!loaded)
      return signalPassFailure();
    const hcc::fpga::Board &b = *loaded;
    const hcc::fpga::MacCost &mac = b.f32Mac;
    // Processing elements (multiply-adds) the board holds, by DSPs and by
    // logic.
    double byDsp = mac.dsp > 0 ? b.dsp / mac.dsp : 1e18;
    double byLogic = mac.logic > 0 ? b.logic / mac.logic : 1e18;
    double capacity = std::min(byDsp, byLogic);
    std::string limiting =
        byDsp <= byLogic ? b.dspKind + " blocks" : b.logicKind + "s";
    // "kernel 'K' <what> N multiply-adds, more than board 'B' holds".
    auto tooLarge = [&](func::FuncOp kernel, const std::string &what,
                        double elements) {
      kernel.emitError() << "FPGA target: kernel '" << kernel.getSymName()
                         << "' " << what << " "
                         << static_cast<int64_t>(elements)
                         << " multiply-adds, more than board '" << b.name
                         << "' holds (" << static_cast<int64_t>(capacity)
                         << ", by its " << limiting << ")";
      signalPassFailure();
    };

    SmallVector<func::FuncOp> sized, tuned;
    double forced = 0;
    for (auto kernel : module.getOps<func::FuncOp>()) {
      if (!kernel->hasAttr(hcc::exec::kKernelAttrName))
        continue;
      if (kernel->hasAttr(hcc::exec::kTunedOptionsAttrName)) {
        tuned.push_back(kernel);
        continue;
      }
      int64_t tm = knob(kernel, "tile-m"), tn = knob(kernel, "tile-n");
      if (tm > 0 && tn > 0 && hasContraction(kernel)) {
        double elements = double(tm) * tn;
        forced = alone ? std::max(forced, elements) : forced + elements;
        if (forced > capacity)
          return tooLarge(
              kernel,
              llvm::formatv("forces tile-m x tile-n = {0} x {1}{2}", tm, tn,
                            alone ? ", that is"
                                  : "; with the other forced kernels that is")
                  .str(),
              forced);
        continue;
      }
      sized.push_back(kernel);
    }
    if (alone)
      forced = 0;

    // Tuned kernels with a contraction share their part of the budget.
    SmallVector<func::FuncOp> tunedContractions;
    SmallVector<SmallVector<TunedOption>> options;
    for (func::FuncOp kernel : tuned) {
      SmallVector<TunedOption> worthwhile = worthwhileOptions(kernel);
      kernel->removeAttr(hcc::exec::kTunedOptionsAttrName);
      if (worthwhile.empty() || !hasContraction(kernel)) {
        sized.push_back(kernel);
        continue;
      }
      tunedContractions.push_back(kernel);
      options.push_back(std::move(worthwhile));
    }
    int64_t contractions =
        llvm::count_if(sized, hasContraction) + tunedContractions.size();
    double budget = kBudgetShare * capacity - forced;
    SmallVector<size_t> chosen;
    double tunedElements = 0;
    if (alone) {
      // Each kernel its fastest option, as if it had the board alone.
      for (auto [kernel, list] : llvm::zip(tunedContractions, options)) {
        chosen.push_back(list.size() - 1);
        if (list.back().elements > capacity)
          return tooLarge(kernel,
                          "is tuned to " + arrayOf(list.back()) + ", that is",
                          list.back().elements);
      }
    } else if (!options.empty()) {
      tunedElements = chooseTuned(
          options, budget * tunedContractions.size() / contractions, chosen);
      if (forced + tunedElements > capacity)
        return tooLarge(tunedContractions.front(),
                        "and the other tuned kernels need, at their smallest "
                        "measured arrays and beside the forced kernels,",
                        forced + tunedElements);
    }
    for (auto [kernel, list, pick] :
         llvm::zip(tunedContractions, options, chosen))
      setKnobs(kernel, list[pick].config.getValue());

    int64_t untuned = contractions - tunedContractions.size();
    double share = untuned ? (budget - tunedElements) / untuned : 0;
    Builder builder(module.getContext());
    for (func::FuncOp kernel : sized) {
      int64_t tm = knob(kernel, "tile-m"), tn = knob(kernel, "tile-n");
      if (!hasContraction(kernel)) {
        tm = tm ? tm : 1;
        tn = tn ? tn : 16;
      } else {
        auto budget = static_cast<int64_t>(std::max(1.0, share));
        if (!tn)
          tn = int64_t(llvm::bit_floor(uint64_t(
              std::clamp<int64_t>(budget / (tm ? tm : 1), 1, kMaxTileN))));
        if (!tm)
          tm = std::clamp<int64_t>(budget / tn, 1, kMaxTileM);
      }
      setKnobs(kernel,
               {builder.getNamedAttr("tile-m", builder.getI64IntegerAttr(tm)),
                builder.getNamedAttr("tile-n", builder.getI64IntegerAttr(tn))});
    }
  }
};

} // namespace
