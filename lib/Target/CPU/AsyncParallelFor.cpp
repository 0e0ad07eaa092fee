//===- AsyncParallelFor.cpp - kernel tiles as tasks on the runtime's pool -===//
//
// hcc-cpu-async-parallel-for: the scf.parallel loops that distribution made
// (scf.forall on tensors, scf-forall-to-parallel after bufferization) become
// work-sharing loops over the runtime's workers:
//  - the loop body is outlined into a function that claims chunks of
//    iterations with an atomic counter per part; the kernel's thread calls
//    it and so does each of parts - 1 async tasks, then it awaits them.
//    One task per worker, not per block, and no block boundaries fixed in
//    advance: a worker that starts late finds less left, not a fixed share;
//  - the iterations are cut into one contiguous part per participant, and
//    a participant starts with the part of its worker index: successive
//    kernels over the same data (a chain of convolutions over the same
//    columns) find their part in their own core's cache. Then it helps with
//    the other parts;
//  - a cost model sizes parts and chunks: the loop body's instructions are
//    estimated (vector ops count once per hardware vector, nested loops by
//    their trip counts); a part gets at least `task-work` of them (a small
//    loop runs on the kernel's thread alone), a claim at least `claim-work`;
//  - buffers an iteration allocates and frees itself are allocated once
//    per call of the outlined function (per participant), not per
//    iteration;
//  - captured views (subviews, reshapes of buffers, index arithmetic) are
//    cloned into the loop so that the outlined function only takes
//    identity-layout buffers (the bare-pointer kernel convention);
//  - loops that cannot be outlined that way, and loops nested in another
//    parallel loop, run sequentially (scf.for nests);
//  - multi-dimensional loops are collapsed to one dimension first.
// The async ops are then lowered by upstream's async-to-async-runtime,
// reference counting and convert-async-to-llvm into calls of the MLIR async
// runtime API, which the hcc runtime implements on its thread pool.
//
//===----------------------------------------------------------------------===//

#include "SoleDealloc.h"
#include "hcc/Target/CPU/CPUTarget.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Async/IR/Async.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
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

/// Counters are this many i64 apart: one cache line each, so that workers
/// claiming from their own parts do not contend for one line.
constexpr int64_t kCounterStride = 8;
/// Parts (participating workers) of one loop at most.
constexpr int64_t kMaxParts = 64;
/// The runtime's index of the calling worker (-1 off the pool).
constexpr StringLiteral kWorkerIndexFn = "hcc_cpu_worker_index";

/// Declares the runtime's worker-index function in `module` once.
func::FuncOp workerIndexDecl(ModuleOp module) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(kWorkerIndexFn))
    return fn;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto fn = func::FuncOp::create(b, module.getLoc(), kWorkerIndexFn,
                                 b.getFunctionType({}, {b.getI64Type()}));
  fn.setPrivate();
  return fn;
}

/// Outlines `loop` into a function that claims chunks of its iterations:
///   (counters, parts, chunk, trips, lb, step, captures...)
/// The iterations are cut into `parts` contiguous parts of whole chunks.
/// A participant starts with the part of its worker index (modulo parts),
/// so a worker tends to handle the same region of the data in successive
/// kernels (it is still in that core's cache), then helps with the other
/// parts. Chunks are claimed with an atomic increment of the part's
/// counter.
/// The buffers an iteration of the claim loop (`iterations`) allocates and
/// frees itself (static shapes: a depthwise convolution's phase planes and
/// output row when they exceed the task stack budget) are allocated once
/// per call, before `visit`, and freed before `ret`: nothing in them
/// outlives the iteration, and a participant runs its iterations one after
/// another. Saves a malloc and a free per iteration (192 per run of a
/// 192-channel depthwise convolution, 6 % of its samples at 2 threads).
void hoistIterationBuffers(scf::ForOp iterations, scf::ForOp visit,
                           func::ReturnOp ret) {
  Block *body = iterations.getBody();
  for (memref::AllocOp alloc :
       llvm::make_early_inc_range(body->getOps<memref::AllocOp>())) {
    if (!alloc.getType().hasStaticShape() || !alloc.getSymbolOperands().empty())
      continue;
    Operation *free = hcc::cpu::soleDeallocIn(alloc, body);
    if (!free)
      continue;
    alloc->moveBefore(visit);
    free->moveBefore(ret);
  }
}

func::FuncOp outlineClaimLoop(RewriterBase &rewriter, scf::ParallelOp loop,
                              ArrayRef<Value> captures, StringRef name) {
  ModuleOp module = loop->getParentOfType<ModuleOp>();
  Location loc = loop.getLoc();
  MLIRContext *ctx = loop.getContext();
  Type index = rewriter.getIndexType(), i64 = rewriter.getI64Type();
  auto counters = MemRefType::get({kMaxParts * kCounterStride}, i64);
  SmallVector<Type> types = {counters, index, index, index, index, index};
  for (Value capture : captures)
    types.push_back(capture.getType());
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToEnd(module.getBody());
  auto fn = func::FuncOp::create(rewriter, loc, name,
                                 FunctionType::get(ctx, types, {}));
  fn.setPrivate();
  Block *entry = fn.addEntryBlock();
  ImplicitLocOpBuilder b(loc, rewriter);
  b.setInsertionPointToStart(entry);
  Value next = entry->getArgument(0), parts = entry->getArgument(1),
        chunk = entry->getArgument(2), trips = entry->getArgument(3),
        lb = entry->getArgument(4), step = entry->getArgument(5);
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, v);
  };
  Value c0 = constant(0), c1 = constant(1);
  Value worker = arith::IndexCastOp::create(
      b, index,
      func::CallOp::create(b, workerIndexDecl(module), ValueRange{})
          .getResult(0));
  Value self =
      arith::RemUIOp::create(b, arith::MaxSIOp::create(b, worker, c0), parts);
  Value chunks = arith::CeilDivUIOp::create(b, trips, chunk);
  Value one = arith::ConstantIntOp::create(b, i64, 1);
  auto visit = scf::ForOp::create(b, c0, parts, c1);
  b.setInsertionPointToStart(visit.getBody());
  Value part = arith::RemUIOp::create(
      b, arith::AddIOp::create(b, self, visit.getInductionVar()), parts);
  auto boundary = [&](Value p) -> Value {
    return arith::DivUIOp::create(b, arith::MulIOp::create(b, p, chunks),
                                  parts);
  };
  Value begin = boundary(part);
  Value end = boundary(arith::AddIOp::create(b, part, c1));
  Value slot = arith::MulIOp::create(b, part, constant(kCounterStride));
  auto claims = scf::WhileOp::create(b, TypeRange{index}, ValueRange{});
  scf::ForOp iterations;
  {
    Block *before = b.createBlock(&claims.getBefore());
    b.setInsertionPointToStart(before);
    Value taken = memref::AtomicRMWOp::create(b, arith::AtomicRMWKind::addi,
                                              one, next, ValueRange{slot});
    Value claimed = arith::AddIOp::create(
        b, begin, arith::IndexCastOp::create(b, index, taken));
    Value more =
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, claimed, end);
    scf::ConditionOp::create(b, more, ValueRange{claimed});
  }
  {
    Block *after = b.createBlock(&claims.getAfter(), {}, {index}, {loc});
    b.setInsertionPointToStart(after);
    Value first = arith::MulIOp::create(b, after->getArgument(0), chunk);
    Value last = arith::MinUIOp::create(
        b, arith::AddIOp::create(b, first, chunk), trips);
    iterations = scf::ForOp::create(b, first, last, c1);
    b.setInsertionPointToStart(iterations.getBody());
    IRMapping mapping;
    for (auto [capture, arg] :
         llvm::zip(captures, entry->getArguments().drop_front(6)))
      mapping.map(capture, arg);
    mapping.map(
        loop.getInductionVars()[0],
        arith::AddIOp::create(
            b, lb,
            arith::MulIOp::create(b, iterations.getInductionVar(), step)));
    for (Operation &op : loop.getBody()->without_terminator())
      b.clone(op, mapping);
    b.setInsertionPointToEnd(after);
    scf::YieldOp::create(b);
  }
  b.setInsertionPointToEnd(entry);
  auto ret = func::ReturnOp::create(b);
  hoistIterationBuffers(iterations, visit, ret);
  return fn;
}

struct CPUAsyncParallelForPass
    : hcc::impl::CPUAsyncParallelForBase<CPUAsyncParallelForPass> {
  using CPUAsyncParallelForBase::CPUAsyncParallelForBase;

  /// Replaces a one-dimensional `loop` by calls of its outlined claim loop:
  /// one on the calling thread and one in each of parts - 1 async tasks,
  /// where parts is the number of workers, but no more than gives every
  /// part `task-work` estimated instructions.
  void dispatch(RewriterBase &rewriter, scf::ParallelOp loop,
                DenseMap<Operation *, Value> &counterBuffers, int &count) {
    llvm::SetVector<Value> captureSet;
    getUsedValuesDefinedAbove(loop.getRegion(), captureSet);
    SmallVector<Value> captures(captureSet.begin(), captureSet.end());
    auto parent = loop->getParentOfType<func::FuncOp>();
    func::FuncOp fn = outlineClaimLoop(
        rewriter, loop, captures,
        (parent.getSymName() + "_tiles" + Twine(count++)).str());

    int64_t perIteration = std::max<int64_t>(1, estimateBlock(*loop.getBody()));
    Value &next = counterBuffers[parent];
    if (!next) {
      rewriter.setInsertionPointToStart(&parent.getBody().front());
      next = memref::AllocaOp::create(
          rewriter, loop.getLoc(),
          MemRefType::get({kMaxParts * kCounterStride}, rewriter.getI64Type()));
    }
    ImplicitLocOpBuilder b(loop.getLoc(), rewriter);
    b.setInsertionPoint(loop);
    auto constant = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, v);
    };
    Value c0 = constant(0), c1 = constant(1);
    Value lb = loop.getLowerBound()[0], step = loop.getStep()[0];
    // Folded as built: constant bounds give a constant trip count.
    Value trips = b.createOrFold<arith::CeilDivSIOp>(
        b.createOrFold<arith::SubIOp>(loop.getUpperBound()[0], lb), step);
    trips = b.createOrFold<arith::MaxSIOp>(trips, c0);
    int64_t perPartIterations =
        std::max<int64_t>(1, llvm::divideCeil(taskWork, perIteration));
    Value chunk = constant(std::min(
        perPartIterations,
        std::max<int64_t>(1, llvm::divideCeil(claimWork, perIteration))));
    // A loop too small to split (known when compiling) asks no one.
    std::optional<int64_t> staticTrips = getConstantIntValue(trips);
    bool split = numWorkers != 1 &&
                 (!staticTrips || *staticTrips >= 2 * perPartIterations);
    Value parts = c1;
    if (split) {
      Value workers = numWorkers > 0
                          ? constant(numWorkers)
                          : Value(async::RuntimeNumWorkerThreadsOp::create(b));
      parts = arith::MinUIOp::create(
          b, workers,
          arith::DivUIOp::create(b, trips, constant(perPartIterations)));
      parts = arith::MinUIOp::create(
          b, parts, arith::CeilDivUIOp::create(b, trips, chunk));
      parts = arith::MinUIOp::create(b, parts, constant(kMaxParts));
      parts = arith::MaxSIOp::create(b, parts, c1);
    }
    auto zeroCounters = scf::ForOp::create(b, c0, parts, c1);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(zeroCounters.getBody());
      memref::StoreOp::create(
          b, arith::ConstantIntOp::create(b, b.getI64Type(), 0), next,
          ValueRange{arith::MulIOp::create(b, zeroCounters.getInductionVar(),
                                           constant(kCounterStride))});
    }
    SmallVector<Value> args = {next, parts, chunk, trips, lb, step};
    args.append(captures);
    auto call = [&](OpBuilder &builder, Location loc) {
      func::CallOp::create(builder, loc, fn, args);
    };
    if (!split) {
      call(b, b.getLoc());
      rewriter.eraseOp(loop);
      return;
    }
    Value helpers = arith::SubIOp::create(b, parts, c1);
    auto single = scf::IfOp::create(
        b, arith::CmpIOp::create(b, arith::CmpIPredicate::eq, helpers, c0),
        /*withElseRegion=*/true);
    b.setInsertionPointToStart(single.thenBlock());
    call(b, b.getLoc());
    b.setInsertionPointToStart(single.elseBlock());
    Value group = async::CreateGroupOp::create(
        b, async::GroupType::get(b.getContext()), helpers);
    auto spawn = scf::ForOp::create(b, c0, helpers, c1);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(spawn.getBody());
      auto task = async::ExecuteOp::create(
          b, TypeRange{}, ValueRange{}, ValueRange{},
          [&](OpBuilder &builder, Location loc, ValueRange) {
            call(builder, loc);
            async::YieldOp::create(builder, loc, ValueRange{});
          });
      async::AddToGroupOp::create(b, b.getIndexType(), task.getToken(), group);
    }
    call(b, b.getLoc());
    async::AwaitAllOp::create(b, group);
    rewriter.eraseOp(loop);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (numWorkers == 0 || numWorkers < -1 || taskWork < 1 || claimWork < 1) {
      module.emitError() << "hcc-cpu-async-parallel-for: num-workers must be "
                            "-1 (ask the runtime) or at least 1, task-work "
                            "and claim-work at least 1 (got "
                         << numWorkers << ", " << taskWork << ", " << claimWork
                         << ")";
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    SmallVector<scf::ParallelOp> loops;
    module.walk([&](scf::ParallelOp loop) { loops.push_back(loop); });
    // Post-order: nested loops are serialized before their parent is seen.
    for (scf::ParallelOp loop : loops) {
      if (loop.getNumReductions() != 0)
        continue;
      sinkCaptures(rewriter, loop);
      llvm::SetVector<Value> captures;
      getUsedValuesDefinedAbove(loop.getRegion(), captures);
      bool outlinable = llvm::all_of(captures, isBarePointerCompatible) &&
                        loop->getParentOfType<func::FuncOp>();
      if (!outlinable || loop->getParentOfType<scf::ParallelOp>())
        serialize(rewriter, loop);
    }
    // One dimension per loop: the claim loop walks a linear range.
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
    SmallVector<scf::ParallelOp> tasks;
    module.walk([&](scf::ParallelOp loop) {
      if (loop.getNumReductions() == 0)
        tasks.push_back(loop);
    });
    DenseMap<Operation *, Value> counterBuffers;
    int count = 0;
    for (scf::ParallelOp loop : tasks)
      dispatch(rewriter, loop, counterBuffers, count);
  }
};
} // namespace
