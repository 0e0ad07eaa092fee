//===- AsyncParallelFor.cpp - kernel tiles as tasks on the runtime's pool -===//
//
// hcc-cpu-async-parallel-for: the scf.parallel loops that distribution made
// (scf.forall on tensors, scf-forall-to-parallel after bufferization) become
// async tasks through upstream's async-parallel-for rewrite. What hcc adds:
//  - a cost model for the smallest task: the loop body's instructions are
//    estimated (vector ops count once per hardware vector, nested loops by
//    their trip counts) and a task gets at least `task-work` of them; with a
//    single worker the loop runs as one block, with no task at all;
//  - captured views (subviews, reshapes of buffers, index arithmetic) are
//    cloned into the loop so that the outlined compute function only takes
//    identity-layout buffers (the bare-pointer kernel convention);
//  - loops that cannot be outlined that way, and loops nested in another
//    parallel loop, run sequentially (scf.for nests);
//  - multi-dimensional loops are collapsed to one dimension first (the
//    upstream rewrite's block-aligned dispatch of multi-dimensional loops
//    runs surplus blocks that recompute tiles).
// The async ops are then lowered by upstream's async-to-async-runtime,
// reference counting and convert-async-to-llvm into calls of the MLIR async
// runtime API, which the hcc runtime implements on its thread pool.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/CPU/CPUTarget.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Async/IR/Async.h"
#include "mlir/Dialect/Async/Transforms.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/RegionUtils.h"

#include <numeric>

namespace hcc {
#define GEN_PASS_DEF_CPUASYNCPARALLELFOR
#include "hcc/Target/CPU/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {
/// f32 lanes of one hardware vector instruction in the cost estimate.
constexpr int64_t kLanesPerInstruction = 16;
/// Trip count assumed for loops whose bounds are not constants.
constexpr int64_t kUnknownTripCount = 16;

int64_t estimateBlock(Block &block);

/// Rough instruction count of one execution of `op`.
int64_t estimateOp(Operation &op) {
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    std::optional<APInt> trips = loop.getStaticTripCount();
    int64_t count = trips ? trips->getSExtValue() : kUnknownTripCount;
    return std::min<int64_t>(1 + count * estimateBlock(*loop.getBody()),
                             int64_t(1) << 40);
  }
  if (op.getNumRegions() != 0) {
    int64_t cost = 1;
    for (Region &region : op.getRegions())
      for (Block &block : region)
        cost += estimateBlock(block);
    return cost;
  }
  if (isa<arith::ConstantOp>(op))
    return 0;
  int64_t cost = 1;
  auto vectorCost = [&](Type type) {
    if (auto vector = dyn_cast<VectorType>(type))
      cost = std::max<int64_t>(cost, llvm::divideCeil(vector.getNumElements(),
                                                      kLanesPerInstruction));
  };
  for (Type type : op.getResultTypes())
    vectorCost(type);
  for (Type type : op.getOperandTypes())
    vectorCost(type);
  return cost;
}

int64_t estimateBlock(Block &block) {
  int64_t cost = 0;
  for (Operation &op : block)
    cost = std::min<int64_t>(cost + estimateOp(op), int64_t(1) << 40);
  return cost;
}

/// Whether the bare-pointer convention can pass `value` to a function.
bool isBarePointerCompatible(Value value) {
  auto memref = dyn_cast<MemRefType>(value.getType());
  if (!memref)
    return !isa<BaseMemRefType>(value.getType());
  return memref.hasStaticShape() && memref.getLayout().isIdentity();
}

/// Clones the side-effect-free, region-free ops that compute the loop's
/// captured values (views and index arithmetic) into the loop body.
void sinkCaptures(RewriterBase &rewriter, scf::ParallelOp loop) {
  Region &body = loop.getRegion();
  bool changed = true;
  while (changed) {
    changed = false;
    llvm::SetVector<Value> captures;
    getUsedValuesDefinedAbove(body, captures);
    for (Value capture : captures) {
      Operation *def = capture.getDefiningOp();
      if (!def || def->getNumRegions() != 0 || !isMemoryEffectFree(def))
        continue;
      rewriter.setInsertionPointToStart(loop.getBody());
      Operation *clone = rewriter.clone(*def);
      for (auto [from, to] : llvm::zip(def->getResults(), clone->getResults()))
        replaceAllUsesInRegionWith(from, to, body);
      changed = true;
    }
  }
}

/// Replaces a parallel loop without reductions by a sequential loop nest.
void serialize(RewriterBase &rewriter, scf::ParallelOp loop) {
  rewriter.setInsertionPoint(loop);
  scf::buildLoopNest(
      rewriter, loop.getLoc(), loop.getLowerBound(), loop.getUpperBound(),
      loop.getStep(), [&](OpBuilder &b, Location, ValueRange ivs) {
        IRMapping mapping;
        mapping.map(loop.getInductionVars(), ivs);
        for (Operation &op : loop.getBody()->without_terminator())
          b.clone(op, mapping);
      });
  rewriter.eraseOp(loop);
}

struct CPUAsyncParallelForPass
    : hcc::impl::CPUAsyncParallelForBase<CPUAsyncParallelForPass> {
  using CPUAsyncParallelForBase::CPUAsyncParallelForBase;

  /// The smallest number of iterations worth a task: `task-work`
  /// instructions; all of them when the runtime has a single worker.
  Value minTaskSize(ImplicitLocOpBuilder &b, scf::ParallelOp loop) const {
    int64_t perIteration = std::max<int64_t>(1, estimateBlock(*loop.getBody()));
    int64_t iterations =
        std::max<int64_t>(1, llvm::divideCeil(taskWork, perIteration));
    Value minIterations = arith::ConstantIndexOp::create(b, iterations);
    Value tripCount = arith::ConstantIndexOp::create(b, 1);
    for (auto [lb, ub, step] : llvm::zip(
             loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
      Value range = arith::SubIOp::create(b, ub, lb);
      tripCount = arith::MulIOp::create(
          b, tripCount, arith::CeilDivSIOp::create(b, range, step));
    }
    Value workers = numWorkers >= 0
                        ? Value(arith::ConstantIndexOp::create(b, numWorkers))
                        : Value(async::RuntimeNumWorkerThreadsOp::create(b));
    Value single = arith::CmpIOp::create(b, arith::CmpIPredicate::sle, workers,
                                         arith::ConstantIndexOp::create(b, 1));
    Value all = arith::MaxSIOp::create(b, tripCount,
                                       arith::ConstantIndexOp::create(b, 1));
    return arith::SelectOp::create(b, single, all, minIterations);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    IRRewriter rewriter(ctx);
    SmallVector<scf::ParallelOp> loops;
    module.walk([&](scf::ParallelOp loop) { loops.push_back(loop); });
    // Post-order: nested loops are serialized before their parent is seen.
    for (scf::ParallelOp loop : loops) {
      if (loop.getNumReductions() != 0)
        continue;
      sinkCaptures(rewriter, loop);
      llvm::SetVector<Value> captures;
      getUsedValuesDefinedAbove(loop.getRegion(), captures);
      bool outlinable = llvm::all_of(captures, isBarePointerCompatible);
      if (!outlinable || loop->getParentOfType<scf::ParallelOp>())
        serialize(rewriter, loop);
    }

    // One dimension per loop: upstream's dispatch of multi-dimensional loops
    // in blocks aligned to the inner dimensions counts its blocks with the
    // unaligned size, and the surplus blocks (their first index wraps around
    // in the delinearization) compute tiles a second time.
    SmallVector<scf::ParallelOp> multiDim;
    module.walk([&](scf::ParallelOp loop) {
      if (loop.getNumLoops() > 1 && loop.getNumReductions() == 0)
        multiDim.push_back(loop);
    });
    for (scf::ParallelOp loop : multiDim) {
      std::vector<unsigned> all(loop.getNumLoops());
      std::iota(all.begin(), all.end(), 0u);
      collapseParallelLoops(rewriter, loop, {all});
    }

    RewritePatternSet patterns(ctx);
    async::populateAsyncParallelForPatterns(
        patterns, /*asyncDispatch=*/true, numWorkers,
        [this](ImplicitLocOpBuilder b, scf::ParallelOp loop) {
          return minTaskSize(b, loop);
        });
    if (failed(applyPatternsGreedily(module, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
