//===- GPUContraction.cpp - contractions as shared-memory GPU tiles -------===//
//
// The GPU shape of a contraction (matmul, batched matmul, a convolution
// after im2col): each block owns a bm x bn tile of the output; per k step
// its threads stage a bk-deep slice of A and B in workgroup memory
// (`__local` in OpenCL C, shared memory in CUDA) with coalesced loads, then
// each thread multiplies out its tm x tn register tile from there. The
// payload is the op's own (casts included), applied per k.
//
//===----------------------------------------------------------------------===//

#include "LinalgLoops.h"
#include "OpenCLUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace hcc::opencl {

namespace {

/// Largest grid (blocks) and global size the runtimes accept.
constexpr int64_t kMaxGlobalThreads = int64_t(1) << 30;

struct Tile {
  int64_t bm, bn, bk, tm, tn;
  int64_t threadsX() const { return bn / tn; }
  int64_t threads() const { return (bm / tm) * threadsX(); }
};

/// 64 x 64 x 16 tiles of 4 x 4 per thread (256 threads), narrowed to small
/// m and n so that few threads idle.
Tile chooseTile(int64_t m, int64_t n, int64_t k) {
  Tile t;
  t.bm = std::min<int64_t>(64, llvm::PowerOf2Ceil(m));
  t.bn = std::min<int64_t>(64, llvm::PowerOf2Ceil(n));
  t.bk = std::min<int64_t>(16, llvm::PowerOf2Ceil(k));
  t.tm = std::min<int64_t>(4, t.bm);
  t.tn = std::min<int64_t>(4, t.bn);
  return t;
}

} // namespace

OpBuilder createLaunchRegion(OpBuilder &outer, Location loc, int64_t grid,
                             int64_t block) {
  auto region = scf::ExecuteRegionOp::create(outer, loc, TypeRange{});
  region.setNoInline(true);
  region->setAttr(
      kGPULaunchAttr,
      outer.getDictionaryAttr(
          {outer.getNamedAttr("grid", outer.getI64IntegerAttr(grid)),
           outer.getNamedAttr("block", outer.getI64IntegerAttr(block))}));
  return OpBuilder::atBlockBegin(&region.getRegion().emplaceBlock());
}

Value IndexMath::c(int64_t v) const { return cst(b, loc, v); }
Value IndexMath::divS(Value x, int64_t y) const {
  return arith::DivSIOp::create(b, loc, x, c(y));
}
Value IndexMath::remS(Value x, int64_t y) const {
  return arith::RemSIOp::create(b, loc, x, c(y));
}
Value IndexMath::mulC(Value x, int64_t y) const {
  return arith::MulIOp::create(b, loc, x, c(y));
}
Value IndexMath::add(Value x, Value y) const {
  return arith::AddIOp::create(b, loc, x, y);
}
Value IndexMath::addC(Value x, int64_t y) const { return y ? add(x, c(y)) : x; }
Value IndexMath::lessThan(Value x, int64_t y) const {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, c(y));
}
Value IndexMath::both(Value x, Value y) const {
  return arith::AndIOp::create(b, loc, x, y);
}

/// `then(builder)` when `inBounds`, else zero of `type` (an scf.if).
static Value valueOrZero(OpBuilder &b, Location loc, Type type, Value inBounds,
                         function_ref<Value(OpBuilder &)> then) {
  auto ifOp = scf::IfOp::create(b, loc, TypeRange{type}, inBounds,
                                /*withElseRegion=*/true);
  OpBuilder tb = ifOp.getThenBodyBuilder();
  scf::YieldOp::create(tb, loc, then(tb));
  OpBuilder eb = ifOp.getElseBodyBuilder();
  scf::YieldOp::create(
      eb, loc,
      arith::ConstantOp::create(eb, loc, cast<TypedAttr>(eb.getZeroAttr(type)))
          .getResult());
  return ifOp.getResult(0);
}

Value loadOrZero(OpBuilder &b, Location loc, linalg::LinalgOp op,
                 OpOperand *operand, Type type, ValueRange at, Value inBounds) {
  return valueOrZero(b, loc, type, inBounds, [&](OpBuilder &tb) -> Value {
    return memref::LoadOp::create(
        tb, loc, operand->get(),
        applyMap(tb, loc, op.getMatchingIndexingMap(operand), at));
  });
}

BlockTile blockTile(OpBuilder &b, Location loc, Value blockId,
                    const GPUContractionDims &dims, ArrayRef<int64_t> ranges,
                    int64_t tilesM, int64_t tilesN) {
  IndexMath im{b, loc};
  BlockTile tile;
  tile.tileN = im.remS(blockId, tilesN);
  Value rest = im.divS(blockId, tilesN);
  tile.tileM = im.remS(rest, tilesM);
  Value batch = im.divS(rest, tilesM);
  tile.point.assign(ranges.size(), im.c(0));
  for (unsigned d : llvm::reverse(dims.batch)) {
    tile.point[d] = im.remS(batch, ranges[d]);
    batch = im.divS(batch, ranges[d]);
  }
  return tile;
}

Value initialAccumulator(OpBuilder &b, Location loc, linalg::LinalgOp op,
                         linalg::LinalgOp init, Type type, ValueRange at,
                         Value inBounds) {
  OpOperand &out = op.getDpsInitsMutable()[0];
  if (!init)
    return loadOrZero(b, loc, op, &out, type, at, inBounds);
  return valueOrZero(b, loc, type, inBounds, [&](OpBuilder &tb) {
    return initializerValue(tb, loc, op, out, init, at);
  });
}

std::optional<GPUContractionDims> matchGPUContraction(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics() || !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  for (OpOperand &operand : op->getOpOperands())
    if (!isa<MemRefType>(operand.get().getType()))
      return std::nullopt;
  bool usesIndex = false;
  op.getBlock()->walk([&](linalg::IndexOp) { usesIndex = true; });
  if (usesIndex)
    return std::nullopt;
  // One reduction dimension k, read by both inputs. Of the parallel
  // dimensions, those only the first input reads are m candidates, those
  // only the second reads n candidates; the widest of each become m and n
  // and every other parallel dimension is a batch dimension (each block
  // takes one value of it), whichever operands read it.
  AffineMap first = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  AffineMap second = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  std::optional<unsigned> k, m, n;
  SmallVector<unsigned> parallel;
  for (auto [d, type] : llvm::enumerate(op.getIteratorTypesArray())) {
    bool inFirst = first.isFunctionOfDim(d);
    bool inSecond = second.isFunctionOfDim(d);
    if (type == utils::IteratorType::reduction) {
      if (k || !inFirst || !inSecond)
        return std::nullopt;
      k = d;
      continue;
    }
    parallel.push_back(d);
    if (inFirst && !inSecond && (!m || ranges[d] > ranges[*m]))
      m = d;
    if (inSecond && !inFirst && (!n || ranges[d] > ranges[*n]))
      n = d;
  }
  if (!k || !m || !n)
    return std::nullopt;
  GPUContractionDims dims;
  dims.m = *m;
  dims.n = *n;
  dims.k = *k;
  dims.a = 0;
  for (unsigned d : parallel)
    if (d != *m && d != *n)
      dims.batch.push_back(d);
  return dims;
}

bool emitGPUContraction(OpBuilder &outer, linalg::LinalgOp op,
                        const GPUContractionDims &dims, linalg::LinalgOp init) {
  MLIRContext *ctx = op->getContext();
  Location loc = op.getLoc();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t m = ranges[dims.m], n = ranges[dims.n], k = ranges[dims.k];
  Tile t = chooseTile(m, n, k);
  int64_t tilesM = llvm::divideCeil(m, t.bm),
          tilesN = llvm::divideCeil(n, t.bn);
  int64_t batches = 1;
  for (unsigned d : dims.batch)
    batches *= ranges[d];
  int64_t grid = batches * tilesM * tilesN;
  if (grid * t.threads() >= kMaxGlobalThreads)
    return false;

  OpOperand *aOperand = op.getDpsInputOperand(dims.a);
  OpOperand *bOperand = op.getDpsInputOperand(1 - dims.a);
  OpOperand &cOperand = op.getDpsInitsMutable()[0];
  Value aBuf = aOperand->get(), bBuf = bOperand->get(), cBuf = cOperand.get();
  Type aType = cast<MemRefType>(aBuf.getType()).getElementType();
  Type bType = cast<MemRefType>(bBuf.getType()).getElementType();
  Type cType = cast<MemRefType>(cBuf.getType()).getElementType();

  OpBuilder b = createLaunchRegion(outer, loc, grid, t.threads());
  IndexMath im{b, loc};

  Value bid = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
  Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  // Block -> (batch, tile row, tile column); thread -> (ty, tx).
  BlockTile owned = blockTile(b, loc, bid, dims, ranges, tilesM, tilesN);
  SmallVector<Value> point = owned.point;
  Value tileM = owned.tileM, tileN = owned.tileN;
  Value m0 = im.mulC(tileM, t.bm), n0 = im.mulC(tileN, t.bn);
  Value tx = im.remS(tid, t.threadsX()), ty = im.divS(tid, t.threadsX());

  auto guardedLoad = [&](OpBuilder &ib, OpOperand *operand, Type type,
                         ArrayRef<Value> at, Value inBounds) {
    return loadOrZero(ib, loc, op, operand, type, at, inBounds);
  };

  // Register tile positions of this thread.
  SmallVector<Value> rows, cols, rowOk, colOk;
  for (int64_t i = 0; i < t.tm; ++i) {
    rows.push_back(im.add(m0, im.add(im.mulC(ty, t.tm), im.c(i))));
    rowOk.push_back(im.lessThan(rows.back(), m));
  }
  for (int64_t j = 0; j < t.tn; ++j) {
    cols.push_back(im.add(n0, im.add(tx, im.c(j * t.threadsX()))));
    colOk.push_back(im.lessThan(cols.back(), n));
  }
  auto outPoint = [&](int64_t i, int64_t j) {
    SmallVector<Value> at = point;
    at[dims.m] = rows[i];
    at[dims.n] = cols[j];
    return at;
  };
  SmallVector<Value> accInit;
  for (int64_t i = 0; i < t.tm; ++i)
    for (int64_t j = 0; j < t.tn; ++j)
      accInit.push_back(initialAccumulator(b, loc, op, init, cType,
                                           outPoint(i, j),
                                           im.both(rowOk[i], colOk[j])));

  auto workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  Value aTile = memref::AllocaOp::create(
      b, loc, MemRefType::get({t.bk, t.bm}, aType, AffineMap(), workgroup));
  Value bTile = memref::AllocaOp::create(
      b, loc, MemRefType::get({t.bk, t.bn}, bType, AffineMap(), workgroup));

  auto kLoop =
      scf::ForOp::create(b, loc, im.c(0), im.c(k), im.c(t.bk), accInit);
  {
    OpBuilder::InsertionGuard loopGuard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value k0 = kLoop.getInductionVar();
    // Stage A[m0 + row, k0 + kk] as aTile[kk][row] and B[k0 + kk, n0 + col]
    // as bTile[kk][col]; consecutive threads read consecutive k (A) and n
    // (B).
    auto stage = [&](OpOperand *operand, Type type, Value tile, int64_t extent,
                     bool kMajor) {
      auto loop = scf::ForOp::create(b, loc, tid, im.c(t.bk * extent),
                                     im.c(t.threads()));
      OpBuilder::InsertionGuard stageGuard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value e = loop.getInductionVar();
      Value kk = kMajor ? im.remS(e, t.bk) : im.divS(e, extent);
      Value pos = kMajor ? im.divS(e, t.bk) : im.remS(e, extent);
      Value gk = im.add(k0, kk);
      unsigned dim = kMajor ? dims.m : dims.n;
      Value g = im.add(kMajor ? m0 : n0, pos);
      SmallVector<Value> at = point;
      at[dim] = g;
      at[dims.k] = gk;
      Value v = guardedLoad(
          b, operand, type, at,
          im.both(im.lessThan(g, kMajor ? m : n), im.lessThan(gk, k)));
      memref::StoreOp::create(b, loc, v, tile, ValueRange{kk, pos});
    };
    stage(aOperand, aType, aTile, t.bm, /*kMajor=*/true);
    stage(bOperand, bType, bTile, t.bn, /*kMajor=*/false);
    gpu::BarrierOp::create(b, loc);
    Value kEnd = arith::MinSIOp::create(
        b, loc, im.c(t.bk), arith::SubIOp::create(b, loc, im.c(k), k0));
    auto inner = scf::ForOp::create(b, loc, im.c(0), kEnd, im.c(1),
                                    kLoop.getRegionIterArgs());
    {
      OpBuilder::InsertionGuard innerGuard(b);
      b.setInsertionPointToStart(inner.getBody());
      Value kk = inner.getInductionVar();
      SmallVector<Value> aVals, bVals;
      for (int64_t i = 0; i < t.tm; ++i)
        aVals.push_back(memref::LoadOp::create(
            b, loc, aTile, ValueRange{kk, im.add(im.mulC(ty, t.tm), im.c(i))}));
      for (int64_t j = 0; j < t.tn; ++j)
        bVals.push_back(memref::LoadOp::create(
            b, loc, bTile, ValueRange{kk, im.add(tx, im.c(j * t.threadsX()))}));
      SmallVector<Value> next;
      for (int64_t i = 0; i < t.tm; ++i)
        for (int64_t j = 0; j < t.tn; ++j) {
          SmallVector<Value> inputs(2);
          inputs[dims.a] = aVals[i];
          inputs[1 - dims.a] = bVals[j];
          SmallVector<Value> at = outPoint(i, j);
          at[dims.k] = im.add(k0, kk);
          next.push_back(emitPayload(b, op, inputs, at,
                                     {inner.getRegionIterArgs()[i * t.tn + j]})
                             .front());
        }
      scf::YieldOp::create(b, loc, next);
    }
    gpu::BarrierOp::create(b, loc);
    scf::YieldOp::create(b, loc, inner.getResults());
  }

  for (int64_t i = 0; i < t.tm; ++i)
    for (int64_t j = 0; j < t.tn; ++j) {
      auto ifOp = scf::IfOp::create(b, loc, im.both(rowOk[i], colOk[j]));
      OpBuilder tb = ifOp.getThenBodyBuilder();
      memref::StoreOp::create(tb, loc, kLoop.getResult(i * t.tn + j), cBuf,
                              applyMap(tb, loc,
                                       op.getMatchingIndexingMap(&cOperand),
                                       outPoint(i, j)));
    }
  scf::YieldOp::create(b, loc);
  return true;
}

} // namespace hcc::opencl
