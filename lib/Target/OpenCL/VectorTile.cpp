//===- VectorTile.cpp - contraction tiles as vector accumulators ----------===//
//
// The full tiles of a contraction-like op (matmul, convolution, einsum) as
// tm x (tn / w) vectors of w lanes carried through the reduction loops:
// per reduction step the n-contiguous operand is loaded as vectors, the
// other broadcast once per row, and the payload runs on vectors. OpenCL C
// compilers keep such accumulators in registers (PoCL: ~2x the throughput
// of the scalar private-array tile, which they leave in memory).
//
//===----------------------------------------------------------------------===//

#include "LinalgLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineExprVisitor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace hcc::opencl {
namespace {

enum class Access { Broadcast, Contiguous };

/// How a tile reads the operand `map` indexes (from the op's loop dims):
/// a scalar per row when no index depends on n; a vector when only the
/// innermost index does, as n plus terms without n, in a buffer of unit
/// innermost stride.
std::optional<Access> classify(AffineMap map, Type type, unsigned n) {
  ArrayRef<AffineExpr> results = map.getResults();
  if (llvm::none_of(results,
                    [&](AffineExpr e) { return e.isFunctionOfDim(n); }))
    return Access::Broadcast;
  for (AffineExpr e : results.drop_back())
    if (e.isFunctionOfDim(n))
      return std::nullopt;
  // The flattening simplifier cancels n: (d3 + d6) - d3 = d6.
  AffineExpr rest =
      simplifyAffineExpr(results.back() - getAffineDimExpr(n, map.getContext()),
                         map.getNumDims(), map.getNumSymbols());
  if (rest.isFunctionOfDim(n))
    return std::nullopt;
  auto memref = dyn_cast<MemRefType>(type);
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!memref || failed(memref.getStridesAndOffset(strides, offset)) ||
      strides.empty() || strides.back() != 1)
    return std::nullopt;
  return Access::Contiguous;
}

/// The map from `op`'s loop dims to the indices of `producer`'s input
/// `in`, through `producer`'s (permutation) output map and `op`'s map of
/// the output `producer` initializes.
AffineMap initializerMap(linalg::LinalgOp op, OpOperand &init,
                         linalg::LinalgOp producer, OpOperand *in) {
  AffineMap pOut =
      producer.getMatchingIndexingMap(producer.getDpsInitOperand(0));
  return producer.getMatchingIndexingMap(in)
      .compose(inversePermutation(pOut))
      .compose(op.getMatchingIndexingMap(&init));
}

/// The input of `producer` (a fill or a copy/broadcast) its payload yields,
/// or null when it yields anything else.
OpOperand *yieldedInput(linalg::LinalgOp producer) {
  auto yield = producer.getBlock()->getTerminator();
  if (yield->getNumOperands() != 1 ||
      producer.getBlock()->getOperations().size() != 1)
    return nullptr;
  auto arg = dyn_cast<BlockArgument>(yield->getOperand(0));
  if (!arg || arg.getOwner() != producer.getBlock() ||
      arg.getArgNumber() >= producer.getNumDpsInputs())
    return nullptr;
  return producer.getDpsInputOperand(arg.getArgNumber());
}

/// The value `producer` (a fill by a value from outside it, e.g. a folded
/// constant bias) yields everywhere, or null.
Value splatValue(linalg::LinalgOp producer) {
  auto yield = producer.getBlock()->getTerminator();
  if (yield->getNumOperands() != 1 ||
      producer.getBlock()->getOperations().size() != 1)
    return {};
  Value v = yield->getOperand(0);
  if (v.getParentBlock() == producer.getBlock())
    return {};
  return v;
}

bool isVectorizablePayloadOp(Operation &o, Type elem) {
  if (auto c = dyn_cast<arith::ConstantOp>(o))
    return c.getType() == elem;
  return isa<arith::MulFOp, arith::AddFOp, arith::SubFOp, math::FmaOp>(o) &&
         o.getResult(0).getType() == elem;
}

} // namespace

bool canVectorizeTile(linalg::LinalgOp op, const LoopPlan &plan,
                      int64_t vectorWidth) {
  if (vectorWidth < 2 || !plan.blocked || !plan.n ||
      plan.tn % vectorWidth != 0 || plan.sequential.empty() ||
      op.getNumDpsInits() != 1)
    return false;
  OpOperand &init = op.getDpsInitsMutable()[0];
  Type elem = getElementTypeOrSelf(init.get().getType());
  if (!elem.isF32() && !elem.isF64())
    return false;
  if (classify(op.getMatchingIndexingMap(&init), init.get().getType(),
               *plan.n) != Access::Contiguous)
    return false;
  for (Operation &o : op.getBlock()->without_terminator())
    if (!isVectorizablePayloadOp(o, elem))
      return false;
  for (BlockArgument arg : op.getBlock()->getArguments())
    if (!arg.use_empty() && arg.getType() != elem)
      return false;
  for (OpOperand *in : op.getDpsInputOperands()) {
    if (op.getMatchingBlockArgument(in).use_empty() ||
        !isa<MemRefType>(in->get().getType()))
      continue;
    if (!classify(op.getMatchingIndexingMap(in), in->get().getType(), *plan.n))
      return false;
  }
  if (linalg::LinalgOp producer = plan.inits.front()) {
    OpOperand *in = yieldedInput(producer);
    if (!in) {
      Value splat = splatValue(producer);
      return splat && splat.getType() == elem;
    }
    if (isa<MemRefType>(in->get().getType()) &&
        !classify(initializerMap(op, init, producer, in), in->get().getType(),
                  *plan.n))
      return false;
    if (getElementTypeOrSelf(in->get().getType()) != elem)
      return false;
  }
  return true;
}

void emitVectorTile(OpBuilder &b, Location loc, linalg::LinalgOp op,
                    const LoopPlan &plan, SmallVector<Value> ivs, Value m0,
                    Value n0, int64_t vectorWidth) {
  OpOperand &init = op.getDpsInitsMutable()[0];
  Type elem = getElementTypeOrSelf(init.get().getType());
  auto vecType = VectorType::get({vectorWidth}, elem);
  int64_t tm = plan.tm, nv = plan.tn / vectorWidth;
  AffineMap outMap = op.getMatchingIndexingMap(&init);

  // The loop position of row ii, vector column jj.
  auto at = [&](OpBuilder &pb, SmallVector<Value> base, int64_t ii,
                int64_t jj) {
    if (plan.m)
      base[*plan.m] = arith::AddIOp::create(pb, loc, m0, cst(pb, loc, ii));
    base[*plan.n] =
        arith::AddIOp::create(pb, loc, n0, cst(pb, loc, jj * vectorWidth));
    return base;
  };
  auto read = [&](OpBuilder &pb, Value memref, AffineMap map,
                  ArrayRef<Value> all) -> Value {
    SmallVector<Value> idx = applyMap(pb, loc, map, all);
    if (classify(map, memref.getType(), *plan.n) == Access::Contiguous)
      return vector::LoadOp::create(pb, loc, vecType, memref, idx);
    return vector::BroadcastOp::create(
        pb, loc, vecType, memref::LoadOp::create(pb, loc, memref, idx));
  };

  // Accumulators: the output's values or its initializer's.
  SmallVector<Value> accs;
  linalg::LinalgOp producer = plan.inits.front();
  for (int64_t ii = 0; ii < tm; ++ii) {
    for (int64_t jj = 0; jj < nv; ++jj) {
      SmallVector<Value> all = at(b, ivs, ii, jj);
      if (!producer) {
        accs.push_back(read(b, init.get(), outMap, all));
        continue;
      }
      OpOperand *in = yieldedInput(producer);
      if (!in)
        accs.push_back(
            vector::BroadcastOp::create(b, loc, vecType, splatValue(producer)));
      else if (!isa<MemRefType>(in->get().getType()))
        accs.push_back(vector::BroadcastOp::create(b, loc, vecType, in->get()));
      else
        accs.push_back(
            read(b, in->get(), initializerMap(op, init, producer, in), all));
    }
  }

  SmallVector<Value> lbs, ubs, steps;
  for (unsigned d : plan.sequential) {
    lbs.push_back(cst(b, loc, 0));
    ubs.push_back(cst(b, loc, plan.ranges[d]));
    steps.push_back(cst(b, loc, 1));
  }
  Block *body = op.getBlock();
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, accs,
      [&](OpBuilder &nb, Location, ValueRange seqIvs,
          ValueRange iter) -> scf::ValueVector {
        SmallVector<Value> base = ivs;
        for (auto [d, iv] : llvm::zip(plan.sequential, seqIvs))
          base[d] = iv;
        // Operand vectors per (row, vector column); loaded once when they
        // do not depend on the row or the column.
        DenseMap<std::tuple<unsigned, int64_t, int64_t>, Value> operands;
        for (OpOperand *in : op.getDpsInputOperands()) {
          BlockArgument arg = op.getMatchingBlockArgument(in);
          if (arg.use_empty())
            continue;
          unsigned k = arg.getArgNumber();
          if (!isa<MemRefType>(in->get().getType())) {
            operands[{k, 0, 0}] =
                vector::BroadcastOp::create(nb, loc, vecType, in->get());
            continue;
          }
          AffineMap map = op.getMatchingIndexingMap(in);
          bool rows = plan.m && map.isFunctionOfDim(*plan.m);
          bool cols = map.isFunctionOfDim(*plan.n);
          for (int64_t ii = 0; ii < (rows ? tm : 1); ++ii)
            for (int64_t jj = 0; jj < (cols ? nv : 1); ++jj)
              operands[{k, ii, jj}] =
                  read(nb, in->get(), map, at(nb, base, ii, jj));
        }
        auto operand = [&](unsigned k, int64_t ii, int64_t jj) {
          for (auto key :
               {std::make_tuple(k, ii, jj), std::make_tuple(k, ii, int64_t(0)),
                std::make_tuple(k, int64_t(0), jj),
                std::make_tuple(k, int64_t(0), int64_t(0))})
            if (Value v = operands.lookup(key))
              return v;
          return Value();
        };
        scf::ValueVector next;
        for (int64_t ii = 0; ii < tm; ++ii) {
          for (int64_t jj = 0; jj < nv; ++jj) {
            IRMapping map;
            for (OpOperand *in : op.getDpsInputOperands()) {
              BlockArgument arg = op.getMatchingBlockArgument(in);
              if (!arg.use_empty())
                map.map(arg, operand(arg.getArgNumber(), ii, jj));
            }
            map.map(op.getMatchingBlockArgument(&init), iter[ii * nv + jj]);
            for (Operation &o : body->without_terminator()) {
              if (auto c = dyn_cast<arith::ConstantOp>(o)) {
                map.map(c.getResult(),
                        arith::ConstantOp::create(
                            nb, loc,
                            SplatElementsAttr::get(
                                vecType, cast<FloatAttr>(c.getValue()))));
                continue;
              }
              SmallVector<Value> args;
              for (Value v : o.getOperands()) {
                Value mapped = map.lookupOrNull(v);
                // A scalar from outside the payload: the same in all lanes.
                args.push_back(
                    mapped ? mapped
                           : vector::BroadcastOp::create(nb, loc, vecType, v));
              }
              OperationState state(loc, o.getName());
              state.addOperands(args);
              state.addAttributes(o.getAttrs());
              state.addTypes(vecType);
              map.map(o.getResult(0), nb.create(state)->getResult(0));
            }
            Value yielded = body->getTerminator()->getOperand(0);
            Value mapped = map.lookupOrNull(yielded);
            next.push_back(mapped ? mapped
                                  : vector::BroadcastOp::create(
                                        nb, loc, vecType, yielded));
          }
        }
        return next;
      });
  for (int64_t ii = 0; ii < tm; ++ii)
    for (int64_t jj = 0; jj < nv; ++jj) {
      Value result = nest.results[ii * nv + jj];
      SmallVector<Value> all = at(b, ivs, ii, jj);
      if (!plan.epilogue) {
        vector::StoreOp::create(b, loc, result, init.get(),
                                applyMap(b, loc, outMap, all));
        continue;
      }
      // Through the epilogue, lane by lane (it may be any elementwise op).
      for (int64_t lane = 0; lane < vectorWidth; ++lane) {
        SmallVector<Value> laneIvs = all;
        laneIvs[*plan.n] =
            arith::AddIOp::create(b, loc, all[*plan.n], cst(b, loc, lane));
        Value value = vector::ExtractOp::create(b, loc, result, lane);
        storeGPUResult(b, loc, op, plan.epilogue, value, laneIvs);
      }
    }
}

} // namespace hcc::opencl
