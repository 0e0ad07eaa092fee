//===- RoiAlign.cpp - RoiAlign (avg and max) ------------------------------===//
//
// One linalg.generic over Y [R, C, out_h, out_w]. Each output bin of a
// region averages (or takes the largest of) bilinear samples on a regular
// grid inside the bin; the grid has sampling_ratio points per axis, or
// ceil(region size / output size) when sampling_ratio is 0 -- a run-time
// count, so the body loops with scf.for. Coordinates follow the ONNX
// reference: half_pixel shifts the region by -0.5 (output_half_pixel
// instead makes it at least 1 x 1), samples beyond one pixel outside the
// image count 0, the rest are clamped to the edge. f64 throughout.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

struct RoiAlignLowering : OpConversionPattern<graph::RoiAlignOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::RoiAlignOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value x = adaptor.getX(), rois = adaptor.getRois(),
          batch = adaptor.getBatchIndices();
    FailureOr<RankedTensorType> xt = staticOperandType(op, x);
    FailureOr<RankedTensorType> rt = staticOperandType(op, rois);
    FailureOr<RankedTensorType> bt = staticOperandType(op, batch);
    if (failed(xt) || failed(rt) || failed(bt))
      return failure();
    int64_t regions = type->getDimSize(0);
    if (xt->getRank() != 4 || rt->getRank() != 2 || rt->getDimSize(1) != 4 ||
        rt->getDimSize(0) != regions || bt->getRank() != 1 ||
        bt->getDimSize(0) != regions)
      return unsupported(op, "X must be 4-D, rois [R, 4] and batch_indices "
                             "[R]");
    bool halfPixel = op.getCoordinateTransformationMode() !=
                     graph::CoordTransformMode::OutputHalfPixel;
    bool isMax = op.getMode() == graph::RoiAlignMode::Max;
    int64_t outH = type->getDimSize(2), outW = type->getDimSize(3);
    int64_t height = xt->getDimSize(2), width = xt->getDimSize(3);
    int64_t ratio = op.getSamplingRatio();
    double scale = op.getSpatialScale().convertToDouble();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (int64_t k = 0; k < 4; ++k) {
      inputs.push_back(rois);
      maps.push_back(AffineMap::get(
          4, 0, {getAffineDimExpr(0, ctx), getAffineConstantExpr(k, ctx)},
          ctx));
    }
    inputs.push_back(batch);
    maps.push_back(AffineMap::get(4, 0, getAffineDimExpr(0, ctx), ctx));
    Type elem = type->getElementType();
    Type roiElem = rt->getElementType();
    Value r = buildGeneric(
        rewriter, op.getLoc(), *type, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Type f64 = b.getF64Type();
          auto c = [&](double v) { return scalarConst(b, l, f64, v); };
          FloatArith fa{b, l};
          auto coord = [&](int k) {
            return fa.sub(
                fa.mul(convertScalar(b, l, a[k], roiElem, f64), c(scale)),
                c(halfPixel ? 0.5 : 0.0));
          };
          Value x1 = coord(0), y1 = coord(1), x2 = coord(2), y2 = coord(3);
          Value roiW = fa.sub(x2, x1), roiH = fa.sub(y2, y1);
          if (!halfPixel) {
            roiW = arith::MaximumFOp::create(b, l, roiW, c(1));
            roiH = arith::MaximumFOp::create(b, l, roiH, c(1));
          }
          Value binH = fa.div(roiH, c(outH)), binW = fa.div(roiW, c(outW));
          auto gridOf = [&](Value size, int64_t out) -> Value {
            if (ratio > 0)
              return arith::ConstantIndexOp::create(b, l, ratio);
            Value g = math::CeilOp::create(b, l, fa.div(size, c(out)));
            g = arith::MaximumFOp::create(b, l, g, c(0));
            return arith::IndexCastOp::create(
                b, l, b.getIndexType(),
                arith::FPToSIOp::create(b, l, b.getI64Type(), g));
          };
          Value gridH = gridOf(roiH, outH), gridW = gridOf(roiW, outW);
          auto toF = [&](Value i) {
            return arith::SIToFPOp::create(
                b, l, f64, arith::IndexCastOp::create(b, l, b.getI64Type(), i));
          };
          Value count = toF(arith::MulIOp::create(b, l, gridH, gridW));
          // A batch index out of range reads the nearest image (no crash).
          Value n = arith::MinSIOp::create(
              b, l,
              arith::MaxSIOp::create(b, l, a[4],
                                     arith::ConstantIntOp::create(b, l, 0, 64)),
              arith::ConstantIntOp::create(b, l, xt->getDimSize(0) - 1, 64));
          n = arith::IndexCastOp::create(b, l, b.getIndexType(), n);
          Value ch = linalg::IndexOp::create(b, l, 1);
          Value ph = toF(linalg::IndexOp::create(b, l, 2));
          Value pw = toF(linalg::IndexOp::create(b, l, 3));
          Value startY = fa.add(y1, fa.mul(ph, binH)),
                startX = fa.add(x1, fa.mul(pw, binW));
          Value stepY = fa.div(binH, toF(gridH)),
                stepX = fa.div(binW, toF(gridW));
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value one = arith::ConstantIndexOp::create(b, l, 1);
          Value init = isMax ? c(-INFINITY) : c(0);
          auto rows = scf::ForOp::create(
              b, l, zero, gridH, one, ValueRange{init},
              [&](OpBuilder &rb, Location, Value iy, ValueRange racc) {
                Value y =
                    fa.add(startY, fa.mul(fa.add(toF(iy), c(0.5)), stepY));
                auto cols = scf::ForOp::create(
                    rb, l, zero, gridW, one, ValueRange{racc[0]},
                    [&](OpBuilder &cb, Location, Value ix, ValueRange cacc) {
                      Value xv = fa.add(startX,
                                        fa.mul(fa.add(toF(ix), c(0.5)), stepX));
                      Value v = bilinear(cb, l, x, n, ch, y, xv, height, width,
                                         isMax);
                      Value next = isMax ? Value(arith::MaximumFOp::create(
                                               cb, l, cacc[0], v))
                                         : fa.add(cacc[0], v);
                      scf::YieldOp::create(cb, l, next);
                    });
                scf::YieldOp::create(rb, l, cols.getResults());
              });
          Value acc = rows.getResult(0);
          Value none = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                             count, c(0));
          if (!isMax)
            acc = fa.div(acc, arith::MaximumFOp::create(b, l, count, c(1)));
          acc = arith::SelectOp::create(b, l, none, c(0), acc);
          return convertScalar(b, l, acc, f64, elem);
        });
    rewriter.replaceOp(op, r);
    return success();
  }

  /// The bilinear sample of X[n, ch] at (y, x) as the reference computes
  /// it: the weighted sum of the four neighbours, or (max mode) the largest
  /// weighted neighbour; 0 beyond one pixel outside the image.
  static Value bilinear(OpBuilder &b, Location l, Value x, Value n, Value ch,
                        Value y, Value xv, int64_t height, int64_t width,
                        bool isMax) {
    Type f64 = b.getF64Type();
    auto c = [&](double v) { return scalarConst(b, l, f64, v); };
    auto cmp = [&](arith::CmpFPredicate p, Value u, Value v) -> Value {
      return arith::CmpFOp::create(b, l, p, u, v);
    };
    Value outside = arith::OrIOp::create(
        b, l,
        arith::OrIOp::create(b, l, cmp(arith::CmpFPredicate::OLT, y, c(-1)),
                             cmp(arith::CmpFPredicate::OGT, y, c(height))),
        arith::OrIOp::create(b, l, cmp(arith::CmpFPredicate::OLT, xv, c(-1)),
                             cmp(arith::CmpFPredicate::OGT, xv, c(width))));
    // Per axis: low / high index and the weight of the high one.
    auto axis = [&](Value v, int64_t size) {
      v = arith::MaximumFOp::create(b, l, v, c(0));
      Value low = math::FloorOp::create(b, l, v);
      Value atEdge = cmp(arith::CmpFPredicate::OGE, low, c(size - 1));
      low = arith::SelectOp::create(b, l, atEdge, c(size - 1), low);
      v = arith::SelectOp::create(b, l, atEdge, low, v);
      Value high = arith::SelectOp::create(
          b, l, atEdge, low, arith::AddFOp::create(b, l, low, c(1)));
      Value frac = arith::SubFOp::create(b, l, v, low);
      auto idx = [&](Value f) -> Value {
        return arith::IndexCastOp::create(
            b, l, b.getIndexType(),
            arith::FPToSIOp::create(b, l, b.getI64Type(), f));
      };
      return std::tuple{idx(low), idx(high), frac};
    };
    auto [yl, yh, ly] = axis(y, height);
    auto [xl, xh, lx] = axis(xv, width);
    Value hy = arith::SubFOp::create(b, l, c(1), ly);
    Value hx = arith::SubFOp::create(b, l, c(1), lx);
    Type elem = cast<RankedTensorType>(x.getType()).getElementType();
    auto term = [&](Value i, Value j, Value wy, Value wx) -> Value {
      Value v = tensor::ExtractOp::create(b, l, x, ValueRange{n, ch, i, j});
      return arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, wy, wx),
                                   convertScalar(b, l, v, elem, f64));
    };
    Value t1 = term(yl, xl, hy, hx), t2 = term(yl, xh, hy, lx),
          t3 = term(yh, xl, ly, hx), t4 = term(yh, xh, ly, lx);
    Value v;
    if (isMax)
      v = arith::MaximumFOp::create(b, l,
                                    arith::MaximumFOp::create(b, l, t1, t2),
                                    arith::MaximumFOp::create(b, l, t3, t4));
    else
      v = arith::AddFOp::create(b, l, arith::AddFOp::create(b, l, t1, t2),
                                arith::AddFOp::create(b, l, t3, t4));
    return arith::SelectOp::create(b, l, outside, c(0), v);
  }
};

} // namespace

void populateRoiAlignPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<RoiAlignLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
