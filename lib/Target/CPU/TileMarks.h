//===- TileMarks.h - Marks between tile-and-vectorize stages ---*- C++ -*-===//
//
// hcc-cpu-tile-and-vectorize works in stages: one tiles and marks what a
// later one finishes (register tiles, panels to pack, rows to vectorize).
// The marks are unit attributes; takeMarked collects and removes them.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_TARGET_CPU_TILEMARKS_H
#define HCC_TARGET_CPU_TILEMARKS_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace hcc {
namespace cpu {
namespace marks {

/// Marks the register tiles of a contraction between the two tiling levels.
constexpr llvm::StringLiteral kMicroKernel = "hcc.micro_kernel";
/// Marks the B panels of a contraction to copy before its rows are tiled.
constexpr llvm::StringLiteral kPackPanel = "hcc.pack_panel";
/// Marks the register tiles of contractions without B panel copies (fewer
/// rows than pack-min-rows) to read a constant B from its packed copy.
constexpr llvm::StringLiteral kPackedWeight = "hcc.packed_weight";
/// Marks the accumulator producers fused into register tiles.
constexpr llvm::StringLiteral kAccInit = "hcc.acc_init";
/// Marks the row tiles of an elementwise op.
constexpr llvm::StringLiteral kRowTile = "hcc.row_tile";
/// Marks the narrow contraction pieces whose lanes run along K.
constexpr llvm::StringLiteral kKLane = "hcc.k_lane";
/// Marks the im2col contractions to run with output channels as lanes.
constexpr llvm::StringLiteral kChannelLanes = "hcc.channel_lanes";
/// Marks the tiles to vectorize (attributes survive canonicalization, which
/// recreates ops when it folds casts into them).
constexpr llvm::StringLiteral kVectorize = "hcc.vectorize";

/// The ops of type OpTy below `root` that carry `mark`, in walk order, with
/// the mark removed: a later stage picks up the tiles an earlier one marked.
template <typename OpTy>
llvm::SmallVector<OpTy> takeMarked(mlir::Operation *root,
                                   llvm::StringRef mark) {
  llvm::SmallVector<OpTy> marked;
  root->walk([&](OpTy op) {
    if (op->hasAttr(mark))
      marked.push_back(op);
  });
  for (OpTy op : marked)
    op->removeAttr(mark);
  return marked;
}

} // namespace marks
} // namespace cpu
} // namespace hcc

#endif // HCC_TARGET_CPU_TILEMARKS_H
