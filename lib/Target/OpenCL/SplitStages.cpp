//===- SplitStages.cpp - kernels to OpenCL entry points -------------------===//
//
// A kernel body (loops over buffers) becomes a sequence of stages, one
// `__kernel` each, launched in order: the only global barrier OpenCL has
// between work-items is the end of a launch. Temporaries become scratch
// buffers the runtime allocates; a stage that is one scf.parallel is spread
// over a 1-D NDRange in contiguous chunks (CPU-shaped work-items).
//
//===----------------------------------------------------------------------===//

#include "OpenCLUtils.h"
#include "dialects/Exec/IR/ExecDialect.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

#include <set>

namespace hcc {
#define GEN_PASS_DEF_OPENCLSPLITSTAGES
#include "hcc/Target/OpenCL/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {

/// The buffer a view (or cast) of a buffer is taken of.
Value rootBuffer(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(def)) {
      v = view.getViewSource();
      continue;
    }
    if (auto cast = dyn_cast<memref::CastOp>(def)) {
      v = cast.getSource();
      continue;
    }
    break;
  }
  return v;
}

/// Private arrays (registers) and workgroup tiles: per thread or per
/// block, never scratch buffers.
bool isPrivate(MemRefType type) {
  if (auto space =
          dyn_cast_or_null<gpu::AddressSpaceAttr>(type.getMemorySpace()))
    return space.getValue() == gpu::AddressSpace::Workgroup;
  auto space = dyn_cast_or_null<StringAttr>(type.getMemorySpace());
  return space && space.getValue() == hcc::opencl::kPrivateSpace;
}

/// Bytes of a buffer of `type` (a bool is one byte).
std::optional<int64_t> bufferBytes(MemRefType type) {
  Type elem = type.getElementType();
  int64_t bytes;
  if (elem.isIndex())
    bytes = 8;
  else if (elem.isIntOrFloat() && (elem.getIntOrFloatBitWidth() == 1 ||
                                   elem.getIntOrFloatBitWidth() % 8 == 0))
    bytes = std::max<int64_t>(1, elem.getIntOrFloatBitWidth() / 8);
  else
    return std::nullopt;
  if (!type.hasStaticShape())
    return std::nullopt;
  return bytes * type.getNumElements();
}

/// scf.parallel (no reductions) -> nested scf.for over the same space.
void sequentialize(scf::ParallelOp par) {
  OpBuilder b(par);
  Location loc = par.getLoc();
  IRMapping map;
  scf::buildLoopNest(b, loc, par.getLowerBound(), par.getUpperBound(),
                     par.getStep(),
                     [&](OpBuilder &nb, Location, ValueRange ivs) {
                       map.map(par.getInductionVars(), ivs);
                       for (Operation &op : par.getBody()->without_terminator())
                         nb.clone(op, map);
                     });
  par.erase();
}

/// Trip counts of `par` (constant bounds, positive steps).
SmallVector<int64_t> tripCounts(scf::ParallelOp par) {
  SmallVector<int64_t> trips;
  for (auto [lb, ub, step] :
       llvm::zip(par.getLowerBound(), par.getUpperBound(), par.getStep())) {
    int64_t l = *getConstantIntValue(lb), u = *getConstantIntValue(ub),
            s = *getConstantIntValue(step);
    trips.push_back(u > l ? llvm::divideCeil(u - l, s) : 0);
  }
  return trips;
}

/// Clones `par`'s body at `b` for the iteration whose first `prefix`
/// dimensions have the linear index `linear` (row-major over `trips`); the
/// remaining dimensions become sequential loops around the clone.
void cloneIteration(OpBuilder &b, scf::ParallelOp par, ArrayRef<int64_t> trips,
                    unsigned prefix, Value linear) {
  Location loc = par.getLoc();
  auto cst = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  SmallVector<Value> ivs(trips.size());
  Value rest = linear;
  for (int d = prefix - 1; d >= 0; --d) {
    Value idx = rest;
    if (d > 0) {
      idx = arith::RemSIOp::create(b, loc, rest, cst(trips[d]));
      rest = arith::DivSIOp::create(b, loc, rest, cst(trips[d]));
    }
    ivs[d] = arith::AddIOp::create(
        b, loc, par.getLowerBound()[d],
        arith::MulIOp::create(b, loc, idx, par.getStep()[d]));
  }
  IRMapping map;
  scf::buildLoopNest(b, loc, par.getLowerBound().drop_front(prefix),
                     par.getUpperBound().drop_front(prefix),
                     par.getStep().drop_front(prefix),
                     [&](OpBuilder &nb, Location, ValueRange inner) {
                       llvm::copy(inner, ivs.begin() + prefix);
                       map.map(par.getInductionVars(), ivs);
                       for (Operation &op : par.getBody()->without_terminator())
                         nb.clone(op, map);
                     });
}

/// GPU shape: every iteration of `par` (constant bounds) is one thread of a
/// 1-D grid of `blockSize`-thread blocks (`gpu.block_id`, `gpu.thread_id`),
/// in a grid-stride loop when there are more than `maxBlocks` blocks'
/// worth. Returns {global size, block size}.
std::pair<int64_t, int64_t> mapToThreads(scf::ParallelOp par, int64_t blockSize,
                                         int64_t maxBlocks) {
  SmallVector<int64_t> trips = tripCounts(par);
  int64_t total = 1;
  for (int64_t t : trips)
    total *= t;
  if (total == 0) {
    par.erase();
    return {1, 1};
  }
  int64_t block = std::min(blockSize, total);
  int64_t grid = std::min<int64_t>(llvm::divideCeil(total, block), maxBlocks);
  OpBuilder b(par);
  Location loc = par.getLoc();
  auto cst = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value bid = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
  Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  Value first = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, bid, cst(block)), tid);
  auto loop = scf::ForOp::create(b, loc, first, cst(total), cst(grid * block));
  b.setInsertionPointToStart(loop.getBody());
  cloneIteration(b, par, trips, trips.size(), loop.getInductionVar());
  par.erase();
  return {grid * block, block};
}

/// The stage function's `par` (constant bounds) becomes contiguous chunks
/// of its first dimensions per work-item; returns the global size.
int64_t distribute(scf::ParallelOp par, int64_t workItems) {
  SmallVector<int64_t> trips = tripCounts(par);
  if (llvm::is_contained(trips, 0)) {
    par.erase();
    return 1;
  }
  // The fewest leading dims with at least `workItems` iterations.
  unsigned prefix = 0;
  int64_t total = 1;
  while (prefix < trips.size() && total < workItems)
    total *= trips[prefix++];
  int64_t items = std::min(workItems, total);
  int64_t chunk = llvm::divideCeil(total, items);
  items = llvm::divideCeil(total, chunk);

  OpBuilder b(par);
  Location loc = par.getLoc();
  auto cst = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value gid =
      emitc::CallOpaqueOp::create(
          b, loc, TypeRange{b.getI64Type()}, "get_global_id", ValueRange{},
          b.getArrayAttr({b.getI32IntegerAttr(0)}), ArrayAttr())
          .getResult(0);
  gid = arith::IndexCastOp::create(b, loc, b.getIndexType(), gid);
  Value lo = arith::MulIOp::create(b, loc, gid, cst(chunk));
  Value hi = arith::MinSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, lo, cst(chunk)), cst(total));
  auto chunkLoop = scf::ForOp::create(b, loc, lo, hi, cst(1));
  b.setInsertionPointToStart(chunkLoop.getBody());
  cloneIteration(b, par, trips, prefix, chunkLoop.getInductionVar());
  par.erase();
  return items;
}

std::string sanitize(StringRef name) {
  std::string s;
  for (char c : name)
    s.push_back(llvm::isAlnum(c) ? c : '_');
  if (s.empty() || llvm::isDigit(s.front()))
    s.insert(s.begin(), '_');
  return s;
}

struct SplitStagesPass : hcc::impl::OpenCLSplitStagesBase<SplitStagesPass> {
  using Base::Base;

  /// Most blocks of a GPU-shaped stage; more iterations stride the grid.
  static constexpr int64_t kMaxBlocks = 65535;

  /// A stage's entry of the kernel table. GPU-shaped stages also record
  /// their block (work-group) size.
  DictionaryAttr stageEntry(StringRef entry, int64_t globalSize,
                            int64_t localSize, ArrayAttr args) {
    Builder b(&getContext());
    SmallVector<NamedAttribute> fields = {
        b.getNamedAttr("entry", b.getStringAttr(entry)),
        b.getNamedAttr("global_size", b.getI64IntegerAttr(globalSize)),
        b.getNamedAttr("args", args)};
    if (gpuShape)
      fields.push_back(
          b.getNamedAttr("local_size", b.getI64IntegerAttr(localSize)));
    return b.getDictionaryAttr(fields);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<NamedAttribute> kernels;
    if (auto old =
            module->getAttrOfType<DictionaryAttr>(hcc::opencl::kKernelsAttr))
      llvm::append_range(kernels, old.getValue());
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func->hasAttr(hcc::opencl::kStageAttr) && !func.isExternal())
        funcs.push_back(func);
    for (func::FuncOp func : funcs) {
      if (!func->hasAttr(hcc::exec::kKernelAttrName)) {
        func.emitError() << "OpenCL target: function @" << func.getSymName()
                         << " is not a kernel (no exec.kernel)";
        return signalPassFailure();
      }
      FailureOr<SmallVector<int64_t>> knobs =
          hcc::resolveOpenCLKnobs(func, {"work-items"}, {workItems});
      DictionaryAttr meta;
      if (failed(knobs) || failed(split(func, (*knobs)[0], meta)))
        return signalPassFailure();
      kernels.push_back(NamedAttribute(
          StringAttr::get(&getContext(), "hcc_" + func.getSymName().str()),
          meta));
      func.erase();
    }
    module->setAttr(hcc::opencl::kKernelsAttr,
                    DictionaryAttr::get(&getContext(), kernels));
  }

  /// Moves temporaries out of control flow to the entry block (they become
  /// scratch buffers). One carried from one loop iteration to the next
  /// would need a buffer per iteration: rejected.
  LogicalResult hoistTemporaries(func::FuncOp func) {
    Block &entry = func.getBody().front();
    SmallVector<Operation *> allocs;
    func.walk([&](Operation *op) {
      if (!isa<memref::AllocOp, memref::AllocaOp>(op) ||
          op->getBlock() == &entry)
        return;
      if (isPrivate(cast<MemRefType>(op->getResult(0).getType())))
        return;
      allocs.push_back(op);
    });
    for (Operation *alloc : allocs) {
      if (alloc->getParentOfType<scf::ParallelOp>())
        return alloc->emitError()
               << "OpenCL target: temporary buffer inside a parallel loop";
      SmallVector<Value> worklist = {alloc->getResult(0)};
      while (!worklist.empty()) {
        Value v = worklist.pop_back_val();
        for (OpOperand &use : v.getUses()) {
          Operation *user = use.getOwner();
          if (isa<ViewLikeOpInterface, memref::CastOp>(user)) {
            llvm::append_range(worklist, user->getResults());
          } else if (auto yield = dyn_cast<scf::YieldOp>(user)) {
            Operation *parent = yield->getParentOp();
            if (!isa<scf::IfOp, scf::IndexSwitchOp>(parent))
              return alloc->emitError()
                     << "OpenCL target: temporary buffer carried across "
                        "loop iterations";
            worklist.push_back(parent->getResult(use.getOperandNumber()));
          } else if (isa<scf::ConditionOp>(user)) {
            return alloc->emitError() << "OpenCL target: temporary buffer "
                                         "carried across loop iterations";
          }
        }
      }
      alloc->moveBefore(&entry, entry.begin());
    }
    return success();
  }

  LogicalResult split(func::FuncOp func, int64_t items, DictionaryAttr &meta) {
    MLIRContext *ctx = &getContext();
    if (func.getNumResults() != 0)
      return func.emitError() << "OpenCL target: kernel @" << func.getSymName()
                              << " still returns values after bufferization";
    for (BlockArgument arg : func.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type || !type.getLayout().isIdentity() || !bufferBytes(type))
        return func.emitError()
               << "OpenCL target: kernel @" << func.getSymName() << " argument "
               << arg.getArgNumber() << " of type " << arg.getType()
               << " is not a static dense buffer";
    }
    if (gpuShape && (blockSize < 1 || blockSize > 1024))
      return func.emitError() << "OpenCL target: block-size " << blockSize
                              << " is not in [1, 1024]";
    if (failed(hoistTemporaries(func)))
      return failure();
    func.walk([](memref::DeallocOp op) { op.erase(); });

    Block &entry = func.getBody().front();
    unsigned numArgs = func.getNumArguments();
    // Buffers: kernel arguments, then scratch (top-level allocations).
    llvm::DenseMap<Value, int64_t> bufferIndex;
    for (BlockArgument arg : func.getArguments())
      bufferIndex[arg] = arg.getArgNumber();
    SmallVector<int64_t> scratch;
    SmallVector<Value> buffers(func.getArguments());
    // Whether `op` is a temporary in device memory (not a private array).
    auto isScratch = [](Operation &op) {
      return isa<memref::AllocOp, memref::AllocaOp>(op) &&
             !isPrivate(cast<MemRefType>(op.getResult(0).getType()));
    };
    for (Operation &op : entry) {
      if (!isScratch(op))
        continue;
      auto type = cast<MemRefType>(op.getResult(0).getType());
      std::optional<int64_t> bytes = bufferBytes(type);
      if (!bytes || !type.getLayout().isIdentity())
        return op.emitError() << "OpenCL target: temporary of type " << type
                              << " is not a static dense buffer";
      bufferIndex[op.getResult(0)] = numArgs + scratch.size();
      buffers.push_back(op.getResult(0));
      scratch.push_back(std::max<int64_t>(*bytes, 1));
    }

    // Buffers some op writes: reads of other buffers may be repeated in
    // every stage that needs them. A write through a buffer chosen at run
    // time (select, scf.if) or an op of unknown effects may write any.
    llvm::DenseSet<Value> written;
    bool writesAnything = false;
    auto noteWrite = [&](Value v) {
      Value root = v ? rootBuffer(v) : Value();
      auto type = root ? dyn_cast<MemRefType>(root.getType()) : nullptr;
      if (type && isPrivate(type))
        return;
      if (!root || !bufferIndex.count(root))
        writesAnything = true;
      else
        written.insert(root);
    };
    func.walk([&](Operation *op) {
      auto iface = dyn_cast<MemoryEffectOpInterface>(op);
      if (!iface) {
        if (!op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
          for (Value v : op->getOperands())
            if (isa<MemRefType>(v.getType()))
              noteWrite(v);
        return;
      }
      SmallVector<MemoryEffects::EffectInstance> effects;
      iface.getEffects(effects);
      for (auto &effect : effects)
        if (isa<MemoryEffects::Write>(effect.getEffect()) &&
            !isa<memref::AllocOp, memref::AllocaOp>(op))
          noteWrite(effect.getValue());
    });
    // A private array at the top level (a register tile whose parallel
    // loop had one iteration) is a stage op: its users join its stage.
    auto cloneable = [&](Operation *op) {
      if (isa<memref::AllocOp, memref::AllocaOp>(op))
        return false;
      if (auto load = dyn_cast<memref::LoadOp>(op)) {
        Value root = rootBuffer(load.getMemRef());
        if (root.getDefiningOp<memref::GetGlobalOp>())
          return true;
        return !writesAnything && bufferIndex.count(root) &&
               !written.contains(root);
      }
      return isMemoryEffectFree(op);
    };

    // Stage ops in order and the group (stage) each belongs to.
    SmallVector<Operation *> stageOps;
    llvm::DenseMap<Operation *, unsigned> position;
    for (Operation &op : entry.without_terminator()) {
      if (isScratch(op) || cloneable(&op))
        continue;
      position[&op] = stageOps.size();
      stageOps.push_back(&op);
    }
    if (entry.getTerminator()->getNumOperands() != 0)
      return func.emitError() << "OpenCL target: kernel returns values";

    // Visits the values `op` needs from the entry block: leaves (buffers,
    // results of stage ops) go to `leaf`, cloneable producers to `clones`.
    auto collect = [&](Operation *op, llvm::SetVector<Operation *> &clones,
                       function_ref<void(Value)> leaf) {
      SmallVector<Operation *> worklist = {op};
      while (!worklist.empty()) {
        Operation *cur = worklist.pop_back_val();
        llvm::SetVector<Value> used;
        getUsedValuesDefinedAbove(cur->getRegions(), used);
        used.insert(cur->operand_begin(), cur->operand_end());
        for (Value v : used) {
          Operation *def = v.getDefiningOp();
          if (def && def->getBlock() == &entry && cloneable(def)) {
            if (clones.insert(def))
              worklist.push_back(def);
            continue;
          }
          leaf(v);
        }
      }
    };

    // Merge: a stage that uses a value another stage op computes joins it
    // (with everything in between).
    SmallVector<unsigned> group(stageOps.size());
    for (unsigned i = 0; i < stageOps.size(); ++i)
      group[i] = i;
    for (unsigned i = 0; i < stageOps.size(); ++i) {
      llvm::SetVector<Operation *> clones;
      std::optional<unsigned> first;
      collect(stageOps[i], clones, [&](Value v) {
        Operation *def = v.getDefiningOp();
        if (def && position.count(def) && def != stageOps[i])
          first = std::min(first.value_or(i), position[def]);
      });
      if (first)
        for (unsigned j = *first; j <= i; ++j)
          group[j] = group[*first];
    }

    SymbolTable symbols(getOperation());
    SmallVector<Attribute> stages;
    std::string base = sanitize(func.getSymName());
    for (unsigned i = 0; i < stageOps.size();) {
      unsigned end = i;
      while (end < stageOps.size() && group[end] == group[i])
        ++end;
      ArrayRef<Operation *> ops = ArrayRef(stageOps).slice(i, end - i);
      i = end;

      llvm::SetVector<Operation *> clones;
      std::set<int64_t> used;
      LogicalResult status = success();
      for (Operation *op : ops)
        collect(op, clones, [&](Value v) {
          auto it = bufferIndex.find(v);
          if (it != bufferIndex.end()) {
            used.insert(it->second);
            return;
          }
          Operation *def = v.getDefiningOp();
          if (!def || !llvm::is_contained(ops, def)) {
            status = op->emitError()
                     << "OpenCL target: cannot pass value of type "
                     << v.getType() << " to a stage";
          }
        });
      if (failed(status))
        return failure();

      // The stage function: used buffers in index order.
      SmallVector<Type> params;
      SmallVector<Attribute> args;
      for (int64_t idx : used) {
        params.push_back(buffers[idx].getType());
        args.push_back(IntegerAttr::get(IntegerType::get(ctx, 64), idx));
      }
      OpBuilder b(ctx);
      auto stage = func::FuncOp::create(
          b, func.getLoc(), base + "_s" + std::to_string(stages.size()),
          FunctionType::get(ctx, params, {}));
      symbols.insert(stage, Block::iterator(func));
      stage->setAttr(hcc::opencl::kStageAttr, UnitAttr::get(ctx));
      Block *body = stage.addEntryBlock();
      IRMapping map;
      for (auto [k, idx] : llvm::enumerate(used))
        map.map(buffers[idx], body->getArgument(k));
      b.setInsertionPointToStart(body);
      // In their original order: cloned producers may use stage results.
      SmallVector<Operation *> cloned;
      for (Operation &op : entry) {
        if (llvm::is_contained(ops, &op))
          cloned.push_back(b.clone(op, map));
        else if (clones.contains(&op))
          b.clone(op, map);
      }
      func::ReturnOp::create(b, func.getLoc());

      int64_t globalSize = 1, localSize = 1;
      auto par = cloned.size() == 1 ? dyn_cast<scf::ParallelOp>(cloned[0])
                                    : scf::ParallelOp();
      bool constantBounds = par && par.getNumResults() == 0 &&
                            llvm::all_of(par.getOperands(), [](Value v) {
                              return getConstantIntValue(v).has_value();
                            });
      if (constantBounds && llvm::all_of(par.getStep(), [](Value v) {
            return *getConstantIntValue(v) > 0;
          })) {
        if (gpuShape)
          std::tie(globalSize, localSize) =
              mapToThreads(par, blockSize, kMaxBlocks);
        else
          globalSize = distribute(par, items);
      }
      // A region already mapped to blocks and threads (a GPU-tiled
      // contraction) is the whole stage.
      auto launch = cloned.size() == 1
                        ? dyn_cast<scf::ExecuteRegionOp>(cloned[0])
                        : scf::ExecuteRegionOp();
      if (launch && launch->hasAttr(hcc::opencl::kGPULaunchAttr)) {
        auto sizes =
            launch->getAttrOfType<DictionaryAttr>(hcc::opencl::kGPULaunchAttr);
        auto grid = sizes ? sizes.getAs<IntegerAttr>("grid") : nullptr;
        auto block = sizes ? sizes.getAs<IntegerAttr>("block") : nullptr;
        if (!gpuShape || !grid || !block)
          return launch.emitError()
                 << "OpenCL target: a region mapped to GPU blocks needs "
                    "gpu-shape and {grid, block} sizes";
        globalSize = grid.getInt() * block.getInt();
        localSize = block.getInt();
        Block &inner = launch.getRegion().front();
        inner.getTerminator()->erase();
        stage.getBody().front().getOperations().splice(Block::iterator(launch),
                                                       inner.getOperations());
        launch.erase();
      }
      scf::ExecuteRegionOp nested;
      stage.walk([&](scf::ExecuteRegionOp region) {
        if (region->hasAttr(hcc::opencl::kGPULaunchAttr))
          nested = region;
      });
      if (nested)
        return nested.emitError() << "OpenCL target: a region mapped to GPU "
                                     "blocks shares its stage with other ops";
      SmallVector<scf::ParallelOp> rest;
      stage.walk([&](scf::ParallelOp p) { rest.push_back(p); });
      for (scf::ParallelOp p : rest) {
        if (p.getNumResults() != 0)
          return p.emitError() << "OpenCL target: scf.parallel with reductions";
        sequentialize(p);
      }
      stages.push_back(stageEntry(stage.getSymName(), globalSize, localSize,
                                  ArrayAttr::get(ctx, args)));
    }
    // A kernel without work (e.g. of empty tensors) still gets a stage, so
    // the runtime launches something for it (it does nothing).
    if (stages.empty()) {
      OpBuilder b(ctx);
      auto stage = func::FuncOp::create(b, func.getLoc(), base + "_s0",
                                        FunctionType::get(ctx, {}, {}));
      symbols.insert(stage, Block::iterator(func));
      stage->setAttr(hcc::opencl::kStageAttr, UnitAttr::get(ctx));
      b.setInsertionPointToStart(stage.addEntryBlock());
      func::ReturnOp::create(b, func.getLoc());
      stages.push_back(
          stageEntry(stage.getSymName(), 1, 1, ArrayAttr::get(ctx, {})));
    }
    Builder b(ctx);
    meta = DictionaryAttr::get(
        ctx,
        {NamedAttribute(b.getStringAttr("num_args"),
                        b.getI64IntegerAttr(numArgs)),
         NamedAttribute(b.getStringAttr("scratch"), b.getI64ArrayAttr(scratch)),
         NamedAttribute(b.getStringAttr("stages"), b.getArrayAttr(stages))});
    return success();
  }
};
} // namespace
