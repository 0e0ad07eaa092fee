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

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
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
  return fused;
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
  rewriter.setInsertionPoint(op);
  if (Value packed =
          packedWeightPanel(rewriter, operand->get(), group, packedWeights)) {
    rewriter.modifyOpInPlace(op, [&] { operand->set(packed); });
    return;
  }
  Location loc = op.getLoc();
  Value buffer = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
  Value packed = linalg::CopyOp::create(rewriter, loc, operand->get(), buffer)
                     .getResult(0);
  rewriter.modifyOpInPlace(op, [&] { operand->set(packed); });
}

/// After a contraction was split into pieces along N (dimension `n` of its
/// loops), gives every piece its own tile of the accumulator's elementwise
/// producer (the bias broadcast) and of the output's elementwise
/// `consumer` (the activation, reading the whole output as its operand
/// `operand`), so that each piece's distributed tile can
/// fuse them as a single piece's would: an N tail (3025 = 94 x 32 + 16 + 1)
/// would otherwise leave both as passes over the whole output. Returns
/// false, changing nothing, unless both are elementwise ops on the whole
/// output with identity maps.
bool splitEpilogues(RewriterBase &rewriter, ArrayRef<linalg::LinalgOp> pieces,
                    Operation *consumer, unsigned operand, unsigned n) {
  linalg::LinalgOp first = pieces.front();
  AffineMap outMap = first.getMatchingIndexingMap(first.getDpsInitOperand(0));
  std::optional<unsigned> nDim =
      outMap.getResultPosition(getAffineDimExpr(n, first.getContext()));
  auto sliceOf = [](Value v) {
    return v.getDefiningOp<tensor::ExtractSliceOp>();
  };
  tensor::ExtractSliceOp initSlice = sliceOf(first.getDpsInits()[0]);
  auto producer = initSlice
                      ? initSlice.getSource().getDefiningOp<linalg::LinalgOp>()
                      : linalg::LinalgOp();
  auto tail = consumer ? dyn_cast<linalg::GenericOp>(consumer) : nullptr;
  if (!nDim || !producer || !isElementwiseLinalg(producer) ||
      producer->getNumResults() != 1 || !tail || !isElementwiseLinalg(tail) ||
      !isTopLevel(tail) || tail->getNumResults() != 1 ||
      !llvm::all_of(tail.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return false;
  auto type = cast<RankedTensorType>(producer->getResult(0).getType());
  if (type != tail->getResult(0).getType() || !type.hasStaticShape())
    return false;
  // The consumer reads the whole output (the pieces' results inserted).
  OpOperand *fromWhole = &tail->getOpOperand(operand);
  Value whole = fromWhole->get();
  if (!tail.isDpsInput(fromWhole) || !whole.hasOneUse())
    return false;

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
    auto generic = collapse.getSrc().getDefiningOp<linalg::GenericOp>();
    if (!generic || !isElementwiseLinalg(generic) || !generic->hasOneUse() ||
        generic.getNumDpsInits() != 1 ||
        !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
             .isIdentity())
      return nullptr;
    SmallVector<ReassociationIndices> groups =
        collapse.getReassociationIndices();
    if (!linalg::areDimSequencesPreserved(generic.getIndexingMapsArray(),
                                          groups))
      return nullptr;
    rewriter.setInsertionPoint(generic);
    FailureOr<linalg::CollapseResult> collapsed =
        linalg::collapseOpIterationDims(generic, groups, rewriter);
    if (failed(collapsed) || collapsed->collapsedOp->getResult(0).getType() !=
                                 collapse.getResultType())
      return nullptr;
    rewriter.replaceOp(generic, collapsed->results);
    rewriter.replaceOp(collapse, collapsed->collapsedOp->getResult(0));
    source = collapsed->collapsedOp->getResult(0);
    // The expand_shape that replaced the generic is dead now.
    for (Value result : collapsed->results)
      if (Operation *expand = result.getDefiningOp();
          expand && expand->use_empty())
        rewriter.eraseOp(expand);
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
