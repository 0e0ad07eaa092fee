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

struct FitPass : hcc::impl::FPGAFitBase<FitPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
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

    SmallVector<func::FuncOp> sized;
    double forced = 0;
    for (auto kernel : module.getOps<func::FuncOp>()) {
      if (!kernel->hasAttr(hcc::exec::kKernelAttrName))
        continue;
      int64_t tm = knob(kernel, "tile-m"), tn = knob(kernel, "tile-n");
      if (tm > 0 && tn > 0 && hasContraction(kernel)) {
        forced += double(tm) * tn;
        if (forced > capacity) {
          kernel.emitError() << "FPGA target: kernel '" << kernel.getSymName()
                             << "' forces tile-m x tile-n = " << tm << " x "
                             << tn << "; with the other forced kernels that is "
                             << static_cast<int64_t>(forced)
                             << " multiply-adds, more than board '" << b.name
                             << "' holds (" << static_cast<int64_t>(capacity)
                             << ", by its " << limiting << ")";
          return signalPassFailure();
        }
        continue;
      }
      sized.push_back(kernel);
    }
    int64_t contractions = llvm::count_if(sized, hasContraction);
    double share =
        contractions ? (kBudgetShare * capacity - forced) / contractions : 0;
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
      NamedAttrList knobs;
      if (auto given =
              kernel->getAttrOfType<DictionaryAttr>(hcc::exec::kKnobsAttrName))
        knobs.append(given.getValue());
      knobs.set("tile-m", builder.getI64IntegerAttr(tm));
      knobs.set("tile-n", builder.getI64IntegerAttr(tn));
      kernel->setAttr(hcc::exec::kKnobsAttrName,
                      knobs.getDictionary(module.getContext()));
    }
  }
};

} // namespace
