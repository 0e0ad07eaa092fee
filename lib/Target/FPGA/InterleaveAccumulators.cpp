//===- InterleaveAccumulators.cpp - II 1 for floating accumulations -------===//
//
// hcc-fpga-interleave-accumulators: an innermost loop that adds into a
// floating-point sum it carries (acc = acc + x) cannot start an iteration
// before the previous add is done: its II is the add's latency L. Keeping
// L partial sums in a shift register (each iteration adds into the one
// written L iterations ago, the Intel FPGA single-work-item idiom; what
// Vitis does for floating sums under unsafe math) makes the distance of
// the dependence L and the II 1; the partials are added after the loop.
// This reassociates the sum, as -ffast-math does.
//
//===----------------------------------------------------------------------===//

#include "Timing.h"

#include "hcc/Target/FPGA/Board.h"
#include "hcc/Target/FPGA/FPGATarget.h"

#include "../OpenCL/OpenCLUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"

namespace hcc {
#define GEN_PASS_DEF_FPGAINTERLEAVEACCUMULATORS
#include "hcc/Target/FPGA/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {

/// Loops shorter than this many times the add's latency keep their
/// accumulators: the partials' final sum would cost more than it saves.
constexpr int64_t kMinTripsPerLatency = 2;

/// The carried values of `loop` that are floating sums: iteration
/// argument i used only by the arith.addf its yield operand i is.
SmallVector<unsigned> floatingSums(scf::ForOp loop) {
  SmallVector<unsigned> sums;
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  for (auto [i, arg] : llvm::enumerate(loop.getRegionIterArgs())) {
    auto add = yield.getOperand(i).getDefiningOp<arith::AddFOp>();
    if (!add || add->getBlock() != loop.getBody() || !arg.hasOneUse() ||
        !llvm::is_contained(add->getOperands(), arg) ||
        add.getLhs() == add.getRhs())
      continue;
    sums.push_back(i);
  }
  return sums;
}

struct InterleaveAccumulatorsPass
    : hcc::impl::FPGAInterleaveAccumulatorsBase<InterleaveAccumulatorsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<hcc::fpga::Board> loaded =
        hcc::fpga::loadBoardOrError(module, board);
    if (!loaded)
      return signalPassFailure();
    hcc::fpga::OpTiming timing(*loaded);
    SmallVector<scf::ForOp> loops;
    module.walk([&](scf::ForOp loop) {
      auto stage = loop->getParentOfType<func::FuncOp>();
      bool innermost = true;
      loop.getBody()->walk([&](scf::ForOp) { innermost = false; });
      if (stage && stage->hasAttr(hcc::opencl::kStageAttr) && innermost)
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops)
      interleave(loop, timing);
  }

  void interleave(scf::ForOp loop, const hcc::fpga::OpTiming &timing) {
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
    std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
    std::optional<int64_t> step = getConstantIntValue(loop.getStep());
    if (!lb || !ub || !step || *step <= 0)
      return;
    int64_t trips = (*ub - *lb + *step - 1) / *step;
    SmallVector<unsigned> sums = floatingSums(loop);
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    // Each sum and its depth: the latency of its add.
    SmallVector<std::pair<unsigned, int64_t>> plan;
    for (unsigned i : sums) {
      int64_t depth = timing.latency(yield.getOperand(i).getDefiningOp());
      if (depth > 1 && trips >= kMinTripsPerLatency * depth)
        plan.push_back({i, depth});
    }
    if (plan.empty())
      return;

    OpBuilder b(loop);
    Location loc = loop.getLoc();
    unsigned carried = loop.getNumRegionIterArgs();
    SmallVector<Value> inits(loop.getInitArgs());
    // Partial sums 1 .. depth - 1 of each, after the loop's own values.
    SmallVector<unsigned> firstExtra;
    for (auto [i, depth] : plan) {
      firstExtra.push_back(inits.size());
      Type type = loop.getRegionIterArgs()[i].getType();
      Value zero = arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
      inits.append(depth - 1, zero);
    }
    auto newLoop = scf::ForOp::create(
        b, loc, loop.getLowerBound(), loop.getUpperBound(), loop.getStep(),
        inits, [&](OpBuilder &nb, Location l, Value iv, ValueRange args) {
          IRMapping map;
          map.map(loop.getInductionVar(), iv);
          for (unsigned i = 0; i < carried; ++i)
            map.map(loop.getRegionIterArgs()[i], args[i]);
          for (Operation &op : loop.getBody()->without_terminator())
            nb.clone(op, map);
          SmallVector<Value> yields;
          for (Value v : yield.getOperands())
            yields.push_back(map.lookupOrDefault(v));
          // Sum i adds into its oldest partial; the others shift along.
          for (auto [k, entry] : llvm::enumerate(plan)) {
            auto [i, depth] = entry;
            unsigned extra = firstExtra[k];
            auto add = yields[i].getDefiningOp<arith::AddFOp>();
            Value oldest = args[extra + depth - 2];
            add->setOperand(add.getLhs() == args[i] ? 0 : 1, oldest);
            yields.push_back(args[i]);
            for (int64_t r = 1; r < depth - 1; ++r)
              yields.push_back(args[extra + r - 1]);
          }
          scf::YieldOp::create(nb, l, yields);
        });
    // After the loop: each sum is its partials added pairwise.
    b.setInsertionPointAfter(newLoop);
    SmallVector<Value> results(newLoop.getResults().take_front(carried));
    for (auto [k, entry] : llvm::enumerate(plan)) {
      auto [i, depth] = entry;
      SmallVector<Value> partials = {newLoop.getResult(i)};
      for (int64_t r = 0; r < depth - 1; ++r)
        partials.push_back(newLoop.getResult(firstExtra[k] + r));
      while (partials.size() > 1) {
        SmallVector<Value> next;
        for (size_t p = 0; p + 1 < partials.size(); p += 2)
          next.push_back(
              arith::AddFOp::create(b, loc, partials[p], partials[p + 1]));
        if (partials.size() % 2)
          next.push_back(partials.back());
        partials = std::move(next);
      }
      results[i] = partials.front();
    }
    loop.replaceAllUsesWith(results);
    loop.erase();
  }
};

} // namespace
