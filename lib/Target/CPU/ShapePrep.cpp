//===- ShapePrep.cpp - ops reshaped before tiling -------------------------===//
//
// Helpers of hcc-cpu-tile-and-vectorize that give ops the shape the tiling
// handles well: a concatenation as one distributed copy per input, the
// trailing reduction loops of a reduction collapsed into one row, the
// narrow trailing loops of an elementwise op collapsed into longer rows,
// and the epilogues of im2col contractions on their collapsed shape.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

/// Collapses the loops of `op` from `first` on into one when there are two
/// or more and every operand reads them contiguously or not at all;
/// returns the new op, or `op`.
static linalg::LinalgOp collapseTrailingLoops(RewriterBase &rewriter,
                                              linalg::LinalgOp op,
                                              unsigned first) {
  unsigned loops = op.getNumLoops();
  if (loops - first < 2)
    return op;
  ReassociationIndices group;
  for (unsigned i = first; i < loops; ++i)
    group.push_back(i);
  if (!linalg::areDimSequencesPreserved(op.getIndexingMapsArray(), {group}))
    return op;
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::CollapseResult> collapsed =
      linalg::collapseOpIterationDims(op, {group}, rewriter);
  if (failed(collapsed))
    return op;
  rewriter.replaceOp(op, collapsed->results);
  return collapsed->collapsedOp;
}

/// Trailing reduction loops that every operand reads contiguously (the
/// spatial dims of a global pool) become one loop: its rows then reduce as
/// whole vectors instead of a row per outer reduction step.
linalg::LinalgOp hcc::cpu::collapseInnerReductions(RewriterBase &rewriter,
                                                   linalg::LinalgOp op) {
  if (!isa<linalg::GenericOp>(op.getOperation()) || op.hasDynamicShape() ||
      !op.hasOnlyProjectedPermutations())
    return op;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned loops = op.getNumLoops(), first = loops;
  while (first > 0 && linalg::isReductionIterator(iterators[first - 1]))
    --first;
  return collapseTrailingLoops(rewriter, op, first);
}

/// Whether `op`'s payload calls a math function that stays a libm call per
/// element (no vector approximation or instruction): those expect the rows'
/// shapes the tiling gives them. Exp, log, tanh and erf (SiLU, GELU) become
/// polynomials in vectors like any arithmetic.
static bool hasLibmMathOps(linalg::LinalgOp op) {
  return op
      ->walk([](Operation *inner) {
        if (!isa<math::MathDialect>(inner->getDialect()))
          return WalkResult::advance();
        return isa<math::ExpOp, math::ExpM1Op, math::LogOp, math::Log2Op,
                   math::Log1pOp, math::TanhOp, math::ErfOp, math::SqrtOp,
                   math::RsqrtOp, math::AbsFOp, math::FmaOp, math::FloorOp,
                   math::CeilOp, math::RoundEvenOp, math::TruncOp,
                   math::CopySignOp>(inner)
                   ? WalkResult::advance()
                   : WalkResult::interrupt();
      })
      .wasInterrupted();
}

/// Trailing parallel loops of a top-level elementwise op narrower than
/// `minLanes` (a 14x14 map scaled per channel: rows of 14, left scalar)
/// that every operand reads contiguously or not at all (a per-channel
/// scale) become one loop: its rows are whole vectors.
linalg::LinalgOp hcc::cpu::collapseNarrowRows(RewriterBase &rewriter,
                                              linalg::LinalgOp op,
                                              int64_t minLanes) {
  // Only whole tensors: a tile's rows (an epilogue's strip, a column
  // piece) are slices of longer rows, not contiguous.
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || !isTopLevel(op) || op.hasDynamicShape() ||
      op.getNumLoops() != op.getNumParallelLoops() ||
      llvm::any_of(op->getOperands(),
                   [](Value v) {
                     return v.getDefiningOp<tensor::ExtractSliceOp>() !=
                            nullptr;
                   }) ||
      hasLibmMathOps(op))
    return op;
  // Unit dims first (a per-channel scale of shape 1xCx1x1 reads them at
  // index 0): the maps then are projected permutations.
  if (!op.hasOnlyProjectedPermutations()) {
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::DropUnitDimsResult> dropped =
        linalg::dropUnitDims(rewriter, generic, {});
    if (failed(dropped))
      return op;
    rewriter.replaceOp(op, dropped->replacements);
    op = cast<linalg::LinalgOp>(dropped->resultOp.getOperation());
    if (!op.hasOnlyProjectedPermutations())
      return op;
  }
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  if (bounds.empty()) // every dimension was a unit one: nothing to collapse
    return op;
  unsigned loops = op.getNumLoops(), first = loops - 1;
  int64_t lanes = bounds.back();
  while (first > 0 && lanes < minLanes) {
    ReassociationIndices group;
    for (unsigned i = first - 1; i < loops; ++i)
      group.push_back(i);
    if (!linalg::areDimSequencesPreserved(op.getIndexingMapsArray(), {group}))
      break;
    --first;
    lanes *= bounds[first];
  }
  return collapseTrailingLoops(rewriter, op, first);
}

/// A concatenation's inputs are copied into their slices of the result by
/// linalg.copy ops, which are then distributed over the threads like any
/// elementwise op (a tensor.concat bufferizes to copies that run on the
/// kernel's thread alone).
void hcc::cpu::concatsToCopies(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<tensor::ConcatOp> concats;
  func.walk([&](tensor::ConcatOp op) {
    auto isStatic = [](Value v) {
      return cast<RankedTensorType>(v.getType()).hasStaticShape();
    };
    if (isTopLevel(op) && isStatic(op.getResult()) &&
        llvm::all_of(op.getInputs(), isStatic))
      concats.push_back(op);
  });
  for (tensor::ConcatOp op : concats) {
    rewriter.setInsertionPoint(op);
    Location loc = op.getLoc();
    RankedTensorType type = op.getResultType();
    Value dest = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    int64_t dim = op.getDim(), offset = 0;
    for (Value input : op.getInputs()) {
      auto inType = cast<RankedTensorType>(input.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(),
                                        rewriter.getIndexAttr(0));
      offsets[dim] = rewriter.getIndexAttr(offset);
      SmallVector<OpFoldResult> sizes = llvm::map_to_vector(
          inType.getShape(),
          [&](int64_t d) -> OpFoldResult { return rewriter.getIndexAttr(d); });
      SmallVector<OpFoldResult> ones(type.getRank(), rewriter.getIndexAttr(1));
      Value slice = tensor::ExtractSliceOp::create(rewriter, loc, inType, dest,
                                                   offsets, sizes, ones);
      Value copied =
          linalg::CopyOp::create(rewriter, loc, input, slice).getResult(0);
      dest = tensor::InsertSliceOp::create(rewriter, loc, copied, dest, offsets,
                                           sizes, ones);
      offset += inType.getDimSize(dim);
    }
    rewriter.replaceOp(op, dest);
  }
}

void hcc::cpu::collapseEpilogues(func::FuncOp func,
                                 int64_t costlyEpilogueVectors) {
  RewritePatternSet patterns(func.getContext());
  linalg::populateFoldReshapeOpsByCollapsingPatterns(
      patterns, [](OpOperand *operand) {
        Operation *op = isa<linalg::GenericOp>(operand->getOwner())
                            ? operand->getOwner()
                            : operand->get().getDefiningOp();
        return isElementwiseLinalg(op) &&
               (isTopLevel(op) || isa<scf::ForallOp>(op->getParentOp()));
      });
  tensor::populateReassociativeReshapeFoldingPatterns(patterns);
  // A convolution without a bias starts from a zero fill: the fill of the
  // collapsed output (collapse_shape(fill(x)) -> fill(collapse_shape(x))),
  // which the register tiles then fuse as they do a collapsed bias.
  linalg::FillOp::getCanonicalizationPatterns(patterns, func.getContext());
  (void)applyPatternsGreedily(func, std::move(patterns));
  // The collapsed copy of an epilogue fused into a block of rows
  // (blockConvolutionRows) lost its mark to join the register tiles.
  Builder b(func.getContext());
  func.walk([&](linalg::GenericOp op) {
    auto init = op.getNumDpsInits() == 1
                    ? op.getDpsInits()[0].getDefiningOp<linalg::LinalgOp>()
                    : linalg::LinalgOp();
    if (init && isa<scf::ForallOp>(op->getParentOp()) && getMatmulDims(init) &&
        finishesInPlace(op) &&
        !(costlyEpilogueVectors > 0 && hasTranscendentals(op)))
      op->setAttr(kTileEpilogue, b.getUnitAttr());
  });
}

void hcc::cpu::foldEmptyIterationSpaces(RewriterBase &rewriter,
                                        func::FuncOp func) {
  SmallVector<linalg::LinalgOp> empty;
  func.walk([&](linalg::LinalgOp op) {
    if (op->getNumResults() == op.getNumDpsInits() &&
        llvm::is_contained(op.getStaticLoopRanges(), 0))
      empty.push_back(op);
  });
  for (linalg::LinalgOp op : empty)
    rewriter.replaceOp(op, op.getDpsInits());
}
