//===- Tiling.h - Tiling helpers shared by the CPU passes -------*- C++ -*-===//
#ifndef HCC_LIB_TARGET_CPU_TILING_H
#define HCC_LIB_TARGET_CPU_TILING_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

namespace hcc::cpu {
/// Tiles `op` (a TilingInterface op) by `sizes` with upstream's
/// scf::tileUsingSCF and replaces it with the tiled loops.
mlir::FailureOr<mlir::scf::SCFTilingResult>
tile(mlir::RewriterBase &rewriter, mlir::Operation *op,
     llvm::ArrayRef<int64_t> sizes, llvm::ArrayRef<int64_t> interchange = {},
     mlir::scf::SCFTilingOptions::LoopType loopType =
         mlir::scf::SCFTilingOptions::LoopType::ForOp);
/// Peels the partial last iteration off each scf.for, innermost first, so
/// that every tile inside has a static shape.
void peelLoops(mlir::RewriterBase &rewriter,
               llvm::ArrayRef<mlir::LoopLikeOpInterface> loops);

/// The 4-deep uint8 x int8 dot-product contraction of a quantized
/// convolution (acc[n, m, p] += x[n, q, p, j] * w[m, q, j], j < 4), which
/// lowerDot4Contractions expects as it is: fusion must leave it alone.
bool isDot4Contraction(mlir::Operation *op);

/// Whether the host CPU has AVX-512 VNNI (vpdpbusd on 512-bit vectors).
bool hostHasAvx512Vnni();

/// Tiles the 4-deep uint8 x int8 dot-product contractions of quantized
/// convolutions in `func` into register tiles of 4 channels x 64 pixels and
/// writes their im2col copies as rows of interleaved quads (Int8Dot.cpp);
/// `distribute` spreads output channels and quads over scf.forall tasks.
/// Once the peeled bounds are canonicalized, emitDot4Tiles writes each
/// tile as vector code over its K loop.
void tileDot4Contractions(mlir::RewriterBase &rewriter, mlir::func::FuncOp func,
                          bool distribute);
void emitDot4Tiles(mlir::RewriterBase &rewriter, mlir::func::FuncOp func);
/// The tiles' 16 x 4-byte dot products as vpdpbusd (AVX-512 VNNI), for
/// hcc-cpu-lower-vectors on hosts that have it.
void populateDot4VnniPatterns(mlir::RewritePatternSet &patterns);
} // namespace hcc::cpu

#endif // HCC_LIB_TARGET_CPU_TILING_H
