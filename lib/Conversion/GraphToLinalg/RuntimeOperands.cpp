//===- RuntimeOperands.cpp - Slice/Pad/Reduce* with run-time operands -----===//
//
// Ops whose "attribute-like" operands (Slice's starts/axes/steps, Pad's pads,
// Reduce*'s axes) are run-time values while the result type is static. The
// plain patterns (DataMovement.cpp, Reduction.cpp) handle constant operands;
// the Slice and Pad patterns here have a higher benefit and decline
// (match failure, no diagnostic) when the operands are constants.
//
// - Slice: the effective start/step of every dimension is computed once with
//   tensor.extract + select chains (negative axes and starts normalised,
//   starts clamped as ONNX specifies), then one generic over the static
//   output reads input[start + i * step] (index clamped: never out of range).
// - Pad: one generic over the output; the source index out - pad_begin[d]
//   (pads read at run time) is bounds-checked (constant), clamped (edge) or
//   mirrored with period 2 (n - 1) (reflect).
// - Reduce*: the reduced axes are derived from the static input and result
//   shapes; where several axis sets fit, each candidate is reduced and the
//   one the run-time axes name is selected.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

Value idx(OpBuilder &b, Location l, int64_t v) {
  return arith::ConstantIndexOp::create(b, l, v);
}

/// Element `i` of the 1-D integer tensor `t` as an index.
Value extractIndex(OpBuilder &b, Location l, Value t, int64_t i) {
  Value e = tensor::ExtractOp::create(b, l, t, ValueRange{idx(b, l, i)});
  return arith::IndexCastOp::create(b, l, b.getIndexType(), e);
}

Value clampIdx(OpBuilder &b, Location l, Value v, int64_t lo, int64_t hi) {
  v = arith::MaxSIOp::create(b, l, v, idx(b, l, lo));
  return arith::MinSIOp::create(b, l, v, idx(b, l, hi));
}

Value cmp(OpBuilder &b, Location l, arith::CmpIPredicate p, Value x, Value y) {
  return arith::CmpIOp::create(b, l, p, x, y);
}

/// The length of a statically sized 1-D integer tensor operand, else -1.
int64_t staticLength(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t || t.getRank() != 1 || t.isDynamicDim(0) ||
      !t.getElementType().isInteger())
    return -1;
  return t.getDimSize(0);
}

/// The static converted result type of `op` if `data` is static too, with
/// the same rank and a numeric element type.
RankedTensorType staticTypes(const TypeConverter *tc, Operation *op,
                             Value data) {
  auto t = convertedTensorType(*tc, op->getResult(0).getType());
  auto in = dyn_cast<RankedTensorType>(data.getType());
  if (!t || !t.hasStaticShape() || !t.getElementType().isIntOrFloat() || !in ||
      !in.hasStaticShape() || in.getRank() != t.getRank())
    return {};
  return t;
}

bool isConstOrNone(Value orig, Value converted) {
  return graph::isNone(orig) || constInts(orig, converted).has_value();
}

struct RuntimeSliceLowering : OpConversionPattern<graph::SliceOp> {
  RuntimeSliceLowering(const TypeConverter &tc, MLIRContext *ctx)
      : OpConversionPattern(tc, ctx, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(graph::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isConstOrNone(op.getStarts(), adaptor.getStarts()) &&
        isConstOrNone(op.getEnds(), adaptor.getEnds()) &&
        isConstOrNone(op.getAxes(), adaptor.getAxes()) &&
        isConstOrNone(op.getSteps(), adaptor.getSteps()))
      return failure(); // the constant path (DataMovement.cpp)
    // Unsupported forms decline without a diagnostic; the constant pattern
    // then reports the op.
    Value data = adaptor.getData();
    RankedTensorType type = staticTypes(getTypeConverter(), op, data);
    if (!type)
      return rewriter.notifyMatchFailure(op, "non-static types");
    auto inType = cast<RankedTensorType>(data.getType());
    int64_t rank = inType.getRank();
    int64_t k = staticLength(adaptor.getStarts());
    bool hasAxes = !graph::isNone(op.getAxes());
    bool hasSteps = !graph::isNone(op.getSteps());
    if (k < 0 || (hasAxes && staticLength(adaptor.getAxes()) != k) ||
        (hasSteps && staticLength(adaptor.getSteps()) != k) ||
        (!hasAxes && k > rank))
      return rewriter.notifyMatchFailure(op, "starts/axes/steps lengths");
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    // Effective start and step per dimension (defaults 0 and 1).
    SmallVector<Value> start(rank, idx(b, loc, 0)), step(rank, idx(b, loc, 1));
    Value zero = idx(b, loc, 0), one = idx(b, loc, 1);
    for (int64_t i = 0; i < k; ++i) {
      Value s = extractIndex(b, loc, adaptor.getStarts(), i);
      Value st = hasSteps ? extractIndex(b, loc, adaptor.getSteps(), i) : one;
      // A zero step is invalid; read it as 1 rather than fault.
      st = arith::SelectOp::create(
          b, loc, cmp(b, loc, arith::CmpIPredicate::eq, st, zero), one, st);
      Value axis;
      if (hasAxes) {
        axis = extractIndex(b, loc, adaptor.getAxes(), i);
        Value wrapped = arith::AddIOp::create(b, loc, axis, idx(b, loc, rank));
        axis = arith::SelectOp::create(
            b, loc, cmp(b, loc, arith::CmpIPredicate::slt, axis, zero), wrapped,
            axis);
      }
      for (int64_t d = 0; d < rank; ++d) {
        if (!hasAxes && d != i)
          continue;
        int64_t dim = inType.getDimSize(d);
        // start < 0: += dim; clamp to [0, dim] (step > 0) or [0, dim - 1].
        Value sd = arith::SelectOp::create(
            b, loc, cmp(b, loc, arith::CmpIPredicate::slt, s, zero),
            arith::AddIOp::create(b, loc, s, idx(b, loc, dim)), s);
        Value pos = cmp(b, loc, arith::CmpIPredicate::sgt, st, zero);
        Value hi =
            arith::SelectOp::create(b, loc, pos, idx(b, loc, dim),
                                    idx(b, loc, std::max<int64_t>(dim - 1, 0)));
        sd = arith::MaxSIOp::create(b, loc, sd, zero);
        sd = arith::MinSIOp::create(b, loc, sd, hi);
        if (!hasAxes) {
          start[d] = sd;
          step[d] = st;
          continue;
        }
        Value here =
            cmp(b, loc, arith::CmpIPredicate::eq, axis, idx(b, loc, d));
        start[d] = arith::SelectOp::create(b, loc, here, sd, start[d]);
        step[d] = arith::SelectOp::create(b, loc, here, st, step[d]);
      }
    }
    Value r = buildGeneric(
        b, loc, type, {}, {},
        [&](OpBuilder &nb, Location l, ValueRange) -> Value {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d) {
            Value i = linalg::IndexOp::create(nb, l, d);
            Value j = arith::AddIOp::create(
                nb, l, start[d], arith::MulIOp::create(nb, l, i, step[d]));
            coords.push_back(clampIdx(
                nb, l, j, 0, std::max<int64_t>(inType.getDimSize(d) - 1, 0)));
          }
          return tensor::ExtractOp::create(nb, l, data, coords);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct RuntimePadLowering : OpConversionPattern<graph::PadOp> {
  RuntimePadLowering(const TypeConverter &tc, MLIRContext *ctx)
      : OpConversionPattern(tc, ctx, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(graph::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (constInts(op.getPads(), adaptor.getPads()) ||
        !graph::isNone(op.getAxes()) || op.getMode() == graph::PadMode::Wrap)
      return failure(); // the constant path (DataMovement.cpp)
    Value data = adaptor.getData();
    RankedTensorType type = staticTypes(getTypeConverter(), op, data);
    if (!type)
      return rewriter.notifyMatchFailure(op, "non-static types");
    auto inType = cast<RankedTensorType>(data.getType());
    int64_t rank = inType.getRank();
    if (staticLength(adaptor.getPads()) != 2 * rank ||
        inType.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "pads length or empty input");
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Type elem = type.getElementType();
    graph::PadMode mode = op.getMode();
    Value padValue;
    if (mode == graph::PadMode::Constant) {
      if (graph::isNone(op.getConstantValue())) {
        padValue = scalarConst(b, loc, elem, 0);
      } else {
        Value cv = adaptor.getConstantValue();
        auto cvType = cast<RankedTensorType>(cv.getType());
        SmallVector<Value> zeros(cvType.getRank(), idx(b, loc, 0));
        padValue = tensor::ExtractOp::create(b, loc, cv, zeros);
      }
    }
    SmallVector<Value> low;
    for (int64_t d = 0; d < rank; ++d)
      low.push_back(extractIndex(b, loc, adaptor.getPads(), d));
    Value r = buildGeneric(
        b, loc, type, {}, {},
        [&](OpBuilder &nb, Location l, ValueRange) -> Value {
          SmallVector<Value> coords;
          Value inside;
          Value zero = idx(nb, l, 0);
          for (int64_t d = 0; d < rank; ++d) {
            int64_t n = inType.getDimSize(d);
            Value j = arith::SubIOp::create(
                nb, l, linalg::IndexOp::create(nb, l, d), low[d]);
            if (mode == graph::PadMode::Constant) {
              Value ok = arith::AndIOp::create(
                  nb, l, cmp(nb, l, arith::CmpIPredicate::sge, j, zero),
                  cmp(nb, l, arith::CmpIPredicate::slt, j, idx(nb, l, n)));
              inside = inside ? arith::AndIOp::create(nb, l, inside, ok) : ok;
            } else if (mode == graph::PadMode::Reflect && n > 1) {
              // Mirror with period 2 (n - 1): m = j mod p; m > n-1 -> p - m.
              Value p = idx(nb, l, 2 * (n - 1));
              Value m = arith::RemSIOp::create(nb, l, j, p);
              m = arith::SelectOp::create(
                  nb, l, cmp(nb, l, arith::CmpIPredicate::slt, m, zero),
                  arith::AddIOp::create(nb, l, m, p), m);
              j = arith::MinSIOp::create(nb, l, m,
                                         arith::SubIOp::create(nb, l, p, m));
            }
            coords.push_back(clampIdx(nb, l, j, 0, n - 1));
          }
          Value v = tensor::ExtractOp::create(nb, l, data, coords);
          if (inside)
            v = arith::SelectOp::create(nb, l, inside, v, padValue);
          return v;
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Sets of `size` elements of `from` (ascending), appended to `out`.
void subsets(ArrayRef<int64_t> from, int64_t size, SmallVector<int64_t> &cur,
             SmallVectorImpl<SmallVector<int64_t>> &out) {
  if (static_cast<int64_t>(cur.size()) == size) {
    out.push_back(cur);
    return;
  }
  if (from.empty())
    return;
  cur.push_back(from.front());
  subsets(from.drop_front(), size, cur, out);
  cur.pop_back();
  subsets(from.drop_front(), size, cur, out);
}

} // namespace

FailureOr<Value> lowerRuntimeReduceAxes(
    OpBuilder &b, Operation *op, Value x, Value axes, RankedTensorType outType,
    bool sumLike, llvm::function_ref<Value(ArrayRef<int64_t>)> reduceOver) {
  Location loc = op->getLoc();
  auto xt = cast<RankedTensorType>(x.getType());
  auto reduceOrCopy = [&](ArrayRef<int64_t> c) {
    return c.empty() ? x : reduceOver(c);
  };
  ArrayRef<int64_t> in = xt.getShape(), out = outType.getShape();
  int64_t rank = xt.getRank();
  auto at = dyn_cast<RankedTensorType>(axes.getType());
  if (!at || at.getRank() != 1)
    return unsupported(op, "axes must be a 1-D tensor");
  int64_t k = at.isDynamicDim(0) ? -1 : at.getDimSize(0);
  bool keep = intAttrOr(op, "keepdims", 1) != 0;
  bool noop = intAttrOr(op, "noop_with_empty_axes", 0) != 0;
  SmallVector<int64_t> all = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  if (k == 0) // empty axes, known at compile time
    return noop ? x : reduceOver(all);

  // Candidate axis sets consistent with the static shapes.
  SmallVector<int64_t> ones; // size-1 input dims
  for (int64_t d = 0; d < rank; ++d)
    if (in[d] == 1)
      ones.push_back(d);
  SmallVector<SmallVector<int64_t>> cands;
  if (keep) {
    if (outType.getRank() != rank)
      return unsupported(op, "result rank disagrees with keepdims = 1");
    SmallVector<int64_t> definite;
    for (int64_t d = 0; d < rank; ++d) {
      if (out[d] == in[d])
        continue;
      if (out[d] != 1)
        return unsupported(op, "result shape fits no reduction");
      definite.push_back(d);
    }
    if (sumLike || ones.empty()) {
      cands.push_back(definite);
    } else if (k < 0) {
      return unsupported(op, "run-time axes of unknown length are ambiguous "
                             "over size-1 dimensions");
    } else {
      SmallVector<SmallVector<int64_t>> extra;
      SmallVector<int64_t> cur;
      subsets(ones, k - static_cast<int64_t>(definite.size()), cur, extra);
      for (SmallVector<int64_t> &e : extra) {
        SmallVector<int64_t> c = definite;
        c.append(e);
        llvm::sort(c);
        cands.push_back(c);
      }
    }
  } else {
    int64_t removed = rank - outType.getRank();
    if (removed < 0 || (k >= 0 && k != removed))
      return unsupported(op, "result rank disagrees with the axes length");
    if (removed == 0)
      return x; // empty axes with noop_with_empty_axes
    SmallVector<SmallVector<int64_t>> sets;
    SmallVector<int64_t> cur;
    subsets(all, removed, cur, sets);
    for (SmallVector<int64_t> &s : sets) {
      SmallVector<int64_t> kept;
      for (int64_t d = 0; d < rank; ++d)
        if (!llvm::is_contained(s, d))
          kept.push_back(in[d]);
      if (ArrayRef<int64_t>(kept) != out)
        continue;
      // Sum-like reductions over size-1 dims are identities: candidates
      // that differ only there are the same reduction.
      auto key = [&](ArrayRef<int64_t> c) {
        SmallVector<int64_t> r;
        for (int64_t d : c)
          if (!sumLike || in[d] != 1)
            r.push_back(d);
        return r;
      };
      if (llvm::none_of(cands, [&](const SmallVector<int64_t> &c) {
            return key(c) == key(s);
          }))
        cands.push_back(s);
    }
  }
  if (cands.empty())
    return unsupported(op, "result shape fits no reduction");
  if (cands.size() == 1)
    return reduceOrCopy(cands.front());
  if (k < 0 || cands.size() > 8)
    return unsupported(op, "run-time axes are ambiguous for the static shapes");

  // Several fit: reduce each, select the one the run-time axes name. A
  // candidate matches when every axis (either sign) is in it, or for
  // sum-like ops, names a size-1 dim.
  SmallVector<Value> axisVals;
  for (int64_t j = 0; j < k; ++j)
    axisVals.push_back(
        tensor::ExtractOp::create(b, loc, axes, ValueRange{idx(b, loc, j)}));
  Type axisElem = at.getElementType();
  Value result = reduceOrCopy(cands.back());
  auto rt = cast<RankedTensorType>(result.getType());
  for (int64_t c = static_cast<int64_t>(cands.size()) - 2; c >= 0; --c) {
    SmallVector<int64_t> allowed = cands[c];
    if (sumLike)
      allowed.append(ones);
    Value match;
    for (Value a : axisVals) {
      Value any;
      for (int64_t d : allowed)
        for (int64_t v : {d, d - rank}) {
          Value eq = cmp(b, loc, arith::CmpIPredicate::eq, a,
                         scalarConst(b, loc, axisElem, v));
          any = any ? arith::OrIOp::create(b, loc, any, eq) : eq;
        }
      if (!any)
        any = arith::ConstantIntOp::create(b, loc, 0, 1);
      match = match ? arith::AndIOp::create(b, loc, match, any) : any;
    }
    Value mine = reduceOrCopy(cands[c]);
    result =
        buildGeneric(b, loc, rt, {mine, result},
                     {b.getMultiDimIdentityMap(rt.getRank()),
                      b.getMultiDimIdentityMap(rt.getRank())},
                     [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
                       return arith::SelectOp::create(nb, l, match, v[0], v[1]);
                     });
  }
  return result;
}

void populateRuntimeOperandsPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<RuntimeSliceLowering, RuntimePadLowering>(tc, p.getContext());
}

} // namespace hcc::g2l
