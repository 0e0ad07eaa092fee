//===- Estimate.cpp - the FPGA performance and resource model -------------===//
//
// hcc-fpga-estimate: a closed-form model of the single-work-item kernels an
// FPGA OpenCL compiler would build from the stage functions (see the pass
// description in Passes.td). Every figure it produces is modelled, not
// measured: no FPGA or vendor tool runs here.
//
//===----------------------------------------------------------------------===//

#include "Timing.h"

#include "hcc/Target/FPGA/Board.h"
#include "hcc/Target/FPGA/FPGATarget.h"

#include "../OpenCL/OpenCLUtils.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/ADT/SmallSet.h"

#include <cmath>
#include <limits>

namespace hcc {
#define GEN_PASS_DEF_FPGAESTIMATE
#include "hcc/Target/FPGA/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using hcc::fpga::Board;
using hcc::fpga::elementType;
using hcc::fpga::globalBytes;
using hcc::fpga::IndexValues;
using hcc::fpga::lanes;
using hcc::fpga::MacCost;

namespace {

/// Logic of each loop's control, in LUTs/ALMs (estimate).
constexpr double kLoopControlLogic = 100;

class Model {
public:
  explicit Model(const Board &board) : board(board), timing(board) {}

  const MacCost &mac(Type type) const { return timing.mac(type); }
  int64_t latency(Operation *op) const { return timing.latency(op); }

  /// Cycles of `block` run once: its loops and branches one after
  /// another, the straight-line code between them its longest chain.
  /// `known` holds the index values evaluated so far (outer induction
  /// variables the control depends on, constants): loop bounds and
  /// branch conditions are evaluated where they can be; a branch that
  /// cannot costs its longer side.
  double blockCycles(Block &block, int64_t &ii, IndexValues &known) const {
    double cycles = 0;
    SmallVector<Operation *> segment;
    for (Operation &op : block.without_terminator()) {
      if (auto loop = dyn_cast<scf::ForOp>(op)) {
        cycles += chain(segment) + loopCycles(loop, ii, known);
      } else if (auto ifOp = dyn_cast<scf::IfOp>(op)) {
        cycles += chain(segment);
        auto cond = known.find(ifOp.getCondition());
        auto side = [&](Block *b) {
          return b ? blockCycles(*b, ii, known) : 0.0;
        };
        if (cond != known.end())
          cycles += side(cond->second ? ifOp.thenBlock() : ifOp.elseBlock());
        else
          cycles += std::max(side(ifOp.thenBlock()), side(ifOp.elseBlock()));
      } else {
        hcc::fpga::evaluateIndex(&op, known);
        segment.push_back(&op);
      }
    }
    return cycles + chain(segment);
  }

  /// Starts `op` as soon as its operands in `ready` are (0 for others) and
  /// records when its results are; returns {start, end}.
  std::pair<int64_t, int64_t> asap(Operation *op,
                                   DenseMap<Value, int64_t> &ready) const {
    int64_t start = 0;
    for (Value v : op->getOperands())
      start = std::max(start, ready.lookup(v));
    int64_t end = start + latency(op);
    for (Value r : op->getResults())
      ready[r] = end;
    return {start, end};
  }

  /// Cycles of straight-line `segment` (cleared): its longest chain of
  /// operations (values from before it are ready at its start), or the
  /// time its global accesses take through the memory channel if longer.
  double chain(SmallVector<Operation *> &segment) const {
    DenseMap<Value, int64_t> ready;
    int64_t longest = 0, bytes = 0;
    for (Operation *op : segment) {
      longest = std::max(longest, asap(op, ready).second);
      bytes += globalBytes(op).value_or(0);
    }
    segment.clear();
    return std::max<double>(longest, bytes / timing.bytesPerCycle());
  }

  /// Bounds of `loop` from `known`; nullopt when they depend on data.
  static std::optional<std::array<int64_t, 3>>
  bounds(scf::ForOp loop, const IndexValues &known) {
    auto get = [&](Value v) -> std::optional<int64_t> {
      if (std::optional<int64_t> c = getConstantIntValue(v))
        return c;
      auto it = known.find(v);
      if (it == known.end())
        return std::nullopt;
      return it->second;
    };
    std::optional<int64_t> lb = get(loop.getLowerBound()),
                           ub = get(loop.getUpperBound()),
                           step = get(loop.getStep());
    if (!lb || !ub || !step || *step <= 0)
      return std::nullopt;
    return std::array<int64_t, 3>{*lb, *ub, *step};
  }

  /// Whether the control flow inside `loop` (the bounds of loops, the
  /// conditions of branches) depends on its induction variable.
  bool controlDependsOnIV(scf::ForOp loop) const {
    if (auto it = controlCache.find(loop); it != controlCache.end())
      return it->second;
    SetVector<Operation *> slice;
    getForwardSlice(loop.getInductionVar(), &slice);
    auto fromIV = [&](Value v) {
      return v == loop.getInductionVar() ||
             (v.getDefiningOp() && slice.contains(v.getDefiningOp()));
    };
    bool depends = false;
    loop.getBody()->walk([&](Operation *op) {
      if (auto inner = dyn_cast<scf::ForOp>(op))
        depends |= fromIV(inner.getLowerBound()) ||
                   fromIV(inner.getUpperBound()) || fromIV(inner.getStep());
      else if (auto ifOp = dyn_cast<scf::IfOp>(op))
        depends |= fromIV(ifOp.getCondition());
    });
    return controlCache[loop] = depends;
  }

  /// An outer loop runs its body once per trip (+1 cycle of control); its
  /// body is costed once when its control does not depend on the
  /// induction variable, else once per value of it. An innermost loop is
  /// a pipeline: depth + interval * (trips - 1). A loop whose bounds
  /// depend on data is charged one trip.
  double loopCycles(scf::ForOp loop, int64_t &ii, IndexValues &known) const {
    std::optional<std::array<int64_t, 3>> b = bounds(loop, known);
    int64_t n =
        b ? std::max<int64_t>(0, ((*b)[1] - (*b)[0] + (*b)[2] - 1) / (*b)[2])
          : 1;
    bool innermost = true;
    loop.getBody()->walk([&](scf::ForOp) { innermost = false; });
    if (innermost)
      return n == 0 ? 0 : pipelineCycles(loop, n, ii);
    Value iv = loop.getInductionVar();
    if (!b || !controlDependsOnIV(loop)) {
      if (b)
        known[iv] = (*b)[0];
      return n * (blockCycles(*loop.getBody(), ii, known) + 1);
    }
    double cycles = 0;
    for (int64_t v = (*b)[0]; v < (*b)[1]; v += (*b)[2]) {
      known[iv] = v;
      cycles += blockCycles(*loop.getBody(), ii, known) + 1;
    }
    return cycles;
  }

  /// A pipelined loop of `n` trips: the longer of its compute bound,
  /// depth + II * (n - 1) with II = max(1, recurrence II, RAM port II:
  /// the accesses of each on-chip RAM array over its ports), and its memory
  /// bound, n times the iteration's global bytes over the board's bytes
  /// per cycle plus what the iteration does after its last access (load
  /// units queue requests, so memory and compute overlap). `ii` is raised
  /// to the loop's II: max(recurrence, bandwidth) rounded up.
  double pipelineCycles(scf::ForOp loop, int64_t n, int64_t &ii) const {
    int64_t recurrence = recurrenceII(loop);
    Schedule schedule = scheduleOf(loop);
    double interval = schedule.bytes / timing.bytesPerCycle();
    ii = std::max({ii, recurrence, static_cast<int64_t>(std::ceil(interval))});
    double compute = schedule.depth + recurrence * (n - 1);
    double memory = schedule.bytes ? n * interval + schedule.afterMemory : 0.0;
    return std::max(compute, memory);
  }

  /// The II the pipeline of innermost `loop` is built for: max(recurrence
  /// and port II, bandwidth interval rounded up).
  int64_t loopII(scf::ForOp loop) const {
    Schedule schedule = scheduleOf(loop);
    return std::max(recurrenceII(loop),
                    static_cast<int64_t>(
                        std::ceil(schedule.bytes / timing.bytesPerCycle())));
  }

  /// max(1, the carried values' recurrence II, each on-chip RAM array's
  /// accesses over its ports).
  int64_t recurrenceII(scf::ForOp loop) const {
    auto cached = recurrenceCache.find(loop);
    if (cached != recurrenceCache.end())
      return cached->second;
    int64_t recurrence =
        std::max(carriedRecurrence(loop), arrayRecurrence(loop));
    // An on-chip RAM array serves kRamPorts accesses a cycle.
    llvm::SmallDenseMap<Value, int64_t> ramAccesses;
    loop.getBody()->walk([&](Operation *op) {
      if (Value array = hcc::fpga::ramArray(op))
        ++ramAccesses[array];
    });
    for (auto &[array, accesses] : ramAccesses)
      recurrence = std::max(recurrence, (accesses + hcc::fpga::kRamPorts - 1) /
                                            hcc::fpga::kRamPorts);
    recurrenceCache[loop] = recurrence;
    return recurrence;
  }

  /// Iterations between an access of a private array at `indices` and the
  /// next access of the same element in `loop`: 1 when the indices do not
  /// change with the iteration (or the model cannot tell), the period of
  /// the innermost results of the delinearized induction variable they
  /// are, or none (max) when they never repeat.
  static int64_t elementDistance(ValueRange indices, scf::ForOp loop) {
    constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
    Value iv = loop.getInductionVar();
    auto inside = [&](Value v) {
      return v.getParentRegion() &&
             loop.getRegion().isAncestor(v.getParentRegion());
    };
    if (llvm::none_of(indices, inside))
      return 1;
    if (llvm::is_contained(indices, iv))
      return kNever;
    affine::AffineDelinearizeIndexOp split;
    llvm::SmallSet<unsigned, 8> used;
    for (Value index : indices) {
      if (!inside(index))
        continue;
      auto result = dyn_cast<OpResult>(index);
      auto op =
          result ? dyn_cast<affine::AffineDelinearizeIndexOp>(result.getOwner())
                 : nullptr;
      if (!op || (split && op != split) || op.getLinearIndex() != iv)
        return 1;
      split = op;
      used.insert(result.getResultNumber());
    }
    SmallVector<int64_t> basis(split.getStaticBasis());
    int64_t n = split.getNumResults();
    if (!used.contains(n - 1) || llvm::any_of(basis, ShapedType::isDynamic))
      return 1;
    int64_t period = 1;
    for (int64_t r = n - 1; r >= 0 && used.contains(r); --r) {
      int64_t b = r - (n - static_cast<int64_t>(basis.size()));
      if (b < 0)
        return kNever; // The outermost result never repeats.
      period *= basis[b];
    }
    return period;
  }

  /// The II private arrays allow: a load of an element whose stored value
  /// depends on it, W cycles from the load's start to the store's (and a
  /// cycle to read it back), repeating every D iterations, needs
  /// II >= (W + 1) / D.
  int64_t arrayRecurrence(scf::ForOp loop) const {
    int64_t ii = 1;
    SmallVector<Operation *> loads, stores;
    for (Operation &op : loop.getBody()->without_terminator())
      if (hcc::fpga::privateArray(&op))
        (hcc::fpga::isLoad(&op) ? loads : stores).push_back(&op);
    for (Operation *load : loads) {
      DenseMap<Value, int64_t> from;
      from[load->getResult(0)] = latency(load);
      for (Operation &op : loop.getBody()->without_terminator()) {
        int64_t best = -1;
        for (Value v : op.getOperands())
          if (auto it = from.find(v); it != from.end())
            best = std::max(best, it->second);
        if (best >= 0)
          for (Value r : op.getResults())
            from[r] = best + latency(&op);
      }
      for (Operation *store : stores) {
        auto it = from.find(store->getOperand(0));
        if (it == from.end() ||
            hcc::fpga::privateArray(store) != hcc::fpga::privateArray(load) ||
            hcc::fpga::accessIndices(store) != hcc::fpga::accessIndices(load))
          continue;
        int64_t d = elementDistance(hcc::fpga::accessIndices(load), loop);
        if (d == std::numeric_limits<int64_t>::max())
          continue;
        ii = std::max(ii, (it->second + 1 + d - 1) / d);
      }
    }
    return ii;
  }

  /// The smallest II at which every cycle of carried values keeps up: a
  /// value carried from iteration to iteration through a chain of
  /// operations of total latency W over a cycle of D carried values (D
  /// iterations) needs II >= W / D. A sum carried straight back (acc + x)
  /// needs the add's latency; partial sums in a shift register of depth D
  /// divide it by D.
  int64_t carriedRecurrence(scf::ForOp loop) const {
    ValueRange args = loop.getRegionIterArgs();
    size_t n = args.size();
    if (n == 0)
      return 1;
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    constexpr int64_t kNone = std::numeric_limits<int64_t>::min() / 4;
    // w[j][i]: the longest latency from carried value j to yielded value i.
    std::vector<std::vector<int64_t>> w(n, std::vector<int64_t>(n, kNone));
    int64_t most = 0;
    for (size_t j = 0; j < n; ++j) {
      DenseMap<Value, int64_t> from;
      from[args[j]] = 0;
      loop.getBody()->walk([&](Operation *op) {
        int64_t best = kNone;
        for (Value v : op->getOperands())
          if (auto it = from.find(v); it != from.end())
            best = std::max(best, it->second);
        if (best == kNone)
          return;
        for (Value r : op->getResults())
          from[r] = best + latency(op);
      });
      for (size_t i = 0; i < n; ++i)
        if (auto it = from.find(yield.getOperand(i)); it != from.end()) {
          w[j][i] = it->second;
          most = std::max(most, it->second);
        }
    }
    // Feasible: no cycle whose latency exceeds ii times its length.
    auto feasible = [&](int64_t ii) {
      std::vector<std::vector<int64_t>> d(n, std::vector<int64_t>(n, kNone));
      for (size_t j = 0; j < n; ++j)
        for (size_t i = 0; i < n; ++i)
          if (w[j][i] != kNone)
            d[j][i] = w[j][i] - ii;
      for (size_t k = 0; k < n; ++k)
        for (size_t j = 0; j < n; ++j) {
          if (d[j][k] == kNone)
            continue;
          for (size_t i = 0; i < n; ++i)
            if (d[k][i] != kNone)
              d[j][i] = std::max(d[j][i], d[j][k] + d[k][i]);
        }
      for (size_t k = 0; k < n; ++k)
        if (d[k][k] > 0)
          return false;
      return true;
    };
    int64_t lo = 1, hi = std::max<int64_t>(1, most);
    while (lo < hi) {
      int64_t mid = (lo + hi) / 2;
      if (feasible(mid))
        hi = mid;
      else
        lo = mid + 1;
    }
    return lo;
  }

  struct Schedule {
    /// The longest chain of operations through one iteration.
    int64_t depth = 1;
    /// Global bytes an iteration moves.
    int64_t bytes = 0;
    /// Cycles from the completion of the iteration's last global access
    /// (a load's data the cycle after its last byte) to its end.
    int64_t afterMemory = 0;
  };

  /// Each operation of an iteration of innermost `loop` as soon as its
  /// operands are (computed once per loop: the model costs a loop again
  /// for every value of the outer variables its control depends on).
  Schedule scheduleOf(scf::ForOp loop) const {
    if (auto it = scheduleCache.find(loop); it != scheduleCache.end())
      return it->second;
    Block &body = *loop.getBody();
    DenseMap<Value, int64_t> ready;
    Schedule s;
    int64_t last = 0; // The last completion (depth is at least 1).
    SmallVector<std::pair<Operation *, int64_t>> accesses;
    body.walk([&](Operation *op) {
      auto [start, end] = asap(op, ready);
      s.depth = std::max(s.depth, end);
      last = std::max(last, end);
      if (std::optional<int64_t> b = globalBytes(op)) {
        s.bytes += *b;
        accesses.push_back({op, hcc::fpga::isLoad(op) ? end + 1 : start});
      }
    });
    for (auto [op, done] : accesses)
      s.afterMemory = std::max(s.afterMemory, last - done);
    return scheduleCache[loop] = s;
  }

  struct Resources {
    double dsp = 0, logic = 0;
    int64_t ramBlocks = 0;
  };

  /// Hardware of a stage: one unit per operation of its pipelined loops,
  /// its RAM arrays and loop control.
  Resources resources(func::FuncOp stage) const {
    // Floating units of pipelined (innermost) loops run every cycle: one
    // per operation. Sequential code runs in other states of the kernel's
    // state machine and shares the loops' units (binding across states;
    // e.g. adding up partial sums after a loop on its adders): its own
    // units count only in a stage without pipelined floating units.
    Resources r, sequential;
    bool pipelinedFloat = false;
    stage.walk([&](Operation *op) {
      auto loop = op->getParentOfType<scf::ForOp>();
      bool pipelined = loop && !isa<scf::ForOp>(op);
      if (pipelined)
        loop.getBody()->walk([&](scf::ForOp) { pipelined = false; });
      Resources &units = pipelined ? r : sequential;
      if (pipelined && isa<arith::MulFOp, arith::AddFOp, arith::SubFOp>(op))
        pipelinedFloat = true;
      if (isa<scf::ForOp>(op))
        r.logic += kLoopControlLogic;
      bool intMul = isa<arith::MulIOp>(op) &&
                    elementType(op->getResult(0).getType()).isInteger() &&
                    !elementType(op->getResult(0).getType()).isIndex();
      if (isa<arith::MulFOp>(op) || intMul) {
        // A multiply feeding an add is one multiply-add (the add is
        // counted there).
        bool feedsAdd = llvm::any_of(op->getUsers(), [](Operation *user) {
          return isa<arith::AddFOp, arith::AddIOp, arith::SubFOp>(user);
        });
        const MacCost &cost = mac(op->getResult(0).getType());
        double share = feedsAdd ? 1.0 : 0.5;
        int64_t n = lanes(op->getResult(0).getType());
        units.dsp += share * n * cost.dsp;
        units.logic += share * n * cost.logic;
      } else if (isa<arith::AddFOp, arith::SubFOp>(op)) {
        bool fromMul = llvm::any_of(op->getOperands(), [](Value v) {
          return v.getDefiningOp<arith::MulFOp>() != nullptr;
        });
        if (fromMul)
          return;
        const MacCost &cost = mac(op->getResult(0).getType());
        int64_t n = lanes(op->getResult(0).getType());
        units.dsp += 0.5 * n * cost.dsp;
        units.logic += 0.5 * n * cost.logic;
      } else if (auto alloca = dyn_cast<memref::AllocaOp>(op)) {
        MemRefType type = alloca.getType();
        if (!type.hasStaticShape() || !type.getElementType().isIntOrFloat())
          return;
        int64_t bits = type.getNumElements() *
                       type.getElementType().getIntOrFloatBitWidth();
        if (bits <= hcc::fpga::kRegisterArrayBits) {
          r.logic += bits / 8.0;
          return;
        }
        int64_t perBlock = board.ram.front().bitsPerBlock;
        r.ramBlocks += (bits + perBlock - 1) / perBlock;
      }
    });
    if (r.dsp == 0 && !pipelinedFloat) {
      r.dsp = sequential.dsp;
      r.logic += sequential.logic;
    }
    return r;
  }

private:
  const Board &board;
  hcc::fpga::OpTiming timing;
  mutable DenseMap<Operation *, int64_t> recurrenceCache;
  mutable DenseMap<Operation *, bool> controlCache;
  mutable DenseMap<Operation *, Schedule> scheduleCache;
};

struct EstimatePass : hcc::impl::FPGAEstimateBase<EstimatePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<hcc::fpga::Board> loaded =
        hcc::fpga::loadBoardOrError(module, board);
    if (!loaded)
      return signalPassFailure();
    Model model(*loaded);
    auto kernels =
        module->getAttrOfType<DictionaryAttr>(hcc::opencl::kKernelsAttr);
    // Stage -> kernel, from the kernel table.
    llvm::StringMap<std::string> kernelOf;
    if (kernels)
      for (NamedAttribute kernel : kernels)
        if (auto stages = cast<DictionaryAttr>(kernel.getValue())
                              .getAs<ArrayAttr>("stages"))
          for (Attribute stage : stages)
            if (auto entry =
                    cast<DictionaryAttr>(stage).getAs<StringAttr>("entry"))
              kernelOf[entry.getValue()] =
                  kernel.getName().getValue().drop_front(4).str();
    Builder b(module.getContext());
    SmallVector<NamedAttribute> estimates;
    Model::Resources total;
    for (auto stage : module.getOps<func::FuncOp>()) {
      if (!stage->hasAttr(hcc::opencl::kStageAttr))
        continue;
      int64_t ii = 1;
      hcc::fpga::IndexValues known;
      auto cycles = static_cast<int64_t>(
          std::ceil(model.blockCycles(stage.getBody().front(), ii, known)));
      Model::Resources r = model.resources(stage);
      // Each innermost loop's II, in pre-order: the target the vendor
      // attributes ask for (hcc-fpga-kernel-attributes).
      SmallVector<int64_t> loopIIs;
      stage.walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
        bool innermost = true;
        loop.getBody()->walk([&](scf::ForOp) { innermost = false; });
        if (innermost)
          loopIIs.push_back(model.loopII(loop));
      });
      stage->setAttr(hcc::fpga::kLoopIIAttr, b.getDenseI64ArrayAttr(loopIIs));
      total.dsp += r.dsp;
      total.logic += r.logic;
      total.ramBlocks += r.ramBlocks;
      estimates.push_back(b.getNamedAttr(
          stage.getSymName(),
          b.getDictionaryAttr({
              b.getNamedAttr("kernel", b.getStringAttr(kernelOf.lookup(
                                           stage.getSymName()))),
              b.getNamedAttr("ii", b.getI64IntegerAttr(ii)),
              b.getNamedAttr("cycles", b.getI64IntegerAttr(cycles)),
              b.getNamedAttr("dsp", b.getF64FloatAttr(r.dsp)),
              b.getNamedAttr("logic", b.getF64FloatAttr(r.logic)),
              b.getNamedAttr("ram_blocks", b.getI64IntegerAttr(r.ramBlocks)),
          })));
    }
    module->setAttr(hcc::fpga::kEstimatesAttr, b.getDictionaryAttr(estimates));
    auto over = [&](llvm::StringRef what, double need, int64_t have) {
      if (need > have)
        module.emitWarning()
            << "FPGA target (modelled): the kernels need "
            << static_cast<int64_t>(std::ceil(need)) << " " << what
            << ", board '" << loaded->name << "' has " << have
            << " even with kernels sized to the board (hcc-fpga-fit)";
    };
    over(loaded->dspKind + " blocks", total.dsp, loaded->dsp);
    over(loaded->logicKind + "s", total.logic, loaded->logic);
    over(loaded->ram.front().kind + " blocks", total.ramBlocks,
         loaded->ram.front().blocks);
    module->setAttr(
        hcc::fpga::kBoardAttr,
        b.getDictionaryAttr({
            b.getNamedAttr("name", b.getStringAttr(loaded->name)),
            b.getNamedAttr("opencl_platform",
                           b.getStringAttr(loaded->openclPlatform)),
            b.getNamedAttr("clock_mhz", b.getF64FloatAttr(loaded->clockMHz)),
            b.getNamedAttr("dsp", b.getI64IntegerAttr(loaded->dsp)),
            b.getNamedAttr("logic", b.getI64IntegerAttr(loaded->logic)),
            b.getNamedAttr("ram_blocks",
                           b.getI64IntegerAttr(loaded->ram.front().blocks)),
        }));
  }
};

} // namespace
