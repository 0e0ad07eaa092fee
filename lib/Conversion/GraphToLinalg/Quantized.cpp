//===- Quantized.cpp - integer MatMul/Conv and their QLinear forms --------===//
//
// A 2-D ungrouped ConvInteger or QLinearConv with int8 weights of zero
// point 0 runs as 4-deep uint8 x int8 dot products (Dot4Conv.cpp). Otherwise
// MatMulInteger and ConvInteger subtract the zero points while widening the
// 8-bit operands to i32, then run the i32 product (buildMatMul,
// buildConvolution): int8 x int8 with int32 accumulation, exact.
// QLinearMatMul and QLinearConv add the int32 bias and requantize the
// accumulator: round_half_even(acc * a_scale * b_scale / y_scale) + y_zp,
// saturated to the output's 8-bit range.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

/// Indexing map of a scale or zero point over a rank-`rank` space: per
/// tensor (one element) or along dimension `dim`.
FailureOr<AffineMap> quantParamMap(Operation *op, Value param, int64_t rank,
                                   int64_t dim, int64_t dimSize,
                                   const Twine &what) {
  MLIRContext *ctx = op->getContext();
  auto t = dyn_cast<RankedTensorType>(param.getType());
  if (!t || !t.hasStaticShape())
    return unsupported(op, what + " must have a static shape");
  if (t.getNumElements() == 1)
    return AffineMap::get(
        rank, 0,
        SmallVector<AffineExpr>(t.getRank(), getAffineConstantExpr(0, ctx)),
        ctx);
  if (dim < 0 || t.getRank() != 1 || t.getDimSize(0) != dimSize)
    return unsupported(
        op,
        what + " must be a scalar" +
            (dim < 0 ? Twine("") : " or have " + Twine(dimSize) + " entries"));
  return AffineMap::get(rank, 0, getAffineDimExpr(dim, ctx), ctx);
}

/// v - zp as i32 (`zp` may be null); `zpDim` is the dimension a 1-D zero
/// point runs along (-1: scalar only).
FailureOr<Value> widen(OpBuilder &b, Operation *op, Value v, Value origV,
                       Value zp, Value origZp, int64_t zpDim, StringRef what) {
  Location loc = op->getLoc();
  auto t = cast<RankedTensorType>(v.getType());
  if (!t.hasStaticShape())
    return unsupported(op, "operands must be static tensors");
  bool u = isUnsignedType(origV.getType());
  if (origZp && isUnsignedType(origZp.getType()) != u)
    return unsupported(op, what + "'s zero point has another signedness");
  Type i32 = b.getI32Type();
  auto it = RankedTensorType::get(t.getShape(), i32);
  int64_t rank = t.getRank();
  SmallVector<Value> inputs = {v};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  if (zp) {
    FailureOr<AffineMap> m =
        quantParamMap(op, zp, rank, zpDim, zpDim >= 0 ? t.getDimSize(zpDim) : 0,
                      what + " zero point");
    if (failed(m))
      return failure();
    inputs.push_back(zp);
    maps.push_back(*m);
  }
  auto ext = [&](OpBuilder &nb, Location l, Value x) -> Value {
    return u ? Value(arith::ExtUIOp::create(nb, l, i32, x))
             : Value(arith::ExtSIOp::create(nb, l, i32, x));
  };
  return buildGeneric(b, loc, it, inputs, maps,
                      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                        Value x = ext(nb, l, a[0]);
                        return a.size() == 1 ? x
                                             : Value(arith::SubIOp::create(
                                                   nb, l, x, ext(nb, l, a[1])));
                      });
}

/// round_half_even(acc * sa * sb / sy) + zy saturated to `out`'s 8 bits.
/// `bScaleDim` is the dimension a per-channel b scale runs along.
FailureOr<Value> requantize(OpBuilder &b, Operation *op, Value acc,
                            Value aScale, Value bScale, int64_t bScaleDim,
                            Value yScale, Value yZp, RankedTensorType out,
                            bool unsignedOut) {
  Location loc = op->getLoc();
  auto t = cast<RankedTensorType>(acc.getType());
  int64_t rank = t.getRank();
  SmallVector<Value> inputs = {acc};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  struct Param {
    Value v;
    int64_t dim;
    const char *what;
  };
  for (Param p :
       {Param{aScale, -1, "the first scale"},
        Param{bScale, bScaleDim, "the second scale"},
        Param{yScale, -1, "y_scale"}, Param{yZp, -1, "y_zero_point"}}) {
    FailureOr<AffineMap> m = quantParamMap(
        op, p.v, rank, p.dim, p.dim >= 0 ? t.getDimSize(p.dim) : 0, p.what);
    if (failed(m))
      return failure();
    inputs.push_back(p.v);
    maps.push_back(*m);
  }
  for (Value s : {aScale, bScale, yScale})
    if (!isa<FloatType>(cast<RankedTensorType>(s.getType()).getElementType()))
      return unsupported(op, "scales must be floating point");
  Type outElem = out.getElementType();
  unsigned bits = outElem.getIntOrFloatBitWidth();
  double lo = unsignedOut ? 0 : -std::ldexp(1.0, bits - 1);
  double hi =
      unsignedOut ? std::ldexp(1.0, bits) - 1 : std::ldexp(1.0, bits - 1) - 1;
  return buildGeneric(
      b, loc, out, inputs, maps,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Type f32 = nb.getF32Type();
        // f16/bf16 scales are widened: the arithmetic is f32.
        auto f = [&](Value s) -> Value {
          return s.getType().isF32()
                     ? s
                     : Value(arith::ExtFOp::create(nb, l, f32, s));
        };
        Value v = arith::SIToFPOp::create(nb, l, f32, a[0]);
        Value scale = arith::DivFOp::create(
            nb, l, arith::MulFOp::create(nb, l, f(a[1]), f(a[2])), f(a[3]));
        v = math::RoundEvenOp::create(nb, l,
                                      arith::MulFOp::create(nb, l, v, scale));
        Value zp = unsignedOut
                       ? Value(arith::UIToFPOp::create(nb, l, f32, a[4]))
                       : Value(arith::SIToFPOp::create(nb, l, f32, a[4]));
        v = arith::AddFOp::create(nb, l, v, zp);
        v = arith::MaximumFOp::create(nb, l, v, scalarConst(nb, l, f32, lo));
        v = arith::MinimumFOp::create(nb, l, v, scalarConst(nb, l, f32, hi));
        return unsignedOut ? Value(arith::FPToUIOp::create(nb, l, outElem, v))
                           : Value(arith::FPToSIOp::create(nb, l, outElem, v));
      });
}

RankedTensorType i32Type(RankedTensorType t) {
  return RankedTensorType::get(t.getShape(),
                               IntegerType::get(t.getContext(), 32));
}

/// An absent zero point, or a constant whose values are all 0.
bool isZeroConstant(Value zp) {
  if (graph::isNone(zp))
    return true;
  std::optional<SmallVector<int64_t>> v = graph::getConstantInts(zp);
  return v && llvm::all_of(*v, [](int64_t x) { return x == 0; });
}

struct MatMulIntegerLowering : OpConversionPattern<graph::MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::MatMulIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    if (!type || !type.hasStaticShape())
      return unsupported(op, "result must be a static tensor");
    auto at = cast<RankedTensorType>(adaptor.getA().getType());
    auto bt = cast<RankedTensorType>(adaptor.getB().getType());
    auto zp = [](Value orig, Value conv) {
      return graph::isNone(orig) ? Value() : conv;
    };
    // A's zero point is per row (dim -2), B's per column (dim -1).
    FailureOr<Value> a =
        widen(rewriter, op, adaptor.getA(), op.getA(),
              zp(op.getAZeroPoint(), adaptor.getAZeroPoint()),
              graph::isNone(op.getAZeroPoint()) ? Value() : op.getAZeroPoint(),
              at.getRank() >= 2 ? at.getRank() - 2 : -1, "A");
    FailureOr<Value> b =
        widen(rewriter, op, adaptor.getB(), op.getB(),
              zp(op.getBZeroPoint(), adaptor.getBZeroPoint()),
              graph::isNone(op.getBZeroPoint()) ? Value() : op.getBZeroPoint(),
              bt.getRank() >= 2 ? bt.getRank() - 1 : -1, "B");
    if (failed(a) || failed(b))
      return failure();
    rewriter.replaceOp(op, buildMatMul(rewriter, op.getLoc(), *a, *b, type));
    return success();
  }
};

struct QLinearMatMulLowering : OpConversionPattern<graph::QLinearMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::QLinearMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    if (!type || !type.hasStaticShape() ||
        !isa<IntegerType>(type.getElementType()))
      return unsupported(op, "result must be a static 8-bit integer tensor");
    auto bt = cast<RankedTensorType>(adaptor.getB().getType());
    FailureOr<Value> a =
        widen(rewriter, op, adaptor.getA(), op.getA(), adaptor.getAZeroPoint(),
              op.getAZeroPoint(), -1, "a");
    FailureOr<Value> b = widen(rewriter, op, adaptor.getB(), op.getB(),
                               adaptor.getBZeroPoint(), op.getBZeroPoint(),
                               bt.getRank() >= 2 ? bt.getRank() - 1 : -1, "b");
    if (failed(a) || failed(b))
      return failure();
    Value acc = buildMatMul(rewriter, op.getLoc(), *a, *b, i32Type(type));
    FailureOr<Value> y = requantize(
        rewriter, op, acc, adaptor.getAScale(), adaptor.getBScale(),
        type.getRank() - 1, adaptor.getYScale(), adaptor.getYZeroPoint(), type,
        isUnsignedType(op.getY().getType()));
    if (failed(y))
      return failure();
    rewriter.replaceOp(op, *y);
    return success();
  }
};

/// The i32 accumulator of an integer convolution (ConvInteger, and
/// QLinearConv before requantization): 4-deep uint8 x int8 dot products when
/// `dot4` allows and the operands fit, else zero points subtracted while
/// widening to i32 and a plain convolution. Absent zero points are none
/// (graph) / unused (converted).
FailureOr<Value> integerConvolution(OpBuilder &b, Operation *op, bool dot4,
                                    Value x, Value origX, Value xZp,
                                    Value origXZp, Value w, Value origW,
                                    Value wZp, Value origWZp, Value bias,
                                    RankedTensorType acc, int64_t group) {
  bool hasXZp = !graph::isNone(origXZp), hasWZp = !graph::isNone(origWZp);
  Dot4ConvOperands operands{x,
                            isUnsignedType(origX.getType()),
                            hasXZp ? xZp : Value(),
                            w,
                            isUnsignedType(origW.getType()),
                            isZeroConstant(origWZp),
                            bias,
                            acc,
                            group};
  if (dot4)
    if (std::optional<Value> r = buildDot4Convolution(b, op, operands))
      return *r;
  // The input's zero point is per tensor, the filter's per output channel.
  FailureOr<Value> wx = widen(b, op, x, origX, hasXZp ? xZp : Value(),
                              hasXZp ? origXZp : Value(), -1, "x");
  FailureOr<Value> ww = widen(b, op, w, origW, hasWZp ? wZp : Value(),
                              hasWZp ? origWZp : Value(), 0, "w");
  if (failed(wx) || failed(ww))
    return failure();
  return buildConvolution(b, op, *wx, *ww, bias, acc, group);
}

struct ConvIntegerLowering : OpConversionPattern<graph::ConvIntegerOp> {
  /// `dot4`: 4-deep uint8 x int8 dot products where the operands fit.
  ConvIntegerLowering(const TypeConverter &tc, MLIRContext *ctx, bool dot4)
      : OpConversionPattern(tc, ctx), dot4(dot4) {}
  bool dot4;
  LogicalResult
  matchAndRewrite(graph::ConvIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    if (!type || !type.hasStaticShape())
      return unsupported(op, "result must be a static tensor");
    FailureOr<Value> y = integerConvolution(
        rewriter, op, dot4, adaptor.getX(), op.getX(), adaptor.getXZeroPoint(),
        op.getXZeroPoint(), adaptor.getW(), op.getW(), adaptor.getWZeroPoint(),
        op.getWZeroPoint(), Value(), type, op.getGroup());
    if (failed(y))
      return failure();
    rewriter.replaceOp(op, *y);
    return success();
  }
};

struct QLinearConvLowering : OpConversionPattern<graph::QLinearConvOp> {
  /// `dot4`: 4-deep uint8 x int8 dot products where the operands fit.
  QLinearConvLowering(const TypeConverter &tc, MLIRContext *ctx, bool dot4)
      : OpConversionPattern(tc, ctx), dot4(dot4) {}
  bool dot4;
  LogicalResult
  matchAndRewrite(graph::QLinearConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    if (!type || !type.hasStaticShape() ||
        !isa<IntegerType>(type.getElementType()))
      return unsupported(op, "result must be a static 8-bit integer tensor");
    Value bias = graph::isNone(op.getB()) ? Value() : adaptor.getB();
    FailureOr<Value> acc = integerConvolution(
        rewriter, op, dot4, adaptor.getX(), op.getX(), adaptor.getXZeroPoint(),
        op.getXZeroPoint(), adaptor.getW(), op.getW(), adaptor.getWZeroPoint(),
        op.getWZeroPoint(), bias, i32Type(type), op.getGroup());
    if (failed(acc))
      return failure();
    // The filter's scale is per output channel: dim 1 of the result.
    FailureOr<Value> y =
        requantize(rewriter, op, *acc, adaptor.getXScale(), adaptor.getWScale(),
                   1, adaptor.getYScale(), adaptor.getYZeroPoint(), type,
                   isUnsignedType(op.getY().getType()));
    if (failed(y))
      return failure();
    rewriter.replaceOp(op, *y);
    return success();
  }
};

} // namespace

void populateQuantizedPatterns(TypeConverter &tc, RewritePatternSet &p,
                               bool int8DotProducts) {
  p.add<MatMulIntegerLowering, QLinearMatMulLowering>(tc, p.getContext());
  p.add<ConvIntegerLowering, QLinearConvLowering>(tc, p.getContext(),
                                                  int8DotProducts);
}

} // namespace hcc::g2l
