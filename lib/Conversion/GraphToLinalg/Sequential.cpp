//===- Sequential.cpp - MaxUnpool and Det ---------------------------------===//
//
// Ops whose elements depend on each other in order, written as scf.for
// loops over tensors:
// - MaxUnpool scatters each input value to the flat position its index
//   names in the shape MaxPool's attributes give (later writes win; an
//   index outside is skipped), into zeros; a larger output_shape pads the
//   end of each dimension with zeros.
// - Det: Gaussian elimination with partial pivoting per matrix, in f64;
//   the determinant is the product of the pivots, negated per row swap.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

Value cidx(OpBuilder &b, Location l, int64_t v) {
  return arith::ConstantIndexOp::create(b, l, v);
}

struct MaxUnpoolLowering : OpConversionPattern<graph::MaxUnpoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::MaxUnpoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value x = adaptor.getX(), ind = adaptor.getI();
    FailureOr<RankedTensorType> xt = staticOperandType(op, x);
    FailureOr<RankedTensorType> it = staticOperandType(op, ind);
    if (failed(xt) || failed(it))
      return failure();
    if (xt->getShape() != it->getShape())
      return unsupported(op, "X and I must have the same shape");
    Location loc = op.getLoc();
    Type elem = type->getElementType();
    // The shape the indices address: the inverse of MaxPool's size rule.
    int64_t spatial = xt->getRank() - 2;
    SmallVector<int64_t> kernel = intsAttr(op, "kernel_shape");
    SmallVector<int64_t> strides = intsAttr(op, "strides");
    SmallVector<int64_t> pads = intsAttr(op, "pads");
    if (strides.empty())
      strides.assign(spatial, 1);
    if (pads.empty())
      pads.assign(2 * spatial, 0);
    if (spatial < 1 || int64_t(kernel.size()) != spatial ||
        int64_t(strides.size()) != spatial ||
        int64_t(pads.size()) != 2 * spatial)
      return unsupported(op, "kernel_shape, strides and pads must match the "
                             "spatial rank");
    SmallVector<int64_t> inferred = {xt->getDimSize(0), xt->getDimSize(1)};
    SmallVector<OpFoldResult> lo, hi;
    lo.assign(xt->getRank(), rewriter.getIndexAttr(0));
    for (int64_t i = 0; i < xt->getRank(); ++i) {
      if (i >= 2)
        inferred.push_back((xt->getDimSize(i) - 1) * strides[i - 2] -
                           pads[i - 2] - pads[i - 2 + spatial] + kernel[i - 2]);
      if (inferred[i] < 1 || inferred[i] > type->getDimSize(i))
        return unsupported(op, "output_shape must not be smaller than the "
                               "unpooled shape");
      hi.push_back(rewriter.getIndexAttr(type->getDimSize(i) - inferred[i]));
    }
    auto inferredType = RankedTensorType::get(inferred, elem);
    int64_t count = xt->getNumElements(), total = inferredType.getNumElements();
    auto flat = [&](Value v, int64_t n, Type e) {
      return reshapeTo(rewriter, loc, v, RankedTensorType::get({n}, e));
    };
    Value xs = flat(x, count, xt->getElementType());
    Value is = flat(ind, count, it->getElementType());
    Value out =
        filledTensor(rewriter, loc, RankedTensorType::get({total}, elem),
                     scalarConst(rewriter, loc, elem, 0));
    auto loop = scf::ForOp::create(
        rewriter, loc, cidx(rewriter, loc, 0), cidx(rewriter, loc, count),
        cidx(rewriter, loc, 1), ValueRange{out},
        [&](OpBuilder &b, Location l, Value i, ValueRange acc) {
          Value v = tensor::ExtractOp::create(b, l, xs, ValueRange{i});
          Value at = tensor::ExtractOp::create(b, l, is, ValueRange{i});
          Value inside = arith::AndIOp::create(
              b, l,
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, at,
                                    arith::ConstantIntOp::create(b, l, 0, 64)),
              arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::slt, at,
                  arith::ConstantIntOp::create(b, l, total, 64)));
          auto ifOp = scf::IfOp::create(
              b, l, inside,
              [&](OpBuilder &tb, Location tl) {
                Value pos =
                    arith::IndexCastOp::create(tb, tl, tb.getIndexType(), at);
                scf::YieldOp::create(tb, tl,
                                     ValueRange{tensor::InsertOp::create(
                                         tb, tl, v, acc[0], ValueRange{pos})});
              },
              [&](OpBuilder &eb, Location el) {
                scf::YieldOp::create(eb, el, acc[0]);
              });
          scf::YieldOp::create(b, l, ifOp.getResults());
        });
    Value r = reshapeTo(rewriter, loc, loop.getResult(0), inferredType);
    if (inferredType != *type)
      r = tensor::PadOp::create(rewriter, loc, *type, r, lo, hi,
                                scalarConst(rewriter, loc, elem, 0));
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct DetLowering : OpConversionPattern<graph::DetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DetOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value x = adaptor.getX();
    FailureOr<RankedTensorType> xt = staticOperandType(op, x);
    if (failed(xt))
      return failure();
    int64_t rank = xt->getRank();
    if (rank < 2 || xt->getDimSize(rank - 1) != xt->getDimSize(rank - 2) ||
        !isa<FloatType>(xt->getElementType()))
      return unsupported(op, "input must be [..., M, M] floats");
    int64_t m = xt->getDimSize(rank - 1);
    int64_t batch = xt->getNumElements() / std::max<int64_t>(m * m, 1);
    Location loc = op.getLoc();
    Type f64 = rewriter.getF64Type();
    // All matrices as [batch, M, M] f64, results as [batch].
    Value mats = convertElements(
        rewriter, loc,
        reshapeTo(rewriter, loc, x,
                  RankedTensorType::get({batch, m, m}, xt->getElementType())),
        f64);
    Value dets =
        emptyTensor(rewriter, loc, RankedTensorType::get({batch}, f64));
    auto perMatrix = scf::ForOp::create(
        rewriter, loc, cidx(rewriter, loc, 0), cidx(rewriter, loc, batch),
        cidx(rewriter, loc, 1), ValueRange{dets},
        [&](OpBuilder &b, Location l, Value n, ValueRange acc) {
          Value a = tensor::ExtractSliceOp::create(
              b, l, RankedTensorType::get({m, m}, f64), mats,
              ArrayRef<OpFoldResult>{n, b.getIndexAttr(0), b.getIndexAttr(0)},
              ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(m),
                                     b.getIndexAttr(m)},
              ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1),
                                     b.getIndexAttr(1)});
          Value det = eliminate(b, l, a, m);
          scf::YieldOp::create(b, l,
                               ValueRange{tensor::InsertOp::create(
                                   b, l, det, acc[0], ValueRange{n})});
        });
    Value r = convertElements(rewriter, loc, perMatrix.getResult(0),
                              type->getElementType());
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, r, *type));
    return success();
  }

  /// The determinant of the [m, m] f64 tensor `a`.
  static Value eliminate(OpBuilder &b, Location l, Value a, int64_t m) {
    Type f64 = b.getF64Type();
    auto at = [&](OpBuilder &nb, Value t, Value i, Value j) -> Value {
      return tensor::ExtractOp::create(nb, l, t, ValueRange{i, j});
    };
    Value one = scalarConst(b, l, f64, 1);
    auto cols = scf::ForOp::create(
        b, l, cidx(b, l, 0), cidx(b, l, m), cidx(b, l, 1), ValueRange{a, one},
        [&](OpBuilder &cb, Location, Value k, ValueRange st) {
          Value mat = st[0], det = st[1];
          Value k1 = arith::AddIOp::create(cb, l, k, cidx(cb, l, 1));
          // The pivot: the row at or below k with the largest |a[i, k]|.
          auto search = scf::ForOp::create(
              cb, l, k1, cidx(cb, l, m), cidx(cb, l, 1),
              ValueRange{k, math::AbsFOp::create(cb, l, at(cb, mat, k, k))},
              [&](OpBuilder &sb, Location, Value i, ValueRange best) {
                Value v = math::AbsFOp::create(sb, l, at(sb, mat, i, k));
                Value better = arith::CmpFOp::create(
                    sb, l, arith::CmpFPredicate::OGT, v, best[1]);
                scf::YieldOp::create(
                    sb, l,
                    ValueRange{
                        arith::SelectOp::create(sb, l, better, i, best[0]),
                        arith::SelectOp::create(sb, l, better, v, best[1])});
              });
          Value p = search.getResult(0);
          // Swap rows k and p (a no-op when equal), negating det if not.
          auto swap = scf::ForOp::create(
              cb, l, cidx(cb, l, 0), cidx(cb, l, m), cidx(cb, l, 1),
              ValueRange{mat},
              [&](OpBuilder &wb, Location, Value j, ValueRange t) {
                Value rk = at(wb, t[0], k, j), rp = at(wb, t[0], p, j);
                Value u =
                    tensor::InsertOp::create(wb, l, rp, t[0], ValueRange{k, j});
                u = tensor::InsertOp::create(wb, l, rk, u, ValueRange{p, j});
                scf::YieldOp::create(wb, l, u);
              });
          mat = swap.getResult(0);
          Value swapped =
              arith::CmpIOp::create(cb, l, arith::CmpIPredicate::ne, p, k);
          Value pivot = at(cb, mat, k, k);
          det = arith::MulFOp::create(cb, l, det, pivot);
          det = arith::SelectOp::create(cb, l, swapped,
                                        arith::NegFOp::create(cb, l, det), det);
          // Eliminate below the pivot (skipped when it is 0: det is 0).
          Value zero = scalarConst(cb, l, f64, 0);
          Value nonzero = arith::CmpFOp::create(
              cb, l, arith::CmpFPredicate::ONE, pivot, zero);
          auto rows = scf::ForOp::create(
              cb, l, k1, cidx(cb, l, m), cidx(cb, l, 1), ValueRange{mat},
              [&](OpBuilder &rb, Location, Value i, ValueRange t) {
                Value f =
                    arith::DivFOp::create(rb, l, at(rb, t[0], i, k), pivot);
                f = arith::SelectOp::create(rb, l, nonzero, f, zero);
                auto inner = scf::ForOp::create(
                    rb, l, k, cidx(rb, l, m), cidx(rb, l, 1), ValueRange{t[0]},
                    [&](OpBuilder &ib, Location, Value j, ValueRange u) {
                      Value v = arith::SubFOp::create(
                          ib, l, at(ib, u[0], i, j),
                          arith::MulFOp::create(ib, l, f, at(ib, u[0], k, j)));
                      scf::YieldOp::create(
                          ib, l,
                          ValueRange{tensor::InsertOp::create(
                              ib, l, v, u[0], ValueRange{i, j})});
                    });
                scf::YieldOp::create(rb, l, inner.getResults());
              });
          scf::YieldOp::create(cb, l, ValueRange{rows.getResult(0), det});
        });
    return cols.getResult(1);
  }
};

} // namespace

void populateSequentialPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<MaxUnpoolLowering, DetLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
