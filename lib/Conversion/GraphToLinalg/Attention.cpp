//===- Attention.cpp - scaled dot-product attention (Attention-23/24) -----===//
//
// ONNX Attention as the graph its specification draws, on static shapes:
//   3-D inputs are split into heads ([B, S, H*D] -> [B, H, S, D]);
//   past key/value are concatenated in front of K/V (present_key/value);
//   grouped-query heads share their key/value head (h / (Hq / Hkv));
//   scores = (Q * sqrt(scale)) @ (K * sqrt(scale))^T, one batched matmul;
//   softcap c * tanh(x / c); attn_mask (bool: false -> -inf; float: added,
//   padded with -inf up to the total sequence), the causal mask (key
//   position j > query position i + past length) and nonpad_kv_seqlen
//   (j >= the batch's length) in one generic;
//   softmax over the keys (f32 for f16/bf16 scores, or softmax_precision);
//   Y = probabilities @ V, merged back to [B, S, H*Dv] for 3-D inputs.
// qk_matmul_output is the scores after the stage qk_matmul_output_mode
// names (0 raw, 1 softcapped, 2 masked, 3 softmax). RotaryEmbedding, the
// other transformer op, is here too.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

#include <cmath>

using namespace mlir;

namespace hcc::g2l {
namespace {

/// [B, S, H*D] -> [B, H, S, D].
Value splitHeads(OpBuilder &b, Location loc, Value v, int64_t heads) {
  auto t = cast<RankedTensorType>(v.getType());
  int64_t hidden = t.getDimSize(2);
  Value split =
      reshapeTo(b, loc, v,
                RankedTensorType::get(
                    {t.getDimSize(0), t.getDimSize(1), heads, hidden / heads},
                    t.getElementType()));
  return permuteDims(b, loc, split, {0, 2, 1, 3});
}

/// `v` [B, Hkv, T, D] with every head repeated `rep` times: [B, Hkv*rep, T, D].
Value repeatHeads(OpBuilder &b, Location loc, Value v, int64_t rep) {
  if (rep == 1)
    return v;
  auto t = cast<RankedTensorType>(v.getType());
  MLIRContext *ctx = b.getContext();
  auto rt = RankedTensorType::get({t.getDimSize(0), t.getDimSize(1) * rep,
                                   t.getDimSize(2), t.getDimSize(3)},
                                  t.getElementType());
  AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
             d2 = getAffineDimExpr(2, ctx), d3 = getAffineDimExpr(3, ctx);
  AffineMap map = AffineMap::get(4, 0, {d0, d1.floorDiv(rep), d2, d3}, ctx);
  return buildGeneric(b, loc, rt, {v}, {map},
                      [](OpBuilder &, Location, ValueRange a) { return a[0]; });
}

/// `v` times the constant `factor`, elementwise.
Value scaled(OpBuilder &b, Location loc, Value v, double factor) {
  auto t = cast<RankedTensorType>(v.getType());
  return buildGeneric(b, loc, t, {v}, {b.getMultiDimIdentityMap(t.getRank())},
                      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                        return arith::MulFOp::create(
                            nb, l, a[0],
                            scalarConst(nb, l, t.getElementType(), factor));
                      });
}

struct AttentionLowering : OpConversionPattern<graph::AttentionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    FailureOr<RankedTensorType> yType =
        staticResultType(getTypeConverter(), op, 0);
    if (failed(yType))
      return failure();
    Value q = adaptor.getQ(), k = adaptor.getK(), v = adaptor.getV();
    for (Value x : {q, k, v})
      if (failed(staticOperandType(op, x)))
        return failure();
    Type elem = yType->getElementType();
    int64_t rank = cast<RankedTensorType>(q.getType()).getRank();
    if (rank != 3 && rank != 4)
      return unsupported(op, "Q, K and V must be 3-D or 4-D");
    if (rank == 3) {
      std::optional<int64_t> nq = op.getQNumHeads(), nkv = op.getKvNumHeads();
      if (!nq || !nkv || *nq < 1 || *nkv < 1)
        return unsupported(op, "3-D inputs need q_num_heads and kv_num_heads");
      for (auto [x, heads] :
           {std::pair{q, *nq}, std::pair{k, *nkv}, std::pair{v, *nkv}})
        if (cast<RankedTensorType>(x.getType()).getDimSize(2) % heads != 0)
          return unsupported(op, "hidden sizes must be multiples of the "
                                 "head counts");
      q = splitHeads(rewriter, loc, q, *nq);
      k = splitHeads(rewriter, loc, k, *nkv);
      v = splitHeads(rewriter, loc, v, *nkv);
    }
    auto qt = cast<RankedTensorType>(q.getType());
    int64_t batch = qt.getDimSize(0), nq = qt.getDimSize(1),
            qSeq = qt.getDimSize(2), head = qt.getDimSize(3);
    // Past and present key/value.
    int64_t past = 0;
    if (!graph::isNone(op.getPastKey()) || !graph::isNone(op.getPastValue())) {
      if (graph::isNone(op.getPastKey()) || graph::isNone(op.getPastValue()))
        return unsupported(op, "past_key and past_value go together");
      Value pk = adaptor.getPastKey(), pv = adaptor.getPastValue();
      for (Value x : {pk, pv})
        if (failed(staticOperandType(op, x)))
          return failure();
      past = cast<RankedTensorType>(pk.getType()).getDimSize(2);
      auto concat = [&](Value a, Value b) -> Value {
        auto at = cast<RankedTensorType>(a.getType());
        auto bt = cast<RankedTensorType>(b.getType());
        if (at.getRank() != 4 || at.getDimSize(0) != bt.getDimSize(0) ||
            at.getDimSize(1) != bt.getDimSize(1) ||
            at.getDimSize(3) != bt.getDimSize(3))
          return {};
        SmallVector<int64_t> shape(bt.getShape());
        shape[2] += at.getDimSize(2);
        return tensor::ConcatOp::create(rewriter, loc,
                                        RankedTensorType::get(shape, elem), 2,
                                        ValueRange{a, b});
      };
      k = concat(pk, k);
      v = concat(pv, v);
      if (!k || !v)
        return unsupported(op, "past key/value must be [batch, kv heads, "
                               "past, head size] like K/V");
    }
    auto kt = cast<RankedTensorType>(k.getType());
    auto vt = cast<RankedTensorType>(v.getType());
    int64_t nkv = kt.getDimSize(1), total = kt.getDimSize(2);
    if (kt.getDimSize(0) != batch || vt.getDimSize(0) != batch ||
        kt.getDimSize(3) != head || vt.getDimSize(1) != nkv ||
        vt.getDimSize(2) != total || nq % nkv != 0)
      return unsupported(op, "Q, K and V shapes do not fit together");
    int64_t headV = vt.getDimSize(3);
    SmallVector<Value> results = {Value(), k, v, Value()};

    // Scores, both operands scaled by sqrt(scale) as the specification does.
    double scale = op.getScale() ? double(op.getScale()->convertToFloat())
                                 : 1.0 / std::sqrt(double(head));
    double root = std::sqrt(scale);
    int64_t rep = nq / nkv;
    Value kT = permuteDims(
        rewriter, loc,
        repeatHeads(rewriter, loc, scaled(rewriter, loc, k, root), rep),
        {0, 1, 3, 2});
    auto scoreType = RankedTensorType::get({batch, nq, qSeq, total}, elem);
    Value raw = buildMatMul(rewriter, loc, scaled(rewriter, loc, q, root), kT,
                            scoreType);
    AffineMap id = rewriter.getMultiDimIdentityMap(4);
    Value capped = raw;
    double softcap = op.getSoftcap().convertToDouble();
    if (softcap > 0)
      capped =
          buildGeneric(rewriter, loc, scoreType, {raw}, {id},
                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                         Value c = scalarConst(b, l, elem, softcap);
                         return arith::MulFOp::create(
                             b, l, c,
                             math::TanhOp::create(
                                 b, l, arith::DivFOp::create(b, l, a[0], c)));
                       });
    FailureOr<Value> masked = applyMasks(rewriter, op, adaptor, capped, past);
    if (failed(masked))
      return failure();

    // Softmax in f32 for f16/bf16 scores (or softmax_precision's type).
    Type softElem = accumulatorType(elem);
    if (std::optional<int64_t> p = op.getSoftmaxPrecision()) {
      Type t = graph::onnxDataTypeToMlir(rewriter.getContext(), *p);
      if (!t || !isa<FloatType>(t))
        return unsupported(op, "softmax_precision must name a float type");
      if (t.getIntOrFloatBitWidth() > softElem.getIntOrFloatBitWidth())
        softElem = t;
    }
    Value probs = convertElements(
        rewriter, loc,
        buildSoftmax(rewriter, loc,
                     convertElements(rewriter, loc, *masked, softElem), 3),
        elem);
    Value y =
        buildMatMul(rewriter, loc, probs, repeatHeads(rewriter, loc, v, rep),
                    RankedTensorType::get({batch, nq, qSeq, headV}, elem));
    if (rank == 3)
      y = reshapeTo(rewriter, loc, permuteDims(rewriter, loc, y, {0, 2, 1, 3}),
                    *yType);
    results[0] = y;
    switch (op.getQkMatmulOutputMode()) {
    case 0:
      results[3] = raw;
      break;
    case 1:
      results[3] = capped;
      break;
    case 2:
      results[3] = *masked;
      break;
    case 3:
      results[3] = probs;
      break;
    default:
      return unsupported(op, "qk_matmul_output_mode must be 0, 1, 2 or 3");
    }
    for (unsigned i = 1; i < 4; ++i)
      if (isa<NoneType>(op.getResult(i).getType()))
        results[i] =
            graph::NoneOp::create(rewriter, loc, rewriter.getNoneType());
    rewriter.replaceOp(op, results);
    return success();
  }

  /// The scores with attn_mask, the causal mask and nonpad_kv_seqlen
  /// applied (masked-out positions are -inf).
  FailureOr<Value> applyMasks(OpBuilder &b, graph::AttentionOp op,
                              OpAdaptor adaptor, Value scores,
                              int64_t past) const {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(scores.getType());
    Type elem = type.getElementType();
    int64_t total = type.getDimSize(3);
    SmallVector<Value> inputs = {scores};
    SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(4)};
    bool boolMask = false;
    int mask = -1, lengths = -1;
    if (!graph::isNone(op.getAttnMask())) {
      Value m = adaptor.getAttnMask();
      FailureOr<RankedTensorType> mt = staticOperandType(op, m);
      if (failed(mt))
        return failure();
      boolMask = mt->getElementType().isInteger(1);
      if (!boolMask && mt->getElementType() != elem)
        return unsupported(op, "attn_mask must be bool or of Q's type");
      if (mt->getRank() < 1 || mt->getRank() > 4)
        return unsupported(op, "attn_mask must have rank 1 to 4");
      int64_t last = mt->getDimSize(mt->getRank() - 1);
      if (last > total)
        return unsupported(op, "attn_mask is longer than the key sequence");
      if (last < total) {
        // The missing key positions are masked out.
        SmallVector<OpFoldResult> lo(mt->getRank(), b.getIndexAttr(0));
        SmallVector<OpFoldResult> hi = lo;
        hi.back() = b.getIndexAttr(total - last);
        SmallVector<int64_t> shape(mt->getShape());
        shape.back() = total;
        Value fill = boolMask ? scalarConst(b, loc, mt->getElementType(), 0)
                              : lowestValue(b, loc, elem, false);
        m = tensor::PadOp::create(
            b, loc, RankedTensorType::get(shape, mt->getElementType()), m, lo,
            hi, fill);
      }
      auto padded = cast<RankedTensorType>(m.getType());
      for (auto [md, od] : llvm::zip(llvm::reverse(padded.getShape()),
                                     llvm::reverse(type.getShape())))
        if (md != 1 && md != od)
          return unsupported(op, "attn_mask does not broadcast to the scores");
      mask = inputs.size();
      inputs.push_back(m);
      maps.push_back(
          broadcastMap(b.getContext(), padded.getShape(), type.getShape()));
    }
    if (!graph::isNone(op.getNonpadKvSeqlen())) {
      Value n = adaptor.getNonpadKvSeqlen();
      FailureOr<RankedTensorType> nt = staticOperandType(op, n);
      if (failed(nt))
        return failure();
      if (nt->getRank() != 1 || nt->getDimSize(0) != type.getDimSize(0))
        return unsupported(op,
                           "nonpad_kv_seqlen must have one entry per batch");
      lengths = inputs.size();
      inputs.push_back(n);
      maps.push_back(AffineMap::get(4, 0, getAffineDimExpr(0, b.getContext())));
    }
    bool causal = op.getIsCausal() != 0;
    if (mask < 0 && lengths < 0 && !causal)
      return scores;
    return buildGeneric(
        b, loc, type, inputs, maps,
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value x = a[0];
          Value ninf = lowestValue(nb, l, elem, false);
          if (mask >= 0)
            x = boolMask
                    ? Value(arith::SelectOp::create(nb, l, a[mask], x, ninf))
                    : Value(arith::AddFOp::create(nb, l, x, a[mask]));
          Value j = linalg::IndexOp::create(nb, l, 3);
          if (causal) {
            Value limit = arith::AddIOp::create(
                nb, l, linalg::IndexOp::create(nb, l, 2),
                arith::ConstantIndexOp::create(nb, l, past));
            Value future = arith::CmpIOp::create(
                nb, l, arith::CmpIPredicate::sgt, j, limit);
            x = arith::SelectOp::create(nb, l, future, ninf, x);
          }
          if (lengths >= 0) {
            Value len = arith::IndexCastOp::create(nb, l, nb.getIndexType(),
                                                   a[lengths]);
            Value pad =
                arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, j, len);
            x = arith::SelectOp::create(nb, l, pad, ninf, x);
          }
          return x;
        });
  }
};

/// RotaryEmbedding: one generic over Y (X's shape). Element d of a head
/// below rotary_embedding_dim pairs with its partner (d +- half, or the
/// neighbour when interleaved) and becomes cos * x1 - sin * x2 (the first
/// of the pair) or sin * x1 + cos * x2 (the second), cos/sin read at the
/// token's position (position_ids, clamped) or at [batch, sequence].
struct RotaryEmbeddingLowering : OpConversionPattern<graph::RotaryEmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::RotaryEmbeddingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value x = adaptor.getX(), cosC = adaptor.getCosCache(),
          sinC = adaptor.getSinCache();
    FailureOr<RankedTensorType> xt = staticOperandType(op, x);
    FailureOr<RankedTensorType> ct = staticOperandType(op, cosC);
    if (failed(xt) || failed(ct) || failed(staticOperandType(op, sinC)))
      return failure();
    int64_t rank = xt->getRank();
    if ((rank != 3 && rank != 4) || xt->getShape() != type->getShape())
      return unsupported(op, "X must be 3-D or 4-D, Y of its shape");
    int64_t head;
    if (rank == 4) {
      head = xt->getDimSize(3);
    } else {
      std::optional<int64_t> heads = op.getNumHeads();
      if (!heads || *heads < 1 || xt->getDimSize(2) % *heads != 0)
        return unsupported(op, "3-D X needs num_heads dividing its hidden "
                               "size");
      head = xt->getDimSize(2) / *heads;
    }
    int64_t rdim = op.getRotaryEmbeddingDim();
    if (rdim == 0)
      rdim = head;
    if (rdim < 2 || rdim > head || rdim % 2 != 0)
      return unsupported(op, "rotary_embedding_dim must be even and at most "
                             "the head size");
    int64_t half = rdim / 2;
    bool positions = !graph::isNone(op.getPositionIds());
    Value ids = positions ? adaptor.getPositionIds() : Value();
    if (ct->getDimSize(ct->getRank() - 1) != half ||
        ct->getRank() != (positions ? 2 : 3))
      return unsupported(op, "cos/sin caches must be [positions, " +
                                 Twine(half) +
                                 "] with position_ids, else "
                                 "[batch, sequence, " +
                                 Twine(half) + "]");
    bool interleaved = op.getInterleaved() != 0;
    // Sequence dimension: 1 for [B, S, hidden], 2 for [B, H, S, D].
    int64_t seqDim = rank == 3 ? 1 : 2;
    Type elem = type->getElementType();
    Type calc = rewriter.getF32Type();
    Value r = buildGeneric(
        rewriter, op.getLoc(), *type, {x},
        {rewriter.getMultiDimIdentityMap(rank)},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          auto ci = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          SmallVector<Value> idx;
          for (int64_t i = 0; i < rank; ++i)
            idx.push_back(linalg::IndexOp::create(b, l, i));
          Value last = idx.back();
          // d within the head, and the head's first element.
          Value d = rank == 3
                        ? Value(arith::RemUIOp::create(b, l, last, ci(head)))
                        : last;
          Value base = arith::SubIOp::create(b, l, last, d);
          Value rotated = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                                d, ci(rdim));
          // Pair index p, the pair's two elements, and whether d is the
          // second of them.
          Value p, first, second, isSecond;
          if (interleaved) {
            p = arith::DivUIOp::create(b, l, d, ci(2));
            first = arith::MulIOp::create(b, l, p, ci(2));
            second = arith::AddIOp::create(b, l, first, ci(1));
            isSecond = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::ne,
                arith::RemUIOp::create(b, l, d, ci(2)), ci(0));
          } else {
            isSecond = arith::CmpIOp::create(b, l, arith::CmpIPredicate::uge, d,
                                             ci(half));
            p = arith::SelectOp::create(
                b, l, isSecond, arith::SubIOp::create(b, l, d, ci(half)), d);
            first = p;
            second = arith::AddIOp::create(b, l, p, ci(half));
          }
          // Only rotated elements read a partner; others stay in range.
          auto clampRot = [&](Value v) -> Value {
            return arith::SelectOp::create(b, l, rotated, v, ci(0));
          };
          p = clampRot(p);
          auto read = [&](Value within) {
            SmallVector<Value> at = idx;
            at.back() = arith::AddIOp::create(b, l, base, clampRot(within));
            return convertScalar(b, l, tensor::ExtractOp::create(b, l, x, at),
                                 elem, calc);
          };
          Value x1 = read(first), x2 = read(second);
          SmallVector<Value> cacheAt;
          if (positions) {
            Value pos = tensor::ExtractOp::create(
                b, l, ids, ValueRange{idx[0], idx[seqDim]});
            pos = arith::MaxSIOp::create(
                b, l, pos, arith::ConstantIntOp::create(b, l, 0, 64));
            pos = arith::MinSIOp::create(
                b, l, pos,
                arith::ConstantIntOp::create(b, l, ct->getDimSize(0) - 1, 64));
            cacheAt = {arith::IndexCastOp::create(b, l, b.getIndexType(), pos),
                       p};
          } else {
            cacheAt = {idx[0], idx[seqDim], p};
          }
          Type cacheElem = ct->getElementType();
          Value cs = convertScalar(
              b, l, tensor::ExtractOp::create(b, l, cosC, cacheAt), cacheElem,
              calc);
          Value sn = convertScalar(
              b, l, tensor::ExtractOp::create(b, l, sinC, cacheAt), cacheElem,
              calc);
          auto mul = [&](Value u, Value v) -> Value {
            return arith::MulFOp::create(b, l, u, v);
          };
          Value real = arith::SubFOp::create(b, l, mul(cs, x1), mul(sn, x2));
          Value imag = arith::AddFOp::create(b, l, mul(sn, x1), mul(cs, x2));
          Value v = arith::SelectOp::create(b, l, isSecond, imag, real);
          v = convertScalar(b, l, v, calc, elem);
          return arith::SelectOp::create(b, l, rotated, v, a[0]);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

void populateAttentionPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<AttentionLowering, RotaryEmbeddingLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
