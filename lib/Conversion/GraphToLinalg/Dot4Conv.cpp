//===- Dot4Conv.cpp - int8 convolutions as 4-deep uint8 x int8 dot products
//===//
//
// A 2-D, ungrouped integer convolution with uint8 (or int8) activations and
// int8 weights whose zero point is 0 -- what quantizers write -- becomes a
// contraction whose innermost reduction is 4 consecutive input channels:
//
//   acc[n, m, p] = sum_{q, j} ext(X[n, q, p, j]) * ext(W[m, q, j])
//                  - x_zp * sum_k W[m, k] + bias[m]
//
// X is the im2col of the zero-point-padded input in quads of the reduction
// index k = (c, kh, kw) ([N, K/4, OH * OW, 4], K padded to a multiple of 4
// with zero weights), W the filter as it is laid out ([M, K/4, 4]: a
// reshape, no copy unless K needs padding).
// Activations stay unsigned bytes (int8 ones are offset by 128, with their
// zero point), so the 4-deep dot product is exactly what uint8 x int8
// dot-product instructions compute (x86 VNNI's vpdpbusd, Arm's usdot); the
// zero point is taken out afterwards with the filter's sums. A target
// without such instructions runs the contraction as any generic.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {

std::optional<Value> buildDot4Convolution(OpBuilder &b, Operation *op,
                                          const Dot4ConvOperands &in) {
  auto xt = dyn_cast<RankedTensorType>(in.x.getType());
  auto wt = dyn_cast<RankedTensorType>(in.w.getType());
  RankedTensorType acc = in.accType;
  if (!xt || !wt || !xt.hasStaticShape() || !wt.hasStaticShape() ||
      !acc.hasStaticShape() || xt.getRank() != 4 || wt.getRank() != 4 ||
      !xt.getElementType().isInteger(8) || !wt.getElementType().isInteger(8) ||
      !acc.getElementType().isInteger(32) || in.group != 1 || in.wUnsigned ||
      !in.wZeroPointIsZero)
    return std::nullopt;
  if (in.xZp) {
    auto zt = dyn_cast<RankedTensorType>(in.xZp.getType());
    if (!zt || !zt.hasStaticShape() || zt.getNumElements() != 1)
      return std::nullopt;
  }
  int64_t n = xt.getDimSize(0), c = xt.getDimSize(1), m = wt.getDimSize(0);
  int64_t kh = wt.getDimSize(2), kw = wt.getDimSize(3);
  int64_t oh = acc.getDimSize(2), ow = acc.getDimSize(3);
  if (wt.getDimSize(1) != c)
    return std::nullopt;
  FailureOr<Window> win =
      readWindow(op, xt.getShape().drop_front(2), wt.getShape().drop_front(2),
                 acc.getShape().drop_front(2));
  if (failed(win))
    return std::nullopt;

  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  auto i8c = [&](int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, v));
  };

  // Activations as unsigned bytes: int8 ones (and their zero point) are
  // offset by 128 (the top bit flipped), which leaves x - zp unchanged.
  Value x = in.x;
  Value zp = in.xZp
                 ? Value(tensor::ExtractOp::create(
                       b, loc, in.xZp,
                       SmallVector<Value>(
                           cast<RankedTensorType>(in.xZp.getType()).getRank(),
                           arith::ConstantIndexOp::create(b, loc, 0))))
                 : Value(i8c(0));
  if (!in.xUnsigned) {
    Value flip = i8c(-128);
    x = buildGeneric(b, loc, xt, {x}, {b.getMultiDimIdentityMap(4)},
                     [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                       return arith::XOrIOp::create(nb, l, a[0], flip);
                     });
    zp = arith::XOrIOp::create(b, loc, zp, flip);
  }

  // K runs over (c, kh, kw) as the filter is laid out, in quads: K is
  // padded to a multiple of 4 with zero weights, and x with enough extra
  // channels (of the zero point) for the quads' last taps to land in.
  int64_t taps = kh * kw, k = c * taps, k4 = (k + 3) / 4 * 4, kq = k4 / 4;
  int64_t extraC = (k4 - k + taps - 1) / taps;
  // Pad H and W with the zero point (padded taps add nothing once it is
  // taken out).
  SmallVector<int64_t> padded = {
      n, c + extraC, xt.getDimSize(2) + win->padLow[0] + win->padHigh[0],
      xt.getDimSize(3) + win->padLow[1] + win->padHigh[1]};
  SmallVector<OpFoldResult> lo = {b.getIndexAttr(0), b.getIndexAttr(0),
                                  b.getIndexAttr(win->padLow[0]),
                                  b.getIndexAttr(win->padLow[1])};
  SmallVector<OpFoldResult> hi = {b.getIndexAttr(0), b.getIndexAttr(extraC),
                                  b.getIndexAttr(win->padHigh[0]),
                                  b.getIndexAttr(win->padHigh[1])};
  Value xpad = tensor::PadOp::create(b, loc, RankedTensorType::get(padded, i8),
                                     x, lo, hi, zp);

  // im2col in quads of K: [N, K/4, OH, OW, 4], k = 4q + j.
  int64_t sh = win->strides[0], sw = win->strides[1];
  int64_t dh = win->dilations[0], dw = win->dilations[1];
  AffineExpr kk = d(1) * 4 + d(4);
  auto colsType = RankedTensorType::get({n, kq, oh, ow, 4}, i8);
  Value cols =
      buildGeneric(b, loc, colsType, {xpad},
                   {AffineMap::get(5, 0,
                                   {d(0), kk.floorDiv(taps),
                                    d(2) * sh + (kk % taps).floorDiv(kw) * dh,
                                    d(3) * sw + (kk % kw) * dw},
                                   ctx)},
                   [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  int64_t p = oh * ow;
  cols = reshapeTo(b, loc, cols, RankedTensorType::get({n, kq, p, 4}, i8));

  // The filter as it is: [M, K] in quads (zero weights pad K).
  Value wq = reshapeTo(b, loc, in.w, RankedTensorType::get({m, k}, i8));
  if (k4 != k) {
    SmallVector<OpFoldResult> wlo(2, b.getIndexAttr(0)), whi = wlo;
    whi[1] = b.getIndexAttr(k4 - k);
    Value zero = i8c(0);
    wq = tensor::PadOp::create(b, loc, RankedTensorType::get({m, k4}, i8), wq,
                               wlo, whi, zero);
  }
  wq = reshapeTo(b, loc, wq, RankedTensorType::get({m, kq, 4}, i8));

  // The accumulator starts at bias - zp * sum(W).
  Value w32 = convertElements(b, loc, in.w, i32);
  Value sums =
      buildReduction(b, loc, w32, {1, 2, 3}, scalarConst(b, loc, i32, 0),
                     [](OpBuilder &nb, Location l, Value v, Value a) -> Value {
                       return arith::AddIOp::create(nb, l, v, a);
                     });
  Value zp32 = arith::ExtUIOp::create(b, loc, i32, zp);
  auto flatAcc = RankedTensorType::get({n, m, p}, i32);
  SmallVector<Value> initIn = {sums};
  SmallVector<AffineMap> initMaps = {AffineMap::get(3, 0, {d(1)}, ctx)};
  if (in.bias) {
    initIn.push_back(in.bias);
    initMaps.push_back(AffineMap::get(3, 0, {d(1)}, ctx));
  }
  Value init = buildGeneric(
      b, loc, flatAcc, initIn, initMaps,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value v =
            arith::SubIOp::create(nb, l, scalarConst(nb, l, i32, 0),
                                  arith::MulIOp::create(nb, l, zp32, a[0]));
        return a.size() > 1 ? Value(arith::AddIOp::create(nb, l, v, a[1])) : v;
      });

  // The 4-deep dot products: (n, m, p) parallel, (q, j) reduction.
  SmallVector<AffineMap> maps = {
      AffineMap::get(5, 0, {d(0), d(3), d(2), d(4)}, ctx),
      AffineMap::get(5, 0, {d(1), d(3), d(4)}, ctx),
      AffineMap::get(5, 0, {d(0), d(1), d(2)}, ctx)};
  SmallVector<utils::IteratorType> iters(3, utils::IteratorType::parallel);
  iters.append(2, utils::IteratorType::reduction);
  Value dots =
      linalg::GenericOp::create(
          b, loc, flatAcc, ValueRange{cols, wq}, ValueRange{init}, maps, iters,
          [&](OpBuilder &nb, Location l, ValueRange a) {
            Value xv = arith::ExtUIOp::create(nb, l, i32, a[0]);
            Value wv = arith::ExtSIOp::create(nb, l, i32, a[1]);
            linalg::YieldOp::create(
                nb, l,
                Value(arith::AddIOp::create(
                    nb, l, a[2], arith::MulIOp::create(nb, l, xv, wv))));
          })
          .getResult(0);
  return reshapeTo(b, loc, dots, acc);
}

} // namespace hcc::g2l
