//===- WindowTiles.cpp - distributed tiles and sliding-window rows --------===//
//
// Helpers of hcc-cpu-tile-and-vectorize (TileAndVectorize.cpp): how the
// outermost tiles of an op become the runtime threads' tasks, and how ops
// that read through a sliding window (convolutions' im2col copies,
// depthwise convolutions, pools) become rows of vector copies and
// multiply-adds.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using hcc::cpu::tile;

/// Ops directly in the kernel function are distributed over threads; ops in
/// loop bodies (Loop/Scan, tiles) run on the thread of their loop.
bool hcc::cpu::isTopLevel(Operation *op) {
  return isa<func::FuncOp>(op->getParentOp());
}

/// Tiles `op` by `sizes` (0: not tiled) into one scf.forall: the tiles are
/// the work the runtime's threads share (scf.forall becomes scf.parallel
/// after bufferization and async tasks in hcc-cpu-async-parallel-for).
/// Only parallel loops may be distributed. Returns the tiled op, or `op`
/// when there would be fewer than two tiles or fewer than `minWork`
/// iterations in all (not worth a task).
Operation *hcc::cpu::distribute(RewriterBase &rewriter, Operation *op,
                                ArrayRef<int64_t> sizes, int64_t minWork,
                                ArrayRef<int64_t> interchange) {
  auto linalgOp = cast<linalg::LinalgOp>(op);
  SmallVector<int64_t> bounds = linalgOp.getStaticLoopRanges();
  int64_t work = 1;
  for (int64_t bound : bounds)
    work = ShapedType::isDynamic(bound) ? 0 : work * bound;
  if (work < minWork)
    return op;
  SmallVector<utils::IteratorType> iterators = linalgOp.getIteratorTypesArray();
  int64_t tiles = 1;
  for (auto [size, bound, iterator] : llvm::zip(sizes, bounds, iterators)) {
    if (size == 0)
      continue;
    assert(linalg::isParallelIterator(iterator) &&
           "only parallel loops are distributed");
    if (ShapedType::isDynamic(bound) || bound % size != 0)
      return op;
    tiles *= bound / size;
  }
  if (tiles < 2)
    return op;
  FailureOr<scf::SCFTilingResult> result =
      tile(rewriter, op, sizes, interchange,
           scf::SCFTilingOptions::LoopType::ForallOp);
  return succeeded(result) ? result->tiledOps.front() : op;
}

/// Sizes that distribute every parallel loop of `op` but the innermost
/// `keep` of them by 1 (whole rows or windows per tile).
SmallVector<int64_t> hcc::cpu::outerParallelUnitTiles(linalg::LinalgOp op,
                                                      unsigned keep) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> sizes(iterators.size(), 0);
  SmallVector<unsigned> parallel;
  for (auto [i, iterator] : llvm::enumerate(iterators))
    if (linalg::isParallelIterator(iterator))
      parallel.push_back(i);
  for (unsigned i = 0; i + keep < parallel.size(); ++i)
    sizes[parallel[i]] = 1;
  return sizes;
}

/// In a one-loop generic, an input indexed by `d0 * s` becomes an input
/// sliced with stride s and indexed by `d0`.
void hcc::cpu::stridedInputsToSlices(RewriterBase &rewriter,
                                     linalg::GenericOp op) {
  MLIRContext *ctx = op.getContext();
  int64_t extent = op.getStaticLoopRanges()[0];
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  bool changed = false;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = maps[input->getOperandNumber()];
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    if (!type || type.getRank() != 1 || map.getNumResults() != 1)
      continue;
    auto mul = dyn_cast<AffineBinaryOpExpr>(map.getResult(0));
    if (!mul || mul.getKind() != AffineExprKind::Mul)
      continue;
    auto stride = dyn_cast<AffineConstantExpr>(mul.getRHS());
    if (!stride || mul.getLHS() != getAffineDimExpr(0, ctx))
      continue;
    rewriter.setInsertionPoint(op);
    Value slice = tensor::ExtractSliceOp::create(
        rewriter, op.getLoc(), input->get(),
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(extent)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(stride.getValue())});
    rewriter.modifyOpInPlace(op, [&] { input->set(slice); });
    maps[input->getOperandNumber()] = AffineMap::getMultiDimIdentityMap(1, ctx);
    changed = true;
  }
  if (changed)
    rewriter.modifyOpInPlace(op, [&] {
      op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
    });
}

/// Tiles a generic whose input is read through a sliding window (depthwise
/// convolution, im2col) by 1 in every loop but the output's innermost one;
/// the row tiles are finished (unit dims dropped, strided reads turned into
/// strided slices, vectorized) after the first canonicalization.
scf::ForallOp hcc::cpu::tileWindowRows(RewriterBase &rewriter,
                                       linalg::GenericOp generic,
                                       bool distributeRows, int64_t minWork,
                                       bool planeTasks) {
  SmallVector<int64_t> sizes(generic.getNumLoops(), 1);
  AffineMap outMap =
      generic.getMatchingIndexingMap(generic.getDpsInitOperand(0));
  auto inner = dyn_cast<AffineDimExpr>(outMap.getResults().back());
  if (!inner)
    return nullptr;
  sizes[inner.getPosition()] = 0;
  // Windows of different output rows and channels are independent; the
  // tiles are ordered as the output is laid out (channel before row).
  Operation *op = generic;
  if (distributeRows && isTopLevel(generic)) {
    SmallVector<int64_t> parallel = outerParallelUnitTiles(generic, 0);
    parallel[inner.getPosition()] = 0;
    // A task per plane: its rows in an scf.for, whose row indices step by
    // one where a task per row delinearizes its index into every loop's
    // (a few divisions per row: a quarter of a shallow im2col's time).
    unsigned rank = outMap.getNumResults();
    if (planeTasks && rank >= 2)
      if (auto rowDim = dyn_cast<AffineDimExpr>(outMap.getResult(rank - 2)))
        parallel[rowDim.getPosition()] = 0;
    SmallVector<int64_t> interchange;
    for (AffineExpr result : outMap.getResults())
      if (auto dim = dyn_cast<AffineDimExpr>(result))
        interchange.push_back(dim.getPosition());
    for (unsigned i = 0, e = generic.getNumLoops(); i < e; ++i)
      if (!llvm::is_contained(interchange, i))
        interchange.push_back(i);
    op = distribute(rewriter, generic, parallel, minWork, interchange);
  }
  auto forall = dyn_cast<scf::ForallOp>(op->getParentOp());
  FailureOr<scf::SCFTilingResult> tiled = tile(rewriter, op, sizes);
  if (succeeded(tiled))
    tiled->tiledOps.front()->setAttr(kDepthwiseRow, rewriter.getUnitAttr());
  return forall;
}

/// Tiles an elementwise op whose inputs are transposed against its output
/// (transposedInnerLoop: `other`) into `lanes` x `lanes` tiles of the
/// output's innermost loop and `other` (every other loop by 1, distributed
/// over the threads when `distributeTiles`), the remainders peeled: each
/// tile reads a square of each transposed input and transposes it in
/// registers (a 16 x 16 f32 transpose is 64 shuffles, against 256 scalar
/// loads and stores).
void hcc::cpu::tileTransposed(RewriterBase &rewriter, linalg::LinalgOp op,
                              unsigned other, int64_t lanes,
                              bool distributeTiles, int64_t minWork) {
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  unsigned inner = op.getNumLoops() - 1;
  if (distributeTiles && isTopLevel(op)) {
    SmallVector<int64_t> sizes(op.getNumLoops(), 1);
    sizes[inner] = 0;
    sizes[other] = bounds[other] % lanes == 0 ? lanes : 0;
    op = cast<linalg::LinalgOp>(distribute(rewriter, op, sizes, minWork));
    bounds = op.getStaticLoopRanges();
  }
  SmallVector<int64_t> sizes(op.getNumLoops(), 1);
  sizes[inner] = std::min(bounds[inner], lanes);
  sizes[other] = std::min(bounds[other], lanes);
  FailureOr<scf::SCFTilingResult> tiled = tile(rewriter, op, sizes);
  if (succeeded(tiled))
    peelLoops(rewriter, tiled->loops);
}

/// Finishes a row tile of tileWindowRows: unit dimensions dropped, strided
/// reads turned into strided slices. Returns the row to vectorize, or null
/// when there is none (a plain row copy stays a linalg.copy, vectorized
/// after bufferization with strided reads deinterleaved: canonicalization
/// would fold its vectors into a slice copy, a scalar memref.copy).
Operation *hcc::cpu::finishWindowRow(RewriterBase &rewriter,
                                     linalg::GenericOp op) {
  linalg::ControlDropUnitDims control;
  control.rankReductionStrategy =
      linalg::ControlDropUnitDims::RankReductionStrategy::ExtractInsertSlice;
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::DropUnitDimsResult> dropped =
      linalg::dropUnitDims(rewriter, op, control);
  if (failed(dropped))
    return nullptr;
  rewriter.replaceOp(op, dropped->replacements);
  Operation *row = dropped->resultOp.getOperation();
  auto generic = dyn_cast<linalg::GenericOp>(row);
  if (generic && generic.getNumLoops() == 1)
    stridedInputsToSlices(rewriter, generic);
  if (generic && generic.getNumLoops() == 1 && generic.getNumDpsInputs() == 1 &&
      generic.getBlock()->getOperations().size() == 1 &&
      generic.getBlock()->getTerminator()->getOperand(0) ==
          generic.getBlock()->getArgument(0) &&
      llvm::all_of(generic.getIndexingMapsArray(),
                   [](AffineMap map) { return map.isIdentity(); })) {
    rewriter.setInsertionPoint(generic);
    rewriter.replaceOp(generic,
                       linalg::CopyOp::create(rewriter, generic.getLoc(),
                                              generic.getDpsInputs()[0],
                                              generic.getDpsInits()[0]));
    return nullptr;
  }
  return row;
}

/// The im2col copy of an NCHW convolution as a 6-D generic
/// (n, c, kh, kw, oh, ow) -> input(n, c, oh*sh + kh, ow*sw + kw) whose rows
/// are contiguous (stride 1) or strided reads: it is tiled into row copies
/// instead of the upstream gather with div/mod per element.
void hcc::cpu::rowWiseIm2Col(RewriterBase &rewriter, Operation *copy,
                             Value input, RankedTensorType filterType,
                             RankedTensorType outType,
                             ArrayRef<int64_t> strides, bool distributeRows,
                             int64_t minWork) {
  MLIRContext *ctx = rewriter.getContext();
  Location loc = copy->getLoc();
  auto inType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape = {
      inType.getDimSize(0),     filterType.getDimSize(1),
      filterType.getDimSize(2), filterType.getDimSize(3),
      outType.getDimSize(2),    outType.getDimSize(3)};
  rewriter.setInsertionPoint(copy);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, shape, inType.getElementType());
  AffineExpr n, c, kh, kw, oh, ow;
  bindDims(ctx, n, c, kh, kw, oh, ow);
  AffineMap inMap = AffineMap::get(
      6, 0, {n, c, oh * strides[0] + kh, ow * strides[1] + kw}, ctx);
  AffineMap outMap = AffineMap::getMultiDimIdentityMap(6, ctx);
  SmallVector<utils::IteratorType> iterators(6, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, empty.getType(), ValueRange{input}, ValueRange{empty},
      ArrayRef<AffineMap>{inMap, outMap}, iterators,
      [](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(b, l, args[0]);
      });
  Value collapsed = tensor::CollapseShapeOp::create(
      rewriter, loc, generic.getResult(0),
      ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}, {4, 5}});
  if (collapsed.getType() != copy->getResult(0).getType()) {
    rewriter.eraseOp(collapsed.getDefiningOp());
    rewriter.eraseOp(generic);
    return;
  }
  rewriter.replaceOp(copy, collapsed);
  tileWindowRows(rewriter, generic, distributeRows, minWork,
                 /*planeTasks=*/true);
}

/// Output rows per block of a convolution run in row blocks (see
/// im2col-block-kib): among the numbers of rows dividing the output height
/// whose im2col block (`depth` values per column) fits in `budget` bytes
/// and has a multiple of `lanes` columns, with at least two blocks, the
/// fewest giving kMinBlockColumns columns (else the most); 0 when the whole
/// im2col matrix fits, or is at most four budgets and no block has whole
/// vectors of columns, or no block size qualifies.
int64_t hcc::cpu::im2colRowBlock(int64_t rows, int64_t cols, int64_t depth,
                                 int64_t budget, int64_t lanes) {
  constexpr int64_t kElementBytes = 4;
  // A shallow im2col (an RGB stem's 27 values per column) fills the budget
  // with thousands of columns that leave L1 before the register tiles read
  // them back; blocks of a few hundred columns stay near and split evenly
  // over threads (mobilenet_v2's 3x3 stem, 112 rows of 112: 28-row blocks
  // 379 -> 7-row blocks about 360 us at 1 thread, 222 -> 195 us at 2).
  // Deep ones (a 7x7 stem's 147) reach the budget first.
  constexpr int64_t kMinBlockColumns = 512;
  if (rows * cols * depth * kElementBytes <= budget)
    return 0;
  // Blocks of whole vectors if any fit, else the largest that fits (its
  // few tail columns then run with lanes along K).
  int64_t fallback = 0, whole = 0;
  for (int64_t r : divisorsDescending(rows, 1)) {
    if (r > rows / 2 || r * cols * depth * kElementBytes > budget)
      continue;
    if ((r * cols) % lanes == 0) {
      if (whole != 0 && r * cols < kMinBlockColumns)
        break;
      whole = r;
      continue;
    }
    if (fallback == 0 && r * cols >= 4 * lanes)
      fallback = r;
  }
  if (whole != 0)
    return whole;
  // Blocks with tail columns lose the accumulator's start and the
  // activation in the register tiles (each piece of a block would need its
  // own): an im2col matrix up to a few budgets is made whole instead
  // (squeezenet's 111 x 111 first layer: 1.17 -> 1.00 ms).
  if (rows * cols * depth * kElementBytes <= 4 * budget)
    return 0;
  return fallback;
}
