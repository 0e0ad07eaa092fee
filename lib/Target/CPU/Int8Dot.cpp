//===- Int8Dot.cpp - uint8 x int8 dot-product micro-kernels ---------------===//
//
// Quantized convolutions reach the CPU target as a contraction whose
// innermost reduction is 4 bytes deep (GraphToLinalg/Dot4Conv.cpp):
//
//   acc[n, m, p] += zext(x[n, q, p, j]) * sext(w[m, q, j]),  j < 4
//
// Output channels are distributed over scf.forall tasks; each task walks
// register tiles of 4 channels x 64 pixels (the remainders peeled, so every
// tile is static) whose accumulators stay in vector registers over the K
// loop. Per K step a tile loads 16 pixels x 4 bytes of x per vector and
// broadcasts each channel's 4 weight bytes; with AVX-512 VNNI one vpdpbusd
// then does 64 multiply-adds, without it the same step is widened vector
// multiplies and a 4-lane reduction. The IR stays on tensors: vector
// transfers, an scf.for carrying the accumulators, and (VNNI) the LLVM
// intrinsic.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

namespace {

constexpr int64_t kLanes = 16;    // i32 lanes of a 512-bit vector
constexpr int64_t kTileP = 64;    // pixels per register tile
constexpr int64_t kMaxTileM = 4;  // output channels per register tile
constexpr int64_t kMaxTaskM = 32; // output channels per task at most
constexpr int64_t kBlockQ = 64;   // K quads per cache block

bool isDot4(linalg::GenericOp g);

} // namespace

bool hcc::cpu::isDot4Contraction(Operation *op) {
  auto g = dyn_cast_or_null<linalg::GenericOp>(op);
  return g && isDot4(g);
}

namespace {

/// acc[n, m, p] += ext(x[n, q, p, j]) * ext(w[m, q, j]), j < 4.
bool isDot4(linalg::GenericOp g) {
  if (!g.hasPureTensorSemantics() || g.getNumDpsInputs() != 2 ||
      g.getNumDpsInits() != 1 || g.getNumLoops() != 5)
    return false;
  auto xt = dyn_cast<RankedTensorType>(g.getDpsInputs()[0].getType());
  auto wt = dyn_cast<RankedTensorType>(g.getDpsInputs()[1].getType());
  auto ot = dyn_cast<RankedTensorType>(g.getDpsInits()[0].getType());
  if (!xt || !wt || !ot || !xt.hasStaticShape() || !wt.hasStaticShape() ||
      !ot.hasStaticShape() || !xt.getElementType().isInteger(8) ||
      !wt.getElementType().isInteger(8) || !ot.getElementType().isInteger(32))
    return false;
  MLIRContext *ctx = g.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> want = {
      AffineMap::get(5, 0, {d(0), d(3), d(2), d(4)}, ctx),
      AffineMap::get(5, 0, {d(1), d(3), d(4)}, ctx),
      AffineMap::get(5, 0, {d(0), d(1), d(2)}, ctx)};
  if (g.getIndexingMapsArray() != want || g.getStaticLoopRanges()[4] != 4)
    return false;
  SmallVector<utils::IteratorType> iters = g.getIteratorTypesArray();
  for (int i = 0; i < 5; ++i)
    if ((i < 3) != (iters[i] == utils::IteratorType::parallel))
      return false;
  // yield(acc + zext(x) * sext(w))
  Block &body = g.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add)
    return false;
  auto mul = add.getRhs().getDefiningOp<arith::MulIOp>();
  if (!mul || add.getLhs() != body.getArgument(2))
    mul = add.getLhs().getDefiningOp<arith::MulIOp>();
  if (!mul)
    return false;
  auto zx = mul.getLhs().getDefiningOp<arith::ExtUIOp>();
  auto sw = mul.getRhs().getDefiningOp<arith::ExtSIOp>();
  return zx && sw && zx.getIn() == body.getArgument(0) &&
         sw.getIn() == body.getArgument(1) &&
         (add.getLhs() == body.getArgument(2) ||
          add.getRhs() == body.getArgument(2));
}

/// acc (vector<W x i32>) += 4-deep dot products of the rows of `x`
/// (vector<W x 4 x i8>, unsigned) with `w` (vector<4 x i8>, signed):
/// widened multiplies and a reduction over the 4 lanes, which the
/// canonicalizer turns into a vector.contract that Dot4ToVpdpbusd
/// recognizes.
Value dot4(OpBuilder &b, Location loc, Value acc, Value x, Value w) {
  int64_t width = cast<VectorType>(acc.getType()).getDimSize(0);
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  auto wide = VectorType::get({width, 4}, i32);
  Value xv = arith::ExtUIOp::create(b, loc, wide, x);
  Value wv = arith::ExtSIOp::create(
      b, loc, wide,
      vector::BroadcastOp::create(b, loc, VectorType::get({width, 4}, i8), w));
  Value prod = arith::MulIOp::create(b, loc, xv, wv);
  return vector::MultiDimReductionOp::create(b, loc, prod, acc,
                                             ArrayRef<bool>{false, true},
                                             vector::CombiningKind::ADD);
}

/// acc[i] += sum_j zext(x[i, j]) * sext(w[j]) over 16 x 4 bytes, as
/// vector.contract has it once canonicalized, becomes vpdpbusd: x's 64
/// bytes as the unsigned operand, w's 4 bytes broadcast to every lane as
/// the signed one.
struct Dot4ToVpdpbusd : OpRewritePattern<vector::ContractionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::ContractionOp op,
                                PatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> want = {AffineMap::get(2, 0, {d(0), d(1)}, ctx),
                                   AffineMap::get(2, 0, {d(1)}, ctx),
                                   AffineMap::get(2, 0, {d(0)}, ctx)};
    auto accType = dyn_cast<VectorType>(op.getAcc().getType());
    if (op.getKind() != vector::CombiningKind::ADD ||
        op.getIndexingMapsArray() != want ||
        accType != VectorType::get({kLanes}, i32))
      return failure();
    auto xExt = op.getLhs().getDefiningOp<arith::ExtUIOp>();
    auto wExt = op.getRhs().getDefiningOp<arith::ExtSIOp>();
    if (!xExt || !wExt ||
        xExt.getIn().getType() != VectorType::get({kLanes, 4}, i8) ||
        wExt.getIn().getType() != VectorType::get({4}, i8))
      return failure();
    Location loc = op.getLoc();
    auto bytes = VectorType::get({4 * kLanes}, i8);
    Value a = vector::ShapeCastOp::create(rewriter, loc, bytes, xExt.getIn());
    Value word = vector::BitCastOp::create(
        rewriter, loc, VectorType::get({1}, i32), wExt.getIn());
    Value scalar =
        vector::ExtractOp::create(rewriter, loc, word, ArrayRef<int64_t>{0});
    Value splat = vector::BroadcastOp::create(rewriter, loc, accType, scalar);
    Value wb = vector::BitCastOp::create(rewriter, loc, bytes, splat);
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, TypeRange{accType},
        rewriter.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
        ValueRange{op.getAcc(), a, wb}, LLVM::FastmathFlagsAttr());
    return success();
  }
};

/// Replaces a static register tile of a dot4 contraction (x [1, Q, P, 4],
/// w [M, Q, 4], acc [1, M, P]) by vector code: the accumulators are read
/// once, carried through an scf.for over Q and written back.
void emitTile(RewriterBase &rewriter, linalg::GenericOp g) {
  Location loc = g.getLoc();
  rewriter.setInsertionPoint(g);
  Value x = g.getDpsInputs()[0], w = g.getDpsInputs()[1],
        out = g.getDpsInits()[0];
  auto ot = cast<RankedTensorType>(out.getType());
  auto xt = cast<RankedTensorType>(x.getType());
  int64_t q = xt.getDimSize(1);
  // x's pixels and their quads as one contiguous row per K quad, read as
  // 1-D vectors (an n-D read would become one load per 4 bytes).
  x = tensor::CollapseShapeOp::create(
      rewriter, loc,
      RankedTensorType::get({1, q, xt.getDimSize(2) * 4}, xt.getElementType()),
      x, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  int64_t rows = ot.getDimSize(1), pixels = ot.getDimSize(2);
  Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
  auto idx = [&](int64_t v) {
    return arith::ConstantIndexOp::create(rewriter, loc, v).getResult();
  };
  SmallVector<std::pair<int64_t, int64_t>> chunks; // (offset, width)
  for (int64_t off = 0; off < pixels; off += kLanes)
    chunks.push_back({off, std::min(kLanes, pixels - off)});
  Value zero32 =
      arith::ConstantOp::create(rewriter, loc, rewriter.getI32IntegerAttr(0));
  Value zero8 =
      arith::ConstantOp::create(rewriter, loc, rewriter.getI8IntegerAttr(0));
  SmallVector<Value> accs;
  for (int64_t r = 0; r < rows; ++r)
    for (auto [off, width] : chunks)
      accs.push_back(vector::TransferReadOp::create(
          rewriter, loc, VectorType::get({width}, i32), out,
          ValueRange{idx(0), idx(r), idx(off)}, zero32, ArrayRef<bool>{true}));
  auto loop = scf::ForOp::create(
      rewriter, loc, idx(0), idx(q), idx(1), accs,
      [&](OpBuilder &b, Location l, Value k, ValueRange carried) {
        SmallVector<Value> xs;
        for (auto [off, width] : chunks)
          xs.push_back(vector::ShapeCastOp::create(
              b, l, VectorType::get({width, 4}, i8),
              vector::TransferReadOp::create(
                  b, l, VectorType::get({width * 4}, i8), x,
                  ValueRange{idx(0), k, idx(off * 4)}, zero8,
                  ArrayRef<bool>{true})));
        SmallVector<Value> next;
        for (int64_t r = 0; r < rows; ++r) {
          Value wr = vector::TransferReadOp::create(
              b, l, VectorType::get({4}, i8), w, ValueRange{idx(r), k, idx(0)},
              zero8, ArrayRef<bool>{true});
          for (auto [c, chunk] : llvm::enumerate(chunks))
            next.push_back(
                dot4(b, l, carried[r * chunks.size() + c], xs[c], wr));
        }
        scf::YieldOp::create(b, l, next);
      });
  Value result = out;
  for (int64_t r = 0; r < rows; ++r)
    for (auto [c, chunk] : llvm::enumerate(chunks))
      result = vector::TransferWriteOp::create(
                   rewriter, loc, loop.getResult(r * chunks.size() + c), result,
                   ValueRange{idx(0), idx(r), idx(chunk.first)},
                   ArrayRef<bool>{true})
                   .getResult();
  rewriter.replaceOp(g, result);
}

/// The im2col copy feeding a dot4 contraction (Dot4Conv.cpp): a generic
/// cols[n, q, oh, ow, j] = x[map(n, q, oh, ow, j)] whose reads move along
/// x's last dimension with ow (stride `stride`) and nowhere else.
bool isIm2ColCopy(linalg::GenericOp g, int64_t &stride) {
  if (!g.hasPureTensorSemantics() || g.getNumDpsInputs() != 1 ||
      g.getNumDpsInits() != 1 || g.getNumLoops() != 5 ||
      g.getNumReductionLoops() != 0)
    return false;
  auto in = dyn_cast<RankedTensorType>(g.getDpsInputs()[0].getType());
  auto out = dyn_cast<RankedTensorType>(g.getDpsInits()[0].getType());
  if (!in || !out || !in.hasStaticShape() || !out.hasStaticShape() ||
      !in.getElementType().isInteger(8) ||
      out.getElementType() != in.getElementType() || in.getRank() != 4 ||
      out.getDimSize(4) != 4)
    return false;
  SmallVector<AffineMap> maps = g.getIndexingMapsArray();
  if (!maps[1].isIdentity())
    return false;
  Block &body = g.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 ||
      yield.getOperand(0) != body.getArgument(0))
    return false;
  AffineMap map = maps[0];
  for (unsigned r = 0; r + 1 < map.getNumResults(); ++r)
    if (map.getResult(r).isFunctionOfDim(3))
      return false;
  // The last result at ow = 0, 1, 2 (everything else 0) is linear in ow.
  auto at = [&](int64_t ow) {
    SmallVector<int64_t> dims = {0, 0, 0, ow, 0};
    return map.compose(dims).back();
  };
  stride = at(1) - at(0);
  return stride > 0 && at(2) - at(1) == stride;
}

/// Writes the im2col copy as rows: for every (q, image, output row) and
/// chunk of up to 16 output columns, the 4 source rows of the quad (read
/// as vectors, every stride-th byte kept) are interleaved into 16 x 4 bytes.
/// Quads are distributed over scf.forall tasks.
void emitIm2Col(RewriterBase &rewriter, linalg::GenericOp g, int64_t stride,
                bool distribute) {
  Location loc = g.getLoc();
  rewriter.setInsertionPoint(g);
  Value x = g.getDpsInputs()[0], init = g.getDpsInits()[0];
  auto out = cast<RankedTensorType>(init.getType());
  int64_t n = out.getDimSize(0), quads = out.getDimSize(1),
          rows = out.getDimSize(2), cols = out.getDimSize(3);
  AffineMap map = g.getIndexingMapsArray()[0];
  Type i8 = rewriter.getI8Type();
  auto idx = [&](OpBuilder &b, int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  // Rows of quads are written as 1-D vectors into [N, Q, OH, OW * 4].
  auto flatType = RankedTensorType::get({n, quads, rows, cols * 4}, i8);
  SmallVector<ReassociationIndices> lastTwo = {{0}, {1}, {2}, {3, 4}};
  init =
      tensor::CollapseShapeOp::create(rewriter, loc, flatType, init, lastTwo);
  auto sliceType = RankedTensorType::get({n, 1, rows, cols * 4}, i8);
  // One quad q: [N, 1, OH, OW, 4].
  auto fillQuad = [&](OpBuilder &b, Value q, Value slice) -> Value {
    Value zero8 = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    auto nLoop = scf::ForOp::create(
        b, loc, idx(b, 0), idx(b, n), idx(b, 1), ValueRange{slice},
        [&](OpBuilder &b, Location l, Value img, ValueRange t0) {
          auto hLoop = scf::ForOp::create(
              b, l, idx(b, 0), idx(b, rows), idx(b, 1), t0,
              [&](OpBuilder &b, Location l, Value h, ValueRange t1) {
                Value t = t1.front();
                for (int64_t c0 = 0; c0 < cols; c0 += kLanes) {
                  int64_t width = std::min(kLanes, cols - c0);
                  SmallVector<Value> src;
                  for (int64_t j = 0; j < 4; ++j) {
                    SmallVector<Value> at;
                    SmallVector<Value> operands = {img, q, h, idx(b, c0),
                                                   idx(b, j)};
                    for (unsigned r = 0; r < map.getNumResults(); ++r)
                      at.push_back(affine::AffineApplyOp::create(
                          b, l, map.getSubMap({r}), operands));
                    Value row = vector::TransferReadOp::create(
                        b, l, VectorType::get({width * stride}, i8), x, at,
                        zero8, ArrayRef<bool>{false});
                    if (stride > 1) {
                      SmallVector<int64_t> every;
                      for (int64_t i = 0; i < width; ++i)
                        every.push_back(i * stride);
                      row = vector::ShuffleOp::create(b, l, row, row, every);
                    }
                    src.push_back(row);
                  }
                  // (r0, r1) and (r2, r3) byte pairs, then the pairs.
                  SmallVector<int64_t> pairs, quadsMask;
                  for (int64_t i = 0; i < width; ++i) {
                    pairs.append({i, width + i});
                    quadsMask.append({2 * i, 2 * i + 1, 2 * width + 2 * i,
                                      2 * width + 2 * i + 1});
                  }
                  Value lo =
                      vector::ShuffleOp::create(b, l, src[0], src[1], pairs);
                  Value hi =
                      vector::ShuffleOp::create(b, l, src[2], src[3], pairs);
                  Value all =
                      vector::ShuffleOp::create(b, l, lo, hi, quadsMask);
                  t = vector::TransferWriteOp::create(
                          b, l, all, t,
                          ValueRange{img, idx(b, 0), h, idx(b, 4 * c0)},
                          ArrayRef<bool>{true})
                          .getResult();
                }
                scf::YieldOp::create(b, l, t);
              });
          scf::YieldOp::create(b, l, hLoop.getResults());
        });
    return nLoop.getResult(0);
  };
  auto offsets = [&](OpBuilder &b, Value q) {
    return SmallVector<OpFoldResult>{b.getIndexAttr(0), q, b.getIndexAttr(0),
                                     b.getIndexAttr(0)};
  };
  SmallVector<OpFoldResult> sizes = {
      rewriter.getIndexAttr(n), rewriter.getIndexAttr(1),
      rewriter.getIndexAttr(rows), rewriter.getIndexAttr(cols * 4)};
  SmallVector<OpFoldResult> ones(4, rewriter.getIndexAttr(1));
  Value result;
  if (distribute && isa<func::FuncOp>(g->getParentOp()) && quads > 1) {
    auto forall = scf::ForallOp::create(
        rewriter, loc, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(quads)},
        ValueRange{init}, std::nullopt,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value q = args[0], shared = args[1];
          Value slice = tensor::ExtractSliceOp::create(
              b, l, sliceType, shared, offsets(b, q), sizes, ones);
          Value filled = fillQuad(b, q, slice);
          auto inParallel = scf::InParallelOp::create(b, l);
          b.setInsertionPointToStart(inParallel.getBody());
          tensor::ParallelInsertSliceOp::create(b, l, filled, shared,
                                                offsets(b, q), sizes, ones);
        });
    result = forall.getResult(0);
  } else {
    auto loop = scf::ForOp::create(
        rewriter, loc, idx(rewriter, 0), idx(rewriter, quads), idx(rewriter, 1),
        ValueRange{init}, [&](OpBuilder &b, Location l, Value q, ValueRange t) {
          Value slice = tensor::ExtractSliceOp::create(
              b, l, sliceType, t.front(), offsets(b, q), sizes, ones);
          Value filled = fillQuad(b, q, slice);
          scf::YieldOp::create(
              b, l,
              ValueRange{tensor::InsertSliceOp::create(
                  b, l, filled, t.front(), offsets(b, q), sizes, ones)});
        });
    result = loop.getResult(0);
  }
  rewriter.replaceOp(g, tensor::ExpandShapeOp::create(rewriter, loc,
                                                      g.getResultTypes()[0],
                                                      result, lastTwo));
}

} // namespace

void hcc::cpu::populateDot4VnniPatterns(RewritePatternSet &patterns) {
  patterns.add<Dot4ToVpdpbusd>(patterns.getContext());
}

bool hcc::cpu::hostHasAvx512Vnni() {
  // Asked per kernel; the host does not change (cpuid is slow).
  static const bool vnni = [] {
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    return features.lookup("avx512vnni") && features.lookup("avx512f");
  }();
  return vnni;
}

void hcc::cpu::tileDot4Contractions(RewriterBase &rewriter, func::FuncOp func,
                                    bool distribute) {
  SmallVector<linalg::GenericOp> dots;
  func.walk([&](linalg::GenericOp g) {
    if (isDot4(g))
      dots.push_back(g);
  });
  for (linalg::GenericOp g : dots) {
    // The im2col copy that feeds it, as rows of interleaved quads.
    Value cols = g.getDpsInputs()[0];
    if (auto collapse = cols.getDefiningOp<tensor::CollapseShapeOp>())
      cols = collapse.getSrc();
    int64_t stride = 0;
    if (auto copy = cols.getDefiningOp<linalg::GenericOp>();
        copy && isIm2ColCopy(copy, stride))
      emitIm2Col(rewriter, copy, stride, distribute);
    SmallVector<int64_t> bounds = g.getStaticLoopRanges();
    int64_t tileM = kMaxTileM;
    while (bounds[1] % tileM != 0)
      tileM /= 2;
    // Tasks: blocks of output channels (at least 8 tasks where the
    // channels allow), per image.
    int64_t block = tileM;
    while (block * 2 <= kMaxTaskM && bounds[1] % (block * 2) == 0 &&
           bounds[1] / (block * 2) >= 8)
      block *= 2;
    Operation *op = g;
    if (distribute && isa<func::FuncOp>(g->getParentOp()) &&
        bounds[0] * bounds[1] / block > 1) {
      FailureOr<scf::SCFTilingResult> tasks =
          tile(rewriter, op, {1, block, 0, 0, 0}, {},
               scf::SCFTilingOptions::LoopType::ForallOp);
      if (succeeded(tasks))
        op = tasks->tiledOps.front();
    }
    // Register tiles, looping K blocks, then pixels, then channels: the
    // x panel of a K block and 64 pixels (16 KiB) stays in L1 while every
    // channel tile of the task passes over it.
    FailureOr<scf::SCFTilingResult> tiles =
        tile(rewriter, op, {1, tileM, kTileP, kBlockQ, 0}, {0, 3, 2, 1, 4});
    if (succeeded(tiles))
      peelLoops(rewriter, tiles->loops);
  }
}

void hcc::cpu::emitDot4Tiles(RewriterBase &rewriter, func::FuncOp func) {
  // The register tiles (static once the peeled bounds are canonicalized).
  SmallVector<linalg::GenericOp> tileOps;
  func.walk([&](linalg::GenericOp g) {
    if (!isDot4(g))
      return;
    SmallVector<int64_t> bounds = g.getStaticLoopRanges();
    if (bounds[0] == 1 && bounds[1] <= kMaxTileM && bounds[2] <= kTileP &&
        bounds[3] <= kBlockQ)
      tileOps.push_back(g);
  });
  for (linalg::GenericOp g : tileOps)
    emitTile(rewriter, g);
}
