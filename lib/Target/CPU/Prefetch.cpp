//===- Prefetch.cpp - operands streamed by register tiles, prefetched -----===//
//
// A helper of hcc-cpu-lower-vectors. A register tile that reads a constant
// of the kernel (packed weight panels, transformed Winograd filters) as one
// of its contraction's operands streams it from memory once per run: a
// resnet layer's 9 MiB of filters pass through one column of tiles at a
// time, and the hardware prefetchers (one stream per 4 KiB page) leave the
// first register tile of each K block waiting for memory. Such reads get
// software prefetches `prefetch-kib` ahead in the constant (the next K
// block's panel), into L2, one per cache line the read covers.
//
// A register tile of a contraction with few rows (its activation panel not
// packed) reads the activation's K rows at its column tile: a 16-filter
// 1x1 convolution over 55 x 55 pixels walks 128 rows 12 KiB apart, one
// hardware stream each, far more than the prefetchers follow. Such reads
// get prefetches of the same rows `row-prefetch-cols` columns further on
// (the next column tiles that the worker claims), into L2.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace {

constexpr int64_t kLineBytes = 64;
/// llvm.prefetch locality 2: prefetcht1, into L2 (L1 holds the current
/// block's panel).
constexpr uint32_t kL2Locality = 2;
/// Rows of an activation at least this far apart each take their own
/// hardware prefetch stream (nearer rows share pages).
constexpr int64_t kFarRowBytes = 1024;
/// Rows a K loop must stream for row prefetches to pay: a few streams the
/// hardware prefetchers follow on their own.
constexpr int64_t kMinStreamedRows = 32;

/// The global `v` views (through subviews and casts), if any: in a kernel,
/// only bufferized constants are globals.
memref::GetGlobalOp constantGlobal(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (auto global = dyn_cast<memref::GetGlobalOp>(def))
      return global;
    if (auto subview = dyn_cast<memref::SubViewOp>(def))
      v = subview.getSource();
    else if (auto cast = dyn_cast<memref::CastOp>(def))
      v = cast.getSource();
    else
      return nullptr;
  }
  return nullptr;
}

/// Whether `v` changes with `loop`'s induction variable.
bool variesWith(Value v, scf::ForOp loop) {
  if (v == loop.getInductionVar())
    return true;
  Operation *def = v.getDefiningOp();
  if (!def || !loop->isProperAncestor(def))
    return false;
  return llvm::any_of(def->getOperands(),
                      [&](Value operand) { return variesWith(operand, loop); });
}

/// The rows (outer dims of size > 1, at most one) and row stride of a read
/// of a row-major buffer (inner stride 1); nullopt for other reads.
std::optional<std::pair<int64_t, int64_t>>
readRows(vector::TransferReadOp read) {
  auto type = cast<MemRefType>(read.getBase().getType());
  ArrayRef<int64_t> shape = read.getVectorType().getShape();
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1 || shape.size() > static_cast<size_t>(type.getRank()))
    return std::nullopt;
  int64_t rows = 1, rowStride = 0;
  for (size_t d = 0; d + 1 < shape.size(); ++d) {
    if (shape[d] == 1)
      continue;
    if (rows != 1 || d + 2 != shape.size())
      return std::nullopt; // only [unit dims..., rows, cols]
    rows = shape[d];
    rowStride = strides[type.getRank() - 2];
  }
  if (rows > 1 && ShapedType::isDynamic(rowStride))
    return std::nullopt;
  return std::make_pair(rows, rowStride);
}

/// Prefetches the lines `read` covers, moved `aheadElements` further on in
/// the buffer of `size` elements it views (clamped so that the last line
/// stays inside it), with llvm.prefetch `locality`.
void prefetchLines(OpBuilder &b, vector::TransferReadOp read, int64_t size,
                   int64_t aheadElements, uint32_t locality) {
  std::optional<std::pair<int64_t, int64_t>> rows = readRows(read);
  auto type = cast<MemRefType>(read.getBase().getType());
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  if (!rows || elementBytes == 0)
    return;
  int64_t cols = read.getVectorType().getShape().back();
  int64_t lineElements = std::max<int64_t>(1, kLineBytes / elementBytes);
  SmallVector<int64_t> deltas;
  for (int64_t r = 0; r < rows->first; ++r)
    for (int64_t c = 0; c < cols; c += lineElements)
      deltas.push_back(r * rows->second + c);
  // Prefetches never fault, but the addresses stay inside the buffer.
  int64_t last = size - 1 - deltas.back();
  if (last < 0)
    return;
  Location loc = read.getLoc();
  // The read's first element in the buffer, as a linear index.
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, read.getBase());
  Value at = meta.getOffset();
  for (auto [index, stride] : llvm::zip(read.getIndices(), meta.getStrides()))
    at = arith::AddIOp::create(b, loc, at,
                               arith::MulIOp::create(b, loc, index, stride));
  auto flatType = MemRefType::get({size}, type.getElementType());
  Value flat = memref::ReinterpretCastOp::create(
      b, loc, flatType, meta.getBaseBuffer(), b.getIndexAttr(0),
      ArrayRef<OpFoldResult>{b.getIndexAttr(size)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  Value first = arith::MinSIOp::create(
      b, loc,
      arith::AddIOp::create(
          b, loc, at, arith::ConstantIndexOp::create(b, loc, aheadElements)),
      arith::ConstantIndexOp::create(b, loc, last));
  for (int64_t delta : deltas) {
    Value index = arith::AddIOp::create(
        b, loc, first, arith::ConstantIndexOp::create(b, loc, delta));
    memref::PrefetchOp::create(b, loc, flat, ValueRange{index},
                               /*isWrite=*/false, locality,
                               /*isDataCache=*/true);
  }
}

/// The static element count of the identity-layout buffer that `v` views
/// (through views and reshapes), if any.
std::optional<int64_t> viewedElements(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (auto subview = dyn_cast<memref::SubViewOp>(def))
      v = subview.getSource();
    else if (auto cast = dyn_cast<memref::CastOp>(def))
      v = cast.getSource();
    else if (auto collapse = dyn_cast<memref::CollapseShapeOp>(def))
      v = collapse.getSrc();
    else if (auto expand = dyn_cast<memref::ExpandShapeOp>(def))
      v = expand.getSrc();
    else
      break;
  }
  auto type = dyn_cast<MemRefType>(v.getType());
  if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity())
    return std::nullopt;
  return type.getNumElements();
}

/// The operand reads of the register tiles' contractions that their K loop
/// moves (minor-identity reads directly in the loop whose indices vary with
/// it), with the loop.
SmallVector<std::pair<vector::TransferReadOp, scf::ForOp>>
streamedReads(func::FuncOp func) {
  SmallVector<std::pair<vector::TransferReadOp, scf::ForOp>> reads;
  func.walk([&](vector::ContractionOp contract) {
    auto loop = dyn_cast<scf::ForOp>(contract->getParentOp());
    if (!loop)
      return;
    for (Value operand : {contract.getLhs(), contract.getRhs()}) {
      auto read = operand.getDefiningOp<vector::TransferReadOp>();
      if (read && read->getParentOp() == loop.getOperation() &&
          read.getPermutationMap().isMinorIdentity() &&
          llvm::any_of(read.getIndices(),
                       [&](Value i) { return variesWith(i, loop); }))
        reads.push_back({read, loop});
    }
  });
  return reads;
}

} // namespace

void hcc::cpu::prefetchStreamedConstants(func::FuncOp func,
                                         int64_t aheadBytes) {
  if (aheadBytes <= 0)
    return;
  for (auto [read, loop] : streamedReads(func)) {
    memref::GetGlobalOp global = constantGlobal(read.getBase());
    if (!global || read.getVectorType().getRank() > 2)
      continue;
    auto globalType = cast<MemRefType>(global.getType());
    int64_t elementBytes = globalType.getElementTypeBitWidth() / 8;
    if (!globalType.hasStaticShape() || elementBytes == 0)
      continue;
    OpBuilder b(read);
    prefetchLines(b, read, globalType.getNumElements(),
                  aheadBytes / elementBytes, kL2Locality);
  }
}

void hcc::cpu::prefetchStridedRows(func::FuncOp func, int64_t aheadCols) {
  if (aheadCols <= 0)
    return;
  for (auto [read, loop] : streamedReads(func)) {
    // Rows of another buffer (activations) taken one after another by the
    // K loop, each at a column the loop does not move (a column tile).
    if (constantGlobal(read.getBase()) ||
        variesWith(read.getIndices().back(), loop))
      continue;
    std::optional<std::pair<int64_t, int64_t>> rows = readRows(read);
    std::optional<int64_t> size = viewedElements(read.getBase());
    int64_t elementBytes =
        read.getBase().getType().getElementTypeBitWidth() / 8;
    if (!rows || !size || rows->first < 2 ||
        rows->second * elementBytes < kFarRowBytes)
      continue;
    std::optional<APInt> trips = loop.getStaticTripCount();
    if (!trips || trips->getSExtValue() * rows->first < kMinStreamedRows)
      continue;
    OpBuilder b(read);
    prefetchLines(b, read, *size, aheadCols, kL2Locality);
  }
}
