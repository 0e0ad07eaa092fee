//===- LinearAttention.cpp - LinearAttention (linear/gated/delta rules) ---===//
//
// The recurrent form of linear attention, as the ONNX reference computes it,
// in f32: one scf.for over the tokens carrying the per-head state
// S [B, Hkv, dk, dv] and the output [B, Hq, T, dv]. Per token t:
//   gated rules:  S *= exp(decay[t])          (per head or per key channel)
//   delta rules:  v = beta[t] * (v - S^T k)   (the delta correction)
//   every rule:   S += k v^T
//   read:         o = scale * S^T q           (query heads share their KV
//                                               head: h floordiv group)
// Each step is a few generics on slices of the token; the output is merged
// back to [B, T, Hq * dv].
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <cmath>

using namespace mlir;

namespace hcc::g2l {
namespace {

Value cidx(OpBuilder &b, Location l, int64_t v) {
  return arith::ConstantIndexOp::create(b, l, v);
}

/// [B, T, H*D] (any float) -> [B, H, T, D] f32.
Value headsF32(OpBuilder &b, Location l, Value v, int64_t heads) {
  auto t = cast<RankedTensorType>(v.getType());
  int64_t d = t.getDimSize(2) / heads;
  Value split = reshapeTo(
      b, l, v,
      RankedTensorType::get({t.getDimSize(0), t.getDimSize(1), heads, d},
                            t.getElementType()));
  return convertElements(b, l, permuteDims(b, l, split, {0, 2, 1, 3}),
                         b.getF32Type());
}

/// Token `t` of a [B, H, T, D] tensor: [B, H, D].
Value token(OpBuilder &b, Location l, Value v, Value t) {
  auto vt = cast<RankedTensorType>(v.getType());
  int64_t bs = vt.getDimSize(0), h = vt.getDimSize(1), d = vt.getDimSize(3);
  return tensor::ExtractSliceOp::create(
      b, l, RankedTensorType::get({bs, h, d}, vt.getElementType()), v,
      ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0), t,
                             b.getIndexAttr(0)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(bs), b.getIndexAttr(h),
                             b.getIndexAttr(1), b.getIndexAttr(d)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1),
                             b.getIndexAttr(1), b.getIndexAttr(1)});
}

/// A generic over `type` with one reduction dimension of extent `n` last
/// (an empty [n] operand carries its bound): acc += body(inputs).
Value reduceGeneric(
    OpBuilder &b, Location l, RankedTensorType type, int64_t n,
    ValueRange inputs, ArrayRef<AffineMap> maps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<Value> ins(inputs.begin(), inputs.end());
  ins.push_back(
      tensor::EmptyOp::create(b, l, ArrayRef<int64_t>{n}, b.getF32Type()));
  SmallVector<AffineMap> all(maps.begin(), maps.end());
  all.push_back(AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, ctx), ctx));
  all.push_back(
      AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  iters.push_back(utils::IteratorType::reduction);
  Value init = filledTensor(b, l, type, scalarConst(b, l, b.getF32Type(), 0));
  return linalg::GenericOp::create(
             b, l, TypeRange{type}, ins, ValueRange{init}, all, iters,
             [&](OpBuilder &nb, Location nl, ValueRange a) {
               Value v = body(nb, nl, a.drop_back(2));
               linalg::YieldOp::create(
                   nb, nl,
                   ValueRange{arith::AddFOp::create(nb, nl, a.back(), v)});
             })
      .getResult(0);
}

struct LinearAttentionLowering : OpConversionPattern<graph::LinearAttentionOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::LinearAttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    FailureOr<RankedTensorType> stateType =
        staticResultType(getTypeConverter(), op, 1);
    if (failed(type) || failed(stateType))
      return failure();
    Value q = adaptor.getQuery(), k = adaptor.getKey(), v = adaptor.getValue();
    for (Value x : {q, k, v}) {
      FailureOr<RankedTensorType> t = staticOperandType(op, x);
      if (failed(t))
        return failure();
      if (t->getRank() != 3)
        return unsupported(op, "query, key and value must be 3-D (B, T, H*D)");
    }
    StringRef rule = op.getUpdateRule();
    if (rule != "linear" && rule != "gated" && rule != "delta" &&
        rule != "gated_delta")
      return unsupported(op, "update_rule '" + rule +
                                 "' is not linear, gated, delta or "
                                 "gated_delta");
    bool gating = rule == "gated" || rule == "gated_delta";
    bool delta = rule == "delta" || rule == "gated_delta";
    bool hasDecay = !graph::isNone(op.getDecay());
    bool hasBeta = !graph::isNone(op.getBeta());
    if (gating != hasDecay)
      return unsupported(op, "update_rule '" + rule +
                                 (gating ? "' needs" : "' forbids") +
                                 " the decay input");
    if (delta != hasBeta)
      return unsupported(op, "update_rule '" + rule +
                                 (delta ? "' needs" : "' forbids") +
                                 " the beta input");
    int64_t hq = op.getQNumHeads(), hkv = op.getKvNumHeads();
    auto qt = cast<RankedTensorType>(q.getType());
    auto vt = cast<RankedTensorType>(v.getType());
    int64_t batch = qt.getDimSize(0), steps = qt.getDimSize(1);
    if (hq < 1 || hkv < 1 || hq % hkv != 0 || qt.getDimSize(2) % hq != 0 ||
        vt.getDimSize(2) % hkv != 0 ||
        cast<RankedTensorType>(k.getType()).getDimSize(2) !=
            hkv * (qt.getDimSize(2) / hq))
      return unsupported(op, "head counts must divide the hidden sizes and "
                             "q_num_heads be a multiple of kv_num_heads");
    int64_t dk = qt.getDimSize(2) / hq, dv = vt.getDimSize(2) / hkv;
    int64_t group = hq / hkv;
    double scale = op.getScale().convertToDouble();
    if (scale == 0.0)
      scale = 1.0 / std::sqrt(double(dk));
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type f32 = rewriter.getF32Type();
    Value q4 = headsF32(rewriter, loc, q, hq);
    Value k4 = headsF32(rewriter, loc, k, hkv);
    Value v4 = headsF32(rewriter, loc, v, hkv);
    auto sType = RankedTensorType::get({batch, hkv, dk, dv}, f32);
    if (stateType->getShape() != sType.getShape())
      return unsupported(op, "present_state must be [B, kv heads, dk, dv]");
    Value state;
    if (!graph::isNone(op.getPastState())) {
      Value past = adaptor.getPastState();
      FailureOr<RankedTensorType> pt = staticOperandType(op, past);
      if (failed(pt))
        return failure();
      if (pt->getShape() != sType.getShape())
        return unsupported(op, "past_state must be [B, kv heads, dk, dv]");
      state = convertElements(rewriter, loc, past, f32);
    } else {
      state = filledTensor(rewriter, loc, sType,
                           scalarConst(rewriter, loc, f32, 0));
    }
    Value decay = hasDecay ? adaptor.getDecay() : Value();
    Value beta = hasBeta ? adaptor.getBeta() : Value();
    for (auto [x, what] :
         {std::pair{decay, "decay"}, std::pair{beta, "beta"}}) {
      if (!x)
        continue;
      FailureOr<RankedTensorType> t = staticOperandType(op, x);
      if (failed(t))
        return failure();
      int64_t last = t->getRank() == 3 ? t->getDimSize(2) : -1;
      bool ok = t->getRank() == 3 && t->getDimSize(0) == batch &&
                t->getDimSize(1) == steps &&
                (x == decay ? (last == hkv || last == hkv * dk)
                            : (last == hkv || last == 1));
      if (!ok)
        return unsupported(op, Twine(what) + " must be [B, T, " +
                                   (x == decay ? "kv heads or kv heads * dk]"
                                               : "kv heads or 1]"));
    }
    auto outType = RankedTensorType::get({batch, hq, steps, dv}, f32);
    Value out = emptyTensor(rewriter, loc, outType);
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    auto loop = scf::ForOp::create(
        rewriter, loc, cidx(rewriter, loc, 0), cidx(rewriter, loc, steps),
        cidx(rewriter, loc, 1), ValueRange{state, out},
        [&](OpBuilder &b, Location l, Value t, ValueRange carried) {
          Value s = carried[0];
          Value qT = token(b, l, q4, t), kT = token(b, l, k4, t),
                vT = token(b, l, v4, t);
          AffineMap id3 = b.getMultiDimIdentityMap(3),
                    id4 = b.getMultiDimIdentityMap(4);
          // A [B, T, n] input read at (b, t, index) as f32.
          auto readBT = [&](OpBuilder &nb, Location nl, Value x,
                            Value index) -> Value {
            Value e = tensor::ExtractOp::create(
                nb, nl, x,
                ValueRange{linalg::IndexOp::create(nb, nl, 0), t, index});
            return convertScalar(
                nb, nl, e, cast<RankedTensorType>(x.getType()).getElementType(),
                nb.getF32Type());
          };
          if (decay) {
            bool perKey =
                cast<RankedTensorType>(decay.getType()).getDimSize(2) != hkv;
            s = buildGeneric(
                b, l, sType, {s}, {id4},
                [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                  Value h = linalg::IndexOp::create(nb, nl, 1);
                  Value index = h;
                  if (perKey)
                    index = arith::AddIOp::create(
                        nb, nl,
                        arith::MulIOp::create(nb, nl, h, cidx(nb, nl, dk)),
                        linalg::IndexOp::create(nb, nl, 2));
                  Value g =
                      math::ExpOp::create(nb, nl, readBT(nb, nl, decay, index));
                  return arith::MulFOp::create(nb, nl, a[0], g);
                });
          }
          Value vNew = vT;
          if (beta) {
            // retrieved[b, h, j] = sum_i S[b, h, i, j] k[b, h, i].
            Value retrieved = reduceGeneric(
                b, l, RankedTensorType::get({batch, hkv, dv}, f32), dk, {s, kT},
                {AffineMap::get(4, 0, {d(0), d(1), d(3), d(2)}, ctx),
                 AffineMap::get(4, 0, {d(0), d(1), d(3)}, ctx)},
                [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                  return arith::MulFOp::create(nb, nl, a[0], a[1]);
                });
            bool perHead =
                cast<RankedTensorType>(beta.getType()).getDimSize(2) == hkv;
            vNew = buildGeneric(
                b, l, cast<RankedTensorType>(vT.getType()), {vT, retrieved},
                {id3, id3},
                [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                  Value index = perHead
                                    ? Value(linalg::IndexOp::create(nb, nl, 1))
                                    : cidx(nb, nl, 0);
                  return arith::MulFOp::create(
                      nb, nl, readBT(nb, nl, beta, index),
                      arith::SubFOp::create(nb, nl, a[0], a[1]));
                });
          }
          // S += k v^T.
          s = buildGeneric(
              b, l, sType, {s, kT, vNew},
              {id4, AffineMap::get(4, 0, {d(0), d(1), d(2)}, ctx),
               AffineMap::get(4, 0, {d(0), d(1), d(3)}, ctx)},
              [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                return arith::AddFOp::create(
                    nb, nl, a[0], arith::MulFOp::create(nb, nl, a[1], a[2]));
              });
          // o[b, h, j] = scale * sum_i q[b, h, i] S[b, h / group, i, j].
          Value o = reduceGeneric(
              b, l, RankedTensorType::get({batch, hq, dv}, f32), dk, {qT, s},
              {AffineMap::get(4, 0, {d(0), d(1), d(3)}, ctx),
               AffineMap::get(4, 0, {d(0), d(1).floorDiv(group), d(3), d(2)},
                              ctx)},
              [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                return arith::MulFOp::create(
                    nb, nl, arith::MulFOp::create(nb, nl, a[0], a[1]),
                    scalarConst(nb, nl, nb.getF32Type(), scale));
              });
          Value next = tensor::InsertSliceOp::create(
              b, l, o, carried[1],
              ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0), t,
                                     b.getIndexAttr(0)},
              ArrayRef<OpFoldResult>{b.getIndexAttr(batch), b.getIndexAttr(hq),
                                     b.getIndexAttr(1), b.getIndexAttr(dv)},
              ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1),
                                     b.getIndexAttr(1), b.getIndexAttr(1)});
          // Copied into the carried state so the loop bufferizes in place.
          s = linalg::CopyOp::create(b, l, s, carried[0]).getResult(0);
          scf::YieldOp::create(b, l, ValueRange{s, next});
        });
    // [B, Hq, T, dv] -> [B, T, Hq * dv].
    Value y = permuteDims(rewriter, loc, loop.getResult(1), {0, 2, 1, 3});
    y = reshapeTo(rewriter, loc, y,
                  RankedTensorType::get(type->getShape(), f32));
    rewriter.replaceOp(
        op, {convertElements(rewriter, loc, y, type->getElementType()),
             convertElements(rewriter, loc, loop.getResult(0),
                             stateType->getElementType())});
    return success();
  }
};

} // namespace

void populateLinearAttentionPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<LinearAttentionLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
