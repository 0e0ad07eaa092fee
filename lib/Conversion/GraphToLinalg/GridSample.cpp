//===- GridSample.cpp - GridSample (N-d, nearest/linear/cubic) ------------===//
//
// One linalg.generic over Y [N, C, out...]. For every spatial dimension i
// the body reads the grid component that names it (the grid's last axis
// lists x, y, z: innermost dimension first), denormalizes it to a pixel
// coordinate (align_corners: (g + 1) / 2 * (L - 1), else
// ((g + 1) * L - 1) / 2), brings coordinates outside the border range
// inside for padding_mode border (clamp) or reflection (mirror), and picks
// the taps: 1 (nearest, round half to even), 2 (linear) or 4 (cubic, Keys
// with A = -0.75). A tap outside the image reads 0 (zeros), the edge
// (border) or its mirror image (reflection). The N-d result is the tensor
// product of the 1-d taps, computed in f32 (f64 for double) as the ONNX
// reference does.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

using graph::GridSampleMode;
using graph::GridSamplePaddingMode;

struct Sampler {
  GridSampleMode mode;
  GridSamplePaddingMode padding;
  bool align;
  Type calc; // f32 or f64
};

struct Tap {
  Value index;  // in range
  Value valid;  // i1: the tap lies inside (zeros padding), or null
  Value weight; // calc, or null (nearest)
};

/// Mirrors `x` into [lo, hi] as the ONNX reference does (repeatedly, by the
/// nearer border).
Value reflect(OpBuilder &b, Location l, Type t, Value x, double lo, double hi) {
  auto c = [&](double v) { return scalarConst(b, l, t, v); };
  double range = hi - lo;
  if (range <= 0)
    return c(lo);
  auto fold = [&](Value dx, Value fromNear, Value fromFar,
                  bool subtract) -> Value {
    Value n =
        math::FloorOp::create(b, l, arith::DivFOp::create(b, l, dx, c(range)));
    Value r = arith::SubFOp::create(b, l, dx,
                                    arith::MulFOp::create(b, l, n, c(range)));
    Value ni = arith::FPToSIOp::create(b, l, b.getI64Type(), n);
    Value odd = arith::TruncIOp::create(b, l, b.getI1Type(), ni);
    Value even = subtract ? Value(arith::SubFOp::create(b, l, fromNear, r))
                          : Value(arith::AddFOp::create(b, l, fromNear, r));
    Value other = subtract ? Value(arith::AddFOp::create(b, l, fromFar, r))
                           : Value(arith::SubFOp::create(b, l, fromFar, r));
    return arith::SelectOp::create(b, l, odd, other, even);
  };
  Value below =
      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, c(lo));
  Value above =
      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, c(hi));
  Value low = fold(arith::SubFOp::create(b, l, c(lo), x), c(lo), c(hi), false);
  Value high = fold(arith::SubFOp::create(b, l, x, c(hi)), c(hi), c(lo), true);
  return arith::SelectOp::create(b, l, below, low,
                                 arith::SelectOp::create(b, l, above, high, x));
}

/// The tap at integer coordinate `pos` (calc) of a dimension of size n.
Tap pixelAt(OpBuilder &b, Location l, const Sampler &s, Value pos, int64_t n,
            double lo, double hi) {
  auto c = [&](double v) { return scalarConst(b, l, s.calc, v); };
  Tap tap;
  if (s.padding == GridSamplePaddingMode::Reflection)
    pos = reflect(b, l, s.calc, pos, lo, hi);
  if (s.padding == GridSamplePaddingMode::Zeros) {
    Value ge =
        arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, pos, c(0));
    Value lt =
        arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, pos, c(n));
    tap.valid = arith::AndIOp::create(b, l, ge, lt);
  }
  // Truncate toward zero (the reference's int()), then clamp: reads stay in
  // range whatever the coordinate.
  Value i = arith::FPToSIOp::create(b, l, b.getI64Type(), pos);
  i = arith::MaxSIOp::create(b, l, i, scalarConst(b, l, b.getI64Type(), 0));
  i = arith::MinSIOp::create(b, l, i, scalarConst(b, l, b.getI64Type(), n - 1));
  tap.index = arith::IndexCastOp::create(b, l, b.getIndexType(), i);
  return tap;
}

/// The taps of one spatial dimension of size n for normalized grid value g.
SmallVector<Tap> dimTaps(OpBuilder &b, Location l, const Sampler &s, Value g,
                         int64_t n) {
  auto c = [&](double v) { return scalarConst(b, l, s.calc, v); };
  FloatArith fa{b, l};
  Value x = s.align
                ? fa.mul(fa.mul(fa.add(g, c(1)), c(0.5)), c(n - 1))
                : fa.mul(fa.sub(fa.mul(fa.add(g, c(1)), c(n)), c(1)), c(0.5));
  double lo = s.align ? 0.0 : -0.5, hi = s.align ? n - 1.0 : n - 0.5;
  if (s.mode == GridSampleMode::Nearest)
    x = math::RoundEvenOp::create(b, l, x);
  if (s.padding == GridSamplePaddingMode::Border) {
    Value clamped = arith::MinimumFOp::create(
        b, l, arith::MaximumFOp::create(b, l, x, c(0)), c(n - 1));
    Value outside = arith::OrIOp::create(
        b, l, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, c(lo)),
        arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, c(hi)));
    x = arith::SelectOp::create(b, l, outside, clamped, x);
  } else if (s.padding == GridSamplePaddingMode::Reflection) {
    x = reflect(b, l, s.calc, x, lo, hi);
  }
  if (s.mode == GridSampleMode::Nearest)
    return {pixelAt(b, l, s, x, n, lo, hi)};
  Value x0 = math::FloorOp::create(b, l, x);
  Value t = fa.sub(x, x0);
  SmallVector<Value> weights;
  int64_t first = 0;
  if (s.mode == GridSampleMode::Linear || s.mode == GridSampleMode::Bilinear) {
    weights = {fa.sub(c(1), t), t};
  } else {
    // Keys' cubic convolution, A = -0.75, taps x0 - 1 .. x0 + 2.
    double a = -0.75;
    auto outer = [&](Value d) { // d in [1, 2]
      Value v = fa.sub(fa.mul(c(a), d), c(5 * a));
      v = fa.add(fa.mul(v, d), c(8 * a));
      return fa.sub(fa.mul(v, d), c(4 * a));
    };
    auto inner = [&](Value d) { // d in [0, 1]
      Value v = fa.sub(fa.mul(c(a + 2), d), c(a + 3));
      return fa.add(fa.mul(fa.mul(v, d), d), c(1));
    };
    Value u = fa.sub(c(1), t);
    weights = {outer(fa.add(t, c(1))), inner(t), inner(u),
               outer(fa.add(u, c(1)))};
    first = -1;
  }
  SmallVector<Tap> taps;
  for (auto [j, w] : llvm::enumerate(weights)) {
    Tap tap = pixelAt(b, l, s, fa.add(x0, c(first + int64_t(j))), n, lo, hi);
    tap.weight = w;
    taps.push_back(tap);
  }
  return taps;
}

struct GridSampleLowering : OpConversionPattern<graph::GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GridSampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value x = adaptor.getX(), grid = adaptor.getGrid();
    FailureOr<RankedTensorType> xt = staticOperandType(op, x);
    FailureOr<RankedTensorType> gt = staticOperandType(op, grid);
    if (failed(xt) || failed(gt))
      return failure();
    Type elem = type->getElementType();
    if (!isa<FloatType>(elem))
      return unsupported(op, "X must be a float tensor");
    int64_t rank = xt->getRank(), spatial = rank - 2;
    if (spatial < 1 || gt->getRank() != rank ||
        gt->getDimSize(rank - 1) != spatial || type->getRank() != rank)
      return unsupported(op, "grid must be [N, out..., " + Twine(spatial) +
                                 "] for a rank-" + Twine(rank) + " X");
    Sampler s{op.getMode(), op.getPaddingMode(), op.getAlignCorners() != 0,
              elem.isF64() ? elem : rewriter.getF32Type()};
    Type gridElem = gt->getElementType();
    MLIRContext *ctx = rewriter.getContext();
    // Grid component k at output (n, c, o...) is grid[n, o..., k].
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (int64_t k = 0; k < spatial; ++k) {
      SmallVector<AffineExpr> e = {getAffineDimExpr(0, ctx)};
      for (int64_t i = 0; i < spatial; ++i)
        e.push_back(getAffineDimExpr(2 + i, ctx));
      e.push_back(getAffineConstantExpr(k, ctx));
      inputs.push_back(grid);
      maps.push_back(AffineMap::get(rank, 0, e, ctx));
    }
    Value r = buildGeneric(
        rewriter, op.getLoc(), *type, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          SmallVector<SmallVector<Tap>> taps;
          for (int64_t i = 0; i < spatial; ++i) {
            Value g = convertScalar(b, l, a[spatial - 1 - i], gridElem, s.calc);
            taps.push_back(dimTaps(b, l, s, g, xt->getDimSize(2 + i)));
          }
          Value n = linalg::IndexOp::create(b, l, 0);
          Value ch = linalg::IndexOp::create(b, l, 1);
          Value zero = scalarConst(b, l, s.calc, 0);
          Value acc;
          SmallVector<int64_t> pick(spatial, 0);
          while (true) {
            SmallVector<Value> idx = {n, ch};
            Value w, valid;
            for (int64_t i = 0; i < spatial; ++i) {
              const Tap &t = taps[i][pick[i]];
              idx.push_back(t.index);
              if (t.weight)
                w = w ? Value(arith::MulFOp::create(b, l, w, t.weight))
                      : t.weight;
              if (t.valid)
                valid = valid
                            ? Value(arith::AndIOp::create(b, l, valid, t.valid))
                            : t.valid;
            }
            Value v = convertScalar(
                b, l, tensor::ExtractOp::create(b, l, x, idx), elem, s.calc);
            if (valid)
              v = arith::SelectOp::create(b, l, valid, v, zero);
            if (w)
              v = arith::MulFOp::create(b, l, v, w);
            acc = acc ? Value(arith::AddFOp::create(b, l, acc, v)) : v;
            int64_t i = spatial - 1;
            for (; i >= 0; --i) {
              if (++pick[i] < int64_t(taps[i].size()))
                break;
              pick[i] = 0;
            }
            if (i < 0)
              break;
          }
          return convertScalar(b, l, acc, s.calc, elem);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

void populateGridSamplePatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<GridSampleLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
