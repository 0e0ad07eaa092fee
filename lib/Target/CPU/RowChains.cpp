//===- RowChains.cpp - ops over the same rows as one distributed loop -----===//
//
// Helper of hcc-cpu-tile-and-vectorize: a softmax is a max over each row,
// exp(x - max), a sum over the row and a division; a LayerNorm a mean, the
// centred values, their mean square and a scale. Each of these ops is its
// own distributed pass over the whole tensor (a transformer's attention
// scores, 12 x 128 x 128, are 768 KiB: every pass streams them from L2 or
// L3). When the ops of such a chain share their outer loops and map or
// reduce only the innermost one, they run instead as one scf.forall over
// the rows: each row's intermediates are a few vectors in L1, and the rows
// are the threads' tasks. The ops inside are then tiled into vector rows
// like any nested op.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/TilingInterface.h"

#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace {

/// A top-level op over rows: elementwise along its innermost loop or a
/// reduction of it, static f32 shapes, every loop but the innermost
/// parallel.
bool isRowOp(linalg::LinalgOp op) {
  return isa<linalg::GenericOp>(*op) && hcc::cpu::isTopLevel(op) &&
         op->getNumResults() == 1 &&
         (hcc::cpu::isRowVectorizable(op) || hcc::cpu::isRowReduction(op));
}

/// The map through which a chain op's result is indexed by the loops of an
/// op with the same loops: the identity for a row of the same shape, the
/// outer loops for a reduction's result.
bool isOuterPrefix(AffineMap map, unsigned dims) {
  if (map.getNumDims() != dims || map.getNumResults() != dims - 1)
    return false;
  for (auto [i, e] : llvm::enumerate(map.getResults()))
    if (e != getAffineDimExpr(i, map.getContext()))
      return false;
  return true;
}

/// Whether `op`'s result holds rows (`rank` dims, written through the
/// identity) rather than one value per row (a reduction's result, or an op
/// over the outer loops only, such as a mean's division by the row length).
bool producesRows(linalg::LinalgOp op, unsigned rank) {
  return op.getNumLoops() == rank &&
         op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity();
}

/// Whether `op` may join a chain over loops with `bounds`: a row op over
/// the same loops that writes rows or one value per row, or an elementwise
/// op over the outer loops (per-row values: a mean, a deviation).
bool fitsChain(linalg::LinalgOp op, ArrayRef<int64_t> bounds) {
  if (!isRowOp(op))
    return false;
  SmallVector<int64_t> own = op.getStaticLoopRanges();
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (own == bounds)
    return out.isIdentity() || isOuterPrefix(out, bounds.size());
  return own == bounds.drop_back() && hcc::cpu::isRowVectorizable(op);
}

/// Whether `consumer` reads every chain result among its inputs in place:
/// rows through the identity, row values through the outer loops (or the
/// identity, for an op over the outer loops).
bool readsChainInPlace(linalg::LinalgOp consumer,
                       const llvm::SetVector<Operation *> &chain,
                       unsigned rank) {
  bool overRows = consumer.getNumLoops() == rank;
  for (OpOperand &operand : consumer->getOpOperands()) {
    Operation *def = operand.get().getDefiningOp();
    if (!def || !chain.contains(def))
      continue;
    if (consumer.isDpsInit(&operand))
      return false;
    AffineMap map = consumer.getMatchingIndexingMap(&operand);
    bool rows = producesRows(cast<linalg::LinalgOp>(def), rank);
    bool fits = rows ? overRows && map.isIdentity()
                     : (overRows ? isOuterPrefix(map, rank) : map.isIdentity());
    if (!fits)
      return false;
  }
  return true;
}

/// The ops reachable from the reduction `start` through consumers that fit
/// its chain, in block order, and the one whose result leaves the chain;
/// empty if more than one result leaves it.
std::pair<SmallVector<linalg::LinalgOp>, linalg::LinalgOp>
collectChain(linalg::LinalgOp start) {
  SmallVector<int64_t> bounds = start.getStaticLoopRanges();
  unsigned rank = bounds.size();
  llvm::SetVector<Operation *> chain;
  chain.insert(start);
  for (size_t i = 0; i < chain.size(); ++i)
    for (Operation *user : chain[i]->getResult(0).getUsers()) {
      auto op = dyn_cast<linalg::LinalgOp>(user);
      if (!op || chain.contains(user) || !fitsChain(op, bounds) ||
          !readsChainInPlace(op, chain, rank))
        continue;
      chain.insert(user);
    }
  // An op that joined before some producer of its own did must read that
  // producer in place too.
  for (Operation *op : chain)
    if (!readsChainInPlace(cast<linalg::LinalgOp>(op), chain, rank))
      return {};
  SmallVector<linalg::LinalgOp> ops;
  for (Operation *op : chain)
    ops.push_back(cast<linalg::LinalgOp>(op));
  llvm::sort(ops, [](linalg::LinalgOp a, linalg::LinalgOp b) {
    return a->isBeforeInBlock(b);
  });
  linalg::LinalgOp root;
  for (linalg::LinalgOp op : ops) {
    bool escapes = llvm::any_of(op->getResult(0).getUsers(), [&](Operation *u) {
      return !chain.contains(u);
    });
    if (!escapes)
      continue;
    if (root)
      return {};
    root = op;
  }
  // The root must come last: every other op feeds it or a later op.
  if (!root || root != ops.back() || ops.size() < 2)
    return {};
  return {ops, root};
}

/// `init` for the rows [offsets, offsets + sizes) inside the loop: a fill
/// of an empty tensor is made again at the tile's size (no pass filling the
/// whole tensor first), anything else is sliced.
Value tileInit(RewriterBase &rewriter, Location loc,
               tensor::ExtractSliceOp slice) {
  auto fill = slice.getSource().getDefiningOp<linalg::FillOp>();
  if (!fill || !fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
    return slice;
  // A constant fill is a constant tile, whose vector reads fold away.
  Attribute value;
  if (matchPattern(fill.getInputs()[0], m_Constant(&value)))
    return arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(slice.getType(), value));
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, slice.getType().getShape(),
                              slice.getType().getElementType());
  return linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], empty)
      .getResult(0);
}

LogicalResult fuseChain(RewriterBase &rewriter, ArrayRef<linalg::LinalgOp> ops,
                        linalg::LinalgOp root, ArrayRef<int64_t> bounds) {
  Location loc = root.getLoc();
  unsigned rank = bounds.size();
  SmallVector<OpFoldResult> lbs(rank - 1, rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> ubs, steps(rank - 1, rewriter.getIndexAttr(1));
  for (int64_t b : bounds.drop_back())
    ubs.push_back(rewriter.getIndexAttr(b));
  rewriter.setInsertionPoint(root);
  Value rootInit = root.getDpsInits()[0];
  auto forall = scf::ForallOp::create(rewriter, loc, lbs, ubs, steps,
                                      ValueRange{rootInit}, std::nullopt);
  Block *body = forall.getBody();
  rewriter.setInsertionPoint(body->getTerminator());
  SmallVector<OpFoldResult> offsets =
      getAsOpFoldResult(ValueRange(forall.getInductionVars()));
  offsets.push_back(rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes(rank - 1, rewriter.getIndexAttr(1));
  sizes.push_back(rewriter.getIndexAttr(bounds.back()));
  // An op over the outer loops takes its row's value.
  auto tileOf = [&](linalg::LinalgOp op) {
    unsigned dropped = rank - op.getNumLoops();
    return std::make_pair(ArrayRef(offsets).drop_back(dropped),
                          ArrayRef(sizes).drop_back(dropped));
  };

  IRMapping tiledResults;
  Value rootTile;
  for (linalg::LinalgOp op : ops) {
    auto tileable = cast<TilingInterface>(op.getOperation());
    auto [opOffsets, opSizes] = tileOf(op);
    FailureOr<TilingResult> tiled =
        tileable.getTiledImplementation(rewriter, opOffsets, opSizes);
    if (failed(tiled) || tiled->tiledOps.size() != 1)
      return failure();
    Operation *tiledOp = tiled->tiledOps.front();
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(tiledOp);
    for (OpOperand &operand : tiledOp->getOpOperands()) {
      auto slice = operand.get().getDefiningOp<tensor::ExtractSliceOp>();
      if (!slice)
        continue;
      Value replacement;
      if (Value t = tiledResults.lookupOrNull(slice.getSource()))
        replacement = t;
      else if (op == root && slice.getSource() == rootInit)
        replacement = tensor::ExtractSliceOp::create(
            rewriter, loc, forall.getRegionIterArgs()[0],
            slice.getMixedOffsets(), slice.getMixedSizes(),
            slice.getMixedStrides());
      else if (cast<DestinationStyleOpInterface>(tiledOp).isDpsInit(&operand))
        replacement = tileInit(rewriter, loc, slice);
      if (!replacement || replacement == operand.get())
        continue;
      if (replacement.getType() != operand.get().getType())
        return failure();
      rewriter.modifyOpInPlace(tiledOp, [&] { operand.set(replacement); });
      // A slice of a chain op's result must go before that op does.
      if (slice->use_empty())
        rewriter.eraseOp(slice);
    }
    Value result = tiledOp->getResult(0);
    // A row's value (a mean) is one vector lane now: vectorized here, it
    // stays in a register (the row tiles are vectorized later, as rows).
    if (op.getNumLoops() < rank && op != root) {
      rewriter.setInsertionPoint(tiledOp);
      FailureOr<linalg::VectorizationResult> vectorized =
          linalg::vectorize(rewriter, tiledOp);
      if (succeeded(vectorized)) {
        result = vectorized->replacements.front();
        rewriter.replaceOp(tiledOp, vectorized->replacements);
      }
    }
    tiledResults.map(op->getResult(0), result);
    if (op == root)
      rootTile = result;
  }

  SmallVector<OpFoldResult> resultOffsets, resultSizes;
  auto [rootOffsets, rootSizes] = tileOf(root);
  if (failed(cast<TilingInterface>(root.getOperation())
                 .getResultTilePosition(rewriter, 0, rootOffsets, rootSizes,
                                        resultOffsets, resultSizes)))
    return failure();
  rewriter.setInsertionPointToEnd(forall.getTerminator().getBody());
  SmallVector<OpFoldResult> unitStrides(resultOffsets.size(),
                                        rewriter.getIndexAttr(1));
  tensor::ParallelInsertSliceOp::create(
      rewriter, loc, rootTile, forall.getRegionIterArgs()[0], resultOffsets,
      resultSizes, unitStrides);
  rewriter.replaceAllUsesWith(root->getResult(0), forall.getResult(0));
  for (linalg::LinalgOp op : llvm::reverse(ops))
    rewriter.eraseOp(op);
  return success();
}

} // namespace

void hcc::cpu::fuseRowChains(RewriterBase &rewriter, func::FuncOp func,
                             int64_t vectorWidth) {
  SmallVector<linalg::LinalgOp> starts;
  func.walk([&](linalg::LinalgOp op) {
    if (isRowOp(op) && isRowReduction(op) && op.getNumLoops() >= 2 &&
        op.getStaticLoopRanges().back() >= vectorWidth)
      starts.push_back(op);
  });
  llvm::SmallPtrSet<Operation *, 8> done;
  for (linalg::LinalgOp start : starts) {
    if (done.contains(start))
      continue;
    auto [ops, root] = collectChain(start);
    if (ops.empty())
      continue;
    for (linalg::LinalgOp op : ops)
      done.insert(op);
    // A failure leaves the ops as they were: the loop and what was tiled
    // into it so far have no users and fold away.
    (void)fuseChain(rewriter, ops, root, start.getStaticLoopRanges());
  }
}
