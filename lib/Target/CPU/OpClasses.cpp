//===- OpClasses.cpp - which CPU tiling path a linalg op takes ------------===//
//
// The classifications hcc-cpu-tile-and-vectorize (TileAndVectorize.cpp)
// dispatches on: matmul-like contractions and their (m, n, k) loops,
// elementwise ops whose rows vectorize, row reductions, and payloads with
// transcendental functions.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;

namespace hcc::cpu {

/// Static tensors of one 32-bit element type, f32 or i32 (integer
/// convolutions and matmuls accumulate in i32): what the register tiles and
/// vector widths here are sized for.
bool hasStaticF32Tensors(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics())
    return false;
  Type elem;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.get().getType());
    if (!type) {
      if (operand.get().getType().isIntOrIndexOrFloat())
        continue;
      return false;
    }
    Type e = type.getElementType();
    if (!type.hasStaticShape() || !(e.isF32() || e.isInteger(32)) ||
        (elem && e != elem))
      return false;
    elem = e;
  }
  return true;
}

std::optional<MatmulDims> getMatmulDims(linalg::LinalgOp op) {
  if (!hasStaticF32Tensors(op) || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims))
    return std::nullopt;
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  MatmulDims result;
  result.outer.append(dims->batch.begin(), dims->batch.end());
  // Of each kind, the one non-unit dimension (or the last one).
  auto pick = [&](ArrayRef<unsigned> list, unsigned &chosen) -> bool {
    if (list.empty())
      return false;
    std::optional<unsigned> nonUnit;
    for (unsigned d : list) {
      if (bounds[d] == 1)
        continue;
      if (nonUnit)
        return false;
      nonUnit = d;
    }
    chosen = nonUnit ? *nonUnit : list.back();
    for (unsigned d : list)
      if (d != chosen)
        result.outer.push_back(d);
    return true;
  };
  if (!pick(dims->m, result.m) || !pick(dims->n, result.n) ||
      !pick(dims->k, result.k))
    return std::nullopt;
  // Unit reduction dimensions would be tiled by 1 like parallel ones; that
  // is fine for tiling, but keep it simple: only parallel outer dims.
  for (unsigned d : result.outer)
    if (!linalg::isParallelIterator(op.getIteratorTypesArray()[d]))
      return std::nullopt;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  // Vector lanes run along the output's contiguous dimension; contractions
  // whose contiguous dimension is M are left to the loop lowering.
  if (outMap.getNumResults() == 0 ||
      outMap.getResults().back() != getAffineDimExpr(result.n, op.getContext()))
    return std::nullopt;
  return result;
}

/// Whether every operand is read contiguously along the innermost loop
/// (or not indexed by it: a broadcast), so row vectors are plain loads.
bool isRowVectorizable(linalg::LinalgOp op) {
  if (!hasStaticF32Tensors(op) || op.getNumLoops() == 0 ||
      op.getNumReductionLoops() != 0 || op.getNumDpsInits() != 1 ||
      !op.hasOnlyProjectedPermutations())
    return false;
  unsigned inner = op.getNumLoops() - 1;
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<RankedTensorType>(operand.get().getType()))
      continue;
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!map.isFunctionOfDim(inner))
      continue;
    if (map.getResults().back() != getAffineDimExpr(inner, op.getContext()))
      return false;
  }
  // The output must be written contiguously.
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  return outMap.isIdentity();
}

/// The loop along which the transposed inputs of an elementwise op are
/// contiguous: the op writes its output contiguously (identity map) along
/// its innermost loop, and every input indexed by that loop is contiguous
/// either along it or along this one other loop (a transpose, such as a
/// channel-lane convolution's result read back in NCHW order).
std::optional<unsigned> transposedInnerLoop(linalg::LinalgOp op) {
  if (!hasStaticF32Tensors(op) || op.getNumLoops() < 2 ||
      op.getNumReductionLoops() != 0 || op.getNumDpsInits() != 1 ||
      !op.hasOnlyProjectedPermutations() ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return std::nullopt;
  unsigned inner = op.getNumLoops() - 1;
  std::optional<unsigned> other;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!isa<RankedTensorType>(input->get().getType()))
      continue;
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!map.isFunctionOfDim(inner))
      continue;
    unsigned last = cast<AffineDimExpr>(map.getResults().back()).getPosition();
    if (last == inner)
      continue;
    if (other && *other != last)
      return std::nullopt;
    other = last;
  }
  return other;
}

/// Whether `op`'s payload computes a transcendental function: a polynomial
/// of a dozen vector ops or more, with as many constants, per element.
bool hasTranscendentals(linalg::LinalgOp op) {
  return op
      ->walk([](Operation *inner) {
        return isa<math::ExpOp, math::Exp2Op, math::ExpM1Op, math::LogOp,
                   math::Log1pOp, math::Log2Op, math::TanhOp, math::ErfOp,
                   math::PowFOp, math::SinOp, math::CosOp, math::AtanOp,
                   math::Atan2Op>(inner)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// Whether `op` reduces along its innermost loop with every input indexed
/// by it read contiguously along it and the output not indexed by it (global
/// pools, ReduceMean/ReduceSum over the last axes, softmax's max and sum, a
/// variance's sum of squared deviations from a mean): its
/// rows reduce as vectors.
bool isRowReduction(linalg::LinalgOp op) {
  if (!hasStaticF32Tensors(op) || op.getNumLoops() == 0 ||
      op.getNumDpsInits() != 1 || !op.hasOnlyProjectedPermutations())
    return false;
  unsigned inner = op.getNumLoops() - 1;
  if (!linalg::isReductionIterator(op.getIteratorTypesArray()[inner]))
    return false;
  AffineExpr innerDim = getAffineDimExpr(inner, op.getContext());
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!isa<RankedTensorType>(input->get().getType()))
      continue;
    AffineMap map = op.getMatchingIndexingMap(input);
    // An input not indexed by the reduced loop is one value per row.
    if (!map.isFunctionOfDim(inner))
      continue;
    if (map.getResults().back() != innerDim)
      return false;
  }
  return !op.getMatchingIndexingMap(op.getDpsInitOperand(0))
              .isFunctionOfDim(inner);
}

} // namespace hcc::cpu
