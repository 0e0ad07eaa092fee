//===- Pooling.cpp - MaxPool, AveragePool, global pools -------------------===//
//
// 1-D and 2-D pools use linalg.pooling_nc{w,hw}_{max,sum}; other ranks a
// linalg.generic of the same shape. Padding is a tensor.pad with the
// reduction's neutral value. AveragePool divides by a per-position count
// computed at compile time (shapes are static), which covers
// count_include_pad and ceil_mode windows that hang over the edge. LpPool
// and GlobalLpPool sum |x|^p (zero padding) and take the p-th root.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

enum class PoolKind { Max, Sum, Lp };

/// |x|^p elementwise (x * x for p = 2).
Value powAbs(OpBuilder &b, Location loc, Value x, int64_t p) {
  auto t = cast<RankedTensorType>(x.getType());
  Type elem = t.getElementType();
  return buildGeneric(b, loc, t, {x}, {b.getMultiDimIdentityMap(t.getRank())},
                      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                        if (p == 2)
                          return arith::MulFOp::create(nb, l, a[0], a[0]);
                        Value abs = math::AbsFOp::create(nb, l, a[0]);
                        if (p == 1)
                          return abs;
                        return math::PowFOp::create(
                            nb, l, abs, scalarConst(nb, l, elem, p));
                      });
}

/// y^(1/p) elementwise (sqrt for p = 2).
Value root(OpBuilder &b, Location loc, Value y, int64_t p) {
  if (p == 1)
    return y;
  auto t = cast<RankedTensorType>(y.getType());
  Type elem = t.getElementType();
  return buildGeneric(b, loc, t, {y}, {b.getMultiDimIdentityMap(t.getRank())},
                      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                        if (p == 2)
                          return math::SqrtOp::create(nb, l, a[0]);
                        return math::PowFOp::create(
                            nb, l, a[0],
                            scalarConst(nb, l, elem, 1.0 / double(p)));
                      });
}

Value combine(OpBuilder &b, Location l, PoolKind kind, Value x, Value acc) {
  bool f = isa<FloatType>(x.getType());
  if (kind == PoolKind::Max)
    return f ? Value(arith::MaximumFOp::create(b, l, x, acc))
             : Value(arith::MaxSIOp::create(b, l, x, acc));
  return f ? Value(arith::AddFOp::create(b, l, x, acc))
           : Value(arith::AddIOp::create(b, l, x, acc));
}

/// Pools the padded input `x` into `init` (shape [N, C, O...]).
Value buildPool(OpBuilder &b, Location loc, PoolKind kind, Value x, Value init,
                const Window &w) {
  auto type = cast<RankedTensorType>(init.getType());
  int64_t n = w.kernel.size();
  Value kernel = tensor::EmptyOp::create(b, loc, w.kernel, b.getF32Type());
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("strides", b.getI64VectorAttr(w.strides)),
      b.getNamedAttr("dilations", b.getI64VectorAttr(w.dilations))};
  TypeRange rt(type);
  if (n == 2 && kind == PoolKind::Max)
    return linalg::PoolingNchwMaxOp::create(b, loc, rt, ValueRange{x, kernel},
                                            init, attrs)
        .getResult(0);
  if (n == 2)
    return linalg::PoolingNchwSumOp::create(b, loc, rt, ValueRange{x, kernel},
                                            init, attrs)
        .getResult(0);
  if (n == 1 && kind == PoolKind::Max)
    return linalg::PoolingNcwMaxOp::create(b, loc, rt, ValueRange{x, kernel},
                                           init, attrs)
        .getResult(0);
  if (n == 1)
    return linalg::PoolingNcwSumOp::create(b, loc, rt, ValueRange{x, kernel},
                                           init, attrs)
        .getResult(0);
  // Loops (n, c, o..., k...); the kernel operand only carries the k bounds.
  MLIRContext *ctx = b.getContext();
  int64_t numLoops = 2 + 2 * n;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xe = {d(0), d(1)}, ke, oe = {d(0), d(1)};
  for (int64_t i = 0; i < n; ++i) {
    xe.push_back(d(2 + i) * w.strides[i] + d(2 + n + i) * w.dilations[i]);
    ke.push_back(d(2 + n + i));
    oe.push_back(d(2 + i));
  }
  SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, xe, ctx),
                                 AffineMap::get(numLoops, 0, ke, ctx),
                                 AffineMap::get(numLoops, 0, oe, ctx)};
  SmallVector<utils::IteratorType> iters(2 + n, utils::IteratorType::parallel);
  iters.append(n, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, rt, ValueRange{x, kernel}, ValueRange{init}, maps, iters,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               linalg::YieldOp::create(nb, l, combine(nb, l, kind, a[0], a[2]));
             })
      .getResult(0);
}

template <typename OpTy, PoolKind kind>
struct PoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *raw = op.getOperation();
    auto type = convertedTensorType(*this->getTypeConverter(),
                                    raw->getResult(0).getType());
    Value x = adaptor.getX();
    auto xt = dyn_cast<RankedTensorType>(x.getType());
    if (!allStaticTensors({type, xt}))
      return unsupported(op, "operands and result must be static tensors");
    if (raw->getNumResults() > 1 && !isa<NoneType>(raw->getResult(1).getType()))
      return unsupported(op, "the Indices output");
    if (isUnsignedType(raw->getOperand(0).getType()))
      return unsupported(op, "unsigned element types");
    Type elem = type.getElementType();
    if (kind != PoolKind::Max && !isa<FloatType>(elem))
      return unsupported(op, "integer average pooling");
    Location loc = op.getLoc();
    int64_t p = intAttrOr(op, "p", 2);
    if (kind == PoolKind::Lp) {
      if (p < 1)
        return unsupported(op, "p must be positive, got " + Twine(p));
      x = powAbs(rewriter, loc, x, p);
    }
    SmallVector<int64_t> kernel = intsAttr(op, "kernel_shape");
    if (kernel.size() + 2 != static_cast<size_t>(xt.getRank()))
      return unsupported(op, "kernel_shape must match the input rank");
    FailureOr<Window> w = readWindow(op, xt.getShape().drop_front(2), kernel,
                                     type.getShape().drop_front(2));
    if (failed(w))
      return failure();
    Value neutral = kind == PoolKind::Max
                        ? lowestValue(rewriter, loc, elem, false)
                        : scalarConst(rewriter, loc, elem, 0);
    Value padded = padSpatial(rewriter, loc, x, *w, neutral);
    Value init = filledTensor(rewriter, loc, type, neutral);
    Value result =
        buildPool(rewriter, loc, kind == PoolKind::Max ? kind : PoolKind::Sum,
                  padded, init, *w);
    if (kind == PoolKind::Sum)
      result = divideByCount(rewriter, loc, op, result, xt, *w);
    if (kind == PoolKind::Lp)
      result = root(rewriter, loc, result, p);
    SmallVector<Value> results = {result};
    if (raw->getNumResults() > 1)
      results.push_back(
          graph::NoneOp::create(rewriter, loc, rewriter.getNoneType()));
    rewriter.replaceOp(raw, results);
    return success();
  }

  /// Divides window sums by the number of elements each window counts.
  static Value divideByCount(OpBuilder &b, Location loc, Operation *op,
                             Value sum, RankedTensorType xt, const Window &w) {
    auto type = cast<RankedTensorType>(sum.getType());
    bool includePad = intAttrOr(op, "count_include_pad", 0) != 0;
    int64_t n = w.kernel.size();
    ArrayRef<int64_t> outShape = type.getShape().drop_front(2);
    // Per dimension, the count of each output position.
    SmallVector<SmallVector<int64_t>> perDim(n);
    for (int64_t i = 0; i < n; ++i) {
      int64_t in = xt.getDimSize(i + 2);
      int64_t lo = includePad ? -w.padLow[i] : 0;
      int64_t hi = includePad ? in + w.declaredHigh[i] : in;
      for (int64_t o = 0; o < outShape[i]; ++o) {
        int64_t count = 0;
        for (int64_t k = 0; k < w.kernel[i]; ++k) {
          int64_t pos = o * w.strides[i] + k * w.dilations[i] - w.padLow[i];
          count += pos >= lo && pos < hi;
        }
        perDim[i].push_back(std::max<int64_t>(count, 1));
      }
    }
    SmallVector<double> counts(1, 1.0);
    for (int64_t i = 0; i < n; ++i) {
      SmallVector<double> next;
      for (double c : counts)
        for (int64_t v : perDim[i])
          next.push_back(c * v);
      counts = std::move(next);
    }
    Type elem = type.getElementType();
    bool uniform = llvm::all_equal(counts);
    SmallVector<Value> inputs = {sum};
    SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(type.getRank())};
    if (!uniform) {
      auto countType = RankedTensorType::get(outShape, elem);
      SmallVector<APFloat> values;
      for (double c : counts) {
        APFloat v(c);
        bool lost;
        v.convert(cast<FloatType>(elem).getFloatSemantics(),
                  APFloat::rmNearestTiesToEven, &lost);
        values.push_back(v);
      }
      inputs.push_back(arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(countType, values)));
      maps.push_back(dropDimsMap(b.getContext(), type.getRank(), {0, 1}));
    }
    double c0 = counts.front();
    return buildGeneric(b, loc, type, inputs, maps,
                        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                          Value d = a.size() > 1 ? a[1]
                                                 : scalarConst(nb, l, elem, c0);
                          return arith::DivFOp::create(nb, l, a[0], d);
                        });
  }
};

/// GlobalAveragePool / GlobalMaxPool: a reduction over the spatial dims.
template <typename OpTy, PoolKind kind>
struct GlobalPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*this->getTypeConverter(), op.getType());
    Value x = adaptor.getX();
    auto xt = dyn_cast<RankedTensorType>(x.getType());
    if (!allStaticTensors({type, xt}))
      return unsupported(op, "operands and result must be static tensors");
    Type elem = type.getElementType();
    if (!isa<FloatType>(elem))
      return unsupported(op, "integer element types");
    Location loc = op.getLoc();
    SmallVector<int64_t> axes;
    int64_t count = 1;
    for (int64_t i = 2; i < xt.getRank(); ++i) {
      axes.push_back(i);
      count *= xt.getDimSize(i);
    }
    int64_t p = intAttrOr(op, "p", 2);
    if (kind == PoolKind::Lp) {
      if (p < 1)
        return unsupported(op, "p must be positive, got " + Twine(p));
      x = powAbs(rewriter, loc, x, p);
    }
    Value init = kind == PoolKind::Max ? lowestValue(rewriter, loc, elem, false)
                                       : scalarConst(rewriter, loc, elem, 0);
    PoolKind reduce = kind == PoolKind::Max ? kind : PoolKind::Sum;
    Value r = buildReduction(rewriter, loc, x, axes, init,
                             [&](OpBuilder &b, Location l, Value v, Value acc) {
                               return combine(b, l, reduce, v, acc);
                             });
    if (kind == PoolKind::Lp)
      r = root(rewriter, loc, r, p);
    if (kind == PoolKind::Sum)
      r = buildGeneric(rewriter, loc, cast<RankedTensorType>(r.getType()), {r},
                       {rewriter.getMultiDimIdentityMap(2)},
                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                         return arith::DivFOp::create(
                             b, l, a[0], scalarConst(b, l, elem, count));
                       });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, r, type));
    return success();
  }
};

} // namespace

void populatePoolingPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<PoolLowering<graph::MaxPoolOp, PoolKind::Max>,
        PoolLowering<graph::AveragePoolOp, PoolKind::Sum>,
        GlobalPoolLowering<graph::GlobalMaxPoolOp, PoolKind::Max>,
        GlobalPoolLowering<graph::GlobalAveragePoolOp, PoolKind::Sum>,
        PoolLowering<graph::LpPoolOp, PoolKind::Lp>,
        GlobalPoolLowering<graph::GlobalLpPoolOp, PoolKind::Lp>>(
      tc, p.getContext());
}

} // namespace hcc::g2l
