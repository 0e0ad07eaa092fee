//===- TileAndVectorize.cpp - register tiles and vectors for the CPU ------===//
//
// hcc-cpu-tile-and-vectorize (tensors, before bufferization; the
// after-bufferization half is LowerVectors.cpp). Nothing here writes a loop
// nest by hand: convolutions go through upstream im2col, tiling is
// scf::tileUsingSCF, remainders are peeled with scf's peeling, tiles are
// vectorized by linalg::vectorize and lowered by the vector dialect's
// lowering patterns.
//
//===----------------------------------------------------------------------===//

#include "TileMarks.h"
#include "Tiling.h"
#include "dialects/Exec/IR/ExecDialect.h"
#include "hcc/Target/CPU/CPUTarget.h"
#include "hcc/Target/Target.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/SubsetOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace hcc {
#define GEN_PASS_DEF_CPUTILEANDVECTORIZE
#include "hcc/Target/CPU/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using hcc::cpu::distribute;
using hcc::cpu::fuseAccumulatorProducer;
using hcc::cpu::fuseIntoDistributedTile;
using hcc::cpu::getMatmulDims;
using hcc::cpu::hasStaticF32Tensors;
using hcc::cpu::im2colRowBlock;
using hcc::cpu::isElementwiseLinalg;
using hcc::cpu::isRowReduction;
using hcc::cpu::isRowVectorizable;
using hcc::cpu::isTopLevel;
using hcc::cpu::kDepthwiseRow;
using hcc::cpu::kTileEpilogue;
using hcc::cpu::MatmulDims;
using hcc::cpu::outerParallelUnitTiles;
using hcc::cpu::packPanel;
using hcc::cpu::panelOperand;
using hcc::cpu::peelLoops;
using hcc::cpu::rowWiseIm2Col;
using hcc::cpu::stridedInputsToSlices;
using hcc::cpu::tile;
using hcc::cpu::tileWindowRows;
using hcc::cpu::transposeNarrowPanel;
using namespace hcc::cpu::marks;

namespace {
/// A's bytes from which a contraction's tasks take several column tiles
/// (it no longer stays in L2 between tasks), and the multiply-adds below
/// which a column tile is too little work for a task of its own.
constexpr int64_t kL2Share = int64_t(2) << 20;
constexpr int64_t kMinTaskWork = int64_t(1) << 16;

struct CPUTileAndVectorizePass
    : hcc::impl::CPUTileAndVectorizeBase<CPUTileAndVectorizePass> {
  using CPUTileAndVectorizeBase::CPUTileAndVectorizeBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    CPUTileAndVectorizeBase::getDependentDialects(registry);
    // The vector transfers on tensors this pass creates must bufferize.
    vector::registerBufferizableOpInterfaceExternalModels(registry);
    // Accumulator hoisting (hoistLoopInvariantSubsets) matches transfers and
    // slices through the subset interfaces.
    vector::registerSubsetOpInterfaceExternalModels(registry);
    tensor::registerSubsetOpInterfaceExternalModels(registry);
  }

  void runOnOperation() override;
  void tileAndVectorize();
  void tileContraction(RewriterBase &rewriter, linalg::LinalgOp op,
                       const MatmulDims &dims);
  void tileRows(RewriterBase &rewriter, linalg::LinalgOp op);
  void packPanelsAndTileRows(RewriterBase &rewriter);
  void tileReductionRows(RewriterBase &rewriter, linalg::LinalgOp op);
  void flattenDepthwiseConvs(RewriterBase &rewriter);
  int64_t rowBlock(int64_t m, int64_t tiles, int64_t target) const {
    return hcc::cpu::rowBlock(m, tiles, target, tileM);
  }
  /// Whether a contraction with few column tiles still shares its columns
  /// rather than blocks of rows: when B (K x N) is the larger operand, as
  /// in a projection after a depthwise convolution (M = 64 filters over
  /// N = 196 pixels). A block of rows reads all of B, whose channels the
  /// previous kernel's threads each left in their own core's cache; a task
  /// of columns reads only its columns (64 x 196 x 384 at 2 threads: 48 ->
  /// 37 us).
  static bool keepsColumns(ArrayRef<int64_t> bounds, const MatmulDims &dims) {
    return bounds[dims.n] > bounds[dims.m];
  }
  linalg::LinalgOp distributeNarrowRows(RewriterBase &rewriter,
                                        linalg::LinalgOp op,
                                        const MatmulDims &dims);
  Operation *distributeContraction(RewriterBase &rewriter,
                                   linalg::LinalgOp piece,
                                   const MatmulDims &dims);
  void distributeOther(RewriterBase &rewriter, linalg::LinalgOp op);
  void blockConvolutionRows(RewriterBase &rewriter,
                            linalg::Conv2DNchwFchwOp conv);
  /// The accumulator's bias or fill computed per register tile when the
  /// tiles' loops do not split K (fuseAccumulatorProducer); the fused tile
  /// is vectorized whole, its vector forwarded to the tile's accumulator.
  void fuseAccumulatorInit(RewriterBase &rewriter,
                           scf::SCFTilingResult &tiled) {
    if (!fuseEpilogues || tiled.tiledOps.empty())
      return;
    auto op = dyn_cast<linalg::LinalgOp>(tiled.tiledOps.front());
    if (!op)
      return;
    if (Operation *init = fuseAccumulatorProducer(rewriter, op, tiled.loops))
      init->setAttr(kAccInit, rewriter.getUnitAttr());
  }
  /// fuseIntoDistributedTile, then rows and vectors for the fused tiles;
  /// with `deferInit`, the accumulator's producer is left whole for the
  /// register tiles to fuse (fuseAccumulatorInit; the rows of elementwise
  /// ops take it otherwise), and a consumer that finishes the tile in
  /// place is marked to follow the register tiles (sinkIntoTiles).
  void fuseEpiloguesInto(RewriterBase &rewriter, scf::ForallOp forall,
                         bool deferInit = false) {
    if (!fuseEpilogues)
      return;
    for (Operation *fused : fuseIntoDistributedTile(rewriter, forall)) {
      auto linalgOp = dyn_cast<linalg::LinalgOp>(fused);
      // An epilogue with transcendental functions leaves the register
      // tiles (their accumulators leave it no registers for its constants
      // and temporaries) and runs as rows of the task's strip.
      bool costly = linalgOp && costlyEpilogueVectors > 0 &&
                    hcc::cpu::hasTranscendentals(linalgOp);
      if (linalgOp && deferInit && hcc::cpu::finishesInPlace(linalgOp) &&
          !costly) {
        linalgOp->setAttr(kTileEpilogue, rewriter.getUnitAttr());
        continue;
      }
      if (!linalgOp || !isRowVectorizable(linalgOp))
        continue;
      bool isInit = llvm::any_of(fused->getUses(), [](OpOperand &use) {
        auto user = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
        return user && user.isDpsInit(&use);
      });
      if (!(deferInit && isInit))
        tileRows(rewriter, linalgOp);
    }
  }
  /// Whether `width` columns (more than tile-n, whole vectors) run as one
  /// register tile (wide-tile-max-acc).
  bool isWideColumnTile(int64_t width) const {
    return width > tileN && width % vectorWidth == 0 &&
           tileM * (width / vectorWidth) <= wideTileMaxAcc;
  }
  /// Register tile rows (Tiling.cpp): accumulators for rows of `cols`.
  int64_t maxTileRows(int64_t m, int64_t cols) const {
    int64_t vectors = std::max<int64_t>(1, llvm::divideCeil(cols, vectorWidth));
    return std::min<int64_t>(m, wideTileMaxAcc / vectors);
  }
  int64_t rowTile(int64_t m, int64_t cols) const {
    return hcc::cpu::registerTileRows(m, tileM, maxTileRows(m, cols));
  }
  int64_t fewRowsTile(int64_t m, int64_t cols) const {
    return hcc::cpu::fewestRegisterTileRows(m, tileM, maxTileRows(m, cols));
  }
  int64_t kBlock(linalg::LinalgOp piece, const MatmulDims &dims,
                 int64_t cols) const {
    return hcc::cpu::contractionKBlock(piece, dims, cols, cacheK, l1KiB, tileK);
  }
  /// The register tile's columns for a piece `n` columns wide.
  int64_t columnTile(int64_t n) const {
    return isWideColumnTile(n) ? n : std::min<int64_t>(tileN, n);
  }
  /// Moves the marked epilogues in `block` into the tile loops they finish
  /// (sinkEpilogue); one short of a micro-kernel's tile loses its mark.
  void sinkIntoTiles(RewriterBase &rewriter, Block *block) {
    SmallVector<linalg::LinalgOp> epilogues;
    for (Operation &op : *block)
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
          linalgOp && op.hasAttr(kTileEpilogue) &&
          linalgOp.getDpsInits()[0].getDefiningOp<scf::ForOp>())
        epilogues.push_back(linalgOp);
    for (linalg::LinalgOp consumer : epilogues) {
      consumer = hcc::cpu::sinkEpilogue(rewriter, consumer);
      if (!finishesMicroKernel(consumer))
        consumer->removeAttr(kTileEpilogue);
    }
  }
  static bool finishesMicroKernel(linalg::LinalgOp consumer) {
    Operation *def = consumer.getDpsInits()[0].getDefiningOp();
    return def && def->hasAttr(kMicroKernel);
  }
  void canonicalize() {
    (void)applyPatternsGreedily(getOperation(), canonicalPatterns);
  }

  /// Pattern sets frozen once per pass instance, not once per kernel.
  LogicalResult initialize(MLIRContext *ctx) override {
    RewritePatternSet canonical(ctx), cleanup(ctx);
    hcc::cpu::populateCanonicalization(ctx, canonical);
    hcc::cpu::populateVectorizeCleanup(ctx, cleanup);
    canonicalPatterns = FrozenRewritePatternSet(std::move(canonical));
    cleanupPatterns = FrozenRewritePatternSet(std::move(cleanup));
    return success();
  }
  FrozenRewritePatternSet canonicalPatterns, cleanupPatterns;
};

void CPUTileAndVectorizePass::tileContraction(RewriterBase &rewriter,
                                              linalg::LinalgOp op,
                                              const MatmulDims &dims) {
  // Split N (the vector lanes) into a part that is a multiple of tile-n and
  // power-of-two remainders (49 = 32 + 16 + 1): odd vector lengths such as
  // 17 lanes turn into shuffles and spills in LLVM.
  bool topLevel = distributeTiles && isTopLevel(op);
  if (topLevel) {
    linalg::LinalgOp rows = distributeNarrowRows(rewriter, op, dims);
    topLevel = rows == op;
    op = rows;
  }
  // A task's contraction (a block of rows: distributeNarrowRows,
  // blockConvolutionRows) with its epilogues fused into the task.
  bool inTask = !topLevel && isa<scf::ForallOp>(op->getParentOp());
  SmallVector<linalg::LinalgOp> pieces;
  // The output's elementwise consumer, split with the pieces below.
  OpOperand *consumer = nullptr;
  if (op->getResult(0).hasOneUse())
    consumer = &*op->getResult(0).getUses().begin();
  // In a task of rows, the consumer fused in place (an activation).
  linalg::LinalgOp inPlace =
      inTask ? hcc::cpu::inPlaceConsumer(op->getResult(0)) : nullptr;
  int64_t extent = op.getStaticLoopRanges()[dims.n];
  int64_t mainPart = extent / tileN * tileN;
  SmallVector<int64_t> chunks;
  if (mainPart > 0)
    chunks.push_back(mainPart);
  for (int64_t rest = extent - mainPart; rest > 0;) {
    int64_t chunk = int64_t(1) << llvm::Log2_64(uint64_t(rest));
    chunks.push_back(chunk);
    rest -= chunk;
  }
  // A remainder of whole vectors joins the last full column tile as one
  // wider register tile (49 = 48 + 1): a tile of one vector per row would
  // be bound by its loads.
  // Not when B is a weight packed at compile time in groups of tile-n
  // columns: a panel wider than a group would be copied at run time and
  // keep the unpacked weight in the code too.
  OpOperand *panel = panelOperand(op, dims.m, dims.n, dims.k);
  bool packedB =
      packMinRows > 0 && panel && hcc::cpu::isPackableWeight(panel->get());
  if (mainPart > 0 && chunks.size() >= 2 && !packedB &&
      isWideColumnTile(tileN + chunks[1])) {
    chunks[1] += tileN;
    chunks[0] -= tileN;
    if (chunks[0] == 0)
      chunks.erase(chunks.begin());
  }
  linalg::LinalgOp current = op;
  for (int64_t chunk : ArrayRef(chunks).drop_back()) {
    rewriter.setInsertionPoint(current);
    auto [head, tail] =
        linalg::splitOp(rewriter, cast<TilingInterface>(current.getOperation()),
                        dims.n, rewriter.getIndexAttr(chunk));
    if (!head || !tail)
      break;
    pieces.push_back(cast<linalg::LinalgOp>(head.getOperation()));
    current = cast<linalg::LinalgOp>(tail.getOperation());
  }
  pieces.push_back(current);
  bool ownEpilogues =
      pieces.size() == 1 ||
      ((topLevel || inTask) && fuseEpilogues &&
       hcc::cpu::splitEpilogues(
           rewriter, pieces, consumer ? consumer->getOwner() : nullptr,
           consumer ? consumer->getOperandNumber() : 0, dims.n));
  if (inPlace && pieces.size() > 1 && ownEpilogues)
    (void)hcc::cpu::splitInPlaceEpilogue(rewriter, pieces, inPlace, dims.n);

  for (linalg::LinalgOp piece : pieces) {
    // A piece narrower than a vector: lanes along K (KLaneTail.cpp).
    if (piece.getStaticLoopRanges()[dims.n] <= kLaneMaxCols &&
        piece.getStaticLoopRanges()[dims.k] >= vectorWidth) {
      if (linalg::GenericOp narrow =
              transposeNarrowPanel(rewriter, piece, dims.m, dims.n, dims.k)) {
        Operation *tiles = narrow;
        if (topLevel)
          tiles = distributeContraction(rewriter, narrow, dims);
        tiles->setAttr(kKLane, rewriter.getUnitAttr());
        if (auto forall = dyn_cast<scf::ForallOp>(tiles->getParentOp());
            forall && topLevel && ownEpilogues)
          fuseEpiloguesInto(rewriter, forall);
        continue;
      }
    }
    if (topLevel)
      piece =
          cast<linalg::LinalgOp>(distributeContraction(rewriter, piece, dims));
    // Epilogues join the tile when each piece has its own (splitEpilogues),
    // before the register tiles so that these can start from the bias.
    if (auto forall = dyn_cast<scf::ForallOp>(piece->getParentOp());
        topLevel && forall && ownEpilogues) {
      constexpr llvm::StringLiteral kMark = "hcc.epilogue_piece";
      piece->setAttr(kMark, rewriter.getUnitAttr());
      fuseEpiloguesInto(rewriter, forall, /*deferInit=*/true);
      SmallVector<linalg::LinalgOp> found =
          takeMarked<linalg::LinalgOp>(getOperation(), kMark);
      assert(found.size() == 1 && "the distributed tile disappeared");
      piece = found.front();
    }
    SmallVector<int64_t> bounds = piece.getStaticLoopRanges();
    SmallVector<int64_t> sizes(piece.getNumLoops(), 0);
    for (unsigned d : dims.outer)
      sizes[d] = 1;
    sizes[dims.n] = columnTile(bounds[dims.n]);
    sizes[dims.m] = rowTile(bounds[dims.m], sizes[dims.n]);
    if (int64_t block = kBlock(piece, dims, sizes[dims.n]);
        block > 0 && bounds[dims.k] > block)
      sizes[dims.k] = block;
    // Loop order: batch, N, K block (the cache-k x tile-n panel of B stays
    // in L1 while the register tiles of the column stream A past it), M.
    SmallVector<int64_t> interchange(dims.outer.begin(), dims.outer.end());
    interchange.push_back(dims.n);
    if (sizes[dims.k] != 0)
      interchange.push_back(dims.k);
    interchange.push_back(dims.m);
    for (unsigned i = 0, e = piece.getNumLoops(); i < e; ++i)
      if (!llvm::is_contained(interchange, i))
        interchange.push_back(i);
    piece->setAttr(kMicroKernel, rewriter.getUnitAttr());
    Block *block = piece->getBlock();
    OpOperand *panel = panelOperand(piece, dims.m, dims.n, dims.k);
    if (packMinRows > 0 && bounds[dims.m] >= packMinRows &&
        bounds[dims.m] > sizes[dims.m] && panel &&
        !hcc::cpu::hasNarrowRows(panel->get(), unpackedRowBytes)) {
      // Blocks of cache-m rows of A (kept in L2 while every panel of the
      // block's columns passes), then panels (N, K block), B's panel
      // copied, then the register tiles' rows.
      SmallVector<int64_t> panelSizes = sizes;
      panelSizes[dims.m] =
          cacheM > 0 && bounds[dims.m] > cacheM
              ? hcc::cpu::l2RowBlock(bounds[dims.m], cacheM, sizes[dims.m])
              : 0;
      SmallVector<int64_t> panelOrder(dims.outer.begin(), dims.outer.end());
      panelOrder.push_back(dims.m);
      panelOrder.push_back(dims.n);
      panelOrder.push_back(dims.k);
      for (unsigned i = 0, e = piece.getNumLoops(); i < e; ++i)
        if (!llvm::is_contained(panelOrder, i))
          panelOrder.push_back(i);
      piece->setAttr(kPackPanel, rewriter.getUnitAttr());
      FailureOr<scf::SCFTilingResult> panels =
          tile(rewriter, piece, panelSizes, panelOrder);
      if (failed(panels))
        continue;
      if (sizes[dims.k] == 0)
        fuseAccumulatorInit(rewriter, *panels);
      sinkIntoTiles(rewriter, block);
      // The panels' copies and rows come once canonicalization has made
      // the peeled panels' shapes static (packPanelsAndTileRows).
      peelLoops(rewriter, panels->loops);
    } else {
      // Few rows: each column tile streams its panel of B once, contiguous
      // when B is a weight packed at compile time (packPanelsAndTileRows),
      // instead of one cache line per row of B, a page apart.
      if (packMinRows > 0)
        piece->setAttr(kPackedWeight, rewriter.getUnitAttr());
      sizes[dims.m] = fewRowsTile(bounds[dims.m], sizes[dims.n]);
      FailureOr<scf::SCFTilingResult> tiled =
          tile(rewriter, piece, sizes, interchange);
      if (failed(tiled))
        continue;
      if (sizes[dims.k] == 0)
        fuseAccumulatorInit(rewriter, *tiled);
      sinkIntoTiles(rewriter, block);
      peelLoops(rewriter, tiled->loops);
    }
  }
}

/// A convolution whose im2col matrix exceeds im2col-block-kib, tiled into
/// an scf.forall over blocks of whole output rows (its accumulator's
/// producer and elementwise consumer fused in): each block's im2col copy is
/// then made and multiplied by the thread that owns the block while it is
/// in L2; each block copies its own rows of a padded input. Leaves `conv`
/// alone when it does not exceed the budget.
void CPUTileAndVectorizePass::blockConvolutionRows(
    RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv) {
  if (!distributeTiles || !isTopLevel(conv) || im2colBlockKiB <= 0)
    return;
  auto filterType = cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto outType = cast<RankedTensorType>(conv.getOutputs()[0].getType());
  int64_t depth = filterType.getDimSize(1) * filterType.getDimSize(2) *
                  filterType.getDimSize(3);
  int64_t rows = im2colRowBlock(outType.getDimSize(2), outType.getDimSize(3),
                                depth, im2colBlockKiB * 1024, vectorWidth);
  if (rows == 0)
    return;
  // Loops (n, f, oh, ow, c, kh, kw): images and row blocks.
  SmallVector<int64_t> sizes = {1, 0, rows, 0, 0, 0, 0};
  FailureOr<scf::SCFTilingResult> blocks = tile(
      rewriter, conv, sizes, {}, scf::SCFTilingOptions::LoopType::ForallOp);
  if (failed(blocks))
    return;
  fuseEpiloguesInto(rewriter,
                    cast<scf::ForallOp>(blocks->loops.front().getOperation()),
                    /*deferInit=*/true);
  (void)hcc::cpu::localizePaddedRows(rewriter,
                                     blocks->tiledOps.front()->getOpOperand(0));
}

/// Depthwise convolutions and pools over flattened planes
/// (flat-depthwise-max-width, DepthwisePlanes.cpp): per (image, channel)
/// task, chunks of eight vectors of outputs (costly-window-vectors with a
/// transcendental consumer), each a row of all the window's
/// taps (whose accumulators stay in registers). Runs before the pads are
/// lowered: the planes read the unpadded input.
void CPUTileAndVectorizePass::flattenDepthwiseConvs(RewriterBase &rewriter) {
  if (flatDepthwiseMaxWidth <= 0)
    return;
  SmallVector<linalg::LinalgOp> windows;
  getOperation().walk([&](linalg::LinalgOp op) {
    if (!isa<linalg::DepthwiseConv2DNchwChwOp, linalg::PoolingNchwMaxOp,
             linalg::PoolingNchwSumOp>(op.getOperation()))
      return;
    // Unpadded strided max pools run 2x faster as output rows (squeezenet);
    // padded, the rows would first copy the whole padded tensor (resnet18).
    if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(op.getOperation());
        pool && !pool.getInputs()[0].getDefiningOp<tensor::PadOp>() &&
        llvm::any_of(pool.getStrides(),
                     [](const APInt &s) { return s.getSExtValue() != 1; }))
      return;
    auto out = cast<RankedTensorType>(op.getDpsInits()[0].getType());
    if (out.hasStaticShape() && out.getDimSize(3) <= flatDepthwiseMaxWidth)
      windows.push_back(op);
  });
  for (linalg::LinalgOp op : windows) {
    if (auto dw = dyn_cast<linalg::DepthwiseConv2DNchwChwOp>(op.getOperation());
        dw && succeeded(hcc::cpu::depthwiseOnChannelLanes(
                  rewriter, dw, depthwiseChannelMaxPixels)))
      continue;
    FailureOr<linalg::GenericOp> plane = hcc::cpu::windowOnPlanes(
        rewriter, op, vectorWidth, depthwiseRowsMinWidth);
    if (failed(plane))
      continue;
    SmallVector<int64_t> sizes = hcc::cpu::windowPlaneChunk(
        *plane, vectorWidth, costlyWindowVectors, depthwiseTileRows);
    FailureOr<scf::SCFTilingResult> chunks = tile(rewriter, *plane, sizes);
    if (failed(chunks))
      continue;
    chunks->tiledOps.front()->setAttr(kRowTile, rewriter.getUnitAttr());
    peelLoops(rewriter, chunks->loops);
  }
}

/// The register tiles tileContraction left reading a weight (kPackedWeight)
/// read its packed copy; the panels it left (kPackPanel): B's panel copied,
/// then register tiles of rows (rowTile).
void CPUTileAndVectorizePass::packPanelsAndTileRows(RewriterBase &rewriter) {
  llvm::DenseMap<Value, Value> packedWeights;
  for (linalg::LinalgOp op :
       takeMarked<linalg::LinalgOp>(getOperation(), kPackedWeight))
    if (std::optional<MatmulDims> dims = getMatmulDims(op))
      (void)hcc::cpu::readPackedWeight(rewriter, op, dims->m, dims->n, dims->k,
                                       tileN, packedWeights);
  for (linalg::LinalgOp op :
       takeMarked<linalg::LinalgOp>(getOperation(), kPackPanel)) {
    std::optional<MatmulDims> dims = getMatmulDims(op);
    if (!dims)
      continue;
    packPanel(rewriter, op, dims->m, dims->n, dims->k, tileN, packedWeights);
    Block *block = op->getBlock();
    SmallVector<int64_t> bounds = op.getStaticLoopRanges();
    SmallVector<int64_t> sizes(op.getNumLoops(), 0);
    sizes[dims->m] = rowTile(bounds[dims->m], columnTile(bounds[dims->n]));
    FailureOr<scf::SCFTilingResult> rows = tile(rewriter, op, sizes);
    if (failed(rows))
      continue;
    fuseAccumulatorInit(rewriter, *rows);
    sinkIntoTiles(rewriter, block);
    peelLoops(rewriter, rows->loops);
  }
  // Epilogues that did not reach a register tile: rows.
  SmallVector<linalg::LinalgOp> strips;
  getOperation().walk([&](linalg::LinalgOp op) {
    if (op->hasAttr(kTileEpilogue) && !finishesMicroKernel(op))
      strips.push_back(op);
  });
  for (linalg::LinalgOp op : strips) {
    op->removeAttr(kTileEpilogue);
    tileRows(rewriter, op);
  }
}

/// A contraction with too few column tiles to share (N = 49 on a 7x7 map)
/// whose N is split into pieces (32 + 16 + 1): distributed over blocks of
/// rows with all its columns first, its epilogues fused (left for each
/// piece's register tiles), so that each task reads its rows of A from L2
/// for every piece instead of every piece streaming all of A. Returns the
/// op inside the tasks, or `op`.
linalg::LinalgOp CPUTileAndVectorizePass::distributeNarrowRows(
    RewriterBase &rewriter, linalg::LinalgOp op, const MatmulDims &dims) {
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  int64_t n = bounds[dims.n];
  if (n % tileN == 0 || keepsColumns(bounds, dims))
    return op;
  int64_t outer = 1;
  for (unsigned d : dims.outer)
    outer *= bounds[d];
  int64_t tiles = outer * llvm::divideCeil(n, tileN);
  if (tiles >= minParallelTiles)
    return op;
  // Blocks of rows with min-parallel-tiles register-tile columns in all,
  // and at least narrow-min-tasks blocks: the blocks are the tasks (each
  // sweeps all the columns), which the threads should share evenly (3
  // blocks of 32 rows split 2:1 between two threads).
  int64_t m = bounds[dims.m];
  int64_t byTiles = rowBlock(m, tiles, minParallelTiles);
  int64_t byTasks = outer == 1
                        ? hcc::cpu::balancedRowBlock(m, narrowMinTasks, tileM)
                        : rowBlock(m, outer, narrowMinTasks);
  int64_t block = std::min(byTiles ? byTiles : m, byTasks ? byTasks : m);
  if (block == m) // also when M is not a multiple of tile-m
    return op;
  SmallVector<int64_t> sizes(op.getNumLoops(), 0);
  for (unsigned d : dims.outer)
    sizes[d] = 1;
  sizes[dims.m] = block;
  SmallVector<int64_t> interchange(dims.outer.begin(), dims.outer.end());
  interchange.push_back(dims.m);
  for (unsigned i = 0, e = op.getNumLoops(); i < e; ++i)
    if (!llvm::is_contained(interchange, i))
      interchange.push_back(i);
  Operation *tiled =
      distribute(rewriter, op, sizes, minParallelWork, interchange);
  auto forall = dyn_cast<scf::ForallOp>(tiled->getParentOp());
  if (tiled == op.getOperation() || !forall)
    return op;
  // Consumer fusion may rebuild the loop: find the tile again by a mark.
  constexpr llvm::StringLiteral kMark = "hcc.narrow_rows";
  tiled->setAttr(kMark, rewriter.getUnitAttr());
  fuseEpiloguesInto(rewriter, forall, /*deferInit=*/true);
  SmallVector<linalg::LinalgOp> found =
      takeMarked<linalg::LinalgOp>(getOperation(), kMark);
  assert(found.size() == 1 && "the distributed tile disappeared in fusion");
  return found.front();
}

/// Distributes the register-tile columns (N) and batches of a contraction
/// piece, and blocks of M when there are too few of them to keep the
/// threads busy (M blocks share less of the B panel).
Operation *CPUTileAndVectorizePass::distributeContraction(
    RewriterBase &rewriter, linalg::LinalgOp piece, const MatmulDims &dims) {
  SmallVector<int64_t> bounds = piece.getStaticLoopRanges();
  SmallVector<int64_t> sizes(piece.getNumLoops(), 0);
  int64_t tiles = 1;
  for (unsigned d : dims.outer) {
    sizes[d] = 1;
    tiles *= bounds[d];
  }
  sizes[dims.n] = columnTile(bounds[dims.n]);
  int64_t columnTiles = bounds[dims.n] / sizes[dims.n];
  // Several column tiles per task (task-cols) while there are min-tasks
  // tasks (with blocks of rows if needed): the task sweeps its columns for
  // each block of A, which then comes from L2 rather than memory.
  // It pays when A (all of M x K) does not stay in L2 from task to task,
  // or when a column tile is too little work for a task of its own.
  int64_t aBytes = bounds[dims.m] * bounds[dims.k] * 4;
  int64_t tileWork = bounds[dims.m] * bounds[dims.k] * tileN;
  bool chunks = bounds[dims.n] % tileN == 0 &&
                (aBytes > kL2Share || tileWork < kMinTaskWork);
  int64_t per =
      chunks ? std::min(std::max<int64_t>(taskCols / tileN, 1), columnTiles)
             : 1;
  for (; per >= 1; --per) {
    if (columnTiles % per != 0)
      continue;
    int64_t columnTasks = tiles * (columnTiles / per);
    if (per == 1) {
      if (columnTasks < minParallelTiles && !keepsColumns(bounds, dims))
        sizes[dims.m] = rowBlock(bounds[dims.m], columnTasks, minParallelTiles);
      break;
    }
    // Blocks of rows smaller than cache-m would pack each B panel again.
    int64_t rows = columnTasks < minTasks
                       ? rowBlock(bounds[dims.m], columnTasks, minParallelTiles)
                       : 0;
    if (rows != 0 && rows < std::max<int64_t>(cacheM, tileM))
      continue;
    if (columnTasks * (rows ? bounds[dims.m] / rows : 1) >= minTasks) {
      sizes[dims.n] *= per;
      sizes[dims.m] = rows;
      break;
    }
  }
  SmallVector<int64_t> interchange(dims.outer.begin(), dims.outer.end());
  interchange.push_back(dims.n);
  interchange.push_back(dims.m);
  for (unsigned i = 0, e = piece.getNumLoops(); i < e; ++i)
    if (!llvm::is_contained(interchange, i))
      interchange.push_back(i);
  return distribute(rewriter, piece, sizes, minParallelWork, interchange);
}

void CPUTileAndVectorizePass::tileRows(RewriterBase &rewriter,
                                       linalg::LinalgOp op) {
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  unsigned inner = op.getNumLoops() - 1;
  if (bounds[inner] < vectorWidth / 2)
    return;
  op->setAttr(kRowTile, rewriter.getUnitAttr());
  if (distributeTiles && isTopLevel(op))
    op = cast<linalg::LinalgOp>(distribute(
        rewriter, op, outerParallelUnitTiles(op, 1), minParallelWork));
  bounds = op.getStaticLoopRanges();
  SmallVector<int64_t> sizes(op.getNumLoops(), 1);
  sizes[inner] = bounds[inner] > maxInnerTile ? maxInnerTile : 0;
  // Rows of transcendental functions: tiles of costly-epilogue-vectors
  // hardware vectors, whose independent polynomial chains overlap (one row
  // of two vectors is bound by their latency) -- narrow rows stacked, wide
  // ones cut (a 256-lane SiLU row spilled its temporaries: 32 AVX2
  // vectors).
  int64_t lanes = costlyEpilogueVectors * vectorWidth;
  bool costly = lanes > 0 && hcc::cpu::hasTranscendentals(op);
  if (inner > 0 && bounds[inner] < lanes && costly) {
    int64_t rows = llvm::divideCeil(lanes, bounds[inner]);
    while (rows > 1 && bounds[inner - 1] % rows != 0)
      --rows;
    sizes[inner - 1] = rows;
  }
  if (costly && bounds[inner] > lanes)
    sizes[inner] = lanes;
  bool allOuterUnit = llvm::all_of(ArrayRef(bounds).drop_back(),
                                   [](int64_t b) { return b == 1; });
  if (allOuterUnit && sizes[inner] == 0)
    return;
  FailureOr<scf::SCFTilingResult> tiled = tile(rewriter, op, sizes);
  if (failed(tiled)) {
    op->removeAttr(kRowTile);
    return;
  }
  peelLoops(rewriter, tiled->loops);
}

/// A row reduction (isRowReduction): its parallel loops distributed, then
/// one tile per row of the innermost loop (chunks of max-inner-tile),
/// vectorized into a vector reduction.
void CPUTileAndVectorizePass::tileReductionRows(RewriterBase &rewriter,
                                                linalg::LinalgOp op) {
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  unsigned inner = op.getNumLoops() - 1;
  if (bounds[inner] < vectorWidth)
    return distributeOther(rewriter, op);
  op->setAttr(kRowTile, rewriter.getUnitAttr());
  if (distributeTiles && isTopLevel(op))
    op = cast<linalg::LinalgOp>(distribute(
        rewriter, op, outerParallelUnitTiles(op, 0), minParallelWork));
  SmallVector<int64_t> sizes(op.getNumLoops(), 1);
  sizes[inner] = bounds[inner] > maxInnerTile ? maxInnerTile : 0;
  FailureOr<scf::SCFTilingResult> tiled = tile(rewriter, op, sizes);
  if (failed(tiled)) {
    op->removeAttr(kRowTile);
    return;
  }
  peelLoops(rewriter, tiled->loops);
}

/// Any other op with enough work (pooling, reductions over inner
/// dimensions, gathers, ...): whole innermost rows per tile.
void CPUTileAndVectorizePass::distributeOther(RewriterBase &rewriter,
                                              linalg::LinalgOp op) {
  if (!distributeTiles || !isTopLevel(op) || !op.hasPureTensorSemantics() ||
      op.hasDynamicShape() || op->hasAttr(kVectorize) ||
      !isa<TilingInterface>(op.getOperation()))
    return;
  distribute(rewriter, op, outerParallelUnitTiles(op, 1), minParallelWork);
}

/// Checks the tile-size options and the kernel's `exec.knobs` against the
/// CPU target's knob ranges, then tiles with the kernel's values (restoring
/// the pass options afterwards: one pass instance serves many kernels).
void CPUTileAndVectorizePass::runOnOperation() {
  func::FuncOp func = getOperation();
  llvm::ArrayRef<hcc::KnobSpec> specs = hcc::cpuKnobSpecs();
  std::pair<llvm::StringRef, Option<int64_t> *> knobs[] = {
      {"im2col-block-kib", &im2colBlockKiB},
      {"k-lane-max-cols", &kLaneMaxCols},
      {"wide-tile-max-acc", &wideTileMaxAcc},
      {"winograd-min-size", &winogradMinSize},
      {"channel-lanes-max-pixels", &channelLaneMaxPixels},
      {"winograd-f2-min-size", &winogradF2MinSize},
      {"winograd-min-channels", &winogradMinChannels},
      {"flat-depthwise-max-width", &flatDepthwiseMaxWidth},
      {"depthwise-rows-min-width", &depthwiseRowsMinWidth},
      {"depthwise-tile-rows", &depthwiseTileRows},
      {"depthwise-channel-max-pixels", &depthwiseChannelMaxPixels},
      {"max-pool-rows", &maxPoolRows},
      {"tile-m", &tileM},
      {"tile-n", &tileN},
      {"tile-k", &tileK},
      {"cache-k", &cacheK},
      {"l1-kib", &l1KiB},
      {"pack-min-rows", &packMinRows},
      {"unpacked-row-bytes", &unpackedRowBytes},
      {"cache-m", &cacheM},
      {"vector-width", &vectorWidth},
      {"max-inner-tile", &maxInnerTile},
      {"min-parallel-tiles", &minParallelTiles},
      {"task-cols", &taskCols},
      {"min-tasks", &minTasks},
      {"narrow-min-tasks", &narrowMinTasks},
      {"costly-epilogue-vectors", &costlyEpilogueVectors},
      {"costly-window-vectors", &costlyWindowVectors}};
  for (auto [name, option] : knobs)
    if (failed(hcc::checkKnobOption(hcc::findKnob(specs, name), *option, func)))
      return signalPassFailure();
  if (failed(hcc::verifyKernelKnobs(func, specs, "cpu")))
    return signalPassFailure();
  SmallVector<int64_t> saved;
  for (auto [name, option] : knobs) {
    saved.push_back(*option);
    *option = hcc::knobValue(func, hcc::findKnob(specs, name), *option);
  }
  tileAndVectorize();
  for (auto [knob, value] : llvm::zip(knobs, saved))
    *knob.second = value;
}

void CPUTileAndVectorizePass::tileAndVectorize() {
  func::FuncOp func = getOperation();
  MLIRContext *ctx = &getContext();
  IRRewriter rewriter(ctx);
  hcc::cpu::foldEmptyIterationSpaces(rewriter, func);

  // Quantized convolutions' dot-product contractions: their own tiles.
  hcc::cpu::tileDot4Contractions(rewriter, func, distributeTiles);

  SmallVector<std::pair<linalg::Conv2DNchwFchwOp, int64_t>> winograd;
  func.walk([&](linalg::Conv2DNchwFchwOp conv) {
    if (int64_t size = hcc::cpu::winogradTileSize(
            conv, winogradMinSize, winogradF2MinSize, winogradMinChannels))
      winograd.push_back({conv, size});
  });
  for (auto [conv, size] : winograd)
    (void)hcc::cpu::winogradConvolution(rewriter, conv, size, vectorWidth);
  // Max pools as a pass over rows and one over columns (before the pads
  // are lowered: they read the unpadded input).
  if (maxPoolRows != 0) {
    SmallVector<linalg::PoolingNchwMaxOp> pools;
    func.walk([&](linalg::PoolingNchwMaxOp pool) {
      if (hcc::cpu::isTopLevel(pool))
        pools.push_back(pool);
    });
    for (linalg::PoolingNchwMaxOp pool : pools)
      (void)hcc::cpu::maxPoolOnRows(rewriter, pool, vectorWidth);
  }
  flattenDepthwiseConvs(rewriter);
  // Convolutions through a copied im2col: in blocks of output rows, each
  // block copying its own rows of a padded input (before the pads are
  // lowered).
  auto isPointwise = [](linalg::Conv2DNchwFchwOp conv) {
    auto filterType = cast<RankedTensorType>(conv.getInputs()[1].getType());
    return filterType.getDimSize(2) == 1 && filterType.getDimSize(3) == 1 &&
           llvm::all_of(conv.getStrides(),
                        [](const APInt &s) { return s.getSExtValue() == 1; });
  };
  auto onChannelLanes = [&](linalg::Conv2DNchwFchwOp conv) {
    auto convType = cast<RankedTensorType>(conv.getOutputs()[0].getType());
    return hcc::cpu::isChannelLaneShape(
        convType.getDimSize(2) * convType.getDimSize(3), convType.getDimSize(1),
        channelLaneMaxPixels, tileN);
  };
  SmallVector<linalg::Conv2DNchwFchwOp> convs;
  func.walk([&](linalg::Conv2DNchwFchwOp conv) {
    if (hasStaticF32Tensors(conv) && !isPointwise(conv) &&
        !onChannelLanes(conv))
      convs.push_back(conv);
  });
  for (linalg::Conv2DNchwFchwOp conv : convs)
    blockConvolutionRows(rewriter, conv);
  hcc::cpu::padsToLinalg(rewriter, func);
  hcc::cpu::concatsToCopies(rewriter, func);

  // Convolutions -> im2col + matmul-like generic.
  convs.clear();
  func.walk([&](linalg::Conv2DNchwFchwOp conv) { convs.push_back(conv); });
  for (linalg::Conv2DNchwFchwOp conv : convs) {
    if (!hasStaticF32Tensors(conv))
      continue;
    auto filterType = cast<RankedTensorType>(conv.getInputs()[1].getType());
    bool pointwise = isPointwise(conv);
    // A block of rows (blocked above) is never on channel lanes.
    bool lanes = hcc::cpu::isTopLevel(conv) && onChannelLanes(conv);
    rewriter.setInsertionPoint(conv);
    Value input = conv.getInputs()[0];
    // Read before the rewrite, which erases the convolution.
    bool undilated = llvm::all_of(conv.getDilations(), [](const APInt &d) {
      return d.getSExtValue() == 1;
    });
    SmallVector<int64_t> strides = llvm::map_to_vector(
        conv.getStrides(), [](const APInt &v) { return v.getSExtValue(); });
    auto outputType = cast<RankedTensorType>(conv.getOutputs()[0].getType());
    FailureOr<std::pair<Operation *, Operation *>> im2col =
        linalg::rewriteInIm2Col(rewriter, conv);
    if (succeeded(im2col) && lanes)
      if (auto expand = dyn_cast<tensor::ExpandShapeOp>(im2col->second))
        if (Operation *matmul = expand.getSrc().getDefiningOp())
          matmul->setAttr(kChannelLanes, rewriter.getUnitAttr());
    // A 1x1 stride-1 convolution's im2col matrix is its input with H and W
    // collapsed: no copy.
    if (succeeded(im2col) && pointwise) {
      Operation *copy = im2col->first;
      rewriter.setInsertionPoint(copy);
      Value collapsed = tensor::CollapseShapeOp::create(
          rewriter, copy->getLoc(), input,
          ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
      if (collapsed.getType() == copy->getResult(0).getType())
        rewriter.replaceOp(copy, collapsed);
      else
        rewriter.eraseOp(collapsed.getDefiningOp());
    } else if (succeeded(im2col) && undilated) {
      rowWiseIm2Col(rewriter, im2col->first, input, filterType, outputType,
                    strides, distributeTiles, minParallelWork);
    }
  }

  // Depthwise convolutions: generic, one tile per (channel, output row,
  // kernel tap) covering a whole output row; the unit dimensions are dropped
  // below, which leaves a row multiply-add (vectorized like elementwise ops).
  // 2-D max and sum pools have the same shape (a window per channel, no
  // weights) and take the same path.
  SmallVector<linalg::LinalgOp> depthwise;
  auto undilated = [](auto op) {
    return llvm::all_of(op.getDilations(),
                        [](const APInt &d) { return d.getSExtValue() == 1; });
  };
  func.walk([&](linalg::LinalgOp op) {
    if (auto dw = dyn_cast<linalg::DepthwiseConv2DNchwChwOp>(*op)) {
      if (undilated(dw))
        depthwise.push_back(op);
    } else if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(*op)) {
      if (undilated(pool))
        depthwise.push_back(op);
    } else if (auto pool = dyn_cast<linalg::PoolingNchwSumOp>(*op)) {
      if (undilated(pool))
        depthwise.push_back(op);
    }
  });
  for (linalg::LinalgOp op : depthwise) {
    if (!hasStaticF32Tensors(op))
      continue;
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::GenericOp> generic =
        linalg::generalizeNamedOp(rewriter, op);
    if (failed(generic))
      continue;
    if (scf::ForallOp forall = tileWindowRows(rewriter, *generic,
                                              distributeTiles, minParallelWork))
      fuseEpiloguesInto(rewriter, forall);
  }

  if (distributeTiles)
    hcc::cpu::fuseRowChains(rewriter, func, vectorWidth);

  // Elementwise ops next to contractions work on the contraction's
  // collapsed shape (the reshapes of im2col move past them), so that they
  // can join its tiles.
  if (distributeTiles && fuseEpilogues)
    hcc::cpu::collapseEpilogues(func, costlyEpilogueVectors);

  for (linalg::GenericOp op :
       takeMarked<linalg::GenericOp>(func, kChannelLanes))
    (void)hcc::cpu::channelLaneContraction(rewriter, op);

  // First level: register tiles of contractions (with their fused
  // epilogues), then rows of elementwise ops.
  SmallVector<std::pair<linalg::LinalgOp, MatmulDims>> contractions;
  func.walk([&](linalg::LinalgOp op) {
    if (std::optional<MatmulDims> dims = getMatmulDims(op))
      contractions.push_back({op, *dims});
  });
  for (auto &[op, dims] : contractions)
    tileContraction(rewriter, op, dims);
  SmallVector<linalg::LinalgOp> ops;
  func.walk([&](linalg::LinalgOp op) {
    if (op->hasAttr(kTileEpilogue) && !finishesMicroKernel(op))
      op->removeAttr(kTileEpilogue);
    if (!op->hasAttr(kMicroKernel) && !op->hasAttr(kRowTile) &&
        !op->hasAttr(kDepthwiseRow) && !op->hasAttr(kKLane) &&
        !op->hasAttr(kAccInit) && !op->hasAttr(kTileEpilogue))
      ops.push_back(op);
  });
  for (linalg::LinalgOp op : ops) {
    if (getMatmulDims(op) || hcc::cpu::isDot4Contraction(op))
      continue;
    if (!isRowVectorizable(op))
      op = hcc::cpu::collapseInnerReductions(rewriter, op);
    op = hcc::cpu::collapseNarrowRows(rewriter, op, 4 * vectorWidth);
    if (isRowVectorizable(op))
      tileRows(rewriter, op);
    else if (isRowReduction(op))
      tileReductionRows(rewriter, op);
    else if (std::optional<unsigned> other = hcc::cpu::transposedInnerLoop(op);
             other && op.getStaticLoopRanges().back() >= vectorWidth / 2 &&
             op.getStaticLoopRanges()[*other] >= vectorWidth / 2) {
      op->setAttr(kRowTile, rewriter.getUnitAttr());
      hcc::cpu::tileTransposed(rewriter, op, *other, vectorWidth,
                               distributeTiles, minParallelWork);
    } else
      distributeOther(rewriter, op);
  }
  canonicalize();
  packPanelsAndTileRows(rewriter);
  canonicalize();
  hcc::cpu::emitDot4Tiles(rewriter, func);

  // K-lane tiles hold as many accumulators as wide register tiles may (of
  // 16 AVX2 registers, 24 spilled), or as a tile-m x tile-n one.
  int64_t kLaneAccumulators =
      wideTileMaxAcc > 0 ? int64_t(wideTileMaxAcc)
                         : tileM * llvm::divideCeil(tileN, vectorWidth);
  for (linalg::GenericOp op : takeMarked<linalg::GenericOp>(func, kKLane))
    (void)hcc::cpu::emitKLaneContraction(rewriter, op, vectorWidth,
                                         kLaneAccumulators);

  // Second level: K steps of the register tiles; then vectorize.
  SmallVector<linalg::LinalgOp> microKernels, rows;
  func.walk([&](linalg::LinalgOp op) {
    if (op->hasAttr(kMicroKernel))
      microKernels.push_back(op);
    else if (op->hasAttr(kRowTile) || op->hasAttr(kAccInit) ||
             op->hasAttr(kTileEpilogue))
      rows.push_back(op);
  });
  auto markForVectorization = [&](Operation *op) {
    op->setAttr(kVectorize, rewriter.getUnitAttr());
  };
  for (linalg::LinalgOp op : microKernels) {
    op->removeAttr(kMicroKernel);
    std::optional<MatmulDims> dims = getMatmulDims(op);
    if (!dims)
      continue;
    SmallVector<int64_t> bounds = op.getStaticLoopRanges();
    if (bounds[dims->k] <= tileK) {
      markForVectorization(op);
      continue;
    }
    SmallVector<int64_t> sizes(op.getNumLoops(), 0);
    sizes[dims->k] = tileK;
    FailureOr<scf::SCFTilingResult> tiled = tile(rewriter, op, sizes);
    if (failed(tiled))
      continue;
    markForVectorization(tiled->tiledOps.front());
    auto kLoop = cast<scf::ForOp>(tiled->loops.front().getOperation());
    scf::ForOp partial;
    (void)scf::peelForLoopAndSimplifyBounds(rewriter, kLoop, partial);
  }
  for (linalg::LinalgOp op : rows) {
    op->removeAttr(kRowTile);
    op->removeAttr(kAccInit);
    op->removeAttr(kTileEpilogue);
    markForVectorization(op);
  }
  for (linalg::GenericOp op :
       takeMarked<linalg::GenericOp>(func, kDepthwiseRow))
    if (Operation *row = hcc::cpu::finishWindowRow(rewriter, op))
      markForVectorization(row);
  canonicalize();

  hcc::cpu::vectorizeMarkedTiles(rewriter, func, kVectorize, vectorWidth,
                                 cleanupPatterns);
}

} // namespace
