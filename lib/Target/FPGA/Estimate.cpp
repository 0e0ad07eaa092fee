//===- Estimate.cpp - the FPGA performance and resource model -------------===//
//
// hcc-fpga-estimate: a closed-form model of the single-work-item kernels an
// FPGA OpenCL compiler would build from the stage functions (see the pass
// description in Passes.td). Every figure it produces is modelled, not
// measured: no FPGA or vendor tool runs here.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/FPGA/Board.h"
#include "hcc/Target/FPGA/FPGATarget.h"

#include "../OpenCL/OpenCLUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <cmath>

namespace hcc {
#define GEN_PASS_DEF_FPGAESTIMATE
#include "hcc/Target/FPGA/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using hcc::fpga::Board;
using hcc::fpga::MacCost;

namespace {

/// Latency of a global memory load through a burst-coalesced load unit,
/// in cycles (an engineering estimate: vendor reports show 60-200).
constexpr int64_t kGlobalLoadLatency = 64;
/// Private arrays up to this many bits are registers, not RAM blocks.
constexpr int64_t kRegisterArrayBits = 1024;
/// Logic of each loop's control, in LUTs/ALMs (estimate).
constexpr double kLoopControlLogic = 100;

int64_t lanes(Type type) {
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.getNumElements();
  return 1;
}

Type elementType(Type type) {
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.getElementType();
  return type;
}

/// The memref a load or store accesses and the bytes it moves, for
/// accesses of global buffers (function arguments).
std::optional<int64_t> globalBytes(Operation *op) {
  Value memref;
  Type value;
  if (auto load = dyn_cast<memref::LoadOp>(op)) {
    memref = load.getMemRef();
    value = load.getType();
  } else if (auto store = dyn_cast<memref::StoreOp>(op)) {
    memref = store.getMemRef();
    value = store.getValue().getType();
  } else if (auto load = dyn_cast<vector::LoadOp>(op)) {
    memref = load.getBase();
    value = load.getType();
  } else if (auto store = dyn_cast<vector::StoreOp>(op)) {
    memref = store.getBase();
    value = store.getValueToStore().getType();
  } else {
    return std::nullopt;
  }
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>())
    memref = view.getViewSource();
  if (!isa<BlockArgument>(memref))
    return std::nullopt; // A private array: registers or on-chip RAM.
  Type elem = elementType(value);
  int64_t bits = elem.isIntOrFloat() ? elem.getIntOrFloatBitWidth() : 64;
  return lanes(value) * std::max<int64_t>(bits / 8, 1);
}

bool isLoad(Operation *op) { return isa<memref::LoadOp, vector::LoadOp>(op); }

class Model {
public:
  explicit Model(const Board &board) : board(board) {}

  /// Multiply-add cost for values of `type` (per lane).
  const MacCost &mac(Type type) const {
    Type elem = elementType(type);
    if (elem.isF16() || elem.isBF16())
      return board.f16Mac;
    if (elem.isInteger(8))
      return board.int8Mac;
    return board.f32Mac;
  }

  /// Latency of `op` in a pipeline, in cycles.
  int64_t latency(Operation *op) const {
    if (isLoad(op) && globalBytes(op))
      return kGlobalLoadLatency;
    if (isa<arith::MulFOp, arith::AddFOp, arith::SubFOp, math::FmaOp,
            arith::DivFOp>(op) ||
        isa<math::MathDialect>(op->getDialect()))
      return mac(op->getResult(0).getType()).latency;
    return op->getNumResults() ? 1 : 0;
  }

  /// Cycles of `block` run once: its loops one after another.
  int64_t blockCycles(Block &block, int64_t &ii) const {
    int64_t cycles = 0;
    for (Operation &op : block) {
      if (auto loop = dyn_cast<scf::ForOp>(op))
        cycles += loopCycles(loop, ii);
      else if (auto ifOp = dyn_cast<scf::IfOp>(op))
        cycles +=
            std::max(blockCycles(*ifOp.thenBlock(), ii),
                     ifOp.elseBlock() ? blockCycles(*ifOp.elseBlock(), ii) : 0);
    }
    return cycles;
  }

  static int64_t trips(scf::ForOp loop) {
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
    std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
    std::optional<int64_t> step = getConstantIntValue(loop.getStep());
    // The work-item loop of a single work-item has bounds from its id: one
    // trip.
    if (!lb || !ub || !step || *step <= 0)
      return 1;
    return std::max<int64_t>(0, (*ub - *lb + *step - 1) / *step);
  }

  int64_t loopCycles(scf::ForOp loop, int64_t &ii) const {
    int64_t n = trips(loop);
    bool innermost = true;
    loop.getBody()->walk([&](scf::ForOp) { innermost = false; });
    if (!innermost)
      return n * (blockCycles(*loop.getBody(), ii) + 1);
    int64_t loopII = initiationInterval(loop);
    ii = std::max(ii, loopII);
    return n == 0 ? 0 : depth(*loop.getBody()) + loopII * (n - 1);
  }

  /// max(1, recurrence II, bandwidth II) of a pipelined loop.
  int64_t initiationInterval(scf::ForOp loop) const {
    int64_t recurrence = 1;
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    for (auto [arg, next] :
         llvm::zip(loop.getRegionIterArgs(), yield.getOperands())) {
      Operation *def = next.getDefiningOp();
      if (def && llvm::is_contained(def->getOperands(), arg))
        recurrence = std::max(recurrence, latency(def));
    }
    int64_t bytes = 0;
    loop.getBody()->walk([&](Operation *op) {
      if (std::optional<int64_t> b = globalBytes(op))
        bytes += *b;
    });
    double bytesPerCycle = board.memoryGBps * 1e9 / (board.clockMHz * 1e6);
    auto bandwidth = static_cast<int64_t>(std::ceil(bytes / bytesPerCycle));
    return std::max({int64_t(1), recurrence, bandwidth});
  }

  /// The longest chain of operations through one iteration.
  int64_t depth(Block &body) const {
    DenseMap<Value, int64_t> ready;
    int64_t longest = 1;
    body.walk([&](Operation *op) {
      int64_t start = 0;
      for (Value v : op->getOperands())
        start = std::max(start, ready.lookup(v));
      int64_t end = start + latency(op);
      for (Value r : op->getResults())
        ready[r] = end;
      longest = std::max(longest, end);
    });
    return longest;
  }

  struct Resources {
    double dsp = 0, logic = 0;
    int64_t ramBlocks = 0;
  };

  /// Hardware of a stage: one unit per operation in its code.
  Resources resources(func::FuncOp stage) const {
    Resources r;
    stage.walk([&](Operation *op) {
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
        r.dsp += share * n * cost.dsp;
        r.logic += share * n * cost.logic;
      } else if (isa<arith::AddFOp, arith::SubFOp>(op)) {
        bool fromMul = llvm::any_of(op->getOperands(), [](Value v) {
          return v.getDefiningOp<arith::MulFOp>() != nullptr;
        });
        if (fromMul)
          return;
        const MacCost &cost = mac(op->getResult(0).getType());
        int64_t n = lanes(op->getResult(0).getType());
        r.dsp += 0.5 * n * cost.dsp;
        r.logic += 0.5 * n * cost.logic;
      } else if (auto alloca = dyn_cast<memref::AllocaOp>(op)) {
        MemRefType type = alloca.getType();
        if (!type.hasStaticShape() || !type.getElementType().isIntOrFloat())
          return;
        int64_t bits = type.getNumElements() *
                       type.getElementType().getIntOrFloatBitWidth();
        if (bits <= kRegisterArrayBits) {
          r.logic += bits / 8.0;
          return;
        }
        int64_t perBlock = board.ram.front().bitsPerBlock;
        r.ramBlocks += (bits + perBlock - 1) / perBlock;
      }
    });
    return r;
  }

private:
  const Board &board;
};

struct EstimatePass : hcc::impl::FPGAEstimateBase<EstimatePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::Expected<Board> loaded = hcc::fpga::loadBoard(board);
    if (!loaded) {
      module.emitError() << "FPGA target: "
                         << llvm::toString(loaded.takeError());
      return signalPassFailure();
    }
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
      int64_t cycles = model.blockCycles(stage.getBody().front(), ii);
      Model::Resources r = model.resources(stage);
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
            b.getNamedAttr("clock_mhz", b.getF64FloatAttr(loaded->clockMHz)),
            b.getNamedAttr("dsp", b.getI64IntegerAttr(loaded->dsp)),
            b.getNamedAttr("logic", b.getI64IntegerAttr(loaded->logic)),
            b.getNamedAttr("ram_blocks",
                           b.getI64IntegerAttr(loaded->ram.front().blocks)),
        }));
  }
};

} // namespace
