//===- Tiling.cpp - Tiling helpers shared by the CPU passes ---------------===//
//
// Tiling with upstream's scf::tileUsingSCF, peeling of the partial last
// iterations and the row blocks of distributed contractions, used by
// hcc-cpu-tile-and-vectorize and the rewrites it calls (Tiling.h).
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;

FailureOr<scf::SCFTilingResult>
hcc::cpu::tile(RewriterBase &rewriter, Operation *op, ArrayRef<int64_t> sizes,
               ArrayRef<int64_t> interchange,
               scf::SCFTilingOptions::LoopType loopType) {
  scf::SCFTilingOptions options;
  options.setLoopType(loopType);
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  if (!interchange.empty())
    options.setInterchange(interchange);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return result;
}

void hcc::cpu::peelLoops(RewriterBase &rewriter,
                         ArrayRef<LoopLikeOpInterface> loops) {
  for (LoopLikeOpInterface loop : llvm::reverse(loops)) {
    auto forOp = dyn_cast<scf::ForOp>(loop.getOperation());
    if (!forOp)
      continue;
    scf::ForOp partial;
    (void)scf::peelForLoopAndSimplifyBounds(rewriter, forOp, partial);
  }
}

llvm::SmallVector<int64_t> hcc::cpu::divisorsDescending(int64_t m,
                                                        int64_t unit) {
  // Trial division up to sqrt(m): a shape of 2^40 rows takes 2^20 steps,
  // where walking every multiple of `unit` took minutes.
  llvm::SmallVector<int64_t> small, large;
  for (int64_t d = 1; m > 0 && d <= m / d; ++d) {
    if (m % d != 0)
      continue;
    small.push_back(d);
    if (d != m / d)
      large.push_back(m / d);
  }
  llvm::SmallVector<int64_t> out;
  for (int64_t d : llvm::concat<int64_t>(large, llvm::reverse(small)))
    if (unit > 0 && d % unit == 0)
      out.push_back(d);
  return out;
}

int64_t hcc::cpu::balancedRowBlock(int64_t m, int64_t minBlocks,
                                   int64_t tileM) {
  if (m % tileM != 0)
    return 0;
  int64_t any = 0, even = 0;
  for (int64_t b : divisorsDescending(m, tileM)) {
    int64_t blocks = m / b;
    if (blocks < minBlocks)
      continue;
    if (blocks % minBlocks == 0)
      return b < m ? b : 0;
    if (!even && blocks % 2 == 0)
      even = b;
    if (!any)
      any = b;
  }
  // No even count in multiples of tileM (1000 rows in blocks of 8): blocks
  // of half register tiles, which register tiles of more rows cover
  // without a short tile (100 rows = 10 tiles of 10).
  if (!even && tileM % 2 == 0)
    for (int64_t b : divisorsDescending(m, tileM / 2))
      if (b < m && b >= tileM && m / b >= minBlocks && (m / b) % 2 == 0) {
        even = b;
        break;
      }
  int64_t block = even ? even : any ? any : tileM;
  return block < m ? block : 0;
}

int64_t hcc::cpu::l2RowBlock(int64_t m, int64_t cacheM, int64_t tileM) {
  for (int64_t b : divisorsDescending(m, tileM))
    if (b <= cacheM)
      return 2 * b >= cacheM ? b : cacheM;
  return cacheM;
}

int64_t hcc::cpu::rowBlock(int64_t m, int64_t tiles, int64_t target,
                           int64_t tileM) {
  if (m % tileM != 0)
    return 0;
  int64_t block = tileM;
  for (int64_t b : divisorsDescending(m, tileM))
    if (tiles * (m / b) >= target) {
      block = b;
      break;
    }
  return block < m ? block : 0;
}

int64_t hcc::cpu::registerTileRows(int64_t m, int64_t tileM, int64_t maxRows) {
  if (m <= tileM)
    return m;
  for (int64_t rows = tileM; rows <= maxRows; ++rows)
    if (m % rows == 0 || m % rows >= tileM)
      return rows;
  return tileM;
}

int64_t hcc::cpu::fewestRegisterTileRows(int64_t m, int64_t tileM,
                                         int64_t maxRows) {
  int64_t best = registerTileRows(m, tileM, maxRows);
  if (m <= tileM)
    return best;
  for (int64_t rows = best + 1; rows <= maxRows; ++rows)
    if ((m % rows == 0 || m % rows >= tileM) &&
        llvm::divideCeil(m, rows) < llvm::divideCeil(m, best))
      best = rows;
  return best;
}

int64_t hcc::cpu::contractionKBlock(linalg::LinalgOp piece,
                                    const MatmulDims &dims, int64_t cols,
                                    int64_t cacheK, int64_t l1KiB,
                                    int64_t tileK) {
  SmallVector<int64_t> bounds = piece.getStaticLoopRanges();
  int64_t k = bounds[dims.k];
  for (OpOperand *input : piece.getDpsInputOperands()) {
    AffineMap map = piece.getMatchingIndexingMap(input);
    if (map.getNumResults() == 0)
      continue;
    auto inner = dyn_cast<AffineDimExpr>(map.getResults().back());
    if (!inner || inner.getPosition() != dims.m ||
        map.isFunctionOfDim(dims.n) || !map.isFunctionOfDim(dims.k))
      continue;
    constexpr int64_t kLiveBytesPerRow = 128;
    int64_t rowBytes =
        std::min<int64_t>(bounds[dims.m] * 4, kLiveBytesPerRow) + cols * 4;
    int64_t fit = std::max<int64_t>(l1KiB * 1024 / 2 / rowBytes, tileK);
    if (cacheK > 0)
      fit = std::min<int64_t>(fit, cacheK);
    int64_t blocks = llvm::divideCeil(k, fit);
    return llvm::alignTo(llvm::divideCeil(k, blocks), tileK);
  }
  return cacheK;
}
