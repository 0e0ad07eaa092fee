//===- Quantization.cpp - QuantizeLinear, DequantizeLinear, Dynamic... ---===//
//
// Elementwise linalg.generic ops. Scale and zero point are read per tensor
// (one element, any rank) or per axis (1-D of the axis' size, read through
// the map (d...) -> (d_axis)). Quantization rounds half to even
// (math.roundeven), adds the zero point and saturates to the range of the
// 8-bit result type, all in f32 like the ONNX reference; signedness comes
// from the original graph types. DynamicQuantizeLinear reduces min/max
// (range widened to include 0) into 0-d tensors, derives the uint8 scale
// and zero point with scalar arith, then quantizes.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

/// Quantizes f32 `v` (already divided by the scale) to the original element
/// type `to`, stored as `storage`: integers round half to even, add the zero
/// point and saturate to the range of `to`; float8 and FLOAT4E2M1 add the
/// zero point and round to the float type, saturating as `mode` says.
Value quantizeScalar(OpBuilder &b, Location l, Value v, Value zp, Type to,
                     Type storage, const NarrowCast &mode) {
  Type f32 = v.getType();
  if (isa<FloatType>(to)) {
    if (zp)
      v = arith::AddFOp::create(b, l, v, zp);
    return convertScalar(b, l, v, f32, to, mode);
  }
  bool isUnsigned = to.isUnsignedInteger();
  Value r = math::RoundEvenOp::create(b, l, v);
  if (zp)
    r = arith::AddFOp::create(b, l, r, zp);
  unsigned w = to.getIntOrFloatBitWidth();
  double lo = isUnsigned ? 0 : -std::ldexp(1.0, w - 1);
  double hi = isUnsigned ? std::ldexp(1.0, w) - 1 : std::ldexp(1.0, w - 1) - 1;
  r = arith::MaximumFOp::create(b, l, r, scalarConst(b, l, f32, lo));
  r = arith::MinimumFOp::create(b, l, r, scalarConst(b, l, f32, hi));
  // In range, so the byte of a 4- or 2-bit type comes out canonical.
  return isUnsigned ? Value(arith::FPToUIOp::create(b, l, storage, r))
                    : Value(arith::FPToSIOp::create(b, l, storage, r));
}

/// Map from the data's iteration space into a scale/zero-point operand:
/// per tensor (all indices 0), per axis, or per block of `blockSize` along
/// the axis.
FailureOr<AffineMap> paramMap(Operation *op, RankedTensorType data,
                              RankedTensorType param, int64_t axis,
                              int64_t blockSize) {
  MLIRContext *ctx = op->getContext();
  int64_t rank = data.getRank();
  if (!param || !param.hasStaticShape())
    return unsupported(op, "scale and zero point must have static shapes");
  if (param.getNumElements() == 1) {
    SmallVector<AffineExpr> zeros(param.getRank(),
                                  getAffineConstantExpr(0, ctx));
    return AffineMap::get(rank, 0, zeros, ctx);
  }
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return unsupported(op, "axis out of range");
  if (blockSize > 0) {
    if (param.getRank() != rank)
      return unsupported(op, "a blocked scale must have the input's rank");
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < rank; ++i)
      exprs.push_back(i == axis ? getAffineDimExpr(i, ctx).floorDiv(blockSize)
                                : getAffineDimExpr(i, ctx));
    return AffineMap::get(rank, 0, exprs, ctx);
  }
  if (param.getRank() != 1 || param.getDimSize(0) != data.getDimSize(axis))
    return unsupported(op, "scale must be a scalar or a 1-D tensor of the "
                           "axis' size");
  return AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx), ctx);
}

/// Converted result type and generic operands of a (De)QuantizeLinear:
/// x, the scale and, unless absent, the zero point, each read per tensor or
/// along `axis`.
struct LinearQuantOperands {
  RankedTensorType type;
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  /// The original element types of the scale and (null without one) the
  /// zero point.
  Type scaleElem, zpElem;
};

FailureOr<LinearQuantOperands>
linearQuantOperands(const TypeConverter &tc, Operation *op, Value x,
                    Value origScale, Value scale, Value origZp, Value zp,
                    int64_t axis, int64_t blockSize) {
  LinearQuantOperands q;
  q.type = convertedTensorType(tc, op->getResult(0).getType());
  auto xt = dyn_cast<RankedTensorType>(x.getType());
  if (!q.type || !q.type.hasStaticShape() || !xt ||
      xt != q.type.clone(xt.getElementType()))
    return unsupported(op, "operands and result must be static tensors");
  q.inputs = {x, scale};
  q.maps = {AffineMap::getMultiDimIdentityMap(xt.getRank(), op->getContext())};
  q.scaleElem = elementTypeOf(origScale);
  FailureOr<AffineMap> sm = paramMap(
      op, xt, dyn_cast<RankedTensorType>(scale.getType()), axis, blockSize);
  if (failed(sm))
    return failure();
  q.maps.push_back(*sm);
  if (!graph::isNone(origZp)) {
    FailureOr<AffineMap> zm = paramMap(
        op, xt, dyn_cast<RankedTensorType>(zp.getType()), axis, blockSize);
    if (failed(zm))
      return failure();
    q.inputs.push_back(zp);
    q.maps.push_back(*zm);
    q.zpElem = elementTypeOf(origZp);
  }
  return q;
}

struct QuantizeLinearLowering : OpConversionPattern<graph::QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::QuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<LinearQuantOperands> q = linearQuantOperands(
        *getTypeConverter(), op, adaptor.getX(), op.getYScale(),
        adaptor.getYScale(), op.getYZeroPoint(), adaptor.getYZeroPoint(),
        op.getAxis(), op.getBlockSize());
    if (failed(q))
      return failure();
    RankedTensorType type = q->type;
    Type zpElem = q->zpElem;
    Location loc = op.getLoc();
    Type xElem = elementTypeOf(op.getX()), f32 = rewriter.getF32Type();
    Type to = elementTypeOf(op.getY()), outElem = type.getElementType();
    NarrowCast mode = narrowCastOf(op);
    Value r = buildGeneric(
        rewriter, loc, type, q->inputs, q->maps,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value xv = convertScalar(b, l, a[0], xElem, f32);
          Value v = arith::DivFOp::create(
              b, l, xv, convertScalar(b, l, a[1], q->scaleElem, f32));
          Value zp =
              a.size() > 2 ? convertScalar(b, l, a[2], zpElem, f32) : Value();
          return quantizeScalar(b, l, v, zp, to, outElem, mode);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct DequantizeLinearLowering
    : OpConversionPattern<graph::DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DequantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<LinearQuantOperands> q = linearQuantOperands(
        *getTypeConverter(), op, adaptor.getX(), op.getXScale(),
        adaptor.getXScale(), op.getXZeroPoint(), adaptor.getXZeroPoint(),
        op.getAxis(), op.getBlockSize());
    if (failed(q))
      return failure();
    RankedTensorType type = q->type;
    Type zpElem = q->zpElem;
    Location loc = op.getLoc();
    // In f32 whatever the scale and result types (f16, bf16; an e8m0
    // scale), rounded once to the result.
    Type xElem = elementTypeOf(op.getX()), f32 = rewriter.getF32Type();
    Type scaleElem = q->scaleElem, outElem = type.getElementType();
    Value r = buildGeneric(
        rewriter, loc, type, q->inputs, q->maps,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value xv = convertScalar(b, l, a[0], xElem, f32);
          if (a.size() > 2)
            xv = arith::SubFOp::create(b, l, xv,
                                       convertScalar(b, l, a[2], zpElem, f32));
          Value s = convertScalar(b, l, a[1], scaleElem, f32);
          return convertScalar(b, l, arith::MulFOp::create(b, l, xv, s), f32,
                               outElem);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct DynamicQuantizeLinearLowering
    : OpConversionPattern<graph::DynamicQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DynamicQuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *raw = op.getOperation();
    auto type =
        convertedTensorType(*getTypeConverter(), raw->getResult(0).getType());
    Value x = adaptor.getX();
    auto xt = dyn_cast<RankedTensorType>(x.getType());
    if (!allStaticTensors({type, xt}))
      return unsupported(op, "operands and result must be static tensors");
    if (!isUnsignedType(raw->getResult(0).getType()))
      return unsupported(op, "only uint8 results");
    Location loc = op.getLoc();
    Type f32 = xt.getElementType(), u8 = type.getElementType();
    SmallVector<int64_t> axes;
    for (int64_t i = 0; i < xt.getRank(); ++i)
      axes.push_back(i);
    auto reduce = [&](bool isMax) {
      Value init = isMax ? lowestValue(rewriter, loc, f32, false)
                         : highestValue(rewriter, loc, f32, false);
      Value r = buildReduction(
          rewriter, loc, x, axes, init,
          [&](OpBuilder &b, Location l, Value v, Value acc) -> Value {
            return isMax ? Value(arith::MaximumFOp::create(b, l, v, acc))
                         : Value(arith::MinimumFOp::create(b, l, v, acc));
          });
      return Value(tensor::ExtractOp::create(rewriter, loc, r, ValueRange{}));
    };
    Value zero = scalarConst(rewriter, loc, f32, 0);
    Value qmax = scalarConst(rewriter, loc, f32, 255);
    Value minx = arith::MinimumFOp::create(rewriter, loc, reduce(false), zero);
    Value maxx = arith::MaximumFOp::create(rewriter, loc, reduce(true), zero);
    Value scale = arith::DivFOp::create(
        rewriter, loc, arith::SubFOp::create(rewriter, loc, maxx, minx), qmax);
    Value zpf = arith::SubFOp::create(
        rewriter, loc, zero, arith::DivFOp::create(rewriter, loc, minx, scale));
    zpf = arith::MaximumFOp::create(rewriter, loc, zpf, zero);
    zpf = arith::MinimumFOp::create(rewriter, loc, zpf, qmax);
    zpf = math::RoundEvenOp::create(rewriter, loc, zpf);
    Value zp = arith::FPToUIOp::create(rewriter, loc, u8, zpf);
    Value y = buildGeneric(
        rewriter, loc, type, {x},
        {rewriter.getMultiDimIdentityMap(xt.getRank())},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value v = arith::DivFOp::create(b, l, a[0], scale);
          return quantizeScalar(b, l, v, zpf, elementTypeOf(raw->getResult(0)),
                                u8, NarrowCast());
        });
    Value scaleT = tensor::FromElementsOp::create(
        rewriter, loc, RankedTensorType::get({}, f32), ValueRange{scale});
    Value zpT = tensor::FromElementsOp::create(
        rewriter, loc, RankedTensorType::get({}, u8), ValueRange{zp});
    rewriter.replaceOp(raw, {y, scaleT, zpT});
    return success();
  }
};

} // namespace

void populateQuantizationPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<QuantizeLinearLowering, DequantizeLinearLowering,
        DynamicQuantizeLinearLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
