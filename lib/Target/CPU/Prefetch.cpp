//===- Prefetch.cpp - weights streamed by register tiles, prefetched ------===//
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

/// Prefetches, `ahead` bytes further on in its constant, the lines of a
/// 1-D or 2-D read of a row-major constant (inner stride 1).
void prefetchAhead(OpBuilder &b, vector::TransferReadOp read,
                   memref::GetGlobalOp global, int64_t ahead) {
  auto type = cast<MemRefType>(read.getBase().getType());
  VectorType vecType = read.getVectorType();
  auto globalType = cast<MemRefType>(global.getType());
  int64_t elementBytes = globalType.getElementTypeBitWidth() / 8;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1 || vecType.getRank() > 2 ||
      vecType.getRank() > type.getRank() || elementBytes == 0 ||
      !globalType.hasStaticShape())
    return;
  Location loc = read.getLoc();
  // The read's first element in the constant, as a linear index.
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, read.getBase());
  Value at = meta.getOffset();
  for (auto [index, stride] : llvm::zip(read.getIndices(), meta.getStrides()))
    at = arith::AddIOp::create(b, loc, at,
                               arith::MulIOp::create(b, loc, index, stride));
  int64_t size = globalType.getNumElements();
  auto flatType = MemRefType::get({size}, globalType.getElementType());
  Value flat = memref::ReinterpretCastOp::create(
      b, loc, flatType, meta.getBaseBuffer(), b.getIndexAttr(0),
      ArrayRef<OpFoldResult>{b.getIndexAttr(size)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  int64_t rows = vecType.getRank() == 2 ? vecType.getDimSize(0) : 1;
  int64_t rowStride = vecType.getRank() == 2 ? strides[type.getRank() - 2] : 0;
  if (rows > 1 && ShapedType::isDynamic(rowStride))
    return;
  int64_t cols = vecType.getShape().back();
  int64_t lineElements = kLineBytes / elementBytes;
  SmallVector<int64_t> deltas;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; c += lineElements)
      deltas.push_back(r * rowStride + c);
  // Prefetches never fault, but the addresses stay inside the constant:
  // the first is clamped so that the last is its last element at most.
  int64_t last = size - 1 - deltas.back();
  if (last < 0)
    return;
  Value first = arith::MinSIOp::create(
      b, loc,
      arith::AddIOp::create(
          b, loc, at,
          arith::ConstantIndexOp::create(b, loc, ahead / elementBytes)),
      arith::ConstantIndexOp::create(b, loc, last));
  for (int64_t delta : deltas) {
    Value index = arith::AddIOp::create(
        b, loc, first, arith::ConstantIndexOp::create(b, loc, delta));
    memref::PrefetchOp::create(b, loc, flat, ValueRange{index},
                               /*isWrite=*/false, kL2Locality,
                               /*isDataCache=*/true);
  }
}

} // namespace

void hcc::cpu::prefetchStreamedConstants(func::FuncOp func,
                                         int64_t aheadBytes) {
  if (aheadBytes <= 0)
    return;
  SmallVector<std::pair<vector::TransferReadOp, memref::GetGlobalOp>> reads;
  func.walk([&](vector::ContractionOp contract) {
    auto loop = dyn_cast<scf::ForOp>(contract->getParentOp());
    if (!loop)
      return;
    for (Value operand : {contract.getLhs(), contract.getRhs()}) {
      auto read = operand.getDefiningOp<vector::TransferReadOp>();
      if (!read || read->getParentOp() != loop.getOperation() ||
          !read.getPermutationMap().isMinorIdentity() ||
          !llvm::any_of(read.getIndices(),
                        [&](Value i) { return variesWith(i, loop); }))
        continue;
      if (memref::GetGlobalOp global = constantGlobal(read.getBase()))
        reads.push_back({read, global});
    }
  });
  for (auto [read, global] : reads) {
    OpBuilder b(read);
    prefetchAhead(b, read, global, aheadBytes);
  }
}
