//===- MatMul.cpp - MatMul and Gemm ---------------------------------------===//
//
// 2-D products become linalg.matmul; batched ones linalg.batch_matmul after
// broadcasting the batch dimensions and collapsing them into one. A batched
// left operand times a 2-D right operand folds the batch into M instead.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

Value zeroFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                 Type elem) {
  auto t = RankedTensorType::get(shape, elem);
  return filledTensor(b, loc, t, scalarConst(b, loc, elem, 0));
}

/// Broadcasts `v` to `shape` (numpy rules) unless it already has it.
Value broadcastTo(OpBuilder &b, Location loc, Value v,
                  ArrayRef<int64_t> shape) {
  auto t = cast<RankedTensorType>(v.getType());
  if (t.getShape() == shape)
    return v;
  auto target = RankedTensorType::get(shape, t.getElementType());
  return buildBroadcastElementwise(
      b, loc, target, {v},
      [](OpBuilder &, Location, ValueRange a) { return a[0]; });
}

} // namespace

Value buildMatMul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                  RankedTensorType resultType) {
  auto lt = cast<RankedTensorType>(lhs.getType());
  auto rt = cast<RankedTensorType>(rhs.getType());
  Type elem = resultType.getElementType();
  // Promote 1-D operands to matrices.
  if (lt.getRank() == 1)
    lhs = reshapeTo(b, loc, lhs,
                    RankedTensorType::get({1, lt.getDimSize(0)}, elem));
  if (rt.getRank() == 1)
    rhs = reshapeTo(b, loc, rhs,
                    RankedTensorType::get({rt.getDimSize(0), 1}, elem));
  lt = cast<RankedTensorType>(lhs.getType());
  rt = cast<RankedTensorType>(rhs.getType());
  int64_t m = lt.getDimSize(lt.getRank() - 2);
  int64_t k = lt.getDimSize(lt.getRank() - 1);
  int64_t n = rt.getDimSize(rt.getRank() - 1);

  // f16/bf16 products accumulate in f32, as ONNX Runtime does on CPUs.
  Type resultElem = elem;
  elem = accumulatorType(elem);
  Value product;
  if (lt.getRank() == 2 && rt.getRank() == 2) {
    Value init = zeroFilled(b, loc, {m, n}, elem);
    product = linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                       ValueRange{lhs, rhs}, ValueRange{init})
                  .getResult(0);
  } else if (rt.getRank() == 2) {
    // [B..., M, K] x [K, N]: fold the batch into M.
    int64_t rows = 1; // B... x M, also when K = 0
    for (int64_t d : lt.getShape().drop_back())
      rows *= d;
    Value flat = reshapeTo(
        b, loc, lhs, RankedTensorType::get({rows, k}, lt.getElementType()));
    Value init = zeroFilled(b, loc, {rows, n}, elem);
    product = linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                       ValueRange{flat, rhs}, ValueRange{init})
                  .getResult(0);
  } else {
    // Broadcast the batch dims of both, collapse them, batch_matmul.
    int64_t batchRank = std::max(lt.getRank(), rt.getRank()) - 2;
    SmallVector<int64_t> batch(batchRank, 1);
    auto merge = [&](RankedTensorType t) {
      int64_t r = t.getRank() - 2;
      for (int64_t i = 0; i < r; ++i) {
        // numpy's rule: 1 takes the other's extent (0 included).
        int64_t &d = batch[batchRank - r + i];
        if (d == 1)
          d = t.getDimSize(i);
      }
    };
    merge(lt);
    merge(rt);
    int64_t batchSize = 1;
    for (int64_t d : batch)
      batchSize *= d;
    SmallVector<int64_t> lshape(batch), rshape(batch);
    lshape.append({m, k});
    rshape.append({k, n});
    lhs = reshapeTo(
        b, loc, broadcastTo(b, loc, lhs, lshape),
        RankedTensorType::get({batchSize, m, k}, lt.getElementType()));
    rhs = reshapeTo(
        b, loc, broadcastTo(b, loc, rhs, rshape),
        RankedTensorType::get({batchSize, k, n}, rt.getElementType()));
    Value init = zeroFilled(b, loc, {batchSize, m, n}, elem);
    product =
        linalg::BatchMatmulOp::create(b, loc, TypeRange{init.getType()},
                                      ValueRange{lhs, rhs}, ValueRange{init})
            .getResult(0);
  }
  return reshapeTo(b, loc, convertElements(b, loc, product, resultElem),
                   resultType);
}

namespace {

struct MatMulLowering : OpConversionPattern<graph::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    if (!type || !type.hasStaticShape())
      return unsupported(op, "result must be a static tensor");
    if (isUnsignedType(op.getA().getType()))
      return unsupported(op, "unsigned integer matmul");
    rewriter.replaceOp(op, buildMatMul(rewriter, op.getLoc(), adaptor.getA(),
                                       adaptor.getB(), type));
    return success();
  }
};

Value transposed(OpBuilder &b, Location loc, Value v) {
  return permuteDims(b, loc, v, {1, 0});
}

/// Y = alpha * op(A) op(B) + beta * C.
struct GemmLowering : OpConversionPattern<graph::GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getType());
    if (!type || !type.hasStaticShape())
      return unsupported(op, "result must be a static tensor");
    if (isUnsignedType(op.getA().getType()))
      return unsupported(op, "unsigned integer Gemm");
    Location loc = op.getLoc();
    // f16/bf16 accumulate (and scale) in f32; the result is converted back.
    Type resultElem = type.getElementType();
    Type elem = accumulatorType(resultElem);
    type = RankedTensorType::get(type.getShape(), elem);
    Value a = adaptor.getA(), b = adaptor.getB();
    if (op.getTransA())
      a = transposed(rewriter, loc, a);
    if (op.getTransB())
      b = transposed(rewriter, loc, b);
    double alpha = floatAttrOr(op, "alpha", 1.0);
    double beta = floatAttrOr(op, "beta", 1.0);
    bool hasC = !graph::isNone(op.getC()) && beta != 0;
    Value c =
        hasC ? convertElements(rewriter, loc, adaptor.getC(), elem) : Value();

    // With alpha == 1 the (scaled) C is the accumulator's initial value.
    Value init;
    if (hasC && alpha == 1.0)
      init = buildBroadcastElementwise(
          rewriter, loc, type, {c},
          [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
            if (beta == 1.0)
              return v[0];
            Value s = scalarConst(nb, l, elem, beta);
            return isa<FloatType>(elem)
                       ? Value(arith::MulFOp::create(nb, l, v[0], s))
                       : Value(arith::MulIOp::create(nb, l, v[0], s));
          });
    else
      init = zeroFilled(rewriter, loc, type.getShape(), elem);
    Value y = linalg::MatmulOp::create(rewriter, loc, TypeRange{type},
                                       ValueRange{a, b}, ValueRange{init})
                  .getResult(0);
    if (alpha != 1.0) {
      SmallVector<Value> inputs = {y};
      if (hasC)
        inputs.push_back(c);
      y = buildBroadcastElementwise(
          rewriter, loc, type, inputs,
          [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
            bool f = isa<FloatType>(elem);
            auto mul = [&](Value x, double s) -> Value {
              Value c = scalarConst(nb, l, elem, s);
              return f ? Value(arith::MulFOp::create(nb, l, x, c))
                       : Value(arith::MulIOp::create(nb, l, x, c));
            };
            Value r = mul(v[0], alpha);
            if (v.size() == 2) {
              Value c = mul(v[1], beta);
              r = f ? Value(arith::AddFOp::create(nb, l, r, c))
                    : Value(arith::AddIOp::create(nb, l, r, c));
            }
            return r;
          });
    }
    rewriter.replaceOp(op, convertElements(rewriter, loc, y, resultElem));
    return success();
  }
};

} // namespace

void populateMatMulPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<MatMulLowering, GemmLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
