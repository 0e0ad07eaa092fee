//===- FlattenLoops.cpp - one pipeline per perfect loop nest --------------===//
//
// hcc-fpga-flatten-loops: an FPGA compiler pipelines innermost loops, so a
// nest of short loops (a 3x3 window inside the channels) pays the pipeline
// depth once per inner loop run. Coalescing a perfect nest into one loop
// (what Intel's `loop_coalesce` and Vitis' `loop_flatten` do) pays it once
// for the nest. Uses upstream scf::coalesceLoops.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/FPGA/FPGATarget.h"

#include "../OpenCL/OpenCLUtils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace hcc {
#define GEN_PASS_DEF_FPGAFLATTENLOOPS
#include "hcc/Target/FPGA/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {

bool constantBounds(scf::ForOp loop) {
  return getConstantIntValue(loop.getLowerBound()) &&
         getConstantIntValue(loop.getUpperBound()) &&
         getConstantIntValue(loop.getStep());
}

/// The loop `outer`'s body runs exactly, and only, when it is a single
/// loop whose results it yields: the next loop of a perfect nest.
scf::ForOp perfectlyNestedChild(scf::ForOp outer) {
  Block *body = outer.getBody();
  if (body->getOperations().size() != 2)
    return {};
  auto inner = dyn_cast<scf::ForOp>(body->front());
  if (!inner)
    return {};
  auto yield = cast<scf::YieldOp>(body->getTerminator());
  if (yield.getOperands() != ValueRange(inner.getResults()))
    return {};
  // The inner loop starts from what the outer one carries.
  if (inner.getInitArgs() != ValueRange(outer.getRegionIterArgs()))
    return {};
  return inner;
}

/// Trips of a loop with constant bounds.
int64_t trips(scf::ForOp loop) {
  int64_t lb = *getConstantIntValue(loop.getLowerBound());
  int64_t ub = *getConstantIntValue(loop.getUpperBound());
  int64_t step = *getConstantIntValue(loop.getStep());
  return step > 0 ? std::max<int64_t>(0, (ub - lb + step - 1) / step) : 0;
}

struct FlattenLoopsPass : hcc::impl::FPGAFlattenLoopsBase<FlattenLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The bands: from each loop with constant bounds that is not itself the
    // perfectly nested child of one, down its perfect nest.
    SmallVector<SmallVector<scf::ForOp>> bands;
    module.walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
      auto stage = loop->getParentOfType<func::FuncOp>();
      if (!stage || !stage->hasAttr(hcc::opencl::kStageAttr) ||
          !constantBounds(loop))
        return;
      if (auto parent = dyn_cast<scf::ForOp>(loop->getParentOp()))
        if (constantBounds(parent) && perfectlyNestedChild(parent) == loop)
          return; // Part of its parent's band.
      SmallVector<scf::ForOp> band = {loop};
      int64_t total = trips(loop);
      while (scf::ForOp inner = perfectlyNestedChild(band.back())) {
        if (!constantBounds(inner) || total * trips(inner) > kMaxTrips)
          break;
        total *= trips(inner);
        band.push_back(inner);
      }
      if (band.size() > 1)
        bands.push_back(std::move(band));
    });
    IRRewriter rewriter(module.getContext());
    for (SmallVector<scf::ForOp> &band : bands)
      if (failed(coalesceLoops(rewriter, band))) {
        band.front().emitError("FPGA target: cannot flatten this loop nest");
        return signalPassFailure();
      }
  }

  /// Nests of more trips keep their outer loops (the index arithmetic of
  /// a flattened loop is 64-bit, but no kernel needs more).
  static constexpr int64_t kMaxTrips = int64_t(1) << 40;
};

} // namespace
