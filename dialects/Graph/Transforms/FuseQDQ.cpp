//===- FuseQDQ.cpp - QDQ convolutions to QLinearConv ----------------------===//
//
// What ONNX Runtime's and torch's static quantizers write (QDQ format) is a
// float Conv between DequantizeLinear and QuantizeLinear nodes:
//
//   Q(Conv(DQ(xq, xs, xz), DQ(wq, ws, wz), DQ(bq, xs * ws, 0)), ys, yz)
//
// which is exactly QLinearConv(xq, xs, xz, wq, ws, wz, ys, yz, bq): an
// int8 convolution accumulating in int32 and requantized once. The pattern
// rewrites the Q into that op when the scales are per tensor for x and y,
// per tensor or per output channel for w, the bias (optional, possibly
// behind an Identity) is a constant int32 (re-expressed on the accumulator
// scale xs * ws when its own scale differs, within half an accumulator
// step), and the Conv has no other user. The DQ nodes stay for their other
// users and are otherwise erased as dead. A DequantizeLinear of constants
// still in use afterwards (weights of a Gemm, say) is folded into its float
// value, computed once at compile time instead of on every run.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace hcc::graph {
#define GEN_PASS_DEF_GRAPHFUSEQDQ
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace hcc::graph

using namespace mlir;
using namespace hcc::graph;

namespace {

/// The defining DequantizeLinear of `v`, looking through Identity.
DequantizeLinearOp dequantizedFrom(Value v) {
  while (auto id = v.getDefiningOp<IdentityOp>())
    v = id.getInput();
  return v.getDefiningOp<DequantizeLinearOp>();
}

bool hasElementType(Value v, Type t) {
  auto s = dyn_cast<ShapedType>(v.getType());
  return s && s.getElementType() == t;
}

bool isInt8(Value v) {
  auto s = dyn_cast<ShapedType>(v.getType());
  return s && s.getElementType().isInteger(8);
}

/// A static tensor with one element.
bool isPerTensor(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape() && t.getNumElements() == 1;
}

/// The float values of a constant, if `v` is one.
std::optional<SmallVector<double>> constFloats(Value v) {
  ElementsAttr e = getConstantElements(v);
  if (!e || !isa<FloatType>(e.getElementType()))
    return std::nullopt;
  SmallVector<double> out;
  for (const APFloat &f : e.getValues<APFloat>())
    out.push_back(f.convertToDouble());
  return out;
}

/// The int32 bias on QLinearConv's accumulator scale xs * ws[c] of a
/// constant bias bq with scale bs: bq itself when bs is that product (what
/// quantizers write), else round(bq * bs / (xs * ws)) -- within half an
/// accumulator step of the float bias. Null when not constant or out of
/// int32 range.
Value accumulatorBias(PatternRewriter &rewriter, Location loc, Value bq,
                      Value bs, Value xs, Value ws, int64_t channels) {
  std::optional<SmallVector<double>> b = constFloats(bs), x = constFloats(xs),
                                     w = constFloats(ws);
  std::optional<SmallVector<int64_t>> q = getConstantInts(bq);
  auto type = dyn_cast<RankedTensorType>(bq.getType());
  if (!b || !x || !w || !q || !type || x->size() != 1 ||
      static_cast<int64_t>(q->size()) != channels ||
      (b->size() != 1 && static_cast<int64_t>(b->size()) != channels) ||
      (w->size() != 1 && static_cast<int64_t>(w->size()) != channels))
    return {};
  SmallVector<int32_t> values;
  bool same = true;
  for (int64_t c = 0; c < channels; ++c) {
    double acc = (*x)[0] * (*w)[w->size() == 1 ? 0 : c];
    double scale = (*b)[b->size() == 1 ? 0 : c];
    if (acc == 0 || !std::isfinite(acc))
      return {};
    same &= std::fabs(scale - acc) <= 1e-6 * std::fabs(acc);
    double v = std::nearbyint(static_cast<double>((*q)[c]) * scale / acc);
    if (!(std::fabs(v) <= 2147483647.0))
      return {};
    values.push_back(static_cast<int32_t>(v));
  }
  if (same)
    return bq;
  auto result = RankedTensorType::get({channels}, rewriter.getI32Type());
  Dialect *graph = rewriter.getContext()->getLoadedDialect<GraphDialect>();
  return graph
      ->materializeConstant(
          rewriter, DenseElementsAttr::get(result, ArrayRef<int32_t>(values)),
          result, loc)
      ->getResult(0);
}

/// The zero point of a DQ/Q, or a zero of element type `elem` when absent.
Value zeroPointOr(PatternRewriter &rewriter, Location loc, Value zp,
                  Type elem) {
  if (!isNone(zp))
    return zp;
  auto type = RankedTensorType::get({}, elem);
  Dialect *graph = rewriter.getContext()->getLoadedDialect<GraphDialect>();
  Operation *cst = graph->materializeConstant(
      rewriter, DenseElementsAttr::get(type, rewriter.getZeroAttr(elem)), type,
      loc);
  return cst->getResult(0);
}

struct ConvToQLinearConv : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q,
                                PatternRewriter &rewriter) const override {
    auto conv = q.getX().getDefiningOp<ConvOp>();
    if (!conv || !conv->hasOneUse() || !isInt8(q.getY()) ||
        !isPerTensor(q.getYScale()) || q.getBlockSize() != 0 ||
        !hasElementType(q.getYScale(), rewriter.getF32Type()))
      return failure();
    DequantizeLinearOp dx = dequantizedFrom(conv.getX());
    DequantizeLinearOp dw = dequantizedFrom(conv.getW());
    if (!dx || !dw || !isInt8(dx.getX()) || !isInt8(dw.getX()) ||
        !isPerTensor(dx.getXScale()) || dx.getBlockSize() != 0 ||
        dw.getBlockSize() != 0 ||
        !hasElementType(dx.getXScale(), rewriter.getF32Type()) ||
        !hasElementType(dw.getXScale(), rewriter.getF32Type()) ||
        !hasElementType(conv.getY(), rewriter.getF32Type()))
      return failure();
    // w's scale: per tensor, or per output channel (axis 0, or -rank).
    auto wScale = dyn_cast<RankedTensorType>(dw.getXScale().getType());
    auto wType = dyn_cast<RankedTensorType>(dw.getX().getType());
    int64_t wAxis = static_cast<int64_t>(dw.getAxis());
    if (wType && wAxis < 0)
      wAxis += wType.getRank();
    if (!wScale || !wScale.hasStaticShape() ||
        (!isPerTensor(dw.getXScale()) && (wScale.getRank() != 1 || wAxis != 0)))
      return failure();
    // The bias: a constant int32 DequantizeLinear (zero point 0), brought
    // onto the accumulator's scale.
    DequantizeLinearOp db;
    if (!isNone(conv.getB())) {
      db = dequantizedFrom(conv.getB());
      if (!db || !hasElementType(db.getX(), rewriter.getI32Type()) ||
          db.getBlockSize() != 0 || !wType || wType.isDynamicDim(0) ||
          (!isNone(db.getXZeroPoint()) &&
           getConstantScalar(db.getXZeroPoint()) != std::optional<double>(0)))
        return failure();
    }
    // Every check passed but the bias's values: only now create ops.
    Location loc = q.getLoc();
    Value bias;
    if (db) {
      bias =
          accumulatorBias(rewriter, loc, db.getX(), db.getXScale(),
                          dx.getXScale(), dw.getXScale(), wType.getDimSize(0));
      if (!bias)
        return failure();
    } else {
      bias = NoneOp::create(rewriter, loc, rewriter.getNoneType());
    }
    Type xElem = cast<ShapedType>(dx.getX().getType()).getElementType();
    Type wElem = cast<ShapedType>(dw.getX().getType()).getElementType();
    Type yElem = cast<ShapedType>(q.getY().getType()).getElementType();
    Value xz = zeroPointOr(rewriter, loc, dx.getXZeroPoint(), xElem);
    Value wz = zeroPointOr(rewriter, loc, dw.getXZeroPoint(), wElem);
    Value yz = zeroPointOr(rewriter, loc, q.getYZeroPoint(), yElem);
    rewriter.replaceOpWithNewOp<QLinearConvOp>(
        q, q.getY().getType(), dx.getX(), dx.getXScale(), xz, dw.getX(),
        dw.getXScale(), wz, q.getYScale(), yz, bias, conv.getGroupAttr(),
        conv.getPadsAttr(), conv.getStridesAttr(), conv.getDilationsAttr(),
        conv.getKernelShapeAttr(), conv.getAutoPadAttr());
    return success();
  }
};

/// Elements a folded DequantizeLinear may produce (a float copy of the
/// weights, as the float model would hold).
constexpr int64_t kMaxFoldedElements = int64_t(1) << 26;

/// A DequantizeLinear of constants still in use after the fusion feeds
/// float computation (a Gemm or MatMul, a bias): its float value is
/// computed once here instead of on every run. Per tensor or per axis;
/// f32 results; (x - zp) * scale rounded once, as the lowering computes it.
struct FoldConstantDequantize : OpRewritePattern<DequantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeLinearOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getY().getType());
    ElementsAttr x = getConstantElements(op.getX());
    std::optional<SmallVector<double>> scale = constFloats(op.getXScale());
    if (op->use_empty() || !type || !type.hasStaticShape() ||
        !type.getElementType().isF32() || !x || !scale ||
        op.getBlockSize() != 0 || type.getNumElements() > kMaxFoldedElements)
      return failure();
    auto xElem = dyn_cast<IntegerType>(x.getElementType());
    if (!xElem || xElem.getWidth() < 8)
      return failure();
    SmallVector<int64_t> zp;
    if (!isNone(op.getXZeroPoint())) {
      std::optional<SmallVector<int64_t>> z =
          getConstantInts(op.getXZeroPoint());
      if (!z)
        return failure();
      zp = *z;
    }
    // Per tensor, or along `axis`: entry (i / inner) % extent.
    int64_t n = type.getNumElements(), rank = type.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    int64_t extent = 1, inner = 1;
    if (scale->size() != 1) {
      if (axis < 0 || axis >= rank ||
          int64_t(scale->size()) != type.getDimSize(axis))
        return failure();
      extent = type.getDimSize(axis);
      for (int64_t d = axis + 1; d < rank; ++d)
        inner *= type.getDimSize(d);
    }
    if (!zp.empty() && zp.size() != scale->size())
      return failure();
    bool isSigned = !xElem.isUnsigned();
    SmallVector<float> values;
    values.reserve(n);
    int64_t i = 0;
    for (const APInt &v : x.getValues<APInt>()) {
      int64_t a = extent == 1 ? 0 : (i / inner) % extent;
      double q = isSigned ? double(v.getSExtValue()) : double(v.getZExtValue());
      if (!zp.empty())
        q -= double(zp[a]);
      values.push_back(float(q * (*scale)[a]));
      ++i;
    }
    Dialect *graph = rewriter.getContext()->getLoadedDialect<GraphDialect>();
    Operation *cst = graph->materializeConstant(
        rewriter, DenseElementsAttr::get(type, ArrayRef<float>(values)), type,
        op.getLoc());
    rewriter.replaceOp(op, cst->getResults());
    return success();
  }
};

struct GraphFuseQDQPass
    : public hcc::graph::impl::GraphFuseQDQBase<GraphFuseQDQPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet fuse(ctx);
    fuse.add<ConvToQLinearConv>(ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(fuse))))
      return signalPassFailure();
    // Then what still dequantizes constants does so once, at compile time.
    RewritePatternSet fold(ctx);
    fold.add<FoldConstantDequantize>(ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(fold))))
      return signalPassFailure();
  }
};

} // namespace
