//===- Timing.h - what an FPGA pipeline charges per operation ---*- C++ -*-===//
//
// The per-operation figures both the closed-form model (Estimate.cpp) and
// the cycle-level simulator (Simulate.cpp) use: latencies, global bytes
// moved, the multiply-add cost of a type, the board's bytes per cycle.
// Both read stage functions (loops over memrefs, after the stage split).
//
//===----------------------------------------------------------------------===//

#ifndef HCC_LIB_TARGET_FPGA_TIMING_H
#define HCC_LIB_TARGET_FPGA_TIMING_H

#include "hcc/Target/FPGA/Board.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>

namespace hcc::fpga {

/// The board `nameOrPath` names, or nullopt after an error on `where`
/// ("FPGA target: ..."), for the FPGA passes' `board` option.
std::optional<Board> loadBoardOrError(mlir::Operation *where,
                                      llvm::StringRef nameOrPath);

/// Latency of a global memory load through a burst-coalesced load unit,
/// in cycles (an engineering estimate: vendor reports show 60-200).
inline constexpr int64_t kGlobalLoadLatency = 64;

/// Private arrays up to this many bits are registers (fully partitioned:
/// any number of accesses a cycle), larger ones on-chip RAM blocks.
inline constexpr int64_t kRegisterArrayBits = 1024;
/// Accesses an on-chip RAM array serves per cycle (dual-port blocks).
inline constexpr int64_t kRamPorts = 2;

/// The private array in on-chip RAM (an alloca of more than
/// kRegisterArrayBits) that `op` loads or stores, or null.
mlir::Value ramArray(mlir::Operation *op);

/// The private array (an alloca, through views) that `op` loads or
/// stores, or null.
mlir::Value privateArray(mlir::Operation *op);

/// The indices of a load or store (memref or vector), empty otherwise.
mlir::ValueRange accessIndices(mlir::Operation *op);

/// Vector lanes of `type` (1 for scalars).
int64_t lanes(mlir::Type type);

/// Element type of `type` (itself for scalars).
mlir::Type elementType(mlir::Type type);

/// Bytes a load or store of a global buffer (a function argument, through
/// views) moves; nullopt for other operations and for private arrays.
std::optional<int64_t> globalBytes(mlir::Operation *op);

/// Whether `op` reads memory (memref or vector load).
bool isLoad(mlir::Operation *op);

/// Known values of index and integer SSA values.
using IndexValues = llvm::DenseMap<mlir::Value, int64_t>;

/// Records in `known` the integer values of `op`'s results when its
/// operands' values are there (folding it; affine.delinearize_index
/// computed), and of a work-item query of a single work-item kernel (ids
/// 0, sizes 1).
void evaluateIndex(mlir::Operation *op, IndexValues &known);

class OpTiming {
public:
  explicit OpTiming(const Board &board) : board(board) {}

  /// Multiply-add cost for values of `type` (per lane).
  const MacCost &mac(mlir::Type type) const;

  /// Latency of `op` in a pipeline, in cycles: a global load
  /// kGlobalLoadLatency, floating arithmetic the board's multiply-add
  /// latency, other operations with results 1, others 0.
  int64_t latency(mlir::Operation *op) const;

  /// Global memory bytes the board moves per cycle at its clock.
  double bytesPerCycle() const {
    return board.memoryGBps * 1e9 / (board.clockMHz * 1e6);
  }

  const Board &getBoard() const { return board; }

private:
  const Board &board;
};

} // namespace hcc::fpga

#endif // HCC_LIB_TARGET_FPGA_TIMING_H
