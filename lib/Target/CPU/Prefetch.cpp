//===- Prefetch.cpp - operands streamed by register tiles, prefetched -----===//
//
// A helper of hcc-cpu-lower-vectors. A register tile that reads a constant
// of the kernel (packed weight panels, transformed Winograd filters) as one
// of its contraction's operands streams it from memory once per run: a
// resnet layer's 9 MiB of filters pass through one column of tiles at a
// time, and the hardware prefetchers (one stream per 4 KiB page) leave the
// first register tile of each K block waiting for memory. The register
// tiles of a block (the loop around the K loop) all read the block's panel;
// the first reads it from memory at the rate the others read it from L2,
// more than memory delivers. When the panel is contiguous (packed), each
// tile prefetches its share of the next block into L2 instead (tile r of
// T, iteration j of the K loop's J: lines (r * J + j) * n onwards, n lines
// per iteration, n * T * J covering the block), so the next block arrives
// over the whole block's time. Other reads get prefetches `prefetch-kib`
// ahead in the constant, one per cache line the read covers.
//
// A register tile that reads its A rows in place from a kernel argument (a
// convolution's filter, W[f, k] in Y = W * X) reads each row block again
// for every column tile of the block: the first column tile reads the
// block from memory, the others from L2. Memory then delivers a 128-row
// block in the time of one column tile of a dozen, faster than it can
// (a 1x1 convolution over 14 x 14 pixels needs 13 GB/s there), and idles
// the rest of the time. The tiles prefetch the next row block into L2
// instead, spread over all the iterations of the nest that reads the
// current one (iteration o of T: line o * L / T of the next block's L),
// so that memory delivers it at the block's own pace.
//
// A register tile of a contraction with few rows (its activation panel not
// packed) reads the activation's K rows at its column tile: a 16-filter
// 1x1 convolution over 55 x 55 pixels walks 128 rows 12 KiB apart, one
// hardware stream each, far more than the prefetchers follow. Such reads
// get prefetches of the same rows `row-prefetch-cols` columns further on
// (the next column tiles that the worker claims), into L2.
//
// Shallow register tiles (K up to kMaxEpilogueDepth) touch far-apart rows
// outside their K loop too: the epilogue's (a residual read, the output
// write: 8 rows 12 KiB apart for a 1x1 convolution over 56 x 56 pixels),
// and those a loop next to them copies into a B panel. In a model these
// come from memory and no hardware stream follows them. They get
// prefetches `epilogue-prefetch-tiles` column tiles on: the epilogue's lines
// spread over the K loop's iterations (a burst would fill the line fill
// buffers and stall the FMAs behind it), a copied row's as the copy reaches
// it. Tiles with all their K steps unrolled (no K loop: a 3x3 filter over
// three channels) prefetch their output rows for writing right after their
// write instead, while the next tile multiplies: the stems of mobilenet and
// squeezenet write 32 and 64 planes a column tile at a time, each line a
// miss in a model (squeezenet's, after the 16 MiB a Sigmoid streams:
// 0.83 -> 0.68 ms).
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Dominance.h"

using namespace mlir;

namespace {

constexpr int64_t kLineBytes = 64;
/// llvm.prefetch locality 2: prefetcht1, into L2 (L1 holds the current
/// block's panel).
constexpr uint32_t kL2Locality = 2;
/// Rows of an activation at least this far apart each take their own
/// hardware prefetch stream (nearer rows share pages).
constexpr int64_t kFarRowBytes = 1024;
/// K steps up to which a register tile's epilogue rows are prefetched:
/// deeper tiles spend long enough in their K loop for the epilogue's misses
/// not to matter (and the prefetches' address arithmetic would cost more).
constexpr int64_t kMaxEpilogueDepth = 256;
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

/// The buffer of `size` elements that `read` views, as a flat memref, and
/// the read's first element in it as a linear index.
std::pair<Value, Value> flatView(OpBuilder &b, VectorTransferOpInterface read,
                                 int64_t size) {
  Location loc = read->getLoc();
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, read.getBase());
  Value at = meta.getOffset();
  for (auto [index, stride] : llvm::zip(read.getIndices(), meta.getStrides()))
    at = arith::AddIOp::create(b, loc, at,
                               arith::MulIOp::create(b, loc, index, stride));
  auto type = cast<MemRefType>(read.getBase().getType());
  auto flatType = MemRefType::get({size}, type.getElementType());
  Value flat = memref::ReinterpretCastOp::create(
      b, loc, flatType, meta.getBaseBuffer(), b.getIndexAttr(0),
      ArrayRef<OpFoldResult>{b.getIndexAttr(size)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  return {flat, at};
}

/// Prefetches `flat` at `first` + each of `deltas` (elements), with
/// llvm.prefetch `locality`, for reading or (`isWrite`) writing.
void prefetchAt(OpBuilder &b, Location loc, Value flat, Value first,
                ArrayRef<int64_t> deltas, uint32_t locality,
                bool isWrite = false) {
  for (int64_t delta : deltas) {
    Value index = arith::AddIOp::create(
        b, loc, first, arith::ConstantIndexOp::create(b, loc, delta));
    memref::PrefetchOp::create(b, loc, flat, ValueRange{index}, isWrite,
                               locality, /*isDataCache=*/true);
  }
}

/// The ordinal of `loop`'s current iteration, (iv - lb) / step.
Value iterationOrdinal(OpBuilder &b, Location loc, scf::ForOp loop) {
  return arith::DivSIOp::create(b, loc,
                                arith::SubIOp::create(b, loc,
                                                      loop.getInductionVar(),
                                                      loop.getLowerBound()),
                                loop.getStep());
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
  auto [flat, at] = flatView(b, read, size);
  Value first = arith::MinSIOp::create(
      b, loc,
      arith::AddIOp::create(
          b, loc, at, arith::ConstantIndexOp::create(b, loc, aheadElements)),
      arith::ConstantIndexOp::create(b, loc, last));
  prefetchAt(b, loc, flat, first, deltas, locality);
}

/// The coefficient of `expr` in `target` (a dim or symbol of an affine map)
/// when `expr` is linear in it; nullopt otherwise.
std::optional<int64_t> affineCoefficient(AffineExpr expr, AffineExpr target) {
  if (expr == target)
    return 1;
  if (isa<AffineConstantExpr, AffineDimExpr, AffineSymbolExpr>(expr))
    return 0;
  auto bin = cast<AffineBinaryOpExpr>(expr);
  std::optional<int64_t> lhs = affineCoefficient(bin.getLHS(), target);
  std::optional<int64_t> rhs = affineCoefficient(bin.getRHS(), target);
  if (!lhs || !rhs)
    return std::nullopt;
  if (expr.getKind() == AffineExprKind::Add)
    return *lhs + *rhs;
  if (*lhs == 0 && *rhs == 0)
    return 0; // floordiv, mod, ... of other values
  if (expr.getKind() != AffineExprKind::Mul)
    return std::nullopt;
  if (auto c = dyn_cast<AffineConstantExpr>(bin.getRHS()))
    return *lhs * c.getValue();
  if (auto c = dyn_cast<AffineConstantExpr>(bin.getLHS()))
    return *rhs * c.getValue();
  return std::nullopt;
}

/// How much the index `v` grows per unit of `loop`'s induction variable
/// when it is linear in it (the variable itself, sums, affine.apply);
/// nullopt otherwise.
std::optional<int64_t> ivCoefficient(Value v, scf::ForOp loop) {
  if (v == loop.getInductionVar())
    return 1;
  if (!variesWith(v, loop))
    return 0;
  if (auto add = v.getDefiningOp<arith::AddIOp>()) {
    std::optional<int64_t> lhs = ivCoefficient(add.getLhs(), loop);
    std::optional<int64_t> rhs = ivCoefficient(add.getRhs(), loop);
    if (lhs && rhs)
      return *lhs + *rhs;
    return std::nullopt;
  }
  auto apply = v.getDefiningOp<affine::AffineApplyOp>();
  if (!apply)
    return std::nullopt;
  AffineMap map = apply.getAffineMap();
  int64_t total = 0;
  for (auto [i, operand] : llvm::enumerate(apply.getMapOperands())) {
    std::optional<int64_t> inner = ivCoefficient(operand, loop);
    if (!inner)
      return std::nullopt;
    if (*inner == 0)
      continue;
    AffineExpr target =
        i < map.getNumDims()
            ? getAffineDimExpr(i, apply.getContext())
            : getAffineSymbolExpr(i - map.getNumDims(), apply.getContext());
    std::optional<int64_t> outer = affineCoefficient(map.getResult(0), target);
    if (!outer)
      return std::nullopt;
    total += *inner * *outer;
  }
  return total;
}

/// Prefetches the next K block of a constant panel that `read` streams
/// contiguously (it covers `footprint` consecutive elements per iteration
/// of `loop` and moves by as many), each register tile of the loop around
/// `loop` its share (see the file comment). False when the read is not
/// such a stream.
bool prefetchNextBlock(vector::TransferReadOp read, scf::ForOp loop,
                       int64_t size) {
  std::optional<std::pair<int64_t, int64_t>> rows = readRows(read);
  auto type = cast<MemRefType>(read.getBase().getType());
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  std::optional<APInt> trips = loop.getStaticTripCount();
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!rows || elementBytes == 0 || !trips || !step ||
      failed(type.getStridesAndOffset(strides, offset)))
    return false;
  int64_t cols = read.getVectorType().getShape().back();
  if (rows->first > 1 && rows->second != cols)
    return false; // rows with gaps: not one contiguous panel
  int64_t footprint = rows->first * cols;
  int64_t perIteration = 0;
  for (auto [index, stride] : llvm::zip(read.getIndices(), strides)) {
    std::optional<int64_t> c = ivCoefficient(index, loop);
    if (!c || (*c && ShapedType::isDynamic(stride)))
      return false;
    if (*c)
      perIteration += *c * *step * stride;
  }
  int64_t iterations = trips->getSExtValue();
  if (perIteration != footprint || iterations < 1)
    return false;
  // The tiles sharing the block: the enclosing loop when the read does not
  // move with it.
  auto tiles = dyn_cast<scf::ForOp>(loop->getParentOp());
  std::optional<APInt> tileTrips =
      tiles ? tiles.getStaticTripCount() : std::nullopt;
  if (!tileTrips || tileTrips->getSExtValue() < 1 ||
      llvm::any_of(read.getIndices(),
                   [&](Value i) { return variesWith(i, tiles); }))
    tiles = nullptr;
  int64_t tileCount = tiles ? tileTrips->getSExtValue() : 1;
  int64_t lineElements = std::max<int64_t>(1, kLineBytes / elementBytes);
  int64_t block = iterations * perIteration;
  int64_t lines = llvm::divideCeil(llvm::divideCeil(block, lineElements),
                                   tileCount * iterations);
  int64_t share = lines * lineElements;
  int64_t last = size - share;
  if (last < 0)
    return false;

  OpBuilder b(read);
  Location loc = read.getLoc();
  auto cst = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto [flat, at] = flatView(b, read, size);
  // at - j * perIteration is the block's start; its next block starts
  // `block` on, and this iteration's share (r * J + j) * share past that.
  Value j = iterationOrdinal(b, loc, loop);
  Value first = arith::AddIOp::create(b, loc, at, cst(block));
  first = arith::AddIOp::create(
      b, loc, first,
      arith::MulIOp::create(b, loc, j, cst(share - perIteration)));
  if (tiles)
    first = arith::AddIOp::create(
        b, loc, first,
        arith::MulIOp::create(b, loc, iterationOrdinal(b, loc, tiles),
                              cst(iterations * share)));
  first = arith::MinSIOp::create(b, loc, first, cst(last));
  SmallVector<int64_t> deltas;
  for (int64_t l = 0; l < lines; ++l)
    deltas.push_back(l * lineElements);
  prefetchAt(b, loc, flat, first, deltas, kL2Locality);
  return true;
}

/// How far the flat element index of `read` moves per iteration of `loop`
/// (its coefficient in the loop's induction variable times the step);
/// nullopt when not linear or a stride is dynamic.
std::optional<int64_t> flatStep(vector::TransferReadOp read, scf::ForOp loop) {
  auto type = cast<MemRefType>(read.getBase().getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (!step || failed(type.getStridesAndOffset(strides, offset)))
    return std::nullopt;
  int64_t total = 0;
  for (auto [index, stride] : llvm::zip(read.getIndices(), strides)) {
    std::optional<int64_t> c = ivCoefficient(index, loop);
    if (!c || (*c && ShapedType::isDynamic(stride)))
      return std::nullopt;
    if (*c)
      total += *c * *step * stride;
  }
  return total;
}

/// Prefetches the next row block of an operand that register tiles read in
/// place, along its rows, and read again for every column tile (see the
/// file comment). `loop` is the read's K loop; `size` the elements of the
/// buffer. False when the loops around it are not such a nest.
bool prefetchNextRowBlock(vector::TransferReadOp read, scf::ForOp loop,
                          int64_t size) {
  auto type = cast<MemRefType>(read.getBase().getType());
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  if (elementBytes == 0 || !readRows(read))
    return false;
  // From the K loop outwards: the loops up to the outermost one that moves
  // the read and has a loop inside it that does not (the column tiles
  // that read the block again).
  SmallVector<std::pair<scf::ForOp, int64_t>> nest;
  for (scf::ForOp l = loop; l; l = dyn_cast<scf::ForOp>(l->getParentOp())) {
    std::optional<int64_t> moves = flatStep(read, l);
    if (!moves)
      break;
    nest.push_back({l, *moves});
  }
  int64_t block = -1;
  bool rereads = false;
  size_t inner = 0;
  for (auto [i, entry] : llvm::enumerate(nest)) {
    if (entry.second == 0 && i > 0) {
      std::optional<APInt> trips = entry.first.getStaticTripCount();
      rereads |= trips && trips->getSExtValue() > 1;
    } else if (entry.second > 0 && rereads) {
      block = entry.second;
      inner = i;
    }
  }
  // The block loop must move whole rows, so that the next block is the
  // next rows' lines.
  SmallVector<int64_t> strides;
  int64_t offset;
  if (block <= 0 || type.getRank() < 2 ||
      failed(type.getStridesAndOffset(strides, offset)) ||
      ShapedType::isDynamic(strides.end()[-2]) ||
      block % strides.end()[-2] != 0)
    return false;
  // Iterations of the loops inside the block loop, and the read's offset
  // from the block's start.
  int64_t total = 1;
  for (size_t i = 0; i < inner; ++i) {
    std::optional<APInt> trips = nest[i].first.getStaticTripCount();
    if (!trips || trips->getSExtValue() < 1)
      return false;
    total *= trips->getSExtValue();
  }
  int64_t lineElements = std::max<int64_t>(1, kLineBytes / elementBytes);
  int64_t lines = llvm::divideCeil(block, lineElements);
  int64_t perIteration = llvm::divideCeil(lines, total);
  // Prefetches never fault, but the addresses stay inside the buffer.
  int64_t last = size - 1 - (perIteration - 1) * lineElements;
  if (last < 0)
    return false;

  OpBuilder b(read);
  Location loc = read.getLoc();
  auto cst = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto [flat, at] = flatView(b, read, size);
  // o: the ordinal of this K step among the block's; at - (its offset in
  // the block) + block: the next block's start.
  Value ordinal = cst(0);
  Value start = arith::AddIOp::create(b, loc, at, cst(block));
  int64_t radix = 1;
  for (size_t i = 0; i < inner; ++i) {
    scf::ForOp l = nest[i].first;
    Value j = iterationOrdinal(b, loc, l);
    ordinal = arith::AddIOp::create(
        b, loc, ordinal, arith::MulIOp::create(b, loc, j, cst(radix)));
    if (nest[i].second)
      start = arith::SubIOp::create(
          b, loc, start, arith::MulIOp::create(b, loc, j, cst(nest[i].second)));
    radix *= l.getStaticTripCount()->getSExtValue();
  }
  // Iteration o takes line o * lines / total (several iterations share a
  // line when the block has fewer lines than the nest has iterations).
  Value line;
  if (perIteration > 1)
    line = arith::MulIOp::create(b, loc, ordinal, cst(perIteration));
  else
    line = arith::DivSIOp::create(
        b, loc, arith::MulIOp::create(b, loc, ordinal, cst(lines)), cst(total));
  Value first = arith::MinSIOp::create(
      b, loc,
      arith::AddIOp::create(
          b, loc, start,
          arith::MulIOp::create(b, loc, line, cst(lineElements))),
      cst(last));
  SmallVector<int64_t> deltas;
  for (int64_t l = 0; l < perIteration; ++l)
    deltas.push_back(l * lineElements);
  prefetchAt(b, loc, flat, first, deltas, kL2Locality);
  return true;
}

/// The root of the views `v` is, through subviews, casts and reshapes.
Value viewRoot(Value v) {
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
  return v;
}

/// The static element count of the identity-layout buffer that `v` views
/// (through views and reshapes), if any.
std::optional<int64_t> viewedElements(Value v) {
  v = viewRoot(v);
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

void hcc::cpu::prefetchStreamedConstants(func::FuncOp func, int64_t aheadBytes,
                                         bool nextBlock) {
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
    if (nextBlock && prefetchNextBlock(read, loop, globalType.getNumElements()))
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

void hcc::cpu::prefetchNextRowBlocks(func::FuncOp func) {
  for (auto [read, loop] : streamedReads(func)) {
    // Rows of a kernel argument (weights and activations read in place),
    // taken along their contiguous dimension by the K loop.
    if (!isa<BlockArgument>(viewRoot(read.getBase())) ||
        read.getVectorType().getRank() > 2 ||
        !variesWith(read.getIndices().back(), loop))
      continue;
    if (std::optional<int64_t> size = viewedElements(read.getBase()))
      prefetchNextRowBlock(read, loop, *size);
  }
}

namespace {
/// A transfer of [unit dims..., rows, cols] elements of a buffer (not a
/// constant) whose rows lie at least kFarRowBytes apart: each row is a
/// stream of its own for the hardware prefetchers.
struct FarRows {
  int64_t rows, cols, rowStride, lineElements, size;
};

std::optional<FarRows> farRows(VectorTransferOpInterface xfer) {
  auto type = dyn_cast<MemRefType>(xfer.getBase().getType());
  if (!type || type.getRank() < 2 || constantGlobal(xfer.getBase()) ||
      !xfer.getPermutationMap().isMinorIdentity() || xfer.getMask())
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1 || ShapedType::isDynamic(strides.end()[-2]))
    return std::nullopt;
  std::optional<int64_t> size = viewedElements(xfer.getBase());
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  if (!size || elementBytes == 0 ||
      strides.end()[-2] * elementBytes < kFarRowBytes)
    return std::nullopt;
  ArrayRef<int64_t> shape = xfer.getVectorType().getShape();
  if (llvm::any_of(shape.drop_back(std::min<size_t>(2, shape.size())),
                   [](int64_t d) { return d != 1; }))
    return std::nullopt;
  return FarRows{shape.size() > 1 ? shape.end()[-2] : 1, shape.back(),
                 strides.end()[-2],
                 std::max<int64_t>(1, kLineBytes / elementBytes), *size};
}

/// Whether `loop` or a loop around it has register tiles (a contraction)
/// in its block: the loops that pack their panels.
bool nextToTiles(scf::ForOp loop) {
  for (; loop; loop = loop->getParentOfType<scf::ForOp>())
    for (Operation &sibling : *loop->getBlock()) {
      WalkResult found = sibling.walk(
          [](vector::ContractionOp) { return WalkResult::interrupt(); });
      if (found.wasInterrupted())
        return true;
    }
  return false;
}

/// The loops of the register tiles' K steps (each contraction's loop), the
/// first of each block only (a peeled remainder follows its main loop).
SmallVector<scf::ForOp> kLoops(func::FuncOp func) {
  SmallVector<scf::ForOp> loops;
  llvm::SmallPtrSet<Block *, 8> blocks;
  func.walk([&](vector::ContractionOp contract) {
    auto loop = dyn_cast<scf::ForOp>(contract->getParentOp());
    if (loop && blocks.insert(loop->getBlock()).second)
      loops.push_back(loop);
  });
  return loops;
}

/// Prefetches, `ahead` elements on, the lines of a register tile's
/// epilogue transfer `xfer` (a sibling of the tile's K loop `kLoop`),
/// spread over the K loop's iterations: iteration j takes lines j * n to
/// j * n + n - 1 of the tile's rows x lines-per-row (n lines each, so that
/// the K loop covers them all). A burst of prefetches would fill the line
/// fill buffers and stall the FMAs behind it.
/// `iterations`: the K loop's trip count; `after`: the last prefetch made
/// in the loop (the next go after it).
void prefetchSpread(VectorTransferOpInterface xfer, const FarRows &rows,
                    scf::ForOp kLoop, int64_t iterations, int64_t ahead,
                    Operation *&after) {
  int64_t perRow = llvm::divideCeil(rows.cols, rows.lineElements);
  int64_t lines = rows.rows * perRow;
  int64_t perIteration = llvm::divideCeil(lines, iterations);
  OpBuilder b(kLoop);
  Location loc = xfer->getLoc();
  auto cst = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto [flat, at] = flatView(b, xfer, rows.size);
  Value first = arith::AddIOp::create(b, loc, at, cst(ahead));
  Value last = cst(rows.size - 1);
  Value j;
  if (after)
    b.setInsertionPointAfter(after);
  else if (iterations > 1)
    b.setInsertionPointToStart(kLoop.getBody());
  if (iterations > 1) {
    j = iterationOrdinal(b, loc, kLoop);
  }
  for (int64_t i = 0; i < perIteration; ++i) {
    // Line l of the tile: row l / perRow, column (l % perRow) * line.
    Value line = cst(i);
    if (j)
      line = arith::MinSIOp::create(
          b, loc,
          arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, j, cst(perIteration)),
              line),
          cst(lines - 1));
    Value row = arith::DivUIOp::create(b, loc, line, cst(perRow));
    Value col = arith::RemUIOp::create(b, loc, line, cst(perRow));
    Value offset = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, row, cst(rows.rowStride)),
        arith::MulIOp::create(b, loc, col, cst(rows.lineElements)));
    Value index = arith::MinSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, first, offset), last);
    after = memref::PrefetchOp::create(b, loc, flat, ValueRange{index},
                                       /*isWrite=*/false, kL2Locality,
                                       /*isDataCache=*/true);
  }
}

/// Whether `write` is the epilogue of a register tile whose K steps are
/// all unrolled before it in its block (no K loop), at most
/// kMaxEpilogueDepth of them.
bool endsUnrolledTile(vector::TransferWriteOp write) {
  int64_t depth = 0;
  for (Operation &op : *write->getBlock()) {
    if (&op == write.getOperation())
      break;
    auto contract = dyn_cast<vector::ContractionOp>(&op);
    if (!contract)
      continue;
    auto lhs = dyn_cast<VectorType>(contract.getLhsType());
    if (!lhs || lhs.getRank() == 0)
      return false;
    depth += lhs.getShape().back();
  }
  return depth > 0 && depth <= kMaxEpilogueDepth;
}

/// Prefetches for writing, `ahead` elements on, the lines of the epilogue
/// write `xfer` of a register tile whose K steps are unrolled: right after
/// the write, so that they are in flight while the next tile multiplies
/// (placed between the contractions, they would fence their loads). The
/// first line is clamped so that the last stays inside the buffer.
void prefetchAfter(vector::TransferWriteOp xfer, const FarRows &rows,
                   int64_t ahead) {
  SmallVector<int64_t> deltas;
  for (int64_t r = 0; r < rows.rows; ++r)
    for (int64_t c = 0; c < rows.cols; c += rows.lineElements)
      deltas.push_back(r * rows.rowStride + c);
  int64_t last = rows.size - 1 - deltas.back();
  if (last < 0)
    return;
  OpBuilder b(xfer->getContext());
  b.setInsertionPointAfter(xfer);
  Location loc = xfer->getLoc();
  auto [flat, at] = flatView(b, xfer, rows.size);
  Value first = arith::MinSIOp::create(
      b, loc,
      arith::AddIOp::create(b, loc, at,
                            arith::ConstantIndexOp::create(b, loc, ahead)),
      arith::ConstantIndexOp::create(b, loc, last));
  prefetchAt(b, loc, flat, first, deltas, kL2Locality, /*isWrite=*/true);
}
} // namespace

void hcc::cpu::prefetchTileRows(func::FuncOp func, int64_t aheadTiles) {
  if (aheadTiles <= 0)
    return;
  DominanceInfo dominance(func);
  llvm::SmallPtrSet<Operation *, 16> operands;
  for (auto [read, loop] : streamedReads(func))
    operands.insert(read);
  // Epilogue (and prologue) rows of the register tiles: the transfers next
  // to a K loop whose addresses are known before it.
  struct Epilogue {
    VectorTransferOpInterface xfer;
    FarRows rows;
    scf::ForOp kLoop;
    int64_t iterations;
  };
  SmallVector<Epilogue> epilogues;
  for (scf::ForOp kLoop : kLoops(func)) {
    std::optional<APInt> trips = kLoop.getStaticTripCount();
    std::optional<int64_t> step = getConstantIntValue(kLoop.getStep());
    if (!trips || !step || trips->getSExtValue() < 1 ||
        trips->getSExtValue() * *step > kMaxEpilogueDepth)
      continue;
    for (Operation &op : *kLoop->getBlock()) {
      auto xfer = dyn_cast<VectorTransferOpInterface>(&op);
      std::optional<FarRows> rows = xfer ? farRows(xfer) : std::nullopt;
      if (!rows || rows->rows < 2)
        continue;
      SmallVector<Value> used = {xfer.getBase()};
      llvm::append_range(used, xfer.getIndices());
      if (llvm::all_of(used, [&](Value v) {
            return dominance.properlyDominates(v, kLoop);
          }))
        epilogues.push_back({xfer, *rows, kLoop, trips->getSExtValue()});
    }
  }
  // Rows that a loop around register tiles walks one by one at a column
  // it does not move (B panels packed from an activation's rows).
  SmallVector<std::pair<vector::TransferReadOp, FarRows>> walked;
  func.walk([&](vector::TransferReadOp xfer) {
    auto loop = xfer->getParentOfType<scf::ForOp>();
    if (!loop || operands.contains(xfer))
      return;
    std::optional<FarRows> rows = farRows(xfer);
    ValueRange indices = xfer.getIndices();
    if (!rows || rows->rows != 1 || variesWith(indices.back(), loop) ||
        !variesWith(indices.end()[-2], loop))
      return;
    if (nextToTiles(loop))
      walked.push_back({xfer, *rows});
  });
  // Register tiles with all their K steps unrolled (a 3x3 filter over
  // three channels: 27 steps) have no K loop: their epilogue writes follow
  // the contractions in the loop of the tiles itself.
  SmallVector<std::pair<vector::TransferWriteOp, FarRows>> unrolled;
  func.walk([&](vector::TransferWriteOp write) {
    std::optional<FarRows> rows = farRows(write);
    if (rows && rows->rows >= 2 && endsUnrolledTile(write))
      unrolled.push_back({write, *rows});
  });
  for (auto [write, rows] : unrolled)
    prefetchAfter(write, rows, aheadTiles * rows.cols);
  llvm::DenseMap<Operation *, Operation *> lastPrefetch;
  for (Epilogue &e : epilogues)
    prefetchSpread(e.xfer, e.rows, e.kLoop, e.iterations,
                   aheadTiles * e.rows.cols, lastPrefetch[e.kLoop]);
  for (auto [read, rows] : walked) {
    OpBuilder b(read);
    prefetchLines(b, read, rows.size, aheadTiles * rows.cols, kL2Locality);
  }
}
