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

int64_t hcc::cpu::balancedRowBlock(int64_t m, int64_t minBlocks,
                                   int64_t tileM) {
  if (m % tileM != 0)
    return 0;
  int64_t any = 0, even = 0;
  for (int64_t b = m; b >= tileM; b -= tileM) {
    int64_t blocks = m / b;
    if (m % b != 0 || blocks < minBlocks)
      continue;
    if (blocks % minBlocks == 0)
      return b < m ? b : 0;
    if (!even && blocks % 2 == 0)
      even = b;
    if (!any)
      any = b;
  }
  int64_t block = even ? even : any ? any : tileM;
  return block < m ? block : 0;
}

int64_t hcc::cpu::rowBlock(int64_t m, int64_t tiles, int64_t target,
                           int64_t tileM) {
  if (m % tileM != 0)
    return 0;
  int64_t block = tileM;
  for (int64_t b = m; b >= tileM; b -= tileM)
    if (m % b == 0 && b % tileM == 0 && tiles * (m / b) >= target) {
      block = b;
      break;
    }
  return block < m ? block : 0;
}
