//===- Conv.cpp - Conv
//-----------------------------------------------------===//
//
// Conv lowers to tensor.pad (explicit or auto_pad pads) plus a named linalg
// convolution where one fits: conv_{1,2,3}d_nc..._fc... for group 1,
// depthwise_conv_2d_nchw_chw for depthwise 2-D, conv_2d_ngchw_gfchw for
// other grouped 2-D convolutions. Other grouped convolutions use a
// linalg.generic over the grouped layout. The bias initialises the
// accumulator.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

/// Splits dim 1 of `v` (size G * rest) into [G, rest].
Value splitGroups(OpBuilder &b, Location loc, Value v, int64_t groups) {
  auto t = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(t.getShape());
  shape[1] /= groups;
  shape.insert(shape.begin() + 1, groups);
  return reshapeTo(b, loc, v, RankedTensorType::get(shape, t.getElementType()));
}

/// Grouped N-d convolution as a linalg.generic over
/// (n, g, m, o..., c, k...) on input [N, G, C/G, D...], filter
/// [G, M/G, C/G, k...] and accumulator [N, G, M/G, O...].
Value genericGroupedConv(OpBuilder &b, Location loc, Value x, Value w,
                         Value acc, const Window &win) {
  MLIRContext *ctx = b.getContext();
  int64_t n = win.kernel.size();
  int64_t numLoops = 3 + n + 1 + n;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  int64_t cLoop = 3 + n;
  SmallVector<AffineExpr> xe = {d(0), d(1), d(cLoop)},
                          we = {d(1), d(2), d(cLoop)}, oe = {d(0), d(1), d(2)};
  for (int64_t i = 0; i < n; ++i) {
    AffineExpr o = d(3 + i), k = d(cLoop + 1 + i);
    xe.push_back(o * win.strides[i] + k * win.dilations[i]);
    we.push_back(k);
    oe.push_back(o);
  }
  SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, xe, ctx),
                                 AffineMap::get(numLoops, 0, we, ctx),
                                 AffineMap::get(numLoops, 0, oe, ctx)};
  SmallVector<utils::IteratorType> iters(3 + n, utils::IteratorType::parallel);
  iters.append(1 + n, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, TypeRange{acc.getType()}, ValueRange{x, w},
             ValueRange{acc}, maps, iters,
             [](OpBuilder &nb, Location l, ValueRange a) {
               // Products in the accumulator's type (f32 for f16 inputs).
               Type accElem = a[2].getType();
               auto widen = [&](Value v) -> Value {
                 return v.getType() == accElem
                            ? v
                            : Value(arith::ExtFOp::create(nb, l, accElem, v));
               };
               Value p = arith::MulFOp::create(nb, l, widen(a[0]), widen(a[1]));
               linalg::YieldOp::create(
                   nb, l, Value(arith::AddFOp::create(nb, l, a[2], p)));
             })
      .getResult(0);
}

} // namespace

/// buildConvolution into the accumulator type `type`.
static FailureOr<Value> buildConvolutionIn(OpBuilder &rewriter, Operation *op,
                                           Value x, Value w, Value bias,
                                           RankedTensorType type,
                                           int64_t group) {
  auto xt = dyn_cast<RankedTensorType>(x.getType());
  auto wt = dyn_cast<RankedTensorType>(w.getType());
  if (!allStaticTensors({type, xt, wt}))
    return unsupported(op, "operands and result must be static tensors");
  Location loc = op->getLoc();
  int64_t rank = xt.getRank(), n = rank - 2;
  int64_t c = xt.getDimSize(1), m = wt.getDimSize(0);
  FailureOr<Window> win =
      readWindow(op, xt.getShape().drop_front(2), wt.getShape().drop_front(2),
                 type.getShape().drop_front(2));
  if (failed(win))
    return failure();
  Type elem = type.getElementType();
  x = padSpatial(rewriter, loc, x, *win,
                 scalarConst(rewriter, loc, xt.getElementType(), 0));

  // The accumulator starts as the bias broadcast along dim 1, or zero.
  Value init;
  if (bias) {
    AffineMap biasMap =
        AffineMap::get(rank, 0, getAffineDimExpr(1, rewriter.getContext()));
    init =
        buildGeneric(rewriter, loc, type, {bias}, {biasMap},
                     [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  } else {
    init =
        filledTensor(rewriter, loc, type, scalarConst(rewriter, loc, elem, 0));
  }
  auto strides = rewriter.getI64VectorAttr(win->strides);
  auto dilations = rewriter.getI64VectorAttr(win->dilations);
  TypeRange resultTypes(type);
  if (group == 1 && n == 2)
    return linalg::Conv2DNchwFchwOp::create(rewriter, loc, resultTypes,
                                            ValueRange{x, w}, init, strides,
                                            dilations)
        .getResult(0);
  if (group == 1 && n == 1)
    return linalg::Conv1DNcwFcwOp::create(rewriter, loc, resultTypes,
                                          ValueRange{x, w}, init, strides,
                                          dilations)
        .getResult(0);
  if (group == 1 && n == 3)
    return linalg::Conv3DNcdhwFcdhwOp::create(rewriter, loc, resultTypes,
                                              ValueRange{x, w}, init, strides,
                                              dilations)
        .getResult(0);
  if (n == 2 && group == c && m == c) {
    // Depthwise: W is [C, 1, kh, kw].
    Value filter =
        reshapeTo(rewriter, loc, w,
                  RankedTensorType::get({m, wt.getDimSize(2), wt.getDimSize(3)},
                                        wt.getElementType()));
    return linalg::DepthwiseConv2DNchwChwOp::create(rewriter, loc, resultTypes,
                                                    ValueRange{x, filter}, init,
                                                    strides, dilations)
        .getResult(0);
  }
  Value gx = splitGroups(rewriter, loc, x, group);
  SmallVector<int64_t> gwShape(wt.getShape());
  gwShape[0] /= group;
  gwShape.insert(gwShape.begin(), group);
  Value gw = reshapeTo(rewriter, loc, w,
                       RankedTensorType::get(gwShape, wt.getElementType()));
  Value gacc = splitGroups(rewriter, loc, init, group);
  Value gresult;
  if (n == 2)
    gresult = linalg::Conv2DNgchwGfchwOp::create(
                  rewriter, loc, TypeRange{gacc.getType()}, ValueRange{gx, gw},
                  gacc, strides, dilations)
                  .getResult(0);
  else if (isa<FloatType>(elem))
    gresult = genericGroupedConv(rewriter, loc, gx, gw, gacc, *win);
  else
    return unsupported(op, "grouped integer convolution");
  return reshapeTo(rewriter, loc, gresult, type);
}

FailureOr<Value> buildConvolution(OpBuilder &b, Operation *op, Value x, Value w,
                                  Value bias, RankedTensorType type,
                                  int64_t group) {
  if (!type)
    return unsupported(op, "operands and result must be static tensors");
  // f16/bf16 convolutions accumulate in f32 (accumulatorType).
  Type resultElem = type.getElementType(), acc = accumulatorType(resultElem);
  auto accType = RankedTensorType::get(type.getShape(), acc);
  if (bias)
    bias = convertElements(b, op->getLoc(), bias, acc);
  FailureOr<Value> result =
      buildConvolutionIn(b, op, x, w, bias, accType, group);
  if (failed(result))
    return failure();
  return convertElements(b, op->getLoc(), *result, resultElem);
}

namespace {

struct ConvLowering : OpConversionPattern<graph::ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    Value bias = graph::isNone(op.getB()) ? Value() : adaptor.getB();
    FailureOr<Value> result =
        buildConvolution(rewriter, op, adaptor.getX(), adaptor.getW(), bias,
                         type, op.getGroup());
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

} // namespace

void populateConvPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<ConvLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
