//===- LowerLinalg.cpp - linalg on buffers to CPU-shaped loop nests -------===//
//
// Each linalg op becomes one loop nest: an scf.parallel over the dimensions
// that index every output injectively, everything else sequential inside.
// Ops with sequential dimensions are register-blocked (tile-m x tile-n
// private accumulators, reduction loops outside a contiguous inner loop),
// the loop shape that CPU OpenCL compilers (PoCL) vectorize well.
//
//===----------------------------------------------------------------------===//

#include "LinalgLoops.h"
#include "OpenCLUtils.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace hcc {
#define GEN_PASS_DEF_OPENCLLOWERLINALG
#include "hcc/Target/OpenCL/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace hcc::opencl {

Value cst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// The indices `map` gives at the loop position `ivs`.
SmallVector<Value> applyMap(OpBuilder &b, Location loc, AffineMap map,
                            ValueRange ivs) {
  SmallVector<Value> result;
  for (AffineExpr e : map.getResults()) {
    if (auto d = dyn_cast<AffineDimExpr>(e)) {
      result.push_back(ivs[d.getPosition()]);
      continue;
    }
    if (auto c = dyn_cast<AffineConstantExpr>(e)) {
      result.push_back(cst(b, loc, c.getValue()));
      continue;
    }
    result.push_back(affine::AffineApplyOp::create(
        b, loc, AffineMap::get(map.getNumDims(), map.getNumSymbols(), e), ivs));
  }
  return result;
}

SmallVector<Value> emitPayload(OpBuilder &b, linalg::LinalgOp op,
                               ArrayRef<Value> inputs, ValueRange ivs,
                               ArrayRef<Value> outs) {
  IRMapping map;
  for (auto [i, in] : llvm::enumerate(op.getDpsInputOperands()))
    if (inputs[i])
      map.map(op.getMatchingBlockArgument(in), inputs[i]);
  for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
    BlockArgument arg = op.getMatchingBlockArgument(&init);
    if (!arg.use_empty())
      map.map(arg, outs[i]);
  }
  Block *body = op.getBlock();
  for (Operation &o : body->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(o)) {
      map.map(index.getResult(), ivs[index.getDim()]);
      continue;
    }
    Operation *clone = b.clone(o, map);
    // linalg.index nested in regions of the payload.
    clone->walk([&](linalg::IndexOp index) {
      index.replaceAllUsesWith(ivs[index.getDim()]);
      index.erase();
    });
  }
  SmallVector<Value> yielded;
  for (Value v : body->getTerminator()->getOperands())
    yielded.push_back(map.lookupOrDefault(v));
  return yielded;
}

/// One iteration of `op` at `ivs`: reads the inputs its payload uses, runs
/// the payload with `outs` as the current output values (null where the
/// payload does not read them) and returns what it yields.
SmallVector<Value> emitIteration(OpBuilder &b, Location loc,
                                 linalg::LinalgOp op, ValueRange ivs,
                                 ArrayRef<Value> outs) {
  SmallVector<Value> inputs;
  for (OpOperand *in : op.getDpsInputOperands()) {
    Value v = in->get();
    if (op.getMatchingBlockArgument(in).use_empty())
      inputs.push_back(Value());
    else if (!isa<MemRefType>(v.getType()))
      inputs.push_back(v);
    else
      inputs.push_back(memref::LoadOp::create(
          b, loc, v, applyMap(b, loc, op.getMatchingIndexingMap(in), ivs)));
  }
  return emitPayload(b, op, inputs, ivs, outs);
}

Value initializerValue(OpBuilder &b, Location loc, linalg::LinalgOp op,
                       OpOperand &init, linalg::LinalgOp producer,
                       ValueRange ivs) {
  SmallVector<Value> index =
      applyMap(b, loc, op.getMatchingIndexingMap(&init), ivs);
  AffineMap map =
      producer.getMatchingIndexingMap(producer.getDpsInitOperand(0));
  SmallVector<Value> pivs(map.getNumDims());
  for (auto [r, idx] : llvm::enumerate(index))
    pivs[map.getDimPosition(r)] = idx;
  return emitIteration(b, loc, producer, pivs, {Value()}).front();
}

/// The elementwise op right before `op` that only writes `init` (a fill or
/// a broadcast, reading nothing `op` writes), or null. `op` overwrites the
/// whole buffer, so the initializer can be computed into its accumulators.
linalg::LinalgOp findInitializer(linalg::LinalgOp op, OpOperand &init) {
  Operation *prev = op->getPrevNode();
  while (prev && prev->getNumRegions() == 0 && isMemoryEffectFree(prev))
    prev = prev->getPrevNode();
  auto producer = dyn_cast_or_null<linalg::LinalgOp>(prev);
  if (!producer || !producer.hasPureBufferSemantics() ||
      producer.getNumDpsInits() != 1 || producer.getNumReductionLoops() != 0)
    return nullptr;
  OpOperand *out = producer.getDpsInitOperand(0);
  if (out->get() != init.get() ||
      !producer.getMatchingIndexingMap(out).isPermutation() ||
      !producer.getMatchingBlockArgument(out).use_empty())
    return nullptr;
  // Its payload must be pure, its inputs not written by `op`.
  for (Operation &o : producer.getBlock()->without_terminator())
    if (!isMemoryEffectFree(&o) && !isa<memref::LoadOp>(o))
      return nullptr;
  for (OpOperand *in : producer.getDpsInputOperands())
    for (OpOperand &opInit : op.getDpsInitsMutable())
      if (in->get() == opInit.get())
        return nullptr;
  return producer;
}

} // namespace hcc::opencl

using namespace hcc::opencl;

namespace {

/// Loads the outputs the payload reads at `ivs`.
SmallVector<Value> loadOutputs(OpBuilder &b, Location loc, linalg::LinalgOp op,
                               ValueRange ivs) {
  SmallVector<Value> outs;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    if (op.getMatchingBlockArgument(&init).use_empty()) {
      outs.push_back(nullptr);
      continue;
    }
    outs.push_back(memref::LoadOp::create(
        b, loc, init.get(),
        applyMap(b, loc, op.getMatchingIndexingMap(&init), ivs)));
  }
  return outs;
}

void storeOutputs(OpBuilder &b, Location loc, linalg::LinalgOp op,
                  ValueRange ivs, ArrayRef<Value> values) {
  for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable()))
    memref::StoreOp::create(
        b, loc, values[i], init.get(),
        applyMap(b, loc, op.getMatchingIndexingMap(&init), ivs));
}

/// Sequential loops over `dims` (0 to their range), `body` innermost with
/// the full iteration vector (dims not in `dims` taken from `ivs`).
void buildSequential(OpBuilder &b, Location loc, const LoopPlan &plan,
                     ArrayRef<unsigned> dims, SmallVector<Value> ivs,
                     function_ref<void(OpBuilder &, ValueRange)> body) {
  SmallVector<Value> lbs, ubs, steps;
  for (unsigned d : dims) {
    lbs.push_back(cst(b, loc, 0));
    ubs.push_back(cst(b, loc, plan.ranges[d]));
    steps.push_back(cst(b, loc, 1));
  }
  scf::buildLoopNest(b, loc, lbs, ubs, steps,
                     [&](OpBuilder &nb, Location, ValueRange loopIvs) {
                       for (auto [d, iv] : llvm::zip(dims, loopIvs))
                         ivs[d] = iv;
                       body(nb, ivs);
                     });
}

/// The scf.parallel over plan.parallel (or nothing when it is empty) with
/// `body` inside.
void buildParallel(OpBuilder &b, Location loc, ArrayRef<int64_t> ubs,
                   function_ref<void(OpBuilder &, ValueRange)> body) {
  if (ubs.empty()) {
    body(b, {});
    return;
  }
  SmallVector<Value> lbVals, ubVals, stepVals;
  for (int64_t ub : ubs) {
    lbVals.push_back(cst(b, loc, 0));
    ubVals.push_back(cst(b, loc, ub));
    stepVals.push_back(cst(b, loc, 1));
  }
  scf::ParallelOp::create(
      b, loc, lbVals, ubVals, stepVals,
      [&](OpBuilder &nb, Location, ValueRange ivs) { body(nb, ivs); });
}

/// Plain nest: parallel dims outside, sequential dims inside, outputs read
/// and written at every iteration.
void emitPlain(OpBuilder &b, Location loc, linalg::LinalgOp op,
               const LoopPlan &plan) {
  SmallVector<int64_t> ubs;
  for (unsigned d : plan.parallel)
    ubs.push_back(plan.ranges[d]);
  Value zero = cst(b, loc, 0);
  buildParallel(b, loc, ubs, [&](OpBuilder &pb, ValueRange pivs) {
    SmallVector<Value> ivs(plan.ranges.size(), zero);
    for (auto [d, iv] : llvm::zip(plan.parallel, pivs))
      ivs[d] = iv;
    buildSequential(pb, loc, plan, plan.sequential, ivs,
                    [&](OpBuilder &ib, ValueRange all) {
                      SmallVector<Value> outs = loadOutputs(ib, loc, op, all);
                      SmallVector<Value> res =
                          emitIteration(ib, loc, op, all, outs);
                      storeOutputs(ib, loc, op, all, res);
                    });
  });
}

/// One register tile at (m0, n0) of mb x nb (<= tm x tn) iterations:
/// accumulators in private arrays, loaded once, reduction loops outside the
/// ii/jj loops, stored once.
void emitTile(OpBuilder &b, Location loc, linalg::LinalgOp op,
              const LoopPlan &plan, SmallVector<Value> ivs, Value m0, Value n0,
              Value mb, Value nb) {
  MLIRContext *ctx = b.getContext();
  auto privateSpace = StringAttr::get(ctx, hcc::opencl::kPrivateSpace);
  SmallVector<Value> accs;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    Type elem = getElementTypeOrSelf(init.get().getType());
    accs.push_back(memref::AllocaOp::create(
        b, loc,
        MemRefType::get({plan.tm, plan.tn}, elem, nullptr, privateSpace)));
  }
  Value zero = cst(b, loc, 0), one = cst(b, loc, 1);
  // Runs `body(ii, jj, ivs)` over the tile.
  auto overTile =
      [&](OpBuilder &tb, SmallVector<Value> base,
          function_ref<void(OpBuilder &, Value, Value, SmallVector<Value> &)>
              body) {
        scf::buildLoopNest(tb, loc, {zero, zero}, {mb, nb}, {one, one},
                           [&](OpBuilder &ib, Location, ValueRange ij) {
                             SmallVector<Value> all = base;
                             if (plan.m)
                               all[*plan.m] =
                                   arith::AddIOp::create(ib, loc, m0, ij[0]);
                             if (plan.n)
                               all[*plan.n] =
                                   arith::AddIOp::create(ib, loc, n0, ij[1]);
                             body(ib, ij[0], ij[1], all);
                           });
      };
  // Accumulators start as the outputs' current values, or as what their
  // initializer would have stored.
  overTile(b, ivs, [&](OpBuilder &ib, Value ii, Value jj, auto &all) {
    for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
      Value v;
      if (!op.getMatchingBlockArgument(&init).use_empty() && !plan.inits[i])
        v = memref::LoadOp::create(
            ib, loc, init.get(),
            applyMap(ib, loc, op.getMatchingIndexingMap(&init), all));
      if (linalg::LinalgOp producer = plan.inits[i])
        v = initializerValue(ib, loc, op, init, producer, all);
      if (v)
        memref::StoreOp::create(ib, loc, v, accs[i], ValueRange{ii, jj});
    }
  });
  buildSequential(
      b, loc, plan, plan.sequential, ivs,
      [&](OpBuilder &sb, ValueRange seqIvs) {
        overTile(
            sb, llvm::to_vector(seqIvs),
            [&](OpBuilder &ib, Value ii, Value jj, auto &all) {
              SmallVector<Value> outs;
              for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
                if (op.getMatchingBlockArgument(&init).use_empty())
                  outs.push_back(nullptr);
                else
                  outs.push_back(memref::LoadOp::create(ib, loc, accs[i],
                                                        ValueRange{ii, jj}));
              }
              SmallVector<Value> res = emitIteration(ib, loc, op, all, outs);
              for (auto [acc, v] : llvm::zip(accs, res))
                memref::StoreOp::create(ib, loc, v, acc, ValueRange{ii, jj});
            });
      });
  overTile(b, ivs, [&](OpBuilder &ib, Value ii, Value jj, auto &all) {
    SmallVector<Value> values;
    for (Value acc : accs)
      values.push_back(
          memref::LoadOp::create(ib, loc, acc, ValueRange{ii, jj}));
    storeOutputs(ib, loc, op, all, values);
  });
}

/// Blocked nest: scf.parallel over (other parallel dims, n tiles, m tiles);
/// full tiles with static bounds, edge tiles with dynamic ones.
void emitBlocked(OpBuilder &b, Location loc, linalg::LinalgOp op,
                 const LoopPlan &plan) {
  SmallVector<unsigned> outer;
  for (unsigned d : plan.parallel)
    if (d != plan.m && d != plan.n)
      outer.push_back(d);
  SmallVector<int64_t> ubs;
  for (unsigned d : outer)
    ubs.push_back(plan.ranges[d]);
  int64_t nRange = plan.n ? plan.ranges[*plan.n] : 1;
  int64_t mRange = plan.m ? plan.ranges[*plan.m] : 1;
  if (plan.n)
    ubs.push_back(llvm::divideCeil(nRange, plan.tn));
  if (plan.m)
    ubs.push_back(llvm::divideCeil(mRange, plan.tm));
  Value zero = cst(b, loc, 0);
  buildParallel(b, loc, ubs, [&](OpBuilder &pb, ValueRange pivs) {
    SmallVector<Value> ivs(plan.ranges.size(), zero);
    for (auto [d, iv] : llvm::zip(outer, pivs))
      ivs[d] = iv;
    Value n0 = zero, m0 = zero;
    Value tmV = cst(pb, loc, plan.tm), tnV = cst(pb, loc, plan.tn);
    if (plan.n)
      n0 = arith::MulIOp::create(pb, loc, pivs[outer.size()], tnV);
    if (plan.m)
      m0 = arith::MulIOp::create(pb, loc, pivs.back(), tmV);
    bool nEdge = nRange % plan.tn != 0, mEdge = mRange % plan.tm != 0;
    if (plan.overlapEdges) {
      // The last tile moves back to end at the range's end: it recomputes
      // some outputs of its neighbour, bit for bit the same values (both
      // start from the initializer), so every tile is a full one.
      if (nEdge)
        n0 =
            arith::MinSIOp::create(pb, loc, n0, cst(pb, loc, nRange - plan.tn));
      if (mEdge)
        m0 =
            arith::MinSIOp::create(pb, loc, m0, cst(pb, loc, mRange - plan.tm));
      nEdge = mEdge = false;
    }
    // Full tiles have static bounds: vector tiles where the op allows.
    auto fullTile = [&](OpBuilder &fb) {
      if (plan.vectorWidth)
        emitVectorTile(fb, loc, op, plan, ivs, m0, n0, plan.vectorWidth);
      else
        emitTile(fb, loc, op, plan, ivs, m0, n0, tmV, tnV);
    };
    if (!nEdge && !mEdge) {
      fullTile(pb);
      return;
    }
    // Full tile: both tile ends within range.
    Value full;
    auto fits = [&](Value start, int64_t tile, int64_t range) {
      Value end = arith::AddIOp::create(pb, loc, start, cst(pb, loc, tile));
      return arith::CmpIOp::create(pb, loc, arith::CmpIPredicate::sle, end,
                                   cst(pb, loc, range));
    };
    if (nEdge)
      full = fits(n0, plan.tn, nRange);
    if (mEdge) {
      Value mFits = fits(m0, plan.tm, mRange);
      full = full ? arith::AndIOp::create(pb, loc, full, mFits) : mFits;
    }
    auto ifOp = scf::IfOp::create(pb, loc, full, /*withElseRegion=*/true);
    OpBuilder tb = ifOp.getThenBodyBuilder();
    fullTile(tb);
    OpBuilder eb = ifOp.getElseBodyBuilder();
    auto bound = [&](Value start, Value tile, int64_t range) {
      Value left = arith::SubIOp::create(eb, loc, cst(eb, loc, range), start);
      return arith::MinSIOp::create(eb, loc, left, tile);
    };
    Value mb = mEdge ? Value(bound(m0, tmV, mRange)) : tmV;
    Value nb = nEdge ? Value(bound(n0, tnV, nRange)) : tnV;
    emitTile(eb, loc, op, plan, ivs, m0, n0, mb, nb);
  });
}

/// Decides the loop arrangement of `op` (ranges known to be static).
LoopPlan planLoops(linalg::LinalgOp op, int64_t tileM, int64_t tileN,
                   int64_t workItems) {
  LoopPlan plan;
  plan.ranges = op.getStaticLoopRanges();
  unsigned numLoops = op.getNumLoops();
  SmallVector<AffineMap> outMaps;
  for (OpOperand &init : op.getDpsInitsMutable())
    outMaps.push_back(op.getMatchingIndexingMap(&init));
  bool permutations = llvm::all_of(
      outMaps, [](AffineMap map) { return map.isProjectedPermutation(); });
  auto iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d < numLoops; ++d) {
    bool injective =
        permutations && linalg::isParallelIterator(iterators[d]) &&
        llvm::all_of(outMaps, [&](AffineMap map) {
          return map.getResultPosition(getAffineDimExpr(d, op.getContext()))
              .has_value();
        });
    (injective ? plan.parallel : plan.sequential).push_back(d);
  }
  if (plan.sequential.empty() || !permutations)
    return plan;
  // Blocking needs every output indexed by exactly the parallel dims.
  for (AffineMap map : outMaps)
    if (map.getNumResults() != plan.parallel.size())
      return plan;
  plan.blocked = true;
  if (plan.parallel.empty())
    return plan;
  AffineMap out0 = outMaps.front();
  plan.n = cast<AffineDimExpr>(out0.getResults().back()).getPosition();
  // Inputs read contiguously along a reduction but none along n (a row
  // reduction): one output per tile, each work-item streams whole rows.
  bool alongN = false, alongSequential = false;
  for (OpOperand *in : op.getDpsInputOperands()) {
    if (!isa<MemRefType>(in->get().getType()) ||
        op.getMatchingBlockArgument(in).use_empty())
      continue;
    AffineMap map = op.getMatchingIndexingMap(in);
    if (map.getNumResults() == 0)
      continue;
    AffineExpr last = map.getResults().back();
    if (last.isFunctionOfDim(*plan.n))
      alongN = true;
    else if (llvm::any_of(plan.sequential,
                          [&](unsigned d) { return last.isFunctionOfDim(d); }))
      alongSequential = true;
  }
  if (alongSequential && !alongN)
    return plan;
  plan.tn = std::min(tileN, plan.ranges[*plan.n]);
  // m: the parallel dim whose loads are reused most across a tile (inputs
  // that do not depend on it, best those that stream along n), ties to the
  // innermost.
  int64_t bestScore = -1;
  for (AffineExpr e : out0.getResults().drop_back()) {
    unsigned d = cast<AffineDimExpr>(e).getPosition();
    if (plan.ranges[d] < 2)
      continue;
    int64_t score = 0;
    for (OpOperand *in : op.getDpsInputOperands()) {
      if (!isa<MemRefType>(in->get().getType()) ||
          op.getMatchingBlockArgument(in).use_empty())
        continue;
      AffineMap map = op.getMatchingIndexingMap(in);
      if (!map.isFunctionOfDim(d))
        score += map.isFunctionOfDim(*plan.n) ? 3 : 1;
    }
    if (score >= bestScore) {
      bestScore = score;
      plan.m = d;
    }
  }
  if (plan.m)
    plan.tm = std::min(tileM, plan.ranges[*plan.m]);
  // Enough tiles for every work-item: smaller row blocks first, then
  // narrower columns (down to 16, a vector of floats).
  auto numTiles = [&] {
    int64_t count = 1;
    for (unsigned d : plan.parallel)
      count *= d == plan.n   ? llvm::divideCeil(plan.ranges[d], plan.tn)
               : d == plan.m ? llvm::divideCeil(plan.ranges[d], plan.tm)
                             : plan.ranges[d];
    return count;
  };
  while (numTiles() < workItems) {
    if (plan.tm > 1)
      plan.tm = llvm::divideCeil(plan.tm, 2);
    else if (plan.tn > 16)
      plan.tn = llvm::divideCeil(plan.tn, 2);
    else
      break;
  }
  return plan;
}

struct LowerLinalgPass : hcc::impl::OpenCLLowerLinalgBase<LowerLinalgPass> {
  using Base::Base;

  /// This kernel's tile-m, tile-n, work-items.
  SmallVector<int64_t> knobValues;
  /// This kernel's GPU contraction tiles (gpu-shape).
  GPUTileKnobs gpuKnobs;

  GPUReductionMode reductionMode = GPUReductionMode::Tree;
  /// GPU tile kernels -> the elementwise op they store through, which is
  /// lowered with them (or after them, if they are not tiled after all).
  DenseMap<Operation *, GPUEpilogue> epilogues;
  DenseSet<Operation *> deferred;

  /// Finds the epilogue of each GPU tile kernel at the top level of
  /// `func` before any op is lowered.
  void findEpilogues(func::FuncOp func) {
    epilogues.clear();
    deferred.clear();
    for (Operation &o : func.getBody().getOps()) {
      auto op = dyn_cast<linalg::LinalgOp>(&o);
      if (!op || deferred.contains(op))
        continue;
      bool gpuTile =
          gpuContractions && (matchGPUContraction(op) || isGPUReduction(op));
      if (!gpuTile && !(tileEpilogues && edgelessVectorTile(op)))
        continue;
      linalg::LinalgOp init =
          gpuTile ? findGPUInitializer(op, op.getDpsInitsMutable()[0])
                  : planFor(op).inits.front();
      if (std::optional<GPUEpilogue> e = findGPUEpilogue(op, init)) {
        epilogues[op] = *e;
        deferred.insert(e->op);
      }
    }
  }

  /// The loop plan `lower` makes for `op`, with its initializers and
  /// vector tile chosen.
  LoopPlan planFor(linalg::LinalgOp op) {
    LoopPlan plan = planLoops(op, knobValues[0], knobValues[1], knobValues[2]);
    plan.inits.assign(op.getNumDpsInits(), nullptr);
    if (plan.blocked)
      for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable()))
        plan.inits[i] = findInitializer(op, init);
    if (plan.blocked && plan.n)
      chooseVectorTile(op, plan);
    return plan;
  }

  /// Whether `op` (static ranges) becomes vector register tiles only: no
  /// edge tiles, or edge tiles that overlap their neighbours (they store
  /// the same values again, so an epilogue applied to the accumulators
  /// stores the same results again too).
  bool edgelessVectorTile(linalg::LinalgOp op) {
    if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
        llvm::any_of(op.getStaticLoopRanges(), [](int64_t r) {
          return ShapedType::isDynamic(r) || r == 0;
        }))
      return false;
    return onlyVectorTiles(planFor(op));
  }

  static bool onlyVectorTiles(const LoopPlan &plan) {
    return plan.vectorWidth &&
           (plan.overlapEdges ||
            (plan.ranges[*plan.n] % plan.tn == 0 &&
             (!plan.m || plan.ranges[*plan.m] % plan.tm == 0)));
  }

  /// The GPU tile form of a contraction or long reduction, with its
  /// initializer and epilogue; failure (nothing changed) for other ops.
  LogicalResult lowerGPU(linalg::LinalgOp op) {
    std::optional<GPUContractionDims> dims = matchGPUContraction(op);
    if (!dims && !isGPUReduction(op))
      return failure();
    // The fill or bias broadcast of the output is computed into the
    // accumulators instead of a stage of its own.
    linalg::LinalgOp init = findGPUInitializer(op, op.getDpsInitsMutable()[0]);
    if (init && erased.contains(init))
      init = nullptr;
    const GPUEpilogue *epilogue = nullptr;
    if (auto it = epilogues.find(op);
        it != epilogues.end() && !erased.contains(it->second.op))
      epilogue = &it->second;
    // With an epilogue the kernel takes its place (the ops between only
    // allocate or make views).
    OpBuilder b(epilogue ? epilogue->op : op);
    bool emitted =
        dims ? emitGPUContraction(b, op, *dims, init, epilogue, gpuKnobs)
             : emitGPUReduction(b, op, reductionMode, init, epilogue);
    if (!emitted)
      return failure();
    op->erase();
    for (linalg::LinalgOp done :
         {init, epilogue ? epilogue->op : linalg::LinalgOp()})
      if (done && erased.insert(done).second)
        done->erase();
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    FailureOr<SmallVector<int64_t>> knobs = hcc::resolveOpenCLKnobs(
        func, {"tile-m", "tile-n", "work-items"}, {tileM, tileN, workItems});
    if (failed(knobs))
      return signalPassFailure();
    knobValues = *knobs;
    if (gpuContractions) {
      FailureOr<GPUTileKnobs> tiles = resolveGPUTileKnobs(func);
      if (failed(tiles))
        return signalPassFailure();
      gpuKnobs = *tiles;
    }
    if (!llvm::is_contained({1, 2, 4, 8, 16}, int64_t(vectorWidth))) {
      func.emitError() << "option 'vector-width' = "
                       << static_cast<int64_t>(vectorWidth)
                       << " is not one of 1, 2, 4, 8, 16";
      return signalPassFailure();
    }
    std::optional<GPUReductionMode> mode = parseGPUReductionMode(gpuReductions);
    if (!mode) {
      func.emitError() << "option 'gpu-reductions' = '" << gpuReductions
                       << "' is not one of tree, shuffle, emulated-shuffle";
      return signalPassFailure();
    }
    reductionMode = *mode;
    // Copies are linalg.copy, lowered like every other op.
    func.walk([](memref::CopyOp copy) {
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    });
    erased.clear();
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    if (gpuContractions || tileEpilogues)
      findEpilogues(func);
    // Last first: an op may absorb its initializer (erased, so skipped).
    // Epilogues wait for their GPU tile kernel.
    for (linalg::LinalgOp op : llvm::reverse(ops)) {
      if (erased.contains(op) || deferred.contains(op))
        continue;
      Operation *epilogue = nullptr;
      if (auto it = epilogues.find(op); it != epilogues.end())
        epilogue = it->second.op;
      if (failed(lower(op)))
        return signalPassFailure();
      // Not tiled after all: the epilogue is an op of its own.
      if (epilogue && !erased.contains(epilogue) &&
          failed(lower(cast<linalg::LinalgOp>(epilogue))))
        return signalPassFailure();
    }
  }

  /// Initializers absorbed by the op they initialize (in this function:
  /// the pass instance serves many, and addresses of erased ops are reused).
  llvm::DenseSet<Operation *> erased;

  /// Vector tiles with the widest vectors (up to vector-width) the n range
  /// holds; tn becomes a multiple of them. When every output has an
  /// initializer, edge tiles overlap their neighbours instead of taking the
  /// scalar path.
  void chooseVectorTile(linalg::LinalgOp op, LoopPlan &plan) {
    int64_t nRange = plan.ranges[*plan.n];
    bool overlap = llvm::all_of(
        plan.inits, [](linalg::LinalgOp p) { return static_cast<bool>(p); });
    for (int64_t width = vectorWidth; width >= 2; width /= 2) {
      LoopPlan candidate = plan;
      candidate.tn = plan.tn / width * width;
      if (nRange < width || candidate.tn == 0 ||
          !canVectorizeTile(op, candidate, width))
        continue;
      plan = candidate;
      plan.vectorWidth = width;
      plan.overlapEdges = overlap;
      return;
    }
  }

  LogicalResult lower(linalg::LinalgOp op) {
    if (!op.hasPureBufferSemantics())
      return op->emitError() << "OpenCL target: " << op->getName()
                             << " is not on buffers after bufferization";
    for (int64_t r : op.getStaticLoopRanges())
      if (ShapedType::isDynamic(r))
        return op->emitError() << "OpenCL target: " << op->getName()
                               << " has dynamic loop bounds";
    if (llvm::is_contained(op.getStaticLoopRanges(), 0)) {
      op->erase();
      return success();
    }
    // Only ops at the kernel's top level can become stages of their own;
    // inside control flow (a recurrence's time loop) they stay loops.
    if (gpuContractions && isa<func::FuncOp>(op->getParentOp()) &&
        succeeded(lowerGPU(op)))
      return success();
    LoopPlan plan = planFor(op);
    // A recorded epilogue (findEpilogues) goes with edgeless vector tiles:
    // the tiles take its place.
    Operation *at = op;
    if (auto it = epilogues.find(op);
        it != epilogues.end() && !erased.contains(it->second.op) &&
        !gpuContractions && onlyVectorTiles(plan)) {
      plan.epilogue = &it->second;
      at = it->second.op;
    }
    OpBuilder b(at);
    if (plan.blocked)
      emitBlocked(b, op.getLoc(), op, plan);
    else
      emitPlain(b, op.getLoc(), op, plan);
    op->erase();
    if (plan.epilogue && erased.insert(plan.epilogue->op).second)
      plan.epilogue->op->erase();
    for (linalg::LinalgOp producer : plan.inits)
      if (producer && erased.insert(producer).second)
        producer->erase();
    return success();
  }
};
} // namespace
