//===- DeformConv.cpp - DeformConv (2-D) ----------------------------------===//
//
// Two linalg ops. A generic over the sampled columns [N, C, kH, kW, oH, oW]
// reads each kernel tap at its regular position (output * stride - pad +
// kernel index * dilation) moved by its learned offset (per offset group),
// samples the input bilinearly there (taps outside the image read 0, as
// the ONNX reference's GridSample with align_corners and zero padding) and
// scales by the mask. A second generic contracts the columns with the
// weights per group ([N, G, C/G, ...] x [G, M/G, C/G, kH, kW]), starting
// from the bias. f16/bf16 compute in f32.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

struct DeformConvLowering : OpConversionPattern<graph::DeformConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DeformConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value x = adaptor.getX(), w = adaptor.getW(), offset = adaptor.getOffset();
    FailureOr<RankedTensorType> xt = staticOperandType(op, x);
    FailureOr<RankedTensorType> wt = staticOperandType(op, w);
    FailureOr<RankedTensorType> ot = staticOperandType(op, offset);
    if (failed(xt) || failed(wt) || failed(ot))
      return failure();
    if (xt->getRank() != 4 || wt->getRank() != 4 || ot->getRank() != 4)
      return unsupported(op, "only 2-D deformable convolution");
    int64_t n = xt->getDimSize(0), c = xt->getDimSize(1);
    int64_t height = xt->getDimSize(2), width = xt->getDimSize(3);
    int64_t m = wt->getDimSize(0), kh = wt->getDimSize(2),
            kw = wt->getDimSize(3);
    int64_t oh = type->getDimSize(2), ow = type->getDimSize(3);
    int64_t group = op.getGroup(), offsetGroup = op.getOffsetGroup();
    if (group < 1 || c % group || m % group || wt->getDimSize(1) != c / group)
      return unsupported(op, "weights do not match the input channels and "
                             "group");
    if (offsetGroup < 1 || c % offsetGroup ||
        ot->getDimSize(1) != offsetGroup * 2 * kh * kw ||
        ot->getDimSize(0) != n || ot->getDimSize(2) != oh ||
        ot->getDimSize(3) != ow)
      return unsupported(op, "offset must be [N, offset_group * 2 * kH * kW, "
                             "oH, oW]");
    Value mask;
    if (!graph::isNone(op.getMask())) {
      mask = adaptor.getMask();
      FailureOr<RankedTensorType> mt = staticOperandType(op, mask);
      if (failed(mt))
        return failure();
      if (mt->getShape() !=
          ArrayRef<int64_t>({n, offsetGroup * kh * kw, oh, ow}))
        return unsupported(op, "mask must be [N, offset_group * kH * kW, oH, "
                               "oW]");
    }
    SmallVector<int64_t> strides = intsAttr(op, "strides"),
                         dilations = intsAttr(op, "dilations"),
                         pads = intsAttr(op, "pads");
    if (strides.empty())
      strides = {1, 1};
    if (dilations.empty())
      dilations = {1, 1};
    if (pads.empty())
      pads = {0, 0, 0, 0};
    if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4)
      return unsupported(op, "strides, dilations and pads must match 2-D");

    Location loc = op.getLoc();
    Type elem = type->getElementType(), calc = accumulatorType(elem);
    MLIRContext *ctx = rewriter.getContext();
    Type idx = rewriter.getIndexType();
    int64_t perOffsetGroup = c / offsetGroup;

    // Sampled columns [N, C, kH, kW, oH, oW].
    auto colsType = RankedTensorType::get({n, c, kh, kw, oh, ow}, calc);
    auto cols = linalg::GenericOp::create(
        rewriter, loc, colsType, ValueRange{},
        ValueRange{emptyTensor(rewriter, loc, colsType)},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(6)},
        SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          FloatArith fa{b, l};
          auto ci = [&](int64_t v) {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          auto cf = [&](double v) { return scalarConst(b, l, calc, v); };
          auto at = [&](int64_t d) { return linalg::IndexOp::create(b, l, d); };
          auto addI = [&](Value a, Value v) {
            return arith::AddIOp::create(b, l, a, v);
          };
          auto mulI = [&](Value a, int64_t v) {
            return arith::MulIOp::create(b, l, a, ci(v));
          };
          Value bn = at(0), ch = at(1), i = at(2), j = at(3), y = at(4),
                xo = at(5);
          Value og = arith::DivUIOp::create(b, l, ch, ci(perOffsetGroup));
          Value tap = addI(mulI(addI(mulI(og, kh), i), kw), j);
          auto read = [&](Value t, ValueRange at) {
            Value v = tensor::ExtractOp::create(b, l, t, at);
            return convertScalar(b, l, v, elem, calc);
          };
          Value dy = read(offset, {bn, mulI(tap, 2), y, xo});
          Value dx = read(offset, {bn, addI(mulI(tap, 2), ci(1)), y, xo});
          auto position = [&](Value out, int64_t stride, int64_t pad, Value k,
                              int64_t dil, Value delta) {
            Value p = addI(mulI(out, stride), mulI(k, dil));
            Value pf = arith::SIToFPOp::create(
                b, l, calc,
                arith::IndexCastOp::create(b, l, b.getI64Type(), p));
            return fa.add(fa.sub(pf, cf(pad)), delta);
          };
          Value py = position(y, strides[0], pads[0], i, dilations[0], dy);
          Value px = position(xo, strides[1], pads[1], j, dilations[1], dx);
          Value y0 = math::FloorOp::create(b, l, py);
          Value x0 = math::FloorOp::create(b, l, px);
          Value ty = fa.sub(py, y0), tx = fa.sub(px, x0);
          // One bilinear tap: 0 outside the image, else weight * pixel.
          auto sample = [&](Value yf, Value xf, Value weight) {
            auto inside = [&](Value v, int64_t size) {
              return arith::AndIOp::create(
                  b, l,
                  arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, v,
                                        cf(0)),
                  arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, v,
                                        cf(size)));
            };
            auto clampIndex = [&](Value v, int64_t size) {
              Value f = arith::MinimumFOp::create(
                  b, l, arith::MaximumFOp::create(b, l, v, cf(0)),
                  cf(size - 1));
              return arith::IndexCastOp::create(
                  b, l, idx, arith::FPToSIOp::create(b, l, b.getI64Type(), f));
            };
            Value ok = arith::AndIOp::create(b, l, inside(yf, height),
                                             inside(xf, width));
            Value v = read(
                x, {bn, ch, clampIndex(yf, height), clampIndex(xf, width)});
            return arith::SelectOp::create(b, l, ok, fa.mul(v, weight), cf(0));
          };
          Value y1 = fa.add(y0, cf(1)), x1 = fa.add(x0, cf(1));
          Value uy = fa.sub(cf(1), ty), ux = fa.sub(cf(1), tx);
          Value v = fa.add(fa.add(sample(y0, x0, fa.mul(uy, ux)),
                                  sample(y0, x1, fa.mul(uy, tx))),
                           fa.add(sample(y1, x0, fa.mul(ty, ux)),
                                  sample(y1, x1, fa.mul(ty, tx))));
          if (mask)
            v = fa.mul(
                v,
                read(mask, {bn, addI(mulI(og, kh * kw), addI(mulI(i, kw), j)),
                            y, xo}));
          linalg::YieldOp::create(b, l, v);
        });

    // Contract per group: [N, G, C/G, kH, kW, oH, oW] x [G, M/G, C/G, kH, kW].
    int64_t cg = c / group, mg = m / group;
    Value colsG =
        reshapeTo(rewriter, loc, cols.getResult(0),
                  RankedTensorType::get({n, group, cg, kh, kw, oh, ow}, calc));
    Value wG = reshapeTo(rewriter, loc, convertElements(rewriter, loc, w, calc),
                         RankedTensorType::get({group, mg, cg, kh, kw}, calc));
    auto outType = RankedTensorType::get({n, group, mg, oh, ow}, calc);
    Value init;
    if (!graph::isNone(op.getB())) {
      Value bias = reshapeTo(
          rewriter, loc, convertElements(rewriter, loc, adaptor.getB(), calc),
          RankedTensorType::get({group, mg}, calc));
      init = buildGeneric(
          rewriter, loc, outType, {bias},
          {AffineMap::get(
              5, 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)}, ctx)},
          [](OpBuilder &, Location, ValueRange a) { return a[0]; });
    } else {
      init = filledTensor(rewriter, loc, outType,
                          scalarConst(rewriter, loc, calc, 0));
    }
    // Dims: n, g, o, y, x (parallel); c, i, j (reduction).
    auto d = [&](unsigned k) { return getAffineDimExpr(k, ctx); };
    SmallVector<AffineMap> maps = {
        AffineMap::get(8, 0, {d(0), d(1), d(5), d(6), d(7), d(3), d(4)}, ctx),
        AffineMap::get(8, 0, {d(1), d(2), d(5), d(6), d(7)}, ctx),
        AffineMap::get(8, 0, {d(0), d(1), d(2), d(3), d(4)}, ctx)};
    SmallVector<utils::IteratorType> iters(5, utils::IteratorType::parallel);
    iters.append(3, utils::IteratorType::reduction);
    auto conv = linalg::GenericOp::create(
        rewriter, loc, outType, ValueRange{colsG, wG}, ValueRange{init}, maps,
        iters, [&](OpBuilder &b, Location l, ValueRange a) {
          FloatArith fa{b, l};
          linalg::YieldOp::create(b, l, fa.add(a[2], fa.mul(a[0], a[1])));
        });
    Value out = reshapeTo(rewriter, loc, conv.getResult(0),
                          RankedTensorType::get({n, m, oh, ow}, calc));
    rewriter.replaceOp(op, convertElements(rewriter, loc, out, elem));
    return success();
  }
};

} // namespace

void populateDeformConvPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<DeformConvLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
