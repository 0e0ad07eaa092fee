//===- Variants.cpp - training Dropout/BatchNorm, MaxPool Indices, LRN ----===//
//
// Variants of ops whose plain form lives elsewhere; these patterns have a
// higher benefit and decline (match failure, no diagnostic) the plain form.
//
// - Dropout with a training_mode operand that is not a constant false:
//   ratio and training_mode are read at run time. keep = !training ||
//   u >= ratio with u a counter-based hash of the element's linear index
//   and the seed attribute, uniform in [0, 1); the output is
//   keep ? x / (1 - ratio) : 0 in training, x otherwise. With ratio 0 this
//   is exactly the identity with an all-true mask.
// - BatchNormalization with training_mode = 1: batch mean and population
//   variance by reduction generics over all dims but 1, running statistics
//   blended with momentum.
// - MaxPool with the Indices output (or on unsigned integers): one
//   reduction generic with two outputs (max, flat index of the first
//   maximum, row- or column-major spatial order per storage_order) over the
//   input padded with the lowest value.
// - LRN: squares padded along the channel dim, a windowed sum generic, then
//   x / (bias + alpha / size * sum) ^ beta.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

/// The single element of a 0-d or one-element tensor.
Value scalarOf(OpBuilder &b, Location loc, Value t) {
  auto tt = cast<RankedTensorType>(t.getType());
  SmallVector<Value> zeros(tt.getRank(),
                           arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, t, zeros);
}

struct TrainingDropoutLowering : OpConversionPattern<graph::DropoutOp> {
  TrainingDropoutLowering(TypeConverter &tc, MLIRContext *ctx)
      : OpConversionPattern(tc, ctx, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(graph::DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (graph::isNone(op.getTrainingMode()))
      return failure();
    std::optional<double> t =
        constScalar(op.getTrainingMode(), adaptor.getTrainingMode());
    if (t && *t == 0)
      return failure(); // inference: DataMovement.cpp
    auto type =
        convertedTensorType(*getTypeConverter(), op.getOutput().getType());
    if (!type || !type.hasStaticShape())
      return unsupported(op, "result must be a static tensor");
    auto tt = dyn_cast<RankedTensorType>(adaptor.getTrainingMode().getType());
    if (!tt || !tt.hasStaticShape() || tt.getNumElements() != 1)
      return unsupported(op, "training_mode must be a scalar");
    Location loc = op.getLoc();
    Type elem = type.getElementType(), f32 = rewriter.getF32Type(),
         i32 = rewriter.getI32Type();
    Value training = scalarOf(rewriter, loc, adaptor.getTrainingMode());
    Value ratio;
    if (graph::isNone(op.getRatio())) {
      ratio = scalarConst(rewriter, loc, f32, 0.5);
    } else {
      auto rt = dyn_cast<RankedTensorType>(adaptor.getRatio().getType());
      if (!rt || !rt.hasStaticShape() || rt.getNumElements() != 1)
        return unsupported(op, "ratio must be a scalar");
      ratio = scalarOf(rewriter, loc, adaptor.getRatio());
      ratio = convertScalar(rewriter, loc, ratio, ratio.getType(), f32);
    }
    Value scale = arith::DivFOp::create(
        rewriter, loc, scalarConst(rewriter, loc, f32, 1),
        arith::SubFOp::create(rewriter, loc, scalarConst(rewriter, loc, f32, 1),
                              ratio));
    scale = arith::SelectOp::create(rewriter, loc, training, scale,
                                    scalarConst(rewriter, loc, f32, 1));
    scale = convertScalar(rewriter, loc, scale, f32, elem);
    int64_t seed = intAttrOr(op, "seed", 0);
    int64_t rank = type.getRank();
    ArrayRef<int64_t> shape = type.getShape();
    // keep = !training || hash(linear index, seed) >= ratio.
    auto keepAt = [&](OpBuilder &b, Location l) -> Value {
      Value lin = arith::ConstantIndexOp::create(b, l, 0);
      for (int64_t i = 0; i < rank; ++i) {
        lin = arith::MulIOp::create(
            b, l, lin, arith::ConstantIndexOp::create(b, l, shape[i]));
        lin =
            arith::AddIOp::create(b, l, lin, linalg::IndexOp::create(b, l, i));
      }
      Value h = arith::IndexCastOp::create(b, l, i32, lin);
      auto c = [&](uint32_t v) {
        return Value(arith::ConstantOp::create(
            b, l, b.getIntegerAttr(i32, APInt(32, v))));
      };
      auto xorShift = [&](Value v, uint32_t s) {
        return Value(arith::XOrIOp::create(
            b, l, v, arith::ShRUIOp::create(b, l, v, c(s))));
      };
      h = arith::AddIOp::create(
          b, l, arith::MulIOp::create(b, l, h, c(0x9E3779B1u)),
          c(static_cast<uint32_t>(seed * 0x632BE5ABu + 1)));
      h = xorShift(h, 16);
      h = arith::MulIOp::create(b, l, h, c(0x85EBCA6Bu));
      h = xorShift(h, 13);
      h = arith::MulIOp::create(b, l, h, c(0xC2B2AE35u));
      h = xorShift(h, 16);
      Value u = arith::UIToFPOp::create(b, l, f32,
                                        arith::ShRUIOp::create(b, l, h, c(8)));
      u = arith::MulFOp::create(b, l, u, scalarConst(b, l, f32, 0x1p-24));
      Value ge =
          arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, u, ratio);
      Value notTraining = arith::XOrIOp::create(
          b, l, training, arith::ConstantOp::create(b, l, b.getBoolAttr(true)));
      return arith::OrIOp::create(b, l, notTraining, ge);
    };
    Value y =
        buildGeneric(rewriter, loc, type, {adaptor.getData()},
                     {rewriter.getMultiDimIdentityMap(rank)},
                     [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                       Value v = arith::MulFOp::create(b, l, a[0], scale);
                       return arith::SelectOp::create(
                           b, l, keepAt(b, l), v, scalarConst(b, l, elem, 0));
                     });
    Value mask;
    if (isa<NoneType>(op.getMask().getType())) {
      mask = graph::NoneOp::create(rewriter, loc, rewriter.getNoneType());
    } else {
      auto mt = RankedTensorType::get(shape, rewriter.getI1Type());
      mask = buildGeneric(
          rewriter, loc, mt, {}, {},
          [&](OpBuilder &b, Location l, ValueRange) { return keepAt(b, l); });
    }
    rewriter.replaceOp(op, {y, mask});
    return success();
  }
};

struct TrainingBatchNormLowering
    : OpConversionPattern<graph::BatchNormalizationOp> {
  TrainingBatchNormLowering(TypeConverter &tc, MLIRContext *ctx)
      : OpConversionPattern(tc, ctx, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(graph::BatchNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (intAttrOr(op, "training_mode", 0) == 0)
      return failure(); // inference: Normalization.cpp
    Operation *raw = op.getOperation();
    auto type =
        convertedTensorType(*getTypeConverter(), raw->getResult(0).getType());
    Value x = adaptor.getX();
    auto xt = dyn_cast<RankedTensorType>(x.getType());
    if (!type || !type.hasStaticShape() || !xt || xt != type ||
        xt.getRank() < 2)
      return unsupported(op, "operands and result must be static tensors");
    Type elem = type.getElementType();
    if (!isa<FloatType>(elem))
      return unsupported(op, "non-float element types");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = xt.getRank(), c = xt.getDimSize(1);
    double eps = floatAttrOr(op, "epsilon", 1e-5);
    double momentum = floatAttrOr(op, "momentum", 0.9);
    SmallVector<int64_t> axes;
    double count = 1;
    for (int64_t i = 0; i < rank; ++i)
      if (i != 1) {
        axes.push_back(i);
        count *= xt.getDimSize(i);
      }
    auto cType = RankedTensorType::get({c}, elem);
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap chan = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    AffineMap id1 = rewriter.getMultiDimIdentityMap(1);
    auto divCount = [&](Value sum) {
      return buildGeneric(rewriter, loc, cType, {sum}, {id1},
                          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            return arith::DivFOp::create(
                                b, l, a[0], scalarConst(b, l, elem, count));
                          });
    };
    Value zero = scalarConst(rewriter, loc, elem, 0);
    Value mean = divCount(buildReduction(
        rewriter, loc, x, axes, zero,
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          return arith::AddFOp::create(b, l, v, acc);
        }));
    SmallVector<utils::IteratorType> iters;
    for (int64_t i = 0; i < rank; ++i)
      iters.push_back(i == 1 ? utils::IteratorType::parallel
                             : utils::IteratorType::reduction);
    Value sq = linalg::GenericOp::create(
                   rewriter, loc, TypeRange{cType}, ValueRange{x, mean},
                   ValueRange{filledTensor(rewriter, loc, cType, zero)},
                   ArrayRef<AffineMap>{id, chan, chan}, iters,
                   [](OpBuilder &b, Location l, ValueRange a) {
                     Value d = arith::SubFOp::create(b, l, a[0], a[1]);
                     Value s = arith::MulFOp::create(b, l, d, d);
                     linalg::YieldOp::create(
                         b, l, Value(arith::AddFOp::create(b, l, s, a[2])));
                   })
                   .getResult(0);
    Value var = divCount(sq);
    Value y = buildGeneric(
        rewriter, loc, type, {x, mean, var, adaptor.getScale(), adaptor.getB()},
        {id, chan, chan, chan, chan},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value d = arith::SubFOp::create(b, l, a[0], a[1]);
          Value den = math::SqrtOp::create(
              b, l,
              arith::AddFOp::create(b, l, a[2], scalarConst(b, l, elem, eps)));
          Value v = arith::MulFOp::create(
              b, l, arith::DivFOp::create(b, l, d, den), a[3]);
          return arith::AddFOp::create(b, l, v, a[4]);
        });
    auto blend = [&](Value running, Value current) {
      return buildGeneric(rewriter, loc, cType, {running, current}, {id1, id1},
                          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            Value r = arith::MulFOp::create(
                                b, l, a[0], scalarConst(b, l, elem, momentum));
                            Value cur = arith::MulFOp::create(
                                b, l, a[1],
                                scalarConst(b, l, elem, 1 - momentum));
                            return arith::AddFOp::create(b, l, r, cur);
                          });
    };
    SmallVector<Value> results = {y};
    Value stats[2] = {blend(adaptor.getInputMean(), mean),
                      blend(adaptor.getInputVar(), var)};
    for (unsigned i = 1; i < raw->getNumResults(); ++i) {
      if (isa<NoneType>(raw->getResult(i).getType()))
        results.push_back(
            graph::NoneOp::create(rewriter, loc, rewriter.getNoneType()));
      else
        results.push_back(stats[i - 1]);
    }
    rewriter.replaceOp(raw, results);
    return success();
  }
};

struct MaxPoolIndicesLowering : OpConversionPattern<graph::MaxPoolOp> {
  MaxPoolIndicesLowering(TypeConverter &tc, MLIRContext *ctx)
      : OpConversionPattern(tc, ctx, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(graph::MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *raw = op.getOperation();
    bool hasIndices =
        raw->getNumResults() > 1 && !isa<NoneType>(raw->getResult(1).getType());
    bool isUns = isUnsignedType(op.getX().getType());
    if (!hasIndices && !isUns)
      return failure(); // signed/float without Indices: Pooling.cpp
    auto type =
        convertedTensorType(*getTypeConverter(), raw->getResult(0).getType());
    Value x = adaptor.getX();
    auto xt = dyn_cast<RankedTensorType>(x.getType());
    if (!type || !type.hasStaticShape() || !xt || !xt.hasStaticShape() ||
        xt.getRank() < 3)
      return unsupported(op, "operands and results must be static tensors");
    if (hasIndices) {
      auto itype =
          convertedTensorType(*getTypeConverter(), raw->getResult(1).getType());
      if (!itype || !itype.getElementType().isInteger(64))
        return unsupported(op, "Indices must be int64");
    }
    Type elem = type.getElementType();
    if (!elem.isIntOrFloat())
      return unsupported(op, "non-numeric element types");
    SmallVector<int64_t> kernel = intsAttr(op, "kernel_shape");
    int64_t n = xt.getRank() - 2;
    if ((int64_t)kernel.size() != n)
      return unsupported(op, "kernel_shape must match the input rank");
    FailureOr<Window> w = readWindow(op, xt.getShape().drop_front(2), kernel,
                                     type.getShape().drop_front(2));
    if (failed(w))
      return failure();
    bool colMajor = intAttrOr(op, "storage_order", 0) != 0;
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value lowest = lowestValue(rewriter, loc, elem, isUns);
    Value padded = padSpatial(rewriter, loc, x, *w, lowest);
    Value kernelT = tensor::EmptyOp::create(rewriter, loc, w->kernel,
                                            rewriter.getF32Type());
    Type i64 = rewriter.getI64Type();
    auto i64Type = RankedTensorType::get(type.getShape(), i64);
    Value vals = filledTensor(rewriter, loc, type, lowest);
    Value idxs = filledTensor(rewriter, loc, i64Type,
                              scalarConst(rewriter, loc, i64, 0));
    int64_t numLoops = 2 + 2 * n;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> xe = {d(0), d(1)}, ke, oe = {d(0), d(1)};
    for (int64_t i = 0; i < n; ++i) {
      xe.push_back(d(2 + i) * w->strides[i] + d(2 + n + i) * w->dilations[i]);
      ke.push_back(d(2 + n + i));
      oe.push_back(d(2 + i));
    }
    AffineMap om = AffineMap::get(numLoops, 0, oe, ctx);
    SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, xe, ctx),
                                   AffineMap::get(numLoops, 0, ke, ctx), om,
                                   om};
    SmallVector<utils::IteratorType> iters(2 + n,
                                           utils::IteratorType::parallel);
    iters.append(n, utils::IteratorType::reduction);
    int64_t c = xt.getDimSize(1);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type, i64Type}, ValueRange{padded, kernelT},
        ValueRange{vals, idxs}, maps, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          auto cst = [&](int64_t v) {
            return Value(arith::ConstantIndexOp::create(b, l, v));
          };
          auto idx = [&](int64_t i) {
            return Value(linalg::IndexOp::create(b, l, i));
          };
          // Flat index: (n * C + c) * prod(spatial) + spatial offset.
          Value flat = arith::AddIOp::create(
              b, l, arith::MulIOp::create(b, l, idx(0), cst(c)), idx(1));
          SmallVector<Value> pos;
          for (int64_t i = 0; i < n; ++i) {
            Value p =
                arith::MulIOp::create(b, l, idx(2 + i), cst(w->strides[i]));
            p = arith::AddIOp::create(
                b, l, p,
                arith::MulIOp::create(b, l, idx(2 + n + i),
                                      cst(w->dilations[i])));
            pos.push_back(arith::SubIOp::create(b, l, p, cst(w->padLow[i])));
          }
          int64_t total = 1;
          for (int64_t i = 0; i < n; ++i)
            total *= xt.getDimSize(2 + i);
          flat = arith::MulIOp::create(b, l, flat, cst(total));
          Value off = cst(0);
          for (int64_t j = 0; j < n; ++j) {
            int64_t i = colMajor ? n - 1 - j : j;
            off = arith::MulIOp::create(b, l, off, cst(xt.getDimSize(2 + i)));
            off = arith::AddIOp::create(b, l, off, pos[i]);
          }
          flat = arith::AddIOp::create(b, l, flat, off);
          flat = arith::IndexCastOp::create(b, l, i64, flat);
          Value better =
              isa<FloatType>(elem)
                  ? Value(arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT,
                                                a[0], a[2]))
                  : Value(arith::CmpIOp::create(b, l,
                                                isUns
                                                    ? arith::CmpIPredicate::ugt
                                                    : arith::CmpIPredicate::sgt,
                                                a[0], a[2]));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, better, a[0], a[2]),
                         arith::SelectOp::create(b, l, better, flat, a[3])});
        });
    SmallVector<Value> results = {generic.getResult(0)};
    if (hasIndices)
      results.push_back(generic.getResult(1));
    else if (raw->getNumResults() > 1)
      results.push_back(
          graph::NoneOp::create(rewriter, loc, rewriter.getNoneType()));
    rewriter.replaceOp(raw, results);
    return success();
  }
};

struct LRNLowering : OpConversionPattern<graph::LRNOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::LRNOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    Value x = adaptor.getX();
    if (!type || !type.hasStaticShape() || x.getType() != type ||
        type.getRank() < 2)
      return unsupported(op, "operands and result must be static tensors");
    Type elem = type.getElementType();
    if (!isa<FloatType>(elem))
      return unsupported(op, "non-float element types");
    int64_t size = op.getSize();
    if (size <= 0)
      return unsupported(op, "size must be positive");
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    double bias = op.getBias().convertToDouble();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = type.getRank();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    Value sq =
        buildGeneric(rewriter, loc, type, {x}, {id},
                     [](OpBuilder &b, Location l, ValueRange a) {
                       return Value(arith::MulFOp::create(b, l, a[0], a[0]));
                     });
    int64_t lo = (size - 1) / 2, hi = size - 1 - lo;
    SmallVector<int64_t> pshape(type.getShape());
    pshape[1] += lo + hi;
    SmallVector<OpFoldResult> low(rank, rewriter.getIndexAttr(0)),
        high(rank, rewriter.getIndexAttr(0));
    low[1] = rewriter.getIndexAttr(lo);
    high[1] = rewriter.getIndexAttr(hi);
    Value padded = tensor::PadOp::create(
        rewriter, loc, RankedTensorType::get(pshape, elem), sq, low, high,
        scalarConst(rewriter, loc, elem, 0));
    // Loops (d0..d{rank-1}, j): sum[d] += padded[d0, d1 + j, ...].
    SmallVector<AffineExpr> pe;
    for (int64_t i = 0; i < rank; ++i)
      pe.push_back(i == 1
                       ? getAffineDimExpr(1, ctx) + getAffineDimExpr(rank, ctx)
                       : getAffineDimExpr(i, ctx));
    SmallVector<AffineExpr> oe;
    for (int64_t i = 0; i < rank; ++i)
      oe.push_back(getAffineDimExpr(i, ctx));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, pe, ctx),
        AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, ctx)),
        AffineMap::get(rank + 1, 0, oe, ctx)};
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    Value window = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{size}, rewriter.getF32Type());
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{type}, ValueRange{padded, window},
            ValueRange{filledTensor(rewriter, loc, type,
                                    scalarConst(rewriter, loc, elem, 0))},
            maps, iters,
            [](OpBuilder &b, Location l, ValueRange a) {
              linalg::YieldOp::create(
                  b, l, Value(arith::AddFOp::create(b, l, a[0], a[2])));
            })
            .getResult(0);
    Value y = buildGeneric(
        rewriter, loc, type, {x, sum}, {id, id},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value s = arith::MulFOp::create(
              b, l, a[1], scalarConst(b, l, elem, alpha / size));
          s = arith::AddFOp::create(b, l, s, scalarConst(b, l, elem, bias));
          s = math::PowFOp::create(b, l, s, scalarConst(b, l, elem, beta));
          return arith::DivFOp::create(b, l, a[0], s);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateVariantsPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<TrainingDropoutLowering, TrainingBatchNormLowering,
        MaxPoolIndicesLowering, LRNLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
