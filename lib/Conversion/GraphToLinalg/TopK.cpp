//===- TopK.cpp - TopK by ranking, as two linalg.generic ops --------------===//
//
// No sort op exists upstream on tensors, so TopK ranks: rank[i] counts the
// elements j of the row that beat element i (larger, or smaller for
// largest = 0; ties go to the lower index), a reduction generic over j.
// Ranks are a permutation of 0..n-1, so out[r] = x[i] with rank[i] == r for
// r < K, a second reduction generic over i producing values and indices.
// Cost: O(n^2) per row along the axis (fine for small rows). The result is
// always sorted, which sorted = 0 permits. NaNs never beat anything and are
// not beaten, so rows holding NaN may yield repeated or missing elements.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

struct TopKLowering : OpConversionPattern<graph::TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> vType =
        staticResultType(getTypeConverter(), op, 0);
    if (failed(vType))
      return failure();
    FailureOr<RankedTensorType> iType =
        staticResultType(getTypeConverter(), op, 1);
    if (failed(iType))
      return failure();
    Value x = adaptor.getX();
    FailureOr<RankedTensorType> xType = staticOperandType(op, x);
    if (failed(xType))
      return failure();
    int64_t rank = xType->getRank();
    int64_t axis = intAttrOr(op, "axis", -1);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return unsupported(op, "axis out of range");
    int64_t n = xType->getDimSize(axis), k = vType->getDimSize(axis);
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis && vType->getDimSize(i) != xType->getDimSize(i))
        return unsupported(op, "result shape disagrees with the input");
    if (k > n || iType->getShape() != vType->getShape())
      return unsupported(op, "K must not exceed the axis size");
    if (auto kc = constInts(op.getK(), adaptor.getK()))
      if (kc->size() != 1 || (*kc)[0] != k)
        return unsupported(op, "K disagrees with the result shape");
    bool largest = intAttrOr(op, "largest", 1) != 0;
    bool isUnsigned = isUnsignedType(op.getX().getType());
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type i64 = rewriter.getI64Type();
    Value zero64 = scalarConst(rewriter, loc, i64, 0);
    if (vType->getNumElements() == 0) {
      rewriter.replaceOp(op, {emptyTensor(rewriter, loc, *vType),
                              emptyTensor(rewriter, loc, *iType)});
      return success();
    }

    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    AffineMap first = replaceDimMap(ctx, rank + 1, rank, -1, 0);
    AffineMap alongR = replaceDimMap(ctx, rank + 1, rank, axis, rank);

    // rank[i] = #{j : x[j] beats x[i]}.
    auto rankType = RankedTensorType::get(xType->getShape(), i64);
    Value rankInit = filledTensor(rewriter, loc, rankType, zero64);
    auto ranks = linalg::GenericOp::create(
        rewriter, loc, TypeRange{rankType}, ValueRange{x, x},
        ValueRange{rankInit}, ArrayRef<AffineMap>{first, alongR, first}, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value xi = a[0], xj = a[1];
          Value i = linalg::IndexOp::create(b, l, axis);
          Value j = linalg::IndexOp::create(b, l, rank);
          Value better, same;
          if (isa<FloatType>(xi.getType())) {
            better = arith::CmpFOp::create(b, l,
                                           largest ? arith::CmpFPredicate::OGT
                                                   : arith::CmpFPredicate::OLT,
                                           xj, xi);
            same =
                arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, xj, xi);
          } else {
            arith::CmpIPredicate p =
                largest ? (isUnsigned ? arith::CmpIPredicate::ugt
                                      : arith::CmpIPredicate::sgt)
                        : (isUnsigned ? arith::CmpIPredicate::ult
                                      : arith::CmpIPredicate::slt);
            better = arith::CmpIOp::create(b, l, p, xj, xi);
            same =
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, xj, xi);
          }
          Value earlier =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, j, i);
          Value beats = arith::OrIOp::create(
              b, l, better, arith::AndIOp::create(b, l, same, earlier));
          Value inc = arith::ExtUIOp::create(b, l, b.getI64Type(), beats);
          linalg::YieldOp::create(
              b, l, Value(arith::AddIOp::create(b, l, a[2], inc)));
        });

    // values[r] = x[i], indices[r] = i where rank[i] == r.
    Value vInit =
        filledTensor(rewriter, loc, *vType,
                     scalarConst(rewriter, loc, vType->getElementType(), 0));
    Value iInit = filledTensor(rewriter, loc, *iType, zero64);
    auto out = linalg::GenericOp::create(
        rewriter, loc, TypeRange{*vType, *iType},
        ValueRange{ranks.getResult(0), x}, ValueRange{vInit, iInit},
        ArrayRef<AffineMap>{alongR, alongR, first, first}, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value r = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value i = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, rank));
          Value hit =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a[0], r);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, hit, a[1], a[2]),
                         arith::SelectOp::create(b, l, hit, i, a[3])});
        });
    rewriter.replaceOp(op, out.getResults());
    return success();
  }
};

} // namespace

void populateTopKPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<TopKLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
