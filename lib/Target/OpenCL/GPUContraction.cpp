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

#include "hcc/Target/OpenCL/OpenCLCodegen.h"
#include "hcc/Target/OpenCL/OpenCLTarget.h"
#include "hcc/Target/Target.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
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

/// The element size the knobs are checked for (f32); wider elements get
/// shallower slices.
constexpr int64_t kCheckedElementBytes = 4;

/// Defaults: 64 x 64 x 16 tiles of 4 x 4 per thread (256 threads),
/// narrowed to small m and n so that few threads idle.
constexpr int64_t kBlockMN = 64, kBlockK = 16, kThreadMN = 4;

/// The knobs' tile, the defaults where they are 0.
Tile chooseTile(int64_t m, int64_t n, int64_t k, const GPUTileKnobs &knobs) {
  Tile t;
  t.bm = knobs.blockM ? knobs.blockM
                      : std::min<int64_t>(kBlockMN, llvm::PowerOf2Ceil(m));
  t.bn = knobs.blockN ? knobs.blockN
                      : std::min<int64_t>(kBlockMN, llvm::PowerOf2Ceil(n));
  t.bk = knobs.blockK ? knobs.blockK
                      : std::min<int64_t>(kBlockK, llvm::PowerOf2Ceil(k));
  t.tm = std::min<int64_t>(knobs.threadM ? knobs.threadM : kThreadMN, t.bm);
  t.tn = std::min<int64_t>(knobs.threadN ? knobs.threadN : kThreadMN, t.bn);
  return t;
}

} // namespace

FailureOr<GPUTileKnobs> resolveGPUTileKnobs(Operation *kernel) {
  llvm::SmallVector<llvm::StringRef> names;
  for (const KnobSpec &spec : gpuTileKnobSpecs())
    names.push_back(spec.name);
  FailureOr<SmallVector<int64_t>> values =
      resolveOpenCLKnobs(kernel, names, SmallVector<int64_t>(names.size(), 0));
  if (failed(values))
    return failure();
  std::string problem = gpuTileKnobsProblem(*values);
  if (!problem.empty())
    return kernel->emitError() << problem;
  return GPUTileKnobs{(*values)[0], (*values)[1], (*values)[2], (*values)[3],
                      (*values)[4]};
}

} // namespace hcc::opencl

namespace hcc {

std::string gpuTileKnobsProblem(ArrayRef<int64_t> values) {
  ArrayRef<KnobSpec> specs = gpuTileKnobSpecs();
  assert(values.size() == specs.size() && "one value per GPU tile knob");
  std::string out;
  llvm::raw_string_ostream os(out);
  for (auto [spec, v] : llvm::zip(specs, values))
    if (v && !llvm::isPowerOf2_64(v)) {
      os << "knob '" << spec.name << "' = " << v
         << " is not a power of two (nor 0, chosen from the shape)";
      return out;
    }
  // The largest tile the shape can narrow the defaults to.
  opencl::Tile t = opencl::chooseTile(
      INT32_MAX, INT32_MAX, INT32_MAX,
      {values[0], values[1], values[2], values[3], values[4]});
  if (t.threads() > kGPUMaxThreads) {
    os << "knobs block-m / thread-m x block-n / thread-n = " << t.bm << " / "
       << t.tm << " x " << t.bn << " / " << t.tn << " = " << t.threads()
       << " threads per block, more than " << kGPUMaxThreads;
    return out;
  }
  int64_t shared = 2 * t.bk * (t.bm + t.bn) * opencl::kCheckedElementBytes;
  if (shared > kGPUMaxSharedBytes)
    os << "knobs block-m, block-n, block-k = " << t.bm << ", " << t.bn << ", "
       << t.bk << " stage " << shared
       << " bytes of shared memory (double-buffered), more than "
       << kGPUMaxSharedBytes;
  return out;
}

LogicalResult verifyGPUTileKnobConfig(DictionaryAttr config,
                                      llvm::StringRef what, Location loc) {
  if (!config)
    return success();
  SmallVector<int64_t> values;
  for (const KnobSpec &spec : gpuTileKnobSpecs()) {
    auto v = config.getAs<IntegerAttr>(spec.name);
    values.push_back(v ? v.getInt() : 0);
  }
  std::string problem = gpuTileKnobsProblem(values);
  if (!problem.empty())
    return emitError(loc) << what << ": " << problem;
  return success();
}

} // namespace hcc

namespace hcc::opencl {

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
    return gpuInitializerValue(tb, loc, op, out, init, at);
  });
}

/// Whether `s` can be staged 4 elements at a time: the operand is f32 in
/// an identity layout whose innermost index is the tile's contiguous
/// dimension, and every range involved is a multiple of 4 (so a group of
/// 4 never straddles an edge and stays 16-byte aligned).
static bool canStageVector4(linalg::LinalgOp op, unsigned kDim, int64_t bk,
                            int64_t k, const TileStaging &s) {
  auto type = cast<MemRefType>(s.operand->get().getType());
  if (s.convert || !type.getElementType().isF32() ||
      !type.getLayout().isIdentity() || type.getRank() == 0 ||
      type.getShape().back() % 4 != 0)
    return false;
  AffineMap map = op.getMatchingIndexingMap(s.operand);
  auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
  unsigned fast = s.kInner ? kDim : s.dim;
  int64_t tileExtent = s.kInner ? bk : s.extent;
  int64_t range = s.kInner ? k : s.bound;
  return last && last.getPosition() == fast && tileExtent % 4 == 0 &&
         range % 4 == 0;
}

void emitTileStaging(OpBuilder &b, Location loc, linalg::LinalgOp op,
                     ArrayRef<Value> point, unsigned kDim, Value k0, int64_t bk,
                     int64_t k, Value buffer, Value tid, int64_t threads,
                     const TileStaging &s) {
  IndexMath im{b, loc};
  int64_t width = canStageVector4(op, kDim, bk, k, s) ? 4 : 1;
  // Element (group) e of the tile: `fast` runs along the tile's contiguous
  // dimension in groups of `width`; threads take consecutive k or `dim`.
  int64_t fastExtent = s.kInner ? bk : s.extent;
  auto loop = scf::ForOp::create(b, loc, tid, im.c(bk * s.extent / width),
                                 im.c(threads));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value e = loop.getInductionVar();
  Value kk, pos;
  if (width > 1) {
    Value fast = im.mulC(im.remS(e, fastExtent / width), width);
    Value slow = im.divS(e, fastExtent / width);
    kk = s.kInner ? fast : slow;
    pos = s.kInner ? slow : fast;
  } else {
    kk = s.kFastest ? im.remS(e, bk) : im.divS(e, s.extent);
    pos = s.kFastest ? im.divS(e, bk) : im.remS(e, s.extent);
  }
  Value gk = im.add(k0, kk), g = im.add(s.base, pos);
  SmallVector<Value> at(point);
  at[s.dim] = g;
  at[kDim] = gk;
  Value inBounds = im.both(im.lessThan(g, s.bound), im.lessThan(gk, k));
  SmallVector<Value> tileAt = s.kInner ? SmallVector<Value>{buffer, pos, kk}
                                       : SmallVector<Value>{buffer, kk, pos};
  Operation *store;
  if (width > 1) {
    auto vectorType = VectorType::get({width}, b.getF32Type());
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{vectorType}, inBounds,
                                  /*withElseRegion=*/true);
    {
      OpBuilder tb = ifOp.getThenBodyBuilder();
      auto load = vector::LoadOp::create(
          tb, loc, vectorType, s.operand->get(),
          applyMap(tb, loc, op.getMatchingIndexingMap(s.operand), at));
      load.setAlignment(16);
      scf::YieldOp::create(tb, loc, load.getResult());
      OpBuilder eb = ifOp.getElseBodyBuilder();
      scf::YieldOp::create(
          eb, loc,
          arith::ConstantOp::create(
              eb, loc,
              DenseElementsAttr::get(vectorType, eb.getF32FloatAttr(0)))
              .getResult());
    }
    auto vstore =
        vector::StoreOp::create(b, loc, ifOp.getResult(0), s.tile, tileAt);
    vstore.setAlignment(16);
    store = vstore;
  } else {
    Type elem = cast<MemRefType>(s.operand->get().getType()).getElementType();
    Value v = loadOrZero(b, loc, op, s.operand, elem, at, inBounds);
    if (s.convert)
      v = s.convert(b, v);
    store = memref::StoreOp::create(b, loc, v, s.tile, tileAt);
  }
  store->setAttr(kGPUStagedAttr, b.getUnitAttr());
}

SmallVector<Value> emitStagedKLoop(
    OpBuilder &b, Location loc, int64_t k, int64_t bk, ValueRange accInit,
    function_ref<void(OpBuilder &, Value, Value)> stage,
    function_ref<SmallVector<Value>(OpBuilder &, Value, Value, ValueRange)>
        compute) {
  IndexMath im{b, loc};
  stage(b, im.c(0), im.c(0));
  auto loop = scf::ForOp::create(b, loc, im.c(0), im.c(k), im.c(bk), accInit);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value k0 = loop.getInductionVar();
  Value buffer = im.remS(im.divS(k0, bk), 2);
  Value next = im.addC(k0, bk);
  auto more = scf::IfOp::create(b, loc, im.lessThan(next, k));
  {
    OpBuilder tb = more.getThenBodyBuilder();
    stage(tb, next, arith::SubIOp::create(tb, loc, cst(tb, loc, 1), buffer));
  }
  gpu::BarrierOp::create(b, loc)->setAttr(kGPUStageReadyAttr, b.getUnitAttr());
  SmallVector<Value> accs = compute(b, k0, buffer, loop.getRegionIterArgs());
  // The next step stages into the buffer this one read.
  gpu::BarrierOp::create(b, loc);
  scf::YieldOp::create(b, loc, accs);
  return loop.getResults();
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
                        const GPUContractionDims &dims, linalg::LinalgOp init,
                        const GPUEpilogue *epilogue,
                        const GPUTileKnobs &knobs) {
  MLIRContext *ctx = op->getContext();
  Location loc = op.getLoc();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t m = ranges[dims.m], n = ranges[dims.n], k = ranges[dims.k];
  Tile t = chooseTile(m, n, k, knobs);
  // Wider elements than the knobs were checked for (4 bytes): shallower
  // slices, so that both buffers of A and B fit the shared memory.
  int64_t elementBytes = kCheckedElementBytes;
  for (Value v : op.getDpsInputs())
    if (Type type = getElementTypeOrSelf(v.getType()); type.isIntOrFloat())
      elementBytes = std::max<int64_t>(
          elementBytes, llvm::divideCeil(type.getIntOrFloatBitWidth(), 8));
  while (t.bk > 1 &&
         2 * t.bk * (t.bm + t.bn) * elementBytes > kGPUMaxSharedBytes)
    t.bk /= 2;
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
      b, loc, MemRefType::get({2, t.bk, t.bm}, aType, AffineMap(), workgroup));
  Value bTile = memref::AllocaOp::create(
      b, loc, MemRefType::get({2, t.bk, t.bn}, bType, AffineMap(), workgroup));

  // Stage A[m0 + row, k0 + kk] as aTile[buf][kk][row] and B[k0 + kk, n0 +
  // col] as bTile[buf][kk][col]; consecutive threads read consecutive k (A)
  // and n (B).
  // Stage A[m0 + row, k0 + kk] as aTile[buf][kk][row] and B[k0 + kk, n0 +
  // col] as bTile[buf][kk][col]; consecutive threads read consecutive k (A)
  // and n (B).
  auto stageTiles = [&](OpBuilder &sb, Value k0, Value buffer) {
    TileStaging a{
        aOperand,          aTile,  /*kInner=*/false, dims.m, m0, t.bm, m,
        /*kFastest=*/true, nullptr};
    TileStaging bs{
        bOperand,           bTile,  /*kInner=*/false, dims.n, n0, t.bn, n,
        /*kFastest=*/false, nullptr};
    for (const TileStaging &s : {a, bs})
      emitTileStaging(sb, loc, op, point, dims.k, k0, t.bk, k, buffer, tid,
                      t.threads(), s);
  };
  auto multiply = [&](OpBuilder &cb, Value k0, Value buffer,
                      ValueRange accs) -> SmallVector<Value> {
    IndexMath cm{cb, loc};
    Value kEnd = arith::MinSIOp::create(
        cb, loc, cm.c(t.bk), arith::SubIOp::create(cb, loc, cm.c(k), k0));
    auto inner = scf::ForOp::create(cb, loc, cm.c(0), kEnd, cm.c(1), accs);
    OpBuilder::InsertionGuard innerGuard(cb);
    cb.setInsertionPointToStart(inner.getBody());
    Value kk = inner.getInductionVar();
    SmallVector<Value> aVals, bVals;
    for (int64_t i = 0; i < t.tm; ++i)
      aVals.push_back(memref::LoadOp::create(
          cb, loc, aTile,
          ValueRange{buffer, kk, cm.add(cm.mulC(ty, t.tm), cm.c(i))}));
    for (int64_t j = 0; j < t.tn; ++j)
      bVals.push_back(memref::LoadOp::create(
          cb, loc, bTile,
          ValueRange{buffer, kk, cm.add(tx, cm.c(j * t.threadsX()))}));
    SmallVector<Value> next;
    for (int64_t i = 0; i < t.tm; ++i)
      for (int64_t j = 0; j < t.tn; ++j) {
        SmallVector<Value> inputs(2);
        inputs[dims.a] = aVals[i];
        inputs[1 - dims.a] = bVals[j];
        SmallVector<Value> at = outPoint(i, j);
        at[dims.k] = cm.add(k0, kk);
        next.push_back(emitPayload(cb, op, inputs, at,
                                   {inner.getRegionIterArgs()[i * t.tn + j]})
                           .front());
      }
    scf::YieldOp::create(cb, loc, next);
    return inner.getResults();
  };
  SmallVector<Value> accs =
      emitStagedKLoop(b, loc, k, t.bk, accInit, stageTiles, multiply);

  for (int64_t i = 0; i < t.tm; ++i)
    for (int64_t j = 0; j < t.tn; ++j) {
      auto ifOp = scf::IfOp::create(b, loc, im.both(rowOk[i], colOk[j]));
      OpBuilder tb = ifOp.getThenBodyBuilder();
      storeGPUResult(tb, loc, op, epilogue, accs[i * t.tn + j], outPoint(i, j));
    }
  scf::YieldOp::create(b, loc);
  return true;
}

} // namespace hcc::opencl
