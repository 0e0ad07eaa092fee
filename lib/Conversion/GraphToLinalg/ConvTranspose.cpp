//===- ConvTranspose.cpp - ConvTranspose ----------------------------------===//
//
// ConvTranspose as one linalg.generic over the output (grouped layout) with
// a reduction over the input channels of the group and the kernel taps:
//
//   loops (n, g, m, o..., c, k...)
//   Y[n, g, m, o...] += X[n, g*C/G + c, i...] * W[g, c, m, k...]
//   where o + padLow = i * stride + k * dilation
//
// The body solves for i with index arithmetic and guards the product with
// "divisible by the stride and inside the input" (the input is read with
// tensor.extract at a clamped index). W and the accumulator are read through
// plain indexing maps after tensor.expand_shape to the grouped layout. The
// output size comes from the static result type; padLow from pads, or from
// output_shape / auto_pad with the ONNX reference's floor-division split of
// the total padding. output_padding only grows the result at the end.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

struct ConvTransposeLowering : OpConversionPattern<graph::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    Value x = adaptor.getX(), w = adaptor.getW();
    auto xt = dyn_cast<RankedTensorType>(x.getType());
    auto wt = dyn_cast<RankedTensorType>(w.getType());
    if (!type || !type.hasStaticShape() || !xt || !xt.hasStaticShape() || !wt ||
        !wt.hasStaticShape() || xt.getRank() < 3 ||
        wt.getRank() != xt.getRank() || type.getRank() != xt.getRank())
      return unsupported(op, "operands and result must be static tensors of "
                             "rank >= 3");
    Type elem = type.getElementType();
    if (!isa<FloatType>(elem))
      return unsupported(op, "non-float element types");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = xt.getRank(), n = rank - 2;
    int64_t group = op.getGroup();
    int64_t c = xt.getDimSize(1), m = type.getDimSize(1);
    if (group <= 0 || c % group != 0 || m % group != 0 ||
        wt.getDimSize(0) != c || wt.getDimSize(1) * group != m)
      return unsupported(op, "W must be [C, M/group, k...] with C and M "
                             "divisible by group");
    int64_t cg = c / group, mg = m / group;
    SmallVector<int64_t> kernel(wt.getShape().drop_front(2));
    SmallVector<int64_t> strides = intsAttr(op, "strides"),
                         dilations = intsAttr(op, "dilations"),
                         pads = intsAttr(op, "pads"),
                         outPad = intsAttr(op, "output_padding"),
                         outShape = intsAttr(op, "output_shape"),
                         kAttr = intsAttr(op, "kernel_shape");
    if (strides.empty())
      strides.assign(n, 1);
    if (dilations.empty())
      dilations.assign(n, 1);
    if (outPad.empty())
      outPad.assign(n, 0);
    if ((int64_t)outShape.size() == rank)
      outShape.erase(outShape.begin(), outShape.begin() + 2);
    if ((int64_t)strides.size() != n || (int64_t)dilations.size() != n ||
        (int64_t)outPad.size() != n ||
        (!pads.empty() && (int64_t)pads.size() != 2 * n) ||
        (!outShape.empty() && (int64_t)outShape.size() != n) ||
        (!kAttr.empty() &&
         ArrayRef<int64_t>(kAttr) != ArrayRef<int64_t>(kernel)))
      return unsupported(op, "attributes disagree with the input rank or W");
    graph::AutoPad autoPad = op.getAutoPad();
    SmallVector<int64_t> padLow(n, 0);
    for (int64_t i = 0; i < n; ++i) {
      int64_t in = xt.getDimSize(i + 2);
      int64_t full = strides[i] * (in - 1) + outPad[i] +
                     (kernel[i] - 1) * dilations[i] + 1;
      bool same = autoPad == graph::AutoPad::SameUpper ||
                  autoPad == graph::AutoPad::SameLower;
      if (!outShape.empty() || same) {
        int64_t target = !outShape.empty() ? outShape[i] : in * strides[i];
        int64_t total = full - target;
        padLow[i] = autoPad == graph::AutoPad::SameUpper
                        ? floorDiv(total, 2)
                        : total - floorDiv(total, 2);
      } else if (autoPad != graph::AutoPad::Valid && !pads.empty()) {
        padLow[i] = pads[i];
      }
    }

    // Grouped views: W [G, C/G, M/G, k...], accumulator [N, G, M/G, O...].
    SmallVector<int64_t> gwShape = {group, cg, mg};
    gwShape.append(kernel.begin(), kernel.end());
    Value gw =
        reshapeTo(rewriter, loc, w, RankedTensorType::get(gwShape, elem));
    Value init;
    if (!graph::isNone(op.getB())) {
      AffineMap biasMap = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
      init = buildGeneric(
          rewriter, loc, type, {adaptor.getB()}, {biasMap},
          [](OpBuilder &, Location, ValueRange a) { return a[0]; });
    } else {
      init = filledTensor(rewriter, loc, type,
                          scalarConst(rewriter, loc, elem, 0));
    }
    SmallVector<int64_t> gShape = {type.getDimSize(0), group, mg};
    for (int64_t i = 0; i < n; ++i)
      gShape.push_back(type.getDimSize(i + 2));
    auto gType = RankedTensorType::get(gShape, elem);
    Value gacc = reshapeTo(rewriter, loc, init, gType);

    // Loops: n, g, m, o0..o{n-1}, c, k0..k{n-1}.
    int64_t numLoops = 3 + n + 1 + n, cLoop = 3 + n;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> we = {d(1), d(cLoop), d(2)},
                            oe = {d(0), d(1), d(2)};
    for (int64_t i = 0; i < n; ++i) {
      we.push_back(d(cLoop + 1 + i));
      oe.push_back(d(3 + i));
    }
    SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, we, ctx),
                                   AffineMap::get(numLoops, 0, oe, ctx)};
    SmallVector<utils::IteratorType> iters(3 + n,
                                           utils::IteratorType::parallel);
    iters.append(1 + n, utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{gType}, ValueRange{gw}, ValueRange{gacc}, maps,
        iters, [&](OpBuilder &b, Location l, ValueRange a) {
          auto idx = [&](int64_t i) {
            return Value(linalg::IndexOp::create(b, l, i));
          };
          auto cst = [&](int64_t v) {
            return Value(arith::ConstantIndexOp::create(b, l, v));
          };
          Value zero = cst(0);
          Value valid;
          SmallVector<Value> xIdx = {idx(0)};
          // Input channel g * C/G + c.
          xIdx.push_back(arith::AddIOp::create(
              b, l, arith::MulIOp::create(b, l, idx(1), cst(cg)), idx(cLoop)));
          for (int64_t i = 0; i < n; ++i) {
            // t = o + padLow - k * dilation; i = t / stride.
            Value t = arith::AddIOp::create(b, l, idx(3 + i), cst(padLow[i]));
            t = arith::SubIOp::create(b, l, t,
                                      arith::MulIOp::create(b, l,
                                                            idx(cLoop + 1 + i),
                                                            cst(dilations[i])));
            Value q = arith::DivSIOp::create(b, l, t, cst(strides[i]));
            Value r = arith::RemSIOp::create(b, l, t, cst(strides[i]));
            Value ok = arith::AndIOp::create(
                b, l,
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, t, zero),
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, r, zero));
            ok = arith::AndIOp::create(
                b, l, ok,
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, q,
                                      cst(xt.getDimSize(i + 2))));
            valid = valid ? Value(arith::AndIOp::create(b, l, valid, ok)) : ok;
            xIdx.push_back(arith::SelectOp::create(b, l, ok, q, zero));
          }
          Value xv = tensor::ExtractOp::create(b, l, x, xIdx);
          Value p = arith::MulFOp::create(b, l, xv, a[0]);
          p = arith::SelectOp::create(b, l, valid, p,
                                      scalarConst(b, l, elem, 0));
          linalg::YieldOp::create(b, l,
                                  Value(arith::AddFOp::create(b, l, a[1], p)));
        });
    rewriter.replaceOp(op,
                       reshapeTo(rewriter, loc, generic.getResult(0), type));
    return success();
  }
};

} // namespace

void populateConvTransposePatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<ConvTransposeLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
