//===- Simulate.cpp - cycle-level simulation of FPGA kernels --------------===//
//
// hcc-fpga-simulate: runs the schedule an FPGA OpenCL compiler builds from
// a stage function, iteration by iteration, to check the closed-form model
// (Estimate.cpp) against (see the pass description in Passes.td). Index
// arithmetic is evaluated, so loop bounds, tile remainders and branches
// take their real values; data values are not computed.
//
//===----------------------------------------------------------------------===//

#include "Timing.h"

#include "hcc/Target/FPGA/Board.h"
#include "hcc/Target/FPGA/FPGATarget.h"

#include "../OpenCL/OpenCLUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>
#include <limits>

namespace hcc {
#define GEN_PASS_DEF_FPGASIMULATE
#include "hcc/Target/FPGA/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using hcc::fpga::OpTiming;

namespace {

bool isInnermost(scf::ForOp loop) {
  bool innermost = true;
  loop.getBody()->walk([&](scf::ForOp) { innermost = false; });
  return innermost;
}

/// One simulation of one stage. Times are cycles from the stage's start
/// (fractional: the memory channel moves a fraction of an access per
/// cycle).
class Simulator {
public:
  Simulator(const OpTiming &timing, int64_t maxSteps)
      : timing(timing), bytesPerCycle(timing.bytesPerCycle()),
        maxSteps(maxSteps) {}

  /// Cycles `stage` takes; failure (diagnosed on the op) when its control
  /// flow cannot be evaluated or it exceeds the step budget.
  FailureOr<double> run(func::FuncOp stage) {
    double end = runBlock(stage.getBody().front(), 0);
    if (broken)
      return failure();
    return end;
  }

private:
  const OpTiming &timing;
  double bytesPerCycle;
  int64_t maxSteps, steps = 0;
  /// Bytes the memory channel has moved in each cycle.
  DenseMap<int64_t, double> channel;
  /// Accesses each on-chip RAM array has served in each cycle.
  DenseMap<Value, DenseMap<int64_t, int64_t>> ports;
  /// When each private array element last stored can be read.
  DenseMap<std::pair<Value, int64_t>, double> written;
  bool broken = false;
  hcc::fpga::IndexValues values;
  DenseMap<Value, double> readyAt;

  void fail(Operation *op, const Twine &why) {
    if (!broken)
      op->emitError() << "FPGA simulator: " << why;
    broken = true;
  }

  bool step(Operation *op) {
    if (++steps <= maxSteps)
      return true;
    fail(op, "more than " + Twine(maxSteps) +
                 " operations to simulate (simulate smaller shapes or "
                 "raise max-steps)");
    return false;
  }

  double ready(Value v) const { return readyAt.lookup(v); }

  std::optional<int64_t> value(Value v) const {
    auto it = values.find(v);
    if (it == values.end())
      return std::nullopt;
    return it->second;
  }

  /// Records the integer results of `op` when its operands are known.
  void evaluate(Operation *op) { hcc::fpga::evaluateIndex(op, values); }

  /// When `op`, started at `t`, completes. Global accesses queue for the
  /// memory channel, which moves bytesPerCycle bytes in each cycle: an
  /// access takes what is left of the cycles from t on until its bytes
  /// are moved. A load's data is there kGlobalLoadLatency cycles after it
  /// starts, or the cycle after its last byte moved if the queue made it
  /// later; a store is done when its last byte moved. The pipeline does
  /// not wait for an access (load-store units buffer requests), only for
  /// data that comes late to the operation that uses it.
  double complete(Operation *op, double t) {
    std::optional<int64_t> bytes = hcc::fpga::globalBytes(op);
    if (!bytes)
      return t + timing.latency(op);
    auto cycle = static_cast<int64_t>(std::floor(t));
    double remaining = *bytes, moved = 0;
    while (true) {
      double &used = channel[cycle];
      double take = std::min(bytesPerCycle - used, remaining);
      used += take;
      remaining -= take;
      if (remaining <= 1e-9) {
        moved = cycle + used / bytesPerCycle; // When its last byte moved.
        break;
      }
      ++cycle;
    }
    prune(cycle);
    if (hcc::fpga::isLoad(op))
      return std::max(t + timing.latency(op), moved + 1);
    return std::max(t, moved);
  }

  /// When `op`, ready at `t`, gets a port of the on-chip RAM array it
  /// accesses (kRamPorts a cycle, first come first served); t for others.
  double portGrant(Operation *op, double t) {
    Value array = hcc::fpga::ramArray(op);
    if (!array)
      return t;
    auto cycle = static_cast<int64_t>(std::ceil(t));
    DenseMap<int64_t, int64_t> &use = ports[array];
    while (use[cycle] >= hcc::fpga::kRamPorts)
      ++cycle;
    ++use[cycle];
    if (use.size() >= (1u << 16)) { // Accesses never go back a depth.
      SmallVector<int64_t> old;
      for (auto &entry : use)
        if (entry.first < cycle - (1 << 14))
          old.push_back(entry.first);
      for (int64_t c : old)
        use.erase(c);
    }
    return std::max(t, static_cast<double>(cycle));
  }

  /// The element of its private array `op` accesses (the array and the
  /// linear index of the first element), when its indices are known.
  std::optional<std::pair<Value, int64_t>> element(Operation *op) {
    Value array = hcc::fpga::privateArray(op);
    if (!array)
      return std::nullopt;
    auto type = cast<MemRefType>(array.getType());
    if (!type.hasStaticShape())
      return std::nullopt;
    ValueRange indices = hcc::fpga::accessIndices(op);
    if (indices.size() != static_cast<size_t>(type.getRank()) ||
        op->getOperand(isa<memref::StoreOp, vector::StoreOp>(op) ? 1 : 0) !=
            array)
      return std::nullopt; // Through a view: not tracked.
    int64_t linear = 0;
    for (auto [index, size] : llvm::zip(indices, type.getShape())) {
      std::optional<int64_t> v = value(index);
      if (!v)
        return std::nullopt;
      linear = linear * size + *v;
    }
    return std::make_pair(array, linear);
  }

  /// When `op`, ready at `t`, may read its private array element: after
  /// the last store to it (a cycle later); a store records its time.
  double privateOrder(Operation *op, double t) {
    std::optional<std::pair<Value, int64_t>> at = element(op);
    if (!at)
      return t;
    if (isa<memref::StoreOp, vector::StoreOp>(op)) {
      written[*at] = t + 1;
      return t;
    }
    auto it = written.find(*at);
    return it == written.end() ? t : std::max(t, it->second);
  }

  /// Forgets channel cycles far behind `now` (accesses never go back more
  /// than a pipeline's depth).
  void prune(int64_t now) {
    if (channel.size() < (1u << 16))
      return;
    SmallVector<int64_t> old;
    for (auto &entry : channel)
      if (entry.first < now - (1 << 14))
        old.push_back(entry.first);
    for (int64_t cycle : old)
      channel.erase(cycle);
  }

  /// Passes `from` (values and times) into `to`, all at once: a carried
  /// value may pass on another one's (a shift register).
  void forward(ValueRange from, ValueRange to) {
    SmallVector<std::pair<double, std::optional<int64_t>>> passed;
    for (Value f : from)
      passed.push_back({ready(f), value(f)});
    for (auto [t, p] : llvm::zip(to, passed)) {
      readyAt[t] = p.first;
      if (p.second)
        values[t] = *p.second;
      else
        values.erase(t);
    }
  }

  /// Runs `block` from `start`: straight-line operations as soon as their
  /// operands are ready, loops and branches one after another. Returns
  /// when everything in it has completed.
  double runBlock(Block &block, double start) {
    double segmentStart = start, end = start;
    for (Operation &op : block.without_terminator()) {
      if (broken || !step(&op))
        return end;
      if (auto loop = dyn_cast<scf::ForOp>(op)) {
        end = runLoop(loop, end);
        segmentStart = end;
        continue;
      }
      if (auto branch = dyn_cast<scf::IfOp>(op)) {
        std::optional<int64_t> cond = value(branch.getCondition());
        if (!cond) {
          fail(&op, "the branch condition depends on data");
          return end;
        }
        Block *taken = *cond ? branch.thenBlock() : branch.elseBlock();
        end = std::max(end, ready(branch.getCondition()));
        if (taken) {
          end = runBlock(*taken, end);
          forward(taken->getTerminator()->getOperands(), branch.getResults());
        }
        segmentStart = end;
        continue;
      }
      double t = segmentStart;
      for (Value operand : op.getOperands())
        t = std::max(t, ready(operand));
      t = portGrant(&op, privateOrder(&op, t));
      double done = complete(&op, t);
      for (Value result : op.getResults())
        readyAt[result] = done;
      evaluate(&op);
      end = std::max(end, done);
    }
    return end;
  }

  std::optional<std::array<int64_t, 3>> bounds(scf::ForOp loop) {
    std::optional<int64_t> lb = value(loop.getLowerBound()),
                           ub = value(loop.getUpperBound()),
                           st = value(loop.getStep());
    if (!lb || !ub || !st || *st <= 0) {
      fail(loop, "cannot evaluate the loop's bounds");
      return std::nullopt;
    }
    return std::array<int64_t, 3>{*lb, *ub, *st};
  }

  /// An outer loop: its body once per trip, one cycle of control each.
  double runLoop(scf::ForOp loop, double start) {
    if (isInnermost(loop))
      return runPipelined(loop, start);
    std::optional<std::array<int64_t, 3>> b = bounds(loop);
    if (!b)
      return start;
    double t = std::max(start, ready(loop.getUpperBound()));
    forward(loop.getInitArgs(), loop.getRegionIterArgs());
    for (int64_t iv = (*b)[0]; iv < (*b)[1] && !broken; iv += (*b)[2]) {
      values[loop.getInductionVar()] = iv;
      readyAt[loop.getInductionVar()] = t;
      t = runBlock(*loop.getBody(), t) + 1;
      forward(loop.getBody()->getTerminator()->getOperands(),
              loop.getRegionIterArgs());
    }
    forward(loop.getRegionIterArgs(), loop.getResults());
    return t;
  }

  /// Static schedule of a pipelined body: each operation's start after the
  /// iteration issues, as soon as its operands from the same iteration are
  /// (block arguments at 0); except that an operation reading a carried
  /// value, or loading from a private array the body also stores to
  /// (read-modify-write), starts as late as it can
  /// without lengthening the iteration (a pipelining scheduler puts it
  /// there to keep recurrences short: a store of the running sum does not
  /// hold the next iteration back).
  DenseMap<Operation *, int64_t> schedule(scf::ForOp loop) const {
    SmallVector<Operation *> ops;
    loop.getBody()->walk([&](Operation *op) { ops.push_back(op); });
    auto asap = [&](const DenseMap<Operation *, int64_t> *pinned) {
      DenseMap<Operation *, int64_t> offset;
      DenseMap<Value, int64_t> at;
      for (Operation *op : ops) {
        int64_t start = 0;
        for (Value v : op->getOperands())
          start = std::max(start, at.lookup(v));
        if (pinned)
          if (auto it = pinned->find(op); it != pinned->end())
            start = std::max(start, it->second);
        offset[op] = start;
        for (Value r : op->getResults())
          at[r] = start + timing.latency(op);
      }
      return offset;
    };
    DenseMap<Operation *, int64_t> early = asap(nullptr);
    int64_t depth = 0;
    for (Operation *op : ops)
      depth = std::max(depth, early[op] + timing.latency(op));
    // tail: the longest chain from an operation's start to the end.
    DenseMap<Operation *, int64_t> tail;
    for (Operation *op : llvm::reverse(ops)) {
      int64_t after = 0;
      for (Value r : op->getResults())
        for (Operation *user : r.getUsers())
          if (auto it = tail.find(user); it != tail.end())
            after = std::max(after, it->second);
      tail[op] = timing.latency(op) + after;
    }
    llvm::SmallPtrSet<Value, 4> stored; // Private arrays the body writes.
    for (Operation *op : ops)
      if (!hcc::fpga::isLoad(op))
        if (Value array = hcc::fpga::privateArray(op))
          stored.insert(array);
    DenseMap<Operation *, int64_t> late;
    for (Operation *op : ops)
      if (llvm::any_of(op->getOperands(),
                       [&](Value v) {
                         return llvm::is_contained(loop.getRegionIterArgs(), v);
                       }) ||
          (hcc::fpga::isLoad(op) &&
           stored.contains(hcc::fpga::privateArray(op))))
        late[op] = depth - tail[op];
    return asap(&late);
  }

  /// An innermost loop, pipelined: iteration i issues one cycle after
  /// iteration i - 1 at the earliest, late enough that the values it
  /// carries in are ready when its schedule first uses them; an access
  /// that has to wait for the memory channel stalls the pipeline.
  double runPipelined(scf::ForOp loop, double start) {
    std::optional<std::array<int64_t, 3>> b = bounds(loop);
    if (!b)
      return start;
    DenseMap<Operation *, int64_t> offset = schedule(loop);
    SmallVector<int64_t> firstUse;
    for (BlockArgument arg : loop.getRegionIterArgs()) {
      int64_t first = std::numeric_limits<int64_t>::max();
      for (Operation *user : arg.getUsers())
        if (offset.count(user))
          first = std::min(first, offset[user]);
      firstUse.push_back(first == std::numeric_limits<int64_t>::max() ? 0
                                                                      : first);
    }
    start = std::max(start, ready(loop.getUpperBound()));
    forward(loop.getInitArgs(), loop.getRegionIterArgs());
    double end = start, lastIssue = start - 1;
    for (int64_t iv = (*b)[0]; iv < (*b)[1] && !broken; iv += (*b)[2]) {
      double issue = std::max(start, lastIssue + 1);
      for (auto [arg, first] : llvm::zip(loop.getRegionIterArgs(), firstUse))
        issue = std::max(issue, ready(arg) - first);
      values[loop.getInductionVar()] = iv;
      readyAt[loop.getInductionVar()] = issue;
      double stall = 0;
      runIteration(*loop.getBody(), offset, issue, stall, end);
      end = std::max(end, issue + stall + 1); // An iteration's one cycle.
      lastIssue = issue + stall;
      forward(loop.getBody()->getTerminator()->getOperands(),
              loop.getRegionIterArgs());
    }
    forward(loop.getRegionIterArgs(), loop.getResults());
    return end;
  }

  /// One iteration of a pipelined body issued at `issue`; `stall` is what
  /// it has waited for so far, `end` the latest completion seen.
  void runIteration(Block &block, DenseMap<Operation *, int64_t> &offset,
                    double issue, double &stall, double &end) {
    // In schedule order (a topological order: a user starts after its
    // operands complete).
    SmallVector<Operation *> order;
    for (Operation &op : block.without_terminator())
      order.push_back(&op);
    llvm::stable_sort(order, [&](Operation *a, Operation *b) {
      return offset[a] < offset[b];
    });
    for (Operation *opPtr : order) {
      Operation &op = *opPtr;
      if (broken || !step(&op))
        return;
      if (auto branch = dyn_cast<scf::IfOp>(op)) {
        std::optional<int64_t> cond = value(branch.getCondition());
        if (!cond) {
          fail(&op, "the branch condition depends on data");
          return;
        }
        if (Block *taken = *cond ? branch.thenBlock() : branch.elseBlock()) {
          runIteration(*taken, offset, issue, stall, end);
          forward(taken->getTerminator()->getOperands(), branch.getResults());
        }
        continue;
      }
      double planned = issue + stall + offset[&op];
      double t = planned;
      for (Value operand : op.getOperands())
        t = std::max(t, ready(operand));
      t = portGrant(&op, privateOrder(&op, t));
      stall += t - planned;
      double done = complete(&op, t);
      for (Value result : op.getResults())
        readyAt[result] = done;
      evaluate(&op);
      end = std::max(end, done);
    }
  }
};

struct SimulatePass : hcc::impl::FPGASimulateBase<SimulatePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<hcc::fpga::Board> loaded =
        hcc::fpga::loadBoardOrError(module, board);
    if (!loaded)
      return signalPassFailure();
    OpTiming timing(*loaded);
    Builder b(module.getContext());
    SmallVector<NamedAttribute> simulated;
    for (auto stage : module.getOps<func::FuncOp>()) {
      if (!stage->hasAttr(hcc::opencl::kStageAttr))
        continue;
      Simulator simulator(timing, maxSteps);
      FailureOr<double> cycles = simulator.run(stage);
      if (failed(cycles))
        return signalPassFailure();
      simulated.push_back(b.getNamedAttr(
          stage.getSymName(),
          b.getI64IntegerAttr(static_cast<int64_t>(std::ceil(*cycles)))));
    }
    module->setAttr(hcc::fpga::kSimulatedAttr, b.getDictionaryAttr(simulated));
  }
};

} // namespace
