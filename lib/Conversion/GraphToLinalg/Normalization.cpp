//===- Normalization.cpp - BatchNormalization, Instance/LayerNormalization
//-===//
//
// Inference-mode BatchNormalization is one elementwise generic (the
// per-channel parameters are read through a (d1) map). Instance, layer and
// group normalisation compute mean and variance with two reductions, then
// one elementwise generic; RMS normalisation one reduction of squares.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

/// (x - mean) / sqrt(var + eps), all scalars.
Value normalize(OpBuilder &b, Location l, Value x, Value mean, Value var,
                double eps) {
  Value e = scalarConst(b, l, x.getType(), eps);
  Value d = math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, var, e));
  return arith::DivFOp::create(b, l, arith::SubFOp::create(b, l, x, mean), d);
}

/// Mean and (biased) variance of `x` over the sorted `axes`, as tensors of
/// the remaining dims.
std::pair<Value, Value> meanVariance(OpBuilder &b, Location loc, Value x,
                                     ArrayRef<int64_t> axes) {
  auto xt = cast<RankedTensorType>(x.getType());
  Type elem = xt.getElementType();
  int64_t rank = xt.getRank(), count = 1;
  for (int64_t a : axes)
    count *= xt.getDimSize(a);
  auto add = [](OpBuilder &nb, Location l, Value v, Value acc) -> Value {
    return arith::AddFOp::create(nb, l, v, acc);
  };
  Value zero = scalarConst(b, loc, elem, 0);
  Value sum = buildReduction(b, loc, x, axes, zero, add);
  auto keptType = cast<RankedTensorType>(sum.getType());
  AffineMap keptId = b.getMultiDimIdentityMap(keptType.getRank());
  auto divByCount = [&](Value v) {
    return buildGeneric(b, loc, keptType, {v}, {keptId},
                        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                          return arith::DivFOp::create(
                              nb, l, a[0], scalarConst(nb, l, elem, count));
                        });
  };
  Value mean = divByCount(sum);
  AffineMap id = b.getMultiDimIdentityMap(rank);
  AffineMap kept = dropDimsMap(b.getContext(), rank, axes);
  Value centeredSq =
      buildGeneric(b, loc, xt, {x, mean}, {id, kept},
                   [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                     Value d = arith::SubFOp::create(nb, l, a[0], a[1]);
                     return arith::MulFOp::create(nb, l, d, d);
                   });
  Value var = divByCount(buildReduction(b, loc, centeredSq, axes, zero, add));
  return {mean, var};
}

struct BatchNormLowering : OpConversionPattern<graph::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::BatchNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getY().getType());
    if (!type || !type.hasStaticShape() ||
        !isa<FloatType>(type.getElementType()))
      return unsupported(op, "result must be a static float tensor");
    if (intAttrOr(op, "training_mode", 0) != 0 ||
        !isa<NoneType>(op.getRunningMean().getType()) ||
        !isa<NoneType>(op.getRunningVar().getType()))
      return unsupported(op, "training mode");
    double eps = floatAttrOr(op, "epsilon", 1e-5);
    int64_t rank = type.getRank();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel =
        AffineMap::get(rank, 0, getAffineDimExpr(1, rewriter.getContext()));
    Value y =
        buildGeneric(rewriter, op.getLoc(), type,
                     {adaptor.getX(), adaptor.getScale(), adaptor.getB(),
                      adaptor.getInputMean(), adaptor.getInputVar()},
                     {id, channel, channel, channel, channel},
                     [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                       Value n = normalize(b, l, a[0], a[3], a[4], eps);
                       return arith::AddFOp::create(
                           b, l, arith::MulFOp::create(b, l, n, a[1]), a[2]);
                     });
    Location loc = op.getLoc();
    Value none = graph::NoneOp::create(rewriter, loc, rewriter.getNoneType());
    rewriter.replaceOp(op, {y, none, none});
    return success();
  }
};

struct InstanceNormLowering
    : OpConversionPattern<graph::InstanceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::InstanceNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    if (!type || !type.hasStaticShape() ||
        !isa<FloatType>(type.getElementType()))
      return unsupported(op, "result must be a static float tensor");
    double eps = floatAttrOr(op, "epsilon", 1e-5);
    int64_t rank = type.getRank();
    SmallVector<int64_t> axes;
    for (int64_t i = 2; i < rank; ++i)
      axes.push_back(i);
    Location loc = op.getLoc();
    auto [mean, var] = meanVariance(rewriter, loc, adaptor.getInput(), axes);
    MLIRContext *ctx = rewriter.getContext();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap nc = dropDimsMap(ctx, rank, axes);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    Value y = buildGeneric(
        rewriter, loc, type,
        {adaptor.getInput(), mean, var, adaptor.getScale(), adaptor.getB()},
        {id, nc, nc, channel, channel},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value n = normalize(b, l, a[0], a[1], a[2], eps);
          return arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, n, a[3]), a[4]);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<graph::LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::LayerNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getY().getType());
    if (!type || !type.hasStaticShape() ||
        !isa<FloatType>(type.getElementType()))
      return unsupported(op, "result must be a static float tensor");
    double eps = floatAttrOr(op, "epsilon", 1e-5);
    int64_t rank = type.getRank(), axis = intAttrOr(op, "axis", -1);
    if (axis < 0)
      axis += rank;
    SmallVector<int64_t> axes;
    for (int64_t i = axis; i < rank; ++i)
      axes.push_back(i);
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto [mean, var] = meanVariance(rewriter, loc, x, axes);
    MLIRContext *ctx = rewriter.getContext();
    ArrayRef<int64_t> shape = type.getShape();
    SmallVector<Value> inputs = {x, mean, var, adaptor.getScale()};
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(rank), dropDimsMap(ctx, rank, axes),
        dropDimsMap(ctx, rank, axes),
        broadcastMap(ctx,
                     cast<RankedTensorType>(inputs[3].getType()).getShape(),
                     shape)};
    bool hasBias = !graph::isNone(op.getB());
    if (hasBias) {
      inputs.push_back(adaptor.getB());
      maps.push_back(broadcastMap(
          ctx, cast<RankedTensorType>(adaptor.getB().getType()).getShape(),
          shape));
    }
    Value y = buildGeneric(
        rewriter, loc, type, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value n = arith::MulFOp::create(
              b, l, normalize(b, l, a[0], a[1], a[2], eps), a[3]);
          return hasBias ? Value(arith::AddFOp::create(b, l, n, a[4])) : n;
        });
    SmallVector<Value> results = {y};
    // Optional Mean and InvStdDev outputs (keepdims shape).
    for (unsigned i = 1; i < 3; ++i) {
      Value res = op->getResult(i);
      if (isa<NoneType>(res.getType())) {
        results.push_back(
            graph::NoneOp::create(rewriter, loc, rewriter.getNoneType()));
        continue;
      }
      auto rt = convertedTensorType(*getTypeConverter(), res.getType());
      if (!rt || !rt.hasStaticShape() ||
          rt.getElementType() != type.getElementType())
        return unsupported(op, "Mean/InvStdDev must be static like Y");
      Value v = mean;
      if (i == 2) {
        auto kt = cast<RankedTensorType>(var.getType());
        v = buildGeneric(rewriter, loc, kt, {var},
                         {rewriter.getMultiDimIdentityMap(kt.getRank())},
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           Value e = scalarConst(b, l, a[0].getType(), eps);
                           return math::RsqrtOp::create(
                               b, l, arith::AddFOp::create(b, l, a[0], e));
                         });
      }
      results.push_back(reshapeTo(rewriter, loc, v, rt));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// stash_type 1 asks for f32 statistics; hcc computes in the element type,
/// which is that for f32 and better for f64 (f16/bf16 would need casts).
LogicalResult checkStashType(Operation *op, Type elem) {
  if (intAttrOr(op, "stash_type", 1) == 1 && !elem.isF32() && !elem.isF64())
    return unsupported(op, "statistics in f32 (stash_type 1) of a " +
                               std::string(elem.isF16() ? "f16" : "bf16") +
                               " input");
  return success();
}

/// RMSNormalization-23: x / sqrt(mean(x^2 over axis..) + eps) * scale.
struct RMSNormLowering : OpConversionPattern<graph::RMSNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::RMSNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    if (!type || !type.hasStaticShape() ||
        !isa<FloatType>(type.getElementType()))
      return unsupported(op, "result must be a static float tensor");
    Type elem = type.getElementType();
    if (failed(checkStashType(op, elem)))
      return failure();
    double eps = op.getEpsilon().convertToDouble();
    int64_t rank = type.getRank(), axis = op.getAxis();
    if (axis < -rank || axis >= rank)
      return unsupported(op, "axis out of range");
    if (axis < 0)
      axis += rank;
    SmallVector<int64_t> axes;
    int64_t count = 1;
    for (int64_t i = axis; i < rank; ++i) {
      axes.push_back(i);
      count *= type.getDimSize(i);
    }
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getX(), scale = adaptor.getScale();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    Value squares =
        buildGeneric(rewriter, loc, type, {x}, {id},
                     [](OpBuilder &b, Location l, ValueRange a) -> Value {
                       return arith::MulFOp::create(b, l, a[0], a[0]);
                     });
    Value sum = buildReduction(
        rewriter, loc, squares, axes, scalarConst(rewriter, loc, elem, 0),
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          return arith::AddFOp::create(b, l, v, acc);
        });
    auto scaleType = cast<RankedTensorType>(scale.getType());
    Value y = buildGeneric(
        rewriter, loc, type, {x, sum, scale},
        {id, dropDimsMap(ctx, rank, axes),
         broadcastMap(ctx, scaleType.getShape(), type.getShape())},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value ms =
              arith::DivFOp::create(b, l, a[1], scalarConst(b, l, elem, count));
          Value r = math::RsqrtOp::create(
              b, l,
              arith::AddFOp::create(b, l, ms, scalarConst(b, l, elem, eps)));
          return arith::MulFOp::create(
              b, l, arith::MulFOp::create(b, l, a[0], r), a[2]);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// LpNormalization: x / (sum over axis of |x|^p)^(1/p), p 1 or 2; 0 where
/// the norm is 0 (as the onnx reference does).
struct LpNormLowering : OpConversionPattern<graph::LpNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::LpNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    if (!type || !type.hasStaticShape() ||
        !isa<FloatType>(type.getElementType()))
      return unsupported(op, "result must be a static float tensor");
    int64_t p = op.getP();
    if (p != 1 && p != 2)
      return unsupported(op, "p must be 1 or 2, got " + Twine(p));
    int64_t rank = type.getRank(), axis = op.getAxis();
    if (axis < -rank || axis >= rank)
      return unsupported(op, "axis out of range");
    if (axis < 0)
      axis += rank;
    Type elem = type.getElementType();
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    Value sum = buildReduction(
        rewriter, loc, x, {axis}, scalarConst(rewriter, loc, elem, 0),
        [&](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          Value t = p == 2 ? Value(arith::MulFOp::create(b, l, v, v))
                           : Value(math::AbsFOp::create(b, l, v));
          return arith::AddFOp::create(b, l, t, acc);
        });
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    Value y = buildGeneric(
        rewriter, loc, type, {x, sum},
        {id, dropDimsMap(rewriter.getContext(), rank, {axis})},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value norm = p == 2 ? Value(math::SqrtOp::create(b, l, a[1])) : a[1];
          // A zero norm gives 0, not 0 / 0.
          Value zero = scalarConst(b, l, elem, 0);
          Value isZero = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                               norm, zero);
          return arith::SelectOp::create(
              b, l, isZero, zero, arith::DivFOp::create(b, l, a[0], norm));
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// GroupNormalization: X [N, C, ...] viewed as [N, G, C/G, ...], statistics
/// per (n, g), then the per-channel scale and bias (GroupNormalization-21;
/// one per group, as GroupNormalization-18 defined them, is read too: the
/// two agree when G == C and nothing else is ambiguous).
struct GroupNormLowering : OpConversionPattern<graph::GroupNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GroupNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    if (!type || !type.hasStaticShape() || type.getRank() < 2 ||
        !isa<FloatType>(type.getElementType()))
      return unsupported(op, "result must be a static float tensor of rank "
                             ">= 2");
    Type elem = type.getElementType();
    if (failed(checkStashType(op, elem)))
      return failure();
    int64_t rank = type.getRank(), channels = type.getDimSize(1);
    int64_t groups = op.getNumGroups();
    if (groups <= 0 || channels % groups != 0)
      return unsupported(op, "num_groups must divide the channel count");
    int64_t perGroup = channels / groups;
    auto paramSize = [](Value v) {
      auto t = cast<RankedTensorType>(v.getType());
      return t.getRank() == 1 ? t.getDimSize(0) : int64_t(-1);
    };
    int64_t scaleSize = paramSize(adaptor.getScale());
    if (scaleSize != paramSize(adaptor.getBias()) ||
        (scaleSize != channels && scaleSize != groups))
      return unsupported(op, "scale and bias must have C (or num_groups) "
                             "entries");
    SmallVector<int64_t> grouped = {type.getDimSize(0), groups, perGroup};
    for (int64_t i = 2; i < rank; ++i)
      grouped.push_back(type.getDimSize(i));
    auto groupedType = RankedTensorType::get(grouped, elem);
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = reshapeTo(rewriter, loc, adaptor.getX(), groupedType);
    SmallVector<int64_t> axes;
    for (int64_t i = 2; i < rank + 1; ++i)
      axes.push_back(i);
    auto [mean, var] = meanVariance(rewriter, loc, x, axes);
    AffineExpr g = getAffineDimExpr(1, ctx), c = getAffineDimExpr(2, ctx);
    AffineMap param = AffineMap::get(
        rank + 1, 0, scaleSize == channels ? g * perGroup + c : g);
    AffineMap kept = dropDimsMap(ctx, rank + 1, axes);
    double eps = op.getEpsilon().convertToDouble();
    Value y = buildGeneric(
        rewriter, loc, groupedType,
        {x, mean, var, adaptor.getScale(), adaptor.getBias()},
        {rewriter.getMultiDimIdentityMap(rank + 1), kept, kept, param, param},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value n = normalize(b, l, a[0], a[1], a[2], eps);
          return arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, n, a[3]), a[4]);
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, y, type));
    return success();
  }
};

} // namespace

void populateNormalizationPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<BatchNormLowering, InstanceNormLowering, LayerNormLowering,
        RMSNormLowering, GroupNormLowering, LpNormLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
