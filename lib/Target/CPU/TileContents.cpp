//===- TileContents.cpp - what a contraction's tiles hold -----------------===//
//
// Helpers of hcc-cpu-tile-and-vectorize (TileAndVectorize.cpp) for the
// inside of a contraction's tiles: its accumulator producer and elementwise
// consumer fused into the distributed tile (split per piece when N is split
// into pieces), B panels copied into contiguous buffers, and whole-tile
// writes forwarded between the fused ops' vectors.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Affine/ViewLikeInterfaceUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Interfaces/VectorInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {
/// A read of a tile that a vector.transfer_write wrote whole, with the same
/// elements in another shape (unit dimensions dropped): the written vector,
/// reshaped. Fused tiles hand their rows over this way, so no tile-sized
/// temporary is allocated between them.
struct ForwardWholeTileWrite : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    auto write = read.getBase().getDefiningOp<vector::TransferWriteOp>();
    if (!write || read.getMask() || write.getMask())
      return failure();
    auto tensorType = dyn_cast<RankedTensorType>(write.getBase().getType());
    VectorType written = write.getVectorType();
    VectorType readType = read.getVectorType();
    if (!tensorType || !tensorType.hasStaticShape() ||
        tensorType.getShape() != written.getShape() ||
        written.getNumElements() != readType.getNumElements() ||
        written.getElementType() != readType.getElementType() ||
        !write.getPermutationMap().isMinorIdentity() ||
        !read.getPermutationMap().isMinorIdentity())
      return failure();
    auto allZero = [](ValueRange indices) {
      return llvm::all_of(indices,
                          [](Value v) { return matchPattern(v, m_Zero()); });
    };
    if (!allZero(read.getIndices()) || !allZero(write.getIndices()))
      return failure();
    // Same elements in the same order: the shapes differ by unit dims only.
    auto nonUnit = [](ArrayRef<int64_t> shape) {
      return llvm::to_vector(
          llvm::make_filter_range(shape, [](int64_t d) { return d != 1; }));
    };
    if (nonUnit(written.getShape()) != nonUnit(readType.getShape()))
      return failure();
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(read, readType,
                                                     write.getVector());
    return success();
  }
};

} // namespace

namespace hcc::cpu {

/// Whether `op` is a linalg op whose loops are all parallel (a fill, a bias
/// broadcast, an activation): cheap to recompute per tile.
bool isElementwiseLinalg(Operation *op) {
  auto linalgOp = dyn_cast_if_present<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.hasPureTensorSemantics() &&
         linalgOp.getNumLoops() == linalgOp.getNumParallelLoops() &&
         linalgOp.hasOnlyProjectedPermutations() && !linalgOp.hasDynamicShape();
}

/// `consumer` (elementwise) rewritten to take the tile it reads as operand
/// `read` as its init instead, its payload reading the init's element:
/// it then overwrites that tile in place.
static Operation *finishInPlace(RewriterBase &rewriter,
                                linalg::LinalgOp consumer, OpOperand *read) {
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (OpOperand *input : consumer.getDpsInputOperands())
    if (input != read) {
      inputs.push_back(input->get());
      maps.push_back(consumer.getMatchingIndexingMap(input));
    }
  OpOperand *init = consumer.getDpsInitOperand(0);
  maps.push_back(consumer.getMatchingIndexingMap(init));
  rewriter.setInsertionPoint(consumer);
  auto generic = linalg::GenericOp::create(
      rewriter, consumer.getLoc(), consumer->getResultTypes(), inputs,
      ValueRange{read->get()}, maps, consumer.getIteratorTypesArray());
  Block *body = consumer.getBlock();
  Block *block = rewriter.createBlock(&generic.getRegion());
  IRMapping mapping;
  for (OpOperand *input : consumer.getDpsInputOperands())
    if (input != read)
      mapping.map(body->getArgument(input->getOperandNumber()),
                  block->addArgument(
                      body->getArgument(input->getOperandNumber()).getType(),
                      consumer.getLoc()));
  Value element = block->addArgument(
      body->getArgument(read->getOperandNumber()).getType(), consumer.getLoc());
  mapping.map(body->getArgument(read->getOperandNumber()), element);
  mapping.map(body->getArgument(init->getOperandNumber()), element);
  rewriter.setInsertionPointToStart(block);
  for (Operation &op : *body)
    rewriter.clone(op, mapping);
  rewriter.replaceOp(consumer, generic->getResults());
  return generic;
}

/// Whether `value` is (a slice or reshape of) a tensor.empty.
static bool isUndefinedTensor(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (isa<tensor::EmptyOp>(def))
      return true;
    if (!isa<tensor::ExtractSliceOp, tensor::CollapseShapeOp,
             tensor::ExpandShapeOp>(def))
      return false;
    value = def->getOperand(0);
  }
  return false;
}

/// After consumer fusion a distributed tile writes the contraction's tile
/// into a temporary (shared out 0, whose result is now dead) and the
/// consumer's tile into the output. When the temporary starts undefined
/// (tensor.empty: the accumulator's producer was fused) and has the
/// output's type, the contraction writes into the output's tile instead and
/// the consumer finishes it in place: no temporary the size of the output,
/// and no second stream of stores to memory.
static void shareConsumerDestination(RewriterBase &rewriter,
                                     scf::ForallOp forall,
                                     Operation *&consumer) {
  auto finished = dyn_cast<linalg::LinalgOp>(consumer);
  if (!finished || finished->getNumResults() != 1 ||
      forall.getNumResults() != 2 || !forall.getResult(0).use_empty() ||
      !isUndefinedTensor(forall.getOutputs()[0]))
    return;
  BlockArgument temp = forall.getRegionIterArgs()[0];
  BlockArgument out = forall.getRegionIterArgs()[1];
  if (temp.getType() != out.getType())
    return;
  // Both tiles are written at the same place, so the contraction's tile of
  // the output is the one the consumer overwrites.
  SmallVector<tensor::ParallelInsertSliceOp> inserts;
  for (Operation &op : forall.getTerminator().getYieldingOps())
    if (auto insert = dyn_cast<tensor::ParallelInsertSliceOp>(op))
      inserts.push_back(insert);
  if (inserts.size() != 2 || inserts[0].getDest() != temp ||
      inserts[1].getDest() != out ||
      !inserts[0].getSourceType().hasStaticShape() ||
      inserts[0].getSourceType() != inserts[1].getSourceType() ||
      inserts[0].getMixedOffsets() != inserts[1].getMixedOffsets() ||
      inserts[0].getMixedSizes() != inserts[1].getMixedSizes() ||
      inserts[0].getMixedStrides() != inserts[1].getMixedStrides() ||
      inserts[1].getSource() != finished->getResult(0))
    return;
  // The consumer must read the contraction's tile element for element.
  Value tile = inserts[0].getSource();
  OpOperand *read = nullptr;
  for (OpOperand *input : finished.getDpsInputOperands())
    if (input->get() == tile &&
        finished.getMatchingIndexingMap(input) ==
            finished.getMatchingIndexingMap(finished.getDpsInitOperand(0)))
      read = input;
  if (!read || tile.getType() != finished->getResult(0).getType() ||
      finished.payloadUsesValueFromOperand(finished.getDpsInitOperand(0)))
    return;
  rewriter.replaceUsesWithIf(temp, out, [&](OpOperand &use) {
    return use.getOwner() != inserts[0].getOperation();
  });
  consumer = finishInPlace(rewriter, finished, read);
  // The temporary is gone: its insert, block argument and result.
  rewriter.eraseOp(inserts[0]);
  Value outInit = forall.getOutputs()[1];
  llvm::BitVector dead(forall.getNumResults());
  dead.set(0);
  rewriter.modifyOpInPlace(
      forall, [&] { forall.getBody()->eraseArgument(temp.getArgNumber()); });
  auto narrowed = cast<scf::ForallOp>(rewriter.eraseOpResults(forall, dead));
  narrowed.getOutputsMutable().assign(outInit);
}

/// Fuses into the distributed tile of a contraction (scf.forall) the
/// elementwise producer of its accumulator (the bias broadcast or zero
/// fill) and its elementwise consumer (bias-add, activation), so each tile
/// is initialized, accumulated and finished while it is in cache instead of
/// three passes over the whole output. Returns the fused tile ops.
SmallVector<Operation *> fuseIntoDistributedTile(RewriterBase &rewriter,
                                                 scf::ForallOp forall) {
  SmallVector<Operation *> fused;
  if (forall.getNumResults() != 1)
    return fused;
  SmallVector<LoopLikeOpInterface> loops = {
      cast<LoopLikeOpInterface>(forall.getOperation())};
  Operation *init = forall.getOutputs()[0].getDefiningOp();
  if (isElementwiseLinalg(init) && init->hasOneUse()) {
    BlockArgument sharedOut = forall.getRegionIterArgs()[0];
    tensor::ExtractSliceOp slice;
    for (Operation *user : sharedOut.getUsers())
      if (auto extract = dyn_cast<tensor::ExtractSliceOp>(user))
        slice = extract;
    if (slice) {
      std::optional<scf::SCFFuseProducerOfSliceResult> producer =
          scf::tileAndFuseProducerOfSlice(rewriter, slice, loops);
      if (producer)
        fused.append(producer->tiledOps.begin(), producer->tiledOps.end());
      if (init->use_empty())
        rewriter.eraseOp(init);
    }
  }
  Value result = forall.getResult(0);
  if (!result.hasOneUse())
    return fused;
  Operation *consumer = *result.getUsers().begin();
  if (!isElementwiseLinalg(consumer) || consumer->getNumResults() != 1 ||
      consumer->getBlock() != forall->getBlock())
    return fused;
  FailureOr<scf::SCFFuseConsumerOfSliceResult> fusedConsumer =
      scf::tileAndFuseConsumer(rewriter, consumer, loops);
  if (failed(fusedConsumer))
    return fused;
  fused.append(fusedConsumer->tiledOps.begin(), fusedConsumer->tiledOps.end());
  if (consumer->use_empty())
    rewriter.eraseOp(consumer);
  if (!fusedConsumer->tiledOps.empty())
    if (auto tiled =
            fusedConsumer->tiledOps.front()->getParentOfType<scf::ForallOp>())
      shareConsumerDestination(rewriter, tiled, fused.back());
  return fused;
}

/// Whether `consumer` finishes its init in place (finishInPlace): one
/// elementwise init read by the payload, over the init's whole shape.
bool finishesInPlace(linalg::LinalgOp consumer) {
  if (!isElementwiseLinalg(consumer) || consumer.getNumDpsInits() != 1 ||
      consumer->getNumResults() != 1)
    return false;
  OpOperand *init = consumer.getDpsInitOperand(0);
  return consumer.getMatchingIndexingMap(init).isIdentity() &&
         consumer.payloadUsesValueFromOperand(init);
}

/// Erases `op` if it is a tensor slice whose result feeds only such dead
/// slices, with them.
static void eraseDeadSlices(RewriterBase &rewriter, Operation *op) {
  if (!isa<tensor::InsertSliceOp, tensor::ExtractSliceOp>(op))
    return;
  for (Operation *user : llvm::make_early_inc_range(op->getUsers()))
    eraseDeadSlices(rewriter, user);
  if (op->use_empty())
    rewriter.eraseOp(op);
}

/// Whether `value` is computed from `iv` (through index arithmetic).
static bool dependsOn(Value value, Value iv) {
  if (value == iv)
    return true;
  Operation *def = value.getDefiningOp();
  return def && def->getNumRegions() == 0 &&
         llvm::any_of(def->getOperands(),
                      [&](Value operand) { return dependsOn(operand, iv); });
}

/// Whether `value` is available before `loop` (in its block), after moving
/// the slices and constants that compute it there.
static bool hoistAbove(RewriterBase &rewriter, Value value, Operation *loop) {
  Operation *def = value.getDefiningOp();
  if (!def || def->getBlock() != loop->getBlock() || def->isBeforeInBlock(loop))
    return true;
  if (!isa<tensor::ExtractSliceOp, arith::ConstantOp>(def) ||
      !llvm::all_of(def->getOperands(), [&](Value operand) {
        return hoistAbove(rewriter, operand, loop);
      }))
    return false;
  rewriter.moveOpBefore(def, loop);
  return true;
}

linalg::LinalgOp sinkEpilogue(RewriterBase &rewriter,
                              linalg::LinalgOp consumer) {
  while (finishesInPlace(consumer)) {
    Value whole = consumer.getDpsInits()[0];
    auto loop = whole.getDefiningOp<scf::ForOp>();
    // Its other operands must be available in the loop: slices taken after
    // the loop (by the fusion that made the consumer) move before it.
    // Slices of the result left unused by the fusions go first.
    if (loop)
      for (Operation *user : llvm::make_early_inc_range(whole.getUsers()))
        if (user != consumer.getOperation())
          eraseDeadSlices(rewriter, user);
    if (!loop || !whole.hasOneUse())
      break;
    unsigned index = cast<OpResult>(whole).getResultNumber();
    if (!llvm::all_of(consumer.getDpsInputs(), [&](Value input) {
          return hoistAbove(rewriter, input, loop);
        }))
      break;
    // The loop nest's tile: loops may pass the whole tensor on to an inner
    // loop, the innermost inserts the tile at offsets in the whole tensor.
    SmallVector<scf::ForOp> nest = {loop};
    Value iterArg = loop.getRegionIterArgs()[index];
    Value yielded = loop.getYieldedValues()[index];
    while (auto inner = yielded.getDefiningOp<scf::ForOp>()) {
      unsigned result = cast<OpResult>(yielded).getResultNumber();
      if (inner->getParentOp() != nest.back().getOperation() ||
          !yielded.hasOneUse() || inner.getInitArgs()[result] != iterArg)
        break;
      nest.push_back(inner);
      iterArg = inner.getRegionIterArgs()[result];
      yielded = inner.getYieldedValues()[result];
    }
    auto insert = yielded.getDefiningOp<tensor::InsertSliceOp>();
    if (!insert || insert.getDest() != iterArg ||
        insert.getSourceType().getRank() != insert.getDestType().getRank() ||
        !insert.getSourceType().hasStaticShape() ||
        !llvm::all_of(insert.getMixedStrides(), [](OpFoldResult stride) {
          return isConstantIntValue(stride, 1);
        }))
      break;
    // Every loop of the nest must be over tiles: each iteration inserts its
    // own tile. A loop over K blocks inserts the same tile every iteration,
    // and the epilogue must wait for its last one.
    if (!llvm::all_of(nest, [&](scf::ForOp level) {
          std::optional<APInt> trips = level.getStaticTripCount();
          return (trips && trips->getSExtValue() == 1) ||
                 llvm::any_of(insert.getOffsets(), [&](Value offset) {
                   return dependsOn(offset, level.getInductionVar());
                 });
        }))
      break;
    rewriter.setInsertionPoint(insert);
    FailureOr<TilingResult> tiled =
        cast<TilingInterface>(consumer.getOperation())
            .getTiledImplementation(rewriter, insert.getMixedOffsets(),
                                    insert.getMixedSizes());
    if (failed(tiled) || tiled->tiledOps.size() != 1)
      break;
    auto inner = cast<linalg::LinalgOp>(tiled->tiledOps.front());
    // The tile's init: the loop's tile itself (the slice of the loop's
    // result the tiling made is outside the loop).
    OpOperand &init = *inner.getDpsInitOperand(0);
    Operation *slice = init.get().getDefiningOp();
    rewriter.modifyOpInPlace(inner, [&] { init.set(insert.getSource()); });
    if (slice && slice->use_empty())
      rewriter.eraseOp(slice);
    rewriter.modifyOpInPlace(
        insert, [&] { insert.getSourceMutable().set(inner->getResult(0)); });
    rewriter.replaceOp(consumer, whole);
    consumer = inner;
  }
  return consumer;
}

/// The operand of a contraction read as B panels: indexed by K and N (the
/// vector lanes) but not M, its last two dimensions K then N (any others are
/// batch dimensions), so a panel is a contiguous copy of K rows.
OpOperand *panelOperand(linalg::LinalgOp op, unsigned m, unsigned n,
                        unsigned k) {
  MLIRContext *ctx = op.getContext();
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!isa<RankedTensorType>(input->get().getType()))
      continue;
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.isFunctionOfDim(m) || !map.isFunctionOfDim(n))
      continue;
    unsigned results = map.getNumResults();
    if (results < 2 || map.getResult(results - 1) != getAffineDimExpr(n, ctx) ||
        map.getResult(results - 2) != getAffineDimExpr(k, ctx))
      return nullptr;
    return input;
  }
  return nullptr;
}

bool hasNarrowRows(Value panel, int64_t maxBytes) {
  if (maxBytes <= 0 || isPackableWeight(panel))
    return false;
  while (auto slice = panel.getDefiningOp<tensor::ExtractSliceOp>())
    panel = slice.getSource();
  auto type = dyn_cast<RankedTensorType>(panel.getType());
  if (!type || type.getRank() < 2 || !type.hasStaticShape() ||
      !type.getElementType().isIntOrFloat())
    return false;
  int64_t bits = type.getElementType().getIntOrFloatBitWidth();
  return type.getDimSize(type.getRank() - 1) * bits <= maxBytes * 8;
}

/// Makes `op` read its B panel from the weight packed at compile time when
/// B is a constant of the kernel; false, changing nothing, otherwise.
bool readPackedWeight(RewriterBase &rewriter, linalg::LinalgOp op, unsigned m,
                      unsigned n, unsigned k, int64_t group,
                      llvm::DenseMap<Value, Value> &packedWeights) {
  OpOperand *operand = panelOperand(op, m, n, k);
  if (!operand)
    return false;
  rewriter.setInsertionPoint(op);
  Value packed =
      packedWeightPanel(rewriter, operand->get(), group, packedWeights);
  if (!packed)
    return false;
  rewriter.modifyOpInPlace(op, [&] { operand->set(packed); });
  return true;
}

/// Reads `op`'s B panel from a contiguous copy (see pack-min-rows), or
/// from the weight packed at compile time when B is one (PackedWeights.cpp).
void packPanel(RewriterBase &rewriter, linalg::LinalgOp op, unsigned m,
               unsigned n, unsigned k, int64_t group,
               llvm::DenseMap<Value, Value> &packedWeights) {
  OpOperand *operand = panelOperand(op, m, n, k);
  if (!operand)
    return;
  auto type = cast<RankedTensorType>(operand->get().getType());
  if (!type.hasStaticShape())
    return;
  if (readPackedWeight(rewriter, op, m, n, k, group, packedWeights))
    return;
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  Value buffer = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
  Value packed = linalg::CopyOp::create(rewriter, loc, operand->get(), buffer)
                     .getResult(0);
  rewriter.modifyOpInPlace(op, [&] { operand->set(packed); });
}

/// `collapse` of an elementwise generic that nothing else reads (im2col's
/// view of a convolution's bias broadcast, H and W collapsed), as that
/// generic collapsed the same way, which replaces both; null, changing
/// nothing, when it is not one or does not collapse.
static Value collapseElementwiseProducer(RewriterBase &rewriter,
                                         tensor::CollapseShapeOp collapse) {
  auto generic = collapse.getSrc().getDefiningOp<linalg::GenericOp>();
  if (!generic || !isElementwiseLinalg(generic) || !generic->hasOneUse() ||
      generic.getNumDpsInits() != 1 ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return nullptr;
  SmallVector<ReassociationIndices> groups = collapse.getReassociationIndices();
  if (!linalg::areDimSequencesPreserved(generic.getIndexingMapsArray(), groups))
    return nullptr;
  rewriter.setInsertionPoint(generic);
  FailureOr<linalg::CollapseResult> collapsed =
      linalg::collapseOpIterationDims(generic, groups, rewriter);
  if (failed(collapsed) || collapsed->collapsedOp->getResult(0).getType() !=
                               collapse.getResultType())
    return nullptr;
  rewriter.replaceOp(generic, collapsed->results);
  rewriter.replaceOp(collapse, collapsed->collapsedOp->getResult(0));
  // The expand_shape that replaced the generic is dead now.
  for (Value result : collapsed->results)
    if (Operation *expand = result.getDefiningOp();
        expand && expand->use_empty())
      rewriter.eraseOp(expand);
  return collapsed->collapsedOp->getResult(0);
}

/// The pieces of a contraction without an elementwise consumer to split
/// (a Winograd GEMM, read by the output transform) each start from their
/// own tile of the accumulator's elementwise `producer` (a fill), which the
/// register tiles then fuse: no pass over the whole accumulator first. The
/// pieces cover the whole output, so what they are inserted into need not
/// be filled.
static bool splitAccumulatorProducer(RewriterBase &rewriter,
                                     ArrayRef<linalg::LinalgOp> pieces,
                                     linalg::LinalgOp producer, unsigned nDim) {
  Value filled = producer->getResult(0);
  auto type = cast<RankedTensorType>(filled.getType());
  // Each piece's accumulator: a slice of the filled tensor, or of it with
  // the previous pieces' results inserted (other columns: the same values).
  auto fromFilled = [&](tensor::ExtractSliceOp slice) {
    Value source = slice ? slice.getSource() : Value();
    while (auto insert =
               source ? source.getDefiningOp<tensor::InsertSliceOp>() : nullptr)
      source = insert.getDest();
    return source == filled;
  };
  // A piece split off another piece's tail (3025 = 2976 + 48 + 1) reads a
  // slice of that tail's slice (with the other pieces' results inserted:
  // other columns): one slice of the whole instead.
  for (linalg::LinalgOp piece : pieces) {
    auto slice = piece.getDpsInits()[0].getDefiningOp<tensor::ExtractSliceOp>();
    while (slice) {
      Value source = slice.getSource();
      while (auto insert = source.getDefiningOp<tensor::InsertSliceOp>())
        source = insert.getDest();
      auto outer = source.getDefiningOp<tensor::ExtractSliceOp>();
      SmallVector<OpFoldResult> offsets, sizes, strides;
      rewriter.setInsertionPoint(slice);
      if (!outer || failed(affine::mergeOffsetsSizesAndStrides(
                        rewriter, slice.getLoc(), outer, slice,
                        outer.getDroppedDims(), offsets, sizes, strides)))
        break;
      slice = rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          slice, slice.getType(), outer.getSource(), offsets, sizes, strides);
    }
  }
  int64_t offset = 0;
  for (linalg::LinalgOp piece : pieces) {
    auto slice = piece.getDpsInits()[0].getDefiningOp<tensor::ExtractSliceOp>();
    if (!fromFilled(slice))
      return false;
    offset +=
        cast<RankedTensorType>(piece->getResult(0).getType()).getDimSize(nDim);
  }
  if (offset != type.getDimSize(nDim))
    return false;
  // Each piece's tile of the producer (made first: nothing changes if one
  // cannot be made).
  SmallVector<TilingResult> tiles;
  for (linalg::LinalgOp piece : pieces) {
    auto slice = piece.getDpsInits()[0].getDefiningOp<tensor::ExtractSliceOp>();
    rewriter.setInsertionPoint(piece);
    FailureOr<TilingResult> init =
        cast<TilingInterface>(producer.getOperation())
            .generateResultTileValue(rewriter, 0, slice.getMixedOffsets(),
                                     slice.getMixedSizes());
    if (failed(init) || init->tiledOps.size() != 1 ||
        !isa<DestinationStyleOpInterface>(init->tiledOps.front())) {
      for (TilingResult &made : tiles)
        rewriter.eraseOp(made.tiledOps.front());
      if (succeeded(init))
        for (Operation *op : init->tiledOps)
          rewriter.eraseOp(op);
      return false;
    }
    tiles.push_back(*init);
  }
  // The pieces' results are inserted into the producer's init instead, and
  // each piece's accumulator is its slice of that chain (in place), with the
  // producer's tile computed into it.
  Value empty = producer.getDpsInits()[0];
  rewriter.replaceUsesWithIf(filled, empty, [](OpOperand &use) {
    auto insert = dyn_cast<tensor::InsertSliceOp>(use.getOwner());
    return insert && &use == &insert.getDestMutable();
  });
  for (auto [constPiece, tile] : llvm::zip_equal(pieces, tiles)) {
    linalg::LinalgOp piece = constPiece;
    auto &init = tile; // lambdas capture structured bindings only from C++20
    auto slice = piece.getDpsInits()[0].getDefiningOp<tensor::ExtractSliceOp>();
    if (slice.getSource() == filled)
      rewriter.modifyOpInPlace(slice,
                               [&] { slice.getSourceMutable().set(empty); });
    auto tiled = cast<DestinationStyleOpInterface>(init.tiledOps.front());
    OpOperand &out = tiled.getDpsInitsMutable()[0];
    Operation *made = out.get().getDefiningOp();
    rewriter.modifyOpInPlace(tiled, [&] { out.set(slice.getResult()); });
    if (made && made->use_empty())
      rewriter.eraseOp(made);
    rewriter.modifyOpInPlace(piece, [&] {
      piece.getDpsInitsMutable()[0].set(init.tiledValues.front());
    });
  }
  if (producer->use_empty())
    rewriter.eraseOp(producer);
  return true;
}

/// The dimension of `op`'s output that its loop `n` runs along, if any.
static std::optional<unsigned> outputDimOf(linalg::LinalgOp op, unsigned n) {
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  return outMap.getResultPosition(getAffineDimExpr(n, op.getContext()));
}

/// After a contraction was split into pieces along N (dimension `n` of its
/// loops), gives every piece its own tile of the accumulator's elementwise
/// producer (the bias broadcast) and of the output's elementwise
/// `consumer` (the activation, reading the whole output as its operand
/// `operand`), so that each piece's distributed tile can
/// fuse them as a single piece's would: an N tail (3025 = 94 x 32 + 16 + 1)
/// would otherwise leave both as passes over the whole output. Without
/// such a consumer only the producer is split (splitAccumulatorProducer).
/// Returns false, changing nothing, unless the producer is an elementwise
/// op on the whole output.
bool splitEpilogues(RewriterBase &rewriter, ArrayRef<linalg::LinalgOp> pieces,
                    Operation *consumer, unsigned operand, unsigned n) {
  linalg::LinalgOp first = pieces.front();
  std::optional<unsigned> nDim = outputDimOf(first, n);
  auto sliceOf = [](Value v) {
    return v.getDefiningOp<tensor::ExtractSliceOp>();
  };
  tensor::ExtractSliceOp initSlice = sliceOf(first.getDpsInits()[0]);
  Value initSource = initSlice ? initSlice.getSource() : Value();
  // im2col's view of a bias broadcast: the broadcast collapsed the same way.
  if (auto collapse = initSource
                          ? initSource.getDefiningOp<tensor::CollapseShapeOp>()
                          : nullptr)
    if (Value collapsed = collapseElementwiseProducer(rewriter, collapse))
      initSource = collapsed;
  auto producer = initSource ? initSource.getDefiningOp<linalg::LinalgOp>()
                             : linalg::LinalgOp();
  if (!nDim || !producer || !isElementwiseLinalg(producer) ||
      producer->getNumResults() != 1)
    return false;
  auto type = cast<RankedTensorType>(producer->getResult(0).getType());
  if (!type.hasStaticShape())
    return false;
  auto tail = consumer ? dyn_cast<linalg::GenericOp>(consumer) : nullptr;
  if (!tail || !isElementwiseLinalg(tail) ||
      tail->getBlock() != first->getBlock() || tail->getNumResults() != 1 ||
      !llvm::all_of(tail.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }) ||
      type != tail->getResult(0).getType())
    tail = nullptr;
  // The consumer reads the whole output (the pieces' results inserted).
  OpOperand *fromWhole = tail ? &tail->getOpOperand(operand) : nullptr;
  Value whole = fromWhole ? fromWhole->get() : Value();
  if (tail && (!tail.isDpsInput(fromWhole) || !whole.hasOneUse()))
    tail = nullptr;
  if (!tail)
    return splitAccumulatorProducer(rewriter, pieces, producer, *nDim);

  // The tail's tiles, inserted into its own init in place of it.
  rewriter.setInsertionPoint(tail);
  Value assembled = tail.getDpsInits()[0];
  int64_t offset = 0;
  SmallVector<OpFoldResult> ones(type.getRank(), rewriter.getIndexAttr(1));
  for (linalg::LinalgOp piece : pieces) {
    int64_t size =
        cast<RankedTensorType>(piece->getResult(0).getType()).getDimSize(*nDim);
    SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes;
    for (int64_t d : type.getShape())
      sizes.push_back(rewriter.getIndexAttr(d));
    offsets[*nDim] = rewriter.getIndexAttr(offset);
    sizes[*nDim] = rewriter.getIndexAttr(size);
    offset += size;
    // The piece's accumulator: the producer's tile.
    rewriter.setInsertionPoint(piece);
    FailureOr<TilingResult> init =
        cast<TilingInterface>(producer.getOperation())
            .generateResultTileValue(rewriter, 0, offsets, sizes);
    if (failed(init))
      return false;
    Value oldInit = piece.getDpsInits()[0];
    rewriter.modifyOpInPlace(piece, [&] {
      piece.getDpsInitsMutable()[0].set(init->tiledValues.front());
    });
    if (Operation *slice = oldInit.getDefiningOp();
        slice && slice->use_empty() && isa<tensor::ExtractSliceOp>(slice))
      rewriter.eraseOp(slice);
    // The consumer's tile, reading the piece's result.
    rewriter.setInsertionPoint(tail);
    FailureOr<TilingResult> part =
        cast<TilingInterface>(tail.getOperation())
            .getTiledImplementation(rewriter, offsets, sizes);
    if (failed(part))
      return false;
    auto tiled = cast<linalg::LinalgOp>(part->tiledOps.front());
    // Its init: the tile of the output assembled so far, so that each
    // piece updates the output in place (shareConsumerDestination).
    if (auto outSlice =
            tiled.getDpsInits()[0].getDefiningOp<tensor::ExtractSliceOp>();
        outSlice && outSlice.getSource() == tail.getDpsInits()[0])
      rewriter.modifyOpInPlace(
          outSlice, [&] { outSlice.getSourceMutable().set(assembled); });
    OpOperand &read = tiled->getOpOperand(fromWhole->getOperandNumber());
    Operation *slice = read.get().getDefiningOp();
    read.set(piece->getResult(0));
    if (slice && slice->use_empty())
      rewriter.eraseOp(slice);
    assembled = tensor::InsertSliceOp::create(rewriter, tail.getLoc(),
                                              tiled->getResult(0), assembled,
                                              offsets, sizes, ones);
  }
  rewriter.replaceOp(tail, assembled);
  // The slices that assembled the whole output from the pieces are dead.
  SmallVector<Operation *> dead = {whole.getDefiningOp()};
  while (!dead.empty()) {
    Operation *candidate = dead.pop_back_val();
    if (!candidate || !candidate->use_empty() ||
        !isa<tensor::InsertSliceOp, tensor::ExtractSliceOp>(candidate))
      continue;
    SmallVector<Value> operands(candidate->getOperands());
    rewriter.eraseOp(candidate);
    for (Value operand : operands)
      dead.push_back(operand.getDefiningOp());
  }
  return true;
}

/// Whether `op` is a tensor slice whose result feeds only such slices
/// (left unused by tile fusion).
static bool onlyFeedsDeadSlices(Operation *op) {
  return isa<tensor::InsertSliceOp, tensor::ExtractSliceOp>(op) &&
         llvm::all_of(op->getUsers(), onlyFeedsDeadSlices);
}

linalg::LinalgOp inPlaceConsumer(Value result) {
  linalg::LinalgOp found;
  for (OpOperand &use : result.getUses()) {
    Operation *user = use.getOwner();
    if (onlyFeedsDeadSlices(user))
      continue;
    auto consumer = dyn_cast<linalg::LinalgOp>(user);
    if (found || !consumer || !consumer->hasAttr(kTileEpilogue) ||
        !finishesInPlace(consumer) || &use != consumer.getDpsInitOperand(0) ||
        !llvm::all_of(consumer.getIndexingMapsArray(),
                      [](AffineMap map) { return map.isIdentity(); }) ||
        consumer->getResult(0).getType() != result.getType())
      return nullptr;
    found = consumer;
  }
  return found;
}

bool splitInPlaceEpilogue(RewriterBase &rewriter,
                          ArrayRef<linalg::LinalgOp> pieces,
                          linalg::LinalgOp consumer, unsigned n) {
  linalg::LinalgOp first = pieces.front();
  std::optional<unsigned> nDim = outputDimOf(first, n);
  auto type = cast<RankedTensorType>(consumer->getResult(0).getType());
  if (!nDim || !type.hasStaticShape())
    return false;
  int64_t total = 0;
  for (linalg::LinalgOp piece : pieces) {
    auto pieceType = cast<RankedTensorType>(piece->getResult(0).getType());
    if (pieceType.getRank() != type.getRank())
      return false;
    total += pieceType.getDimSize(*nDim);
  }
  if (total != type.getDimSize(*nDim))
    return false;
  // Where each piece's result joins the assembled output (splitOp's
  // inserts; the consumer finishes what they assemble).
  SmallVector<tensor::InsertSliceOp> joins;
  for (linalg::LinalgOp piece : pieces) {
    Value result = piece->getResult(0);
    auto join =
        result.hasOneUse()
            ? dyn_cast<tensor::InsertSliceOp>(*result.getUsers().begin())
            : nullptr;
    if (!join || join.getSource() != result)
      return false;
    joins.push_back(join);
  }
  // The consumer's other operands (slices the fusion took after the
  // pieces) must be available where the pieces join.
  Operation *firstPiece = pieces.front();
  for (linalg::LinalgOp piece : pieces)
    if (piece->isBeforeInBlock(firstPiece))
      firstPiece = piece;
  if (!llvm::all_of(consumer.getDpsInputs(), [&](Value input) {
        return hoistAbove(rewriter, input, firstPiece);
      }))
    return false;
  // Each piece's tile of the consumer (made first: nothing changes if one
  // cannot be made) finishes the piece's result before it joins.
  SmallVector<linalg::LinalgOp> tiles;
  int64_t offset = 0;
  for (auto [piece, join] : llvm::zip_equal(pieces, joins)) {
    rewriter.setInsertionPoint(join);
    auto pieceType = cast<RankedTensorType>(piece->getResult(0).getType());
    SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
    offsets[*nDim] = rewriter.getIndexAttr(offset);
    offset += pieceType.getDimSize(*nDim);
    SmallVector<OpFoldResult> sizes =
        llvm::map_to_vector(pieceType.getShape(), [&](int64_t d) {
          return OpFoldResult(rewriter.getIndexAttr(d));
        });
    FailureOr<TilingResult> part =
        cast<TilingInterface>(consumer.getOperation())
            .getTiledImplementation(rewriter, offsets, sizes);
    if (failed(part) || part->tiledOps.size() != 1) {
      if (succeeded(part))
        for (Operation *op : part->tiledOps)
          rewriter.eraseOp(op);
      for (linalg::LinalgOp made : tiles)
        rewriter.eraseOp(made);
      return false;
    }
    tiles.push_back(cast<linalg::LinalgOp>(part->tiledOps.front()));
  }
  for (auto [pieceOp, tiledOp, joinOp] :
       llvm::zip_equal(pieces, tiles, joins)) {
    // Lambdas capture structured bindings only from C++20.
    auto piece = pieceOp;
    auto tiled = tiledOp;
    auto join = joinOp;
    OpOperand &init = *tiled.getDpsInitOperand(0);
    Operation *slice = init.get().getDefiningOp();
    rewriter.modifyOpInPlace(tiled, [&] {
      init.set(piece->getResult(0));
      tiled->setAttr(kTileEpilogue, rewriter.getUnitAttr());
    });
    rewriter.modifyOpInPlace(
        join, [&] { join.getSourceMutable().set(tiled->getResult(0)); });
    if (slice && slice->use_empty())
      rewriter.eraseOp(slice);
  }
  Value assembled = consumer.getDpsInits()[0];
  rewriter.replaceOp(consumer, assembled);
  return true;
}

/// Fuses into the innermost of `loops` (none of which runs over the
/// contraction's reduction) the elementwise producer of `tiled`'s
/// accumulator that the loops' iter_args lead to (a bias broadcast, a
/// fill): each register tile then starts from its bias in registers, and
/// the output is written once instead of initialized, read back and
/// written again. Returns the fused tile, or null (nothing changed).
Operation *fuseAccumulatorProducer(RewriterBase &rewriter,
                                   linalg::LinalgOp tiled,
                                   MutableArrayRef<LoopLikeOpInterface> loops) {
  if (loops.empty() || tiled.getNumDpsInits() != 1)
    return nullptr;
  auto slice =
      tiled.getDpsInitOperand(0)->get().getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice)
    return nullptr;
  Value source = slice.getSource();
  for (LoopLikeOpInterface loop : llvm::reverse(loops)) {
    auto arg = dyn_cast<BlockArgument>(source);
    if (!arg || arg.getOwner()->getParentOp() != loop.getOperation())
      return nullptr;
    OpOperand *init = loop.getTiedLoopInit(arg);
    if (!init)
      return nullptr;
    source = init->get();
  }
  // im2col's view of the output (H and W collapsed): the producer is
  // collapsed the same way.
  if (auto collapse = source.getDefiningOp<tensor::CollapseShapeOp>()) {
    source = collapseElementwiseProducer(rewriter, collapse);
    if (!source)
      return nullptr;
  }
  Operation *producer = source.getDefiningOp();
  if (!isElementwiseLinalg(producer) || !producer->hasOneUse() ||
      producer->getNumResults() != 1)
    return nullptr;
  std::optional<scf::SCFFuseProducerOfSliceResult> fused =
      scf::tileAndFuseProducerOfSlice(rewriter, slice, loops);
  if (!fused || fused->tiledOps.empty())
    return nullptr;
  if (producer->use_empty())
    rewriter.eraseOp(producer);
  return fused->tiledOps.front();
}

/// Splits the vector ops of register tiles whose innermost (lane)
/// dimension is several vectors but not a power of two wide (an 8 x 48 tile:
/// wide-tile-max-acc) into ops `lanes` wide, before the accumulators are
/// hoisted into loop-carried vectors: LLVM widens a 48-lane vector to 64
/// and shuffles it, while three 16-lane accumulators stay in registers.
/// The iteration dimension of a contraction's lanes: its accumulator's
/// innermost dimension.
static std::optional<unsigned> laneDim(vector::ContractionOp contract) {
  AffineMap acc = contract.getIndexingMapsArray().back();
  if (acc.getNumResults() == 0)
    return std::nullopt;
  auto n = dyn_cast<AffineDimExpr>(acc.getResults().back());
  if (!n)
    return std::nullopt;
  return n.getPosition();
}

void splitWideTileVectors(func::FuncOp func, int64_t lanes) {
  auto isWide = [lanes](int64_t n) {
    return n > lanes && n % lanes == 0 && !llvm::isPowerOf2_64(n);
  };
  vector::UnrollVectorOptions options;
  options.setNativeShapeFn(
      [=](Operation *op) -> std::optional<SmallVector<int64_t>> {
        if (auto contract = dyn_cast<vector::ContractionOp>(op)) {
          std::optional<SmallVector<int64_t>> shape =
              contract.getShapeForUnroll();
          std::optional<unsigned> n = laneDim(contract);
          if (!shape || !n || !isWide((*shape)[*n]))
            return std::nullopt;
          // One row and one K step per piece: with the traversal below, each
          // broadcast of A is used by its row's vectors at once, so only
          // the accumulators, B's vectors and one broadcast are live.
          SmallVector<int64_t> native(shape->size(), 1);
          native[*n] = lanes;
          return native;
        }
        auto unrollable = dyn_cast<VectorUnrollOpInterface>(op);
        if (!unrollable)
          return std::nullopt;
        std::optional<SmallVector<int64_t>> shape =
            unrollable.getShapeForUnroll();
        if (!shape || shape->empty() || !isWide(shape->back()))
          return std::nullopt;
        shape->back() = lanes;
        return shape;
      });
  // K steps outermost, then rows, then the row's vectors.
  options.setUnrollTraversalOrderFn(
      [](Operation *op) -> std::optional<SmallVector<int64_t>> {
        auto contract = dyn_cast<vector::ContractionOp>(op);
        std::optional<unsigned> n = contract ? laneDim(contract) : std::nullopt;
        if (!n)
          return std::nullopt;
        SmallVector<vector::IteratorType> kinds =
            contract.getIteratorTypesArray();
        SmallVector<int64_t> order;
        for (unsigned d = 0; d < kinds.size(); ++d)
          if (kinds[d] == vector::IteratorType::reduction)
            order.push_back(d);
        for (unsigned d = 0; d < kinds.size(); ++d)
          if (kinds[d] == vector::IteratorType::parallel && d != *n)
            order.push_back(d);
        order.push_back(*n);
        return order;
      });
  RewritePatternSet patterns(func.getContext());
  vector::populateVectorUnrollPatterns(patterns, options);
  vector::populateVectorToVectorCanonicalizationPatterns(patterns);
  (void)applyPatternsGreedily(func, std::move(patterns));
}

void populateForwardWholeTileWritePatterns(RewritePatternSet &patterns) {
  patterns.add<ForwardWholeTileWrite>(patterns.getContext());
}

} // namespace hcc::cpu
