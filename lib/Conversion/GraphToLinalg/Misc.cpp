//===- Misc.cpp - Trilu, Hardmax, CumSum/Prod, EyeLike, OneHot, windows ---===//
//
// Ops computed from positions: masks and generated tensors are one
// linalg.generic reading linalg.index (Trilu, EyeLike, OneHot, the
// Hann/Hamming/Blackman windows); Hardmax is an argmax reduction followed by
// a compare; CumSum and CumProd are a reduction generic over an extra loop
// along the axis with a triangular mask (reading through tensor.extract when
// the axis is only known at run time); MeanVarianceNormalization is two sum
// reductions and one elementwise generic.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

#include <cmath>

using namespace mlir;

namespace hcc::g2l {
namespace {

/// The single element of a rank-0 or one-element tensor, as a scalar.
Value extractScalar(OpBuilder &b, Location loc, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  SmallVector<Value> zeros(t.getRank(),
                           arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, v, zeros);
}

Value indexAsI64(OpBuilder &b, Location loc, int64_t dim) {
  return arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                    linalg::IndexOp::create(b, loc, dim));
}

/// col - row (i64) of the current element of a generic whose rows are dim
/// `rowDim` and columns dim `rowDim + 1`.
Value diagonalOffset(OpBuilder &b, Location loc, int64_t rowDim) {
  Value row = indexAsI64(b, loc, rowDim);
  Value col = indexAsI64(b, loc, rowDim + 1);
  return arith::SubIOp::create(b, loc, col, row);
}

Value addOf(OpBuilder &b, Location l, Value x, Value y) {
  return isa<FloatType>(x.getType()) ? Value(arith::AddFOp::create(b, l, x, y))
                                     : Value(arith::AddIOp::create(b, l, x, y));
}

/// Trilu: keep x where (col - row) >= k (upper) or <= k (lower), else 0.
struct TriluLowering : OpConversionPattern<graph::TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    int64_t rank = type->getRank();
    if (rank < 2)
      return unsupported(op, "input must have rank >= 2");
    Location loc = op.getLoc();
    Value k = graph::isNone(op.getK())
                  ? scalarConst(rewriter, loc, rewriter.getI64Type(), 0)
                  : extractScalar(rewriter, loc, adaptor.getK());
    bool upper = op.getUpper() != 0;
    Type elem = type->getElementType();
    Value r = buildGeneric(
        rewriter, loc, *type, {adaptor.getInput()},
        {rewriter.getMultiDimIdentityMap(rank)},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value diff = diagonalOffset(b, l, rank - 2);
          Value keep = arith::CmpIOp::create(b, l,
                                             upper ? arith::CmpIPredicate::sge
                                                   : arith::CmpIPredicate::sle,
                                             diff, k);
          return arith::SelectOp::create(b, l, keep, a[0],
                                         scalarConst(b, l, elem, 0));
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Hardmax: 1 at the first maximum along `axis`, 0 elsewhere.
struct HardmaxLowering : OpConversionPattern<graph::HardmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::HardmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Type elem = type->getElementType();
    if (!isa<FloatType>(elem))
      return unsupported(op, "input must be a float tensor");
    int64_t rank = type->getRank(), axis = op.getAxis();
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return unsupported(op, "axis out of range");
    Location loc = op.getLoc();
    SmallVector<int64_t> keptShape;
    SmallVector<utils::IteratorType> iters;
    for (int64_t i = 0; i < rank; ++i) {
      iters.push_back(i == axis ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
      if (i != axis)
        keptShape.push_back(type->getDimSize(i));
    }
    auto valType = RankedTensorType::get(keptShape, elem);
    auto idxType = RankedTensorType::get(keptShape, rewriter.getI64Type());
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    AffineMap kept = dropDimsMap(rewriter.getContext(), rank, {axis});
    auto argmax = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valType, idxType},
        ValueRange{adaptor.getInput()},
        ValueRange{
            filledTensor(rewriter, loc, valType,
                         lowestValue(rewriter, loc, elem, false)),
            filledTensor(rewriter, loc, idxType,
                         scalarConst(rewriter, loc, rewriter.getI64Type(), 0))},
        SmallVector<AffineMap>{id, kept, kept}, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value better = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT,
                                               a[0], a[1]);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, better, a[0], a[1]),
                         arith::SelectOp::create(
                             b, l, better, indexAsI64(b, l, axis), a[2])});
        });
    Value r = buildGeneric(
        rewriter, loc, *type, {argmax.getResult(1)}, {kept},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                            indexAsI64(b, l, axis), a[0]);
          return arith::SelectOp::create(b, l, hit, scalarConst(b, l, elem, 1),
                                         scalarConst(b, l, elem, 0));
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Whether position `t` along the axis contributes to output position `i`.
Value cumSumTakes(OpBuilder &b, Location l, Value t, Value i, bool exclusive,
                  bool reverse) {
  using P = arith::CmpIPredicate;
  P p = reverse ? (exclusive ? P::sgt : P::sge) : (exclusive ? P::slt : P::sle);
  return arith::CmpIOp::create(b, l, p, t, i);
}

/// CumSum (CumProd): out[..i..] = sum (product) over t of x[..t..] where
/// t <= i (strictly for exclusive, >= for reverse). The iteration space is
/// the output's plus one reduction dimension t.
template <typename OpTy, bool Product>
struct CumulativeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  static Value combine(OpBuilder &b, Location l, Value v, Value acc) {
    if (!Product)
      return addOf(b, l, v, acc);
    return isa<FloatType>(v.getType())
               ? Value(arith::MulFOp::create(b, l, v, acc))
               : Value(arith::MulIOp::create(b, l, v, acc));
  }
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type =
        staticResultType(this->getTypeConverter(), op);
    if (failed(type))
      return failure();
    int64_t rank = type->getRank();
    if (rank == 0)
      return unsupported(op, "input must have rank >= 1");
    Type elem = type->getElementType();
    bool exclusive = op.getExclusive() != 0, reverse = op.getReverse() != 0;
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getX();
    double identity = Product ? 1 : 0;
    Value init = filledTensor(rewriter, loc, *type,
                              scalarConst(rewriter, loc, elem, identity));
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < rank; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    AffineMap outMap = AffineMap::get(rank + 1, 0, outExprs, ctx);

    if (auto axes = constInts(op.getAxis(), adaptor.getAxis())) {
      if (axes->size() != 1)
        return unsupported(op, "axis must hold one value");
      int64_t axis = (*axes)[0] < 0 ? (*axes)[0] + rank : (*axes)[0];
      if (axis < 0 || axis >= rank)
        return unsupported(op, "axis out of range");
      SmallVector<AffineExpr> inExprs(outExprs);
      inExprs[axis] = getAffineDimExpr(rank, ctx);
      AffineMap inMap = AffineMap::get(rank + 1, 0, inExprs, ctx);
      auto g = linalg::GenericOp::create(
          rewriter, loc, TypeRange{*type}, ValueRange{x}, ValueRange{init},
          SmallVector<AffineMap>{inMap, outMap}, iters,
          [&](OpBuilder &b, Location l, ValueRange a) {
            Value take = cumSumTakes(b, l, linalg::IndexOp::create(b, l, rank),
                                     linalg::IndexOp::create(b, l, axis),
                                     exclusive, reverse);
            Value v = arith::SelectOp::create(
                b, l, take, a[0], scalarConst(b, l, elem, identity));
            linalg::YieldOp::create(b, l, combine(b, l, v, a[1]));
          });
      rewriter.replaceOp(op, g.getResult(0));
      return success();
    }

    // Axis known at run time: t runs over the largest dimension and the
    // body reads x through tensor.extract with t put at the axis.
    int64_t maxDim = 1;
    for (int64_t d : type->getShape())
      maxDim = std::max(maxDim, d);
    Value axis = extractScalar(rewriter, loc, adaptor.getAxis());
    if (!axis.getType().isInteger(64))
      axis = arith::ExtSIOp::create(rewriter, loc, rewriter.getI64Type(), axis);
    Value rankV = scalarConst(rewriter, loc, rewriter.getI64Type(), rank);
    Value negative = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::slt, axis,
        scalarConst(rewriter, loc, rewriter.getI64Type(), 0));
    axis = arith::SelectOp::create(
        rewriter, loc, negative,
        arith::AddIOp::create(rewriter, loc, axis, rankV), axis);
    auto tType = RankedTensorType::get({maxDim}, rewriter.getI1Type());
    Value tExtent = filledTensor(
        rewriter, loc, tType,
        arith::ConstantOp::create(rewriter, loc, rewriter.getBoolAttr(false)));
    AffineMap tMap = AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, ctx));
    auto g = linalg::GenericOp::create(
        rewriter, loc, TypeRange{*type}, ValueRange{tExtent}, ValueRange{init},
        SmallVector<AffineMap>{tMap, outMap}, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value t = linalg::IndexOp::create(b, l, rank);
          Value c0 = arith::ConstantIndexOp::create(b, l, 0);
          Value pos = c0, len = c0;
          SmallVector<Value> isAxis;
          for (int64_t d = 0; d < rank; ++d) {
            isAxis.push_back(
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, axis,
                                      scalarConst(b, l, b.getI64Type(), d)));
            pos = arith::SelectOp::create(
                b, l, isAxis[d], linalg::IndexOp::create(b, l, d), pos);
            len = arith::SelectOp::create(
                b, l, isAxis[d],
                arith::ConstantIndexOp::create(b, l, type->getDimSize(d)), len);
          }
          Value inRange =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, len);
          Value take = arith::AndIOp::create(
              b, l, inRange, cumSumTakes(b, l, t, pos, exclusive, reverse));
          Value safeT = arith::SelectOp::create(b, l, inRange, t, c0);
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d)
            coords.push_back(arith::SelectOp::create(
                b, l, isAxis[d], safeT, linalg::IndexOp::create(b, l, d)));
          Value v = tensor::ExtractOp::create(b, l, x, coords);
          v = arith::SelectOp::create(b, l, take, v,
                                      scalarConst(b, l, elem, identity));
          linalg::YieldOp::create(b, l, combine(b, l, v, a[1]));
        });
    rewriter.replaceOp(op, g.getResult(0));
    return success();
  }
};

/// EyeLike: 1 where col - row == k.
struct EyeLikeLowering : OpConversionPattern<graph::EyeLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::EyeLikeOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    if (type->getRank() != 2)
      return unsupported(op, "input must be 2-D");
    int64_t k = op.getK();
    Type elem = type->getElementType();
    Value r = buildGeneric(
        rewriter, op.getLoc(), *type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          Value diff = diagonalOffset(b, l, 0);
          Value hit =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, diff,
                                    scalarConst(b, l, b.getI64Type(), k));
          return arith::SelectOp::create(b, l, hit, scalarConst(b, l, elem, 1),
                                         scalarConst(b, l, elem, 0));
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// OneHot: on_value where the (wrapped) index equals the position along the
/// new axis, off_value elsewhere. depth is the static size of that axis.
struct OneHotLowering : OpConversionPattern<graph::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::OneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    auto it = dyn_cast<RankedTensorType>(adaptor.getIndices().getType());
    if (!it || !it.hasStaticShape())
      return unsupported(op, "indices must be a static tensor");
    int64_t rank = type->getRank(), axis = op.getAxis();
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank || it.getRank() != rank - 1)
      return unsupported(op, "axis out of range");
    int64_t depth = type->getDimSize(axis);
    if (auto d = constScalar(op.getDepth(), adaptor.getDepth());
        d && static_cast<int64_t>(*d) != depth)
      return unsupported(op, "depth disagrees with the result type");
    Location loc = op.getLoc();
    Type idxElem = elementTypeOf(op.getIndices());
    Value values = adaptor.getValues();
    Value off = tensor::ExtractOp::create(
        rewriter, loc, values,
        ValueRange{arith::ConstantIndexOp::create(rewriter, loc, 0)});
    Value on = tensor::ExtractOp::create(
        rewriter, loc, values,
        ValueRange{arith::ConstantIndexOp::create(rewriter, loc, 1)});
    Value r = buildGeneric(
        rewriter, loc, *type, {adaptor.getIndices()},
        {dropDimsMap(rewriter.getContext(), rank, {axis})},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Type i64 = b.getI64Type();
          Value idx = convertScalar(b, l, a[0], idxElem, i64);
          Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                            idx, scalarConst(b, l, i64, 0));
          idx = arith::SelectOp::create(
              b, l, neg,
              arith::AddIOp::create(b, l, idx, scalarConst(b, l, i64, depth)),
              idx);
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, idx,
                                            indexAsI64(b, l, axis));
          return arith::SelectOp::create(b, l, hit, on, off);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

enum class WindowKind { Hann, Hamming, Blackman };

/// Hann/Hamming/Blackman windows of the static result length N, computed
/// in f64: a0 - a1 cos(2 pi n / M) + a2 cos(4 pi n / M), M = N (periodic)
/// or N - 1 (symmetric).
template <typename OpTy, WindowKind kind>
struct WindowLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type =
        staticResultType(this->getTypeConverter(), op);
    if (failed(type))
      return failure();
    if (type->getRank() != 1)
      return unsupported(op, "result must be 1-D");
    int64_t n = type->getDimSize(0);
    double m = op.getPeriodic() != 0 ? n : n - 1;
    double a0 = 0.5, a1 = 0.5, a2 = 0;
    if (kind == WindowKind::Hamming) {
      a0 = 25.0 / 46.0;
      a1 = 1 - a0;
    } else if (kind == WindowKind::Blackman) {
      a0 = 0.42;
      a2 = 0.08;
    }
    Type elem = type->getElementType();
    Value r = buildGeneric(
        rewriter, op.getLoc(), *type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          Type f64 = b.getF64Type();
          Value i = arith::SIToFPOp::create(b, l, f64, indexAsI64(b, l, 0));
          Value angle = arith::MulFOp::create(
              b, l, i, scalarConst(b, l, f64, 2 * M_PI / m));
          Value v = arith::SubFOp::create(
              b, l, scalarConst(b, l, f64, a0),
              arith::MulFOp::create(b, l, scalarConst(b, l, f64, a1),
                                    math::CosOp::create(b, l, angle)));
          if (a2 != 0) {
            Value twice = arith::AddFOp::create(b, l, angle, angle);
            v = arith::AddFOp::create(
                b, l, v,
                arith::MulFOp::create(b, l, scalarConst(b, l, f64, a2),
                                      math::CosOp::create(b, l, twice)));
          }
          return convertScalar(b, l, v, f64, elem);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// MeanVarianceNormalization: (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9)
/// over `axes`, as the ONNX function body computes it.
struct MvnLowering : OpConversionPattern<graph::MeanVarianceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::MeanVarianceNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Type elem = type->getElementType();
    if (!isa<FloatType>(elem))
      return unsupported(op, "input must be a float tensor");
    int64_t rank = type->getRank();
    SmallVector<int64_t> axes = graph::getI64s(op.getAxes());
    for (int64_t &a : axes) {
      if (a < 0)
        a += rank;
      if (a < 0 || a >= rank)
        return unsupported(op, "axes out of range");
    }
    llvm::sort(axes);
    axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
    int64_t count = 1;
    for (int64_t a : axes)
      count *= type->getDimSize(a);
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    Value sum = buildReduction(
        rewriter, loc, x, axes, scalarConst(rewriter, loc, elem, 0),
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          return arith::AddFOp::create(b, l, v, acc);
        });
    Value sumSq = buildReduction(
        rewriter, loc, x, axes, scalarConst(rewriter, loc, elem, 0),
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          return arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, v, v),
                                       acc);
        });
    AffineMap kept = dropDimsMap(rewriter.getContext(), rank, axes);
    Value r = buildGeneric(
        rewriter, loc, *type, {x, sum, sumSq},
        {rewriter.getMultiDimIdentityMap(rank), kept, kept},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value n = scalarConst(b, l, elem, count);
          Value mean = arith::DivFOp::create(b, l, a[1], n);
          Value meanSq = arith::DivFOp::create(b, l, a[2], n);
          Value var = arith::SubFOp::create(
              b, l, meanSq, arith::MulFOp::create(b, l, mean, mean));
          Value sd = math::SqrtOp::create(b, l, var);
          Value std =
              arith::AddFOp::create(b, l, sd, scalarConst(b, l, elem, 1e-9));
          return arith::DivFOp::create(
              b, l, arith::SubFOp::create(b, l, a[0], mean), std);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

void populateMiscPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<TriluLowering, HardmaxLowering,
        CumulativeLowering<graph::CumSumOp, false>,
        CumulativeLowering<graph::CumProdOp, true>, EyeLikeLowering,
        OneHotLowering, WindowLowering<graph::HannWindowOp, WindowKind::Hann>,
        WindowLowering<graph::HammingWindowOp, WindowKind::Hamming>,
        WindowLowering<graph::BlackmanWindowOp, WindowKind::Blackman>,
        MvnLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
