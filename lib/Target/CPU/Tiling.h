//===- Tiling.h - Tiling helpers shared by the CPU passes -------*- C++ -*-===//
#ifndef HCC_LIB_TARGET_CPU_TILING_H
#define HCC_LIB_TARGET_CPU_TILING_H

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

namespace hcc::cpu {
/// Tiles `op` (a TilingInterface op) by `sizes` with upstream's
/// scf::tileUsingSCF and replaces it with the tiled loops.
mlir::FailureOr<mlir::scf::SCFTilingResult>
tile(mlir::RewriterBase &rewriter, mlir::Operation *op,
     llvm::ArrayRef<int64_t> sizes, llvm::ArrayRef<int64_t> interchange = {},
     mlir::scf::SCFTilingOptions::LoopType loopType =
         mlir::scf::SCFTilingOptions::LoopType::ForOp);
} // namespace hcc::cpu

#endif // HCC_LIB_TARGET_CPU_TILING_H
