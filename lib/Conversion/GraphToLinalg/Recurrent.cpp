//===- Recurrent.cpp - LSTM, GRU and RNN ----------------------------------===//
//
// Each direction is one scf.for over the time steps with the hidden (and
// cell) state and the output sequence as loop-carried tensors. The input
// projection of every time step is one GEMM before the loop ([seq * batch,
// input] x [input, gates * hidden]); inside the loop one GEMM multiplies the
// state by R^T and elementwise generics apply the gates. Layout 1 transposes
// in and out; bidirectional runs the reverse direction on reversed time.
// CausalConvWithState (the convolution of state-space layers) is here too.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

enum class Cell { RNN, GRU, LSTM };

/// Whether time step `time` (index) comes before `len` (an integer).
Value before(OpBuilder &b, Location l, Value time, Value len) {
  Value t = arith::IndexCastOp::create(b, l, len.getType(), time);
  return arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, len);
}

/// `next` [batch, hidden] where step `time` is within the batch entry's
/// sequence length (`lens` [batch]), `prev` elsewhere.
Value keepPast(OpBuilder &b, Location l, Value next, Value prev, Value lens,
               Value time) {
  auto t = cast<RankedTensorType>(next.getType());
  AffineMap id = b.getMultiDimIdentityMap(2);
  return buildGeneric(
      b, l, t, {next, prev, lens},
      {id, id, AffineMap::get(2, 0, getAffineDimExpr(0, b.getContext()))},
      [&](OpBuilder &eb, Location el, ValueRange a) -> Value {
        return arith::SelectOp::create(eb, el, before(eb, el, time, a[2]), a[0],
                                       a[1]);
      });
}

/// One of the activation functions ONNX's recurrent ops name, with its
/// alpha and beta.
struct Activation {
  std::string name;
  double alpha, beta;
};

Value applyActivation(OpBuilder &b, Location l, const Activation &a, Value x) {
  Type t = x.getType();
  auto c = [&](double v) { return scalarConst(b, l, t, v); };
  FloatArith fa{b, l};
  auto sigmoid = [&](Value v) -> Value {
    Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, v));
    return arith::DivFOp::create(b, l, c(1), fa.add(c(1), e));
  };
  const std::string &n = a.name;
  if (n == "sigmoid")
    return sigmoid(x);
  if (n == "tanh")
    return math::TanhOp::create(b, l, x);
  if (n == "relu")
    return arith::MaximumFOp::create(b, l, x, c(0));
  if (n == "affine")
    return fa.add(fa.mul(c(a.alpha), x), c(a.beta));
  if (n == "leakyrelu")
    return arith::SelectOp::create(
        b, l, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, c(0)),
        fa.mul(c(a.alpha), x), x);
  if (n == "thresholdedrelu")
    return arith::SelectOp::create(
        b, l,
        arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, x, c(a.alpha)),
        x, c(0));
  if (n == "scaledtanh")
    return fa.mul(c(a.alpha), math::TanhOp::create(b, l, fa.mul(c(a.beta), x)));
  if (n == "hardsigmoid") {
    Value y = fa.add(fa.mul(c(a.alpha), x), c(a.beta));
    return arith::MinimumFOp::create(
        b, l, arith::MaximumFOp::create(b, l, y, c(0)), c(1));
  }
  if (n == "elu") {
    Value neg =
        fa.mul(c(a.alpha),
               arith::SubFOp::create(b, l, math::ExpOp::create(b, l, x), c(1)));
    return arith::SelectOp::create(
        b, l, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, c(0)),
        neg, x);
  }
  if (n == "softsign")
    return arith::DivFOp::create(b, l, x,
                                 fa.add(c(1), math::AbsFOp::create(b, l, x)));
  assert(n == "softplus" && "activation checked by readActivations");
  return math::Log1pOp::create(b, l, math::ExpOp::create(b, l, x));
}

/// The activations of each direction (`perDir` each), lower-cased, with
/// ONNX's defaults; fails naming an unknown one.
FailureOr<SmallVector<Activation>> readActivations(Operation *op, int perDir,
                                                   int dirs) {
  static const char *const kDefaults[3][3] = {
      {"tanh"}, {"sigmoid", "tanh"}, {"sigmoid", "tanh", "tanh"}};
  SmallVector<std::string> names;
  if (auto list = op->getAttrOfType<ArrayAttr>("activations"))
    for (Attribute a : list)
      names.push_back(StringRef(cast<StringAttr>(a).getValue()).lower());
  if (names.empty())
    for (int d = 0; d < dirs; ++d)
      for (int i = 0; i < perDir; ++i)
        names.push_back(kDefaults[perDir - 1][i]);
  // RNN's schema default lists two (one per direction of bidirectional).
  if (static_cast<int>(names.size()) == 2 * perDir && dirs == 1 &&
      names[0] == names[perDir])
    names.resize(perDir);
  if (static_cast<int>(names.size()) != perDir * dirs) {
    unsupported(op,
                "activations must name " + Twine(perDir * dirs) + " functions");
    return failure();
  }
  SmallVector<double> alphas, betas;
  if (auto list = op->getAttrOfType<ArrayAttr>("activation_alpha"))
    for (Attribute a : list)
      alphas.push_back(cast<FloatAttr>(a).getValueAsDouble());
  if (auto list = op->getAttrOfType<ArrayAttr>("activation_beta"))
    for (Attribute a : list)
      betas.push_back(cast<FloatAttr>(a).getValueAsDouble());
  static const llvm::StringMap<std::pair<double, double>> kKnown = {
      {"sigmoid", {0, 0}},      {"tanh", {0, 0}},
      {"relu", {0, 0}},         {"affine", {1, 0}},
      {"leakyrelu", {0.01, 0}}, {"thresholdedrelu", {1, 0}},
      {"scaledtanh", {1, 1}},   {"hardsigmoid", {0.2, 0.5}},
      {"elu", {1, 0}},          {"softsign", {0, 0}},
      {"softplus", {0, 0}}};
  SmallVector<Activation> out;
  for (auto [i, n] : llvm::enumerate(names)) {
    auto it = kKnown.find(n);
    if (it == kKnown.end()) {
      unsupported(op, "unknown activation '" + n + "'");
      return failure();
    }
    out.push_back({n, i < alphas.size() ? alphas[i] : it->second.first,
                   i < betas.size() ? betas[i] : it->second.second});
  }
  return out;
}

Value matmul(OpBuilder &b, Location l, Value lhs, Value rhs) {
  auto lt = cast<RankedTensorType>(lhs.getType());
  auto rt = cast<RankedTensorType>(rhs.getType());
  auto t = RankedTensorType::get({lt.getDimSize(0), rt.getDimSize(1)},
                                 lt.getElementType());
  Value init = filledTensor(b, l, t, scalarConst(b, l, t.getElementType(), 0));
  return linalg::MatmulOp::create(b, l, TypeRange{t}, ValueRange{lhs, rhs},
                                  ValueRange{init})
      .getResult(0);
}

/// Offsets, sizes and strides of slot `index` of `t`'s leading dimension.
struct Slot {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  Slot(OpBuilder &b, RankedTensorType t, OpFoldResult index)
      : offsets(t.getRank(), b.getIndexAttr(0)),
        strides(t.getRank(), b.getIndexAttr(1)) {
    offsets[0] = index;
    sizes.push_back(b.getIndexAttr(1));
    for (int64_t d : t.getShape().drop_front())
      sizes.push_back(b.getIndexAttr(d));
  }
};

/// v[index] of a tensor, dropping the leading dimension (`index` may be a
/// run-time value).
Value sliceAt(OpBuilder &b, Location l, Value v, OpFoldResult index) {
  auto t = cast<RankedTensorType>(v.getType());
  Slot s(b, t, index);
  auto rt =
      RankedTensorType::get(t.getShape().drop_front(), t.getElementType());
  return tensor::ExtractSliceOp::create(b, l, rt, v, s.offsets, s.sizes,
                                        s.strides);
}

/// Writes `v` as dest[index] (the inverse of sliceAt).
Value insertAt(OpBuilder &b, Location l, Value v, Value dest,
               OpFoldResult index) {
  Slot s(b, cast<RankedTensorType>(dest.getType()), index);
  return tensor::InsertSliceOp::create(b, l, v, dest, s.offsets, s.sizes,
                                       s.strides);
}

/// Columns [k*h, (k+1)*h) of a [rows, gates*h] tensor: gate k.
Value gate(OpBuilder &b, Location l, Value v, int64_t k, int64_t h) {
  auto t = cast<RankedTensorType>(v.getType());
  auto rt = RankedTensorType::get({t.getDimSize(0), h}, t.getElementType());
  return tensor::ExtractSliceOp::create(
      b, l, rt, v,
      ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(k * h)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(t.getDimSize(0)),
                             b.getIndexAttr(h)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
}
/// Entries [k*h, (k+1)*h) of a 1-D tensor.
Value part(OpBuilder &b, Location l, Value v, int64_t k, int64_t h) {
  auto t = cast<RankedTensorType>(v.getType());
  auto rt = RankedTensorType::get({h}, t.getElementType());
  return tensor::ExtractSliceOp::create(
      b, l, rt, v, ArrayRef<OpFoldResult>{b.getIndexAttr(k * h)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(h)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
}

struct RecurrentLowering : ConversionPattern {
  RecurrentLowering(const TypeConverter &tc, MLIRContext *ctx, StringRef name,
                    Cell cell)
      : ConversionPattern(tc, name, /*benefit=*/1, ctx), cell(cell) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    int gates = cell == Cell::LSTM ? 4 : cell == Cell::GRU ? 3 : 1;
    int perDir = cell == Cell::LSTM ? 3 : cell == Cell::GRU ? 2 : 1;
    auto present = [&](unsigned i) {
      return i < op->getNumOperands() &&
             !isa<NoneType>(op->getOperand(i).getType());
    };
    Value x = operands[0], w = operands[1], r = operands[2];
    for (Value v : {x, w, r}) {
      auto t = dyn_cast<RankedTensorType>(v.getType());
      if (!t || !t.hasStaticShape() || !isa<FloatType>(t.getElementType()))
        return unsupported(op, "X, W and R must be static float tensors");
    }
    Value lens;
    if (present(4)) {
      // Equal lengths covering the whole sequence change nothing; others
      // mask the steps past each batch entry's length.
      auto known = constInts(op->getOperand(4), operands[4]);
      int64_t layout = intAttrOr(op, "layout", 0);
      auto xt = cast<RankedTensorType>(x.getType());
      int64_t seq = xt.getDimSize(layout), batch = xt.getDimSize(1 - layout);
      auto lt = dyn_cast<RankedTensorType>(operands[4].getType());
      if (!lt || lt.getRank() != 1 || lt.getDimSize(0) != batch)
        return unsupported(op, "sequence_lens must have one entry per batch");
      if (!known || llvm::any_of(*known, [&](int64_t n) { return n != seq; }))
        lens = operands[4];
    }
    if (cell == Cell::LSTM && intAttrOr(op, "input_forget", 0) != 0)
      return unsupported(op, "input_forget");
    StringRef dirName = "forward";
    if (auto d = op->getAttr("direction"))
      if (auto s = dyn_cast<graph::RnnDirectionAttr>(d))
        dirName = graph::stringifyRnnDirection(s.getValue());
    int dirs = dirName == "bidirectional" ? 2 : 1;
    FailureOr<SmallVector<Activation>> acts = readActivations(op, perDir, dirs);
    if (failed(acts))
      return failure();
    std::optional<double> clip;
    if (auto c = op->getAttrOfType<FloatAttr>("clip"))
      clip = c.getValueAsDouble();
    int64_t layout = intAttrOr(op, "layout", 0);
    if (layout == 1)
      x = permuteDims(rewriter, op->getLoc(), x, {1, 0, 2});

    Location loc = op->getLoc();
    auto xt = cast<RankedTensorType>(x.getType());
    Type elem = xt.getElementType();
    int64_t seq = xt.getDimSize(0), batch = xt.getDimSize(1);
    int64_t hidden = cast<RankedTensorType>(r.getType()).getDimSize(2);
    auto stateType = RankedTensorType::get({batch, hidden}, elem);
    auto seqType = RankedTensorType::get({seq, batch, hidden}, elem);

    SmallVector<Value> ys, hs, cs;
    for (int d = 0; d < dirs; ++d) {
      bool reverse = dirName == "reverse" || d == 1;
      ArrayRef<Activation> f = ArrayRef(*acts).slice(d * perDir, perDir);
      auto initial = [&](unsigned i) -> Value {
        if (present(i))
          return sliceAt(rewriter, loc, operands[i], rewriter.getIndexAttr(d));
        return filledTensor(rewriter, loc, stateType,
                            scalarConst(rewriter, loc, elem, 0));
      };
      Value bias = present(3) ? sliceAt(rewriter, loc, operands[3],
                                        rewriter.getIndexAttr(d))
                              : Value();
      Value peep =
          cell == Cell::LSTM && present(7)
              ? sliceAt(rewriter, loc, operands[7], rewriter.getIndexAttr(d))
              : Value();
      auto [y, h, c] = direction(
          rewriter, loc, x, sliceAt(rewriter, loc, w, rewriter.getIndexAttr(d)),
          sliceAt(rewriter, loc, r, rewriter.getIndexAttr(d)), bias, peep,
          initial(5), cell == Cell::LSTM ? initial(6) : Value(), lens, f, clip,
          reverse, gates, hidden, op);
      ys.push_back(y);
      hs.push_back(h);
      cs.push_back(c);
    }

    // Y [seq, dirs, batch, hidden]; Y_h, Y_c [dirs, batch, hidden];
    // layout 1 puts batch first.
    auto stack = [&](ArrayRef<Value> parts, RankedTensorType partType) {
      SmallVector<int64_t> shape = {dirs};
      shape.append(partType.getShape().begin(), partType.getShape().end());
      auto t = RankedTensorType::get(shape, elem);
      Value out = emptyTensor(rewriter, loc, t);
      for (auto [i, p] : llvm::enumerate(parts))
        out = insertAt(rewriter, loc, p, out, rewriter.getIndexAttr(i));
      return out;
    };
    Value y = permuteDims(rewriter, loc, stack(ys, seqType), {1, 0, 2, 3});
    Value yh = stack(hs, stateType);
    Value yc = cell == Cell::LSTM ? stack(cs, stateType) : Value();
    if (layout == 1) {
      y = permuteDims(rewriter, loc, y, {2, 0, 1, 3});
      yh = permuteDims(rewriter, loc, yh, {1, 0, 2});
      if (yc)
        yc = permuteDims(rewriter, loc, yc, {1, 0, 2});
    }
    SmallVector<Value> results;
    Value candidates[] = {y, yh, yc};
    for (unsigned i = 0; i < op->getNumResults(); ++i) {
      if (isa<NoneType>(op->getResult(i).getType()))
        results.push_back(
            graph::NoneOp::create(rewriter, loc, rewriter.getNoneType()));
      else
        results.push_back(candidates[i]);
    }
    rewriter.replaceOp(op, results);
    return success();
  }

private:
  /// One direction: (Y [seq, batch, hidden], final h, final c).
  std::tuple<Value, Value, Value>
  direction(OpBuilder &b, Location loc, Value x, Value w, Value r, Value bias,
            Value peep, Value h0, Value c0, Value lens, ArrayRef<Activation> f,
            std::optional<double> clip, bool reverse, int gates, int64_t hidden,
            Operation *op) const {
    MLIRContext *ctx = b.getContext();
    auto xt = cast<RankedTensorType>(x.getType());
    Type elem = xt.getElementType();
    int64_t seq = xt.getDimSize(0), batch = xt.getDimSize(1);
    int64_t width = gates * hidden;
    auto stateType = RankedTensorType::get({batch, hidden}, elem);
    auto seqType = RankedTensorType::get({seq, batch, hidden}, elem);
    AffineMap id2 = b.getMultiDimIdentityMap(2);

    // X W^T + Wb for every step at once: [seq, batch, gates * hidden].
    Value flat =
        reshapeTo(b, loc, x,
                  RankedTensorType::get({seq * batch, xt.getDimSize(2)}, elem));
    Value xw = matmul(b, loc, flat, permuteDims(b, loc, w, {1, 0}));
    auto wideType = RankedTensorType::get({seq * batch, width}, elem);
    Value wb, rb;
    if (bias) {
      auto half = [&](int64_t k) {
        auto t = RankedTensorType::get({width}, elem);
        return tensor::ExtractSliceOp::create(
            b, loc, t, bias, ArrayRef<OpFoldResult>{b.getIndexAttr(k * width)},
            ArrayRef<OpFoldResult>{b.getIndexAttr(width)},
            ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
      };
      wb = half(0);
      rb = half(1);
      xw = buildGeneric(b, loc, wideType, {xw, wb},
                        {id2, AffineMap::get(2, 0, getAffineDimExpr(1, ctx))},
                        [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                          return arith::AddFOp::create(nb, l, a[0], a[1]);
                        });
    }
    xw =
        reshapeTo(b, loc, xw, RankedTensorType::get({seq, batch, width}, elem));
    Value rT = permuteDims(b, loc, r, {1, 0}); // [hidden, gates * hidden]
    auto addBias = [&](Value v) -> Value {
      if (!rb)
        return v;
      auto t = cast<RankedTensorType>(v.getType());
      return buildGeneric(b, loc, t, {v, rb},
                          {id2, AffineMap::get(2, 0, getAffineDimExpr(1, ctx))},
                          [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                            return arith::AddFOp::create(nb, l, a[0], a[1]);
                          });
    };
    auto clipped = [&](OpBuilder &nb, Location l, Value v) -> Value {
      if (!clip)
        return v;
      Value lo = scalarConst(nb, l, elem, -*clip),
            hi = scalarConst(nb, l, elem, *clip);
      return arith::MinimumFOp::create(
          nb, l, arith::MaximumFOp::create(nb, l, v, lo), hi);
    };
    auto addf = [](OpBuilder &nb, Location l, Value p, Value q) -> Value {
      return arith::AddFOp::create(nb, l, p, q);
    };
    auto mulf = [](OpBuilder &nb, Location l, Value p, Value q) -> Value {
      return arith::MulFOp::create(nb, l, p, q);
    };
    // Pre-activation of gate k: x part + h part (+ peephole * c).
    auto pre = [&](OpBuilder &nb, Location l, Value xv, Value hv) {
      return clipped(nb, l, addf(nb, l, xv, hv));
    };

    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value steps = arith::ConstantIndexOp::create(b, loc, seq);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    // The states of every step live in [seq + 1, batch, hidden] tensors,
    // updated in place by insert_slice: step t reads slot t and writes slot
    // t + 1 (reversed: reads t + 1, writes t), the initial state in the
    // first (last) slot. Y is then a slice of the hidden states.
    auto extType = RankedTensorType::get({seq + 1, batch, hidden}, elem);
    int64_t first = reverse ? seq : 0;
    SmallVector<Value> inits = {insertAt(
        b, loc, h0, emptyTensor(b, loc, extType), b.getIndexAttr(first))};
    if (c0)
      inits.push_back(insertAt(b, loc, c0, emptyTensor(b, loc, extType),
                               b.getIndexAttr(first)));
    auto loop = scf::ForOp::create(
        b, loc, zero, steps, one, inits,
        [&](OpBuilder &nb, Location l, Value t, ValueRange carried) {
          Value time = t;
          if (reverse)
            time = arith::SubIOp::create(
                nb, l, arith::ConstantIndexOp::create(nb, l, seq - 1), t);
          Value after = arith::AddIOp::create(
              nb, l, time, arith::ConstantIndexOp::create(nb, l, 1));
          Value readAt = reverse ? after : time,
                writeAt = reverse ? time : after;
          Value h = sliceAt(nb, l, carried[0], readAt);
          Value carriedC = c0 ? sliceAt(nb, l, carried[1], readAt) : Value();
          Value xs = sliceAt(nb, l, xw, time); // [batch, width]
          Value hr = addBias(matmul(nb, l, h, rT));
          auto xg = [&](int k) { return gate(nb, l, xs, k, hidden); };
          auto hg = [&](int k) { return gate(nb, l, hr, k, hidden); };
          SmallVector<Value> next;
          Value hNew, cNew;
          if (cell == Cell::RNN) {
            hNew = buildGeneric(
                nb, l, stateType, {xs, hr}, {id2, id2},
                [&](OpBuilder &eb, Location el, ValueRange a) -> Value {
                  return applyActivation(eb, el, f[0], pre(eb, el, a[0], a[1]));
                });
          } else if (cell == Cell::LSTM) {
            // Gates i, o, f, c; peepholes P = [P_i, P_o, P_f].
            Value c = carriedC;
            SmallVector<Value> ins = {xg(0), hg(0), xg(2), hg(2),
                                      xg(3), hg(3), c};
            SmallVector<AffineMap> maps(7, id2);
            AffineMap cols = AffineMap::get(2, 0, getAffineDimExpr(1, ctx));
            if (peep) {
              ins.append(
                  {part(nb, l, peep, 0, hidden), part(nb, l, peep, 2, hidden)});
              maps.append({cols, cols});
            }
            // c' = f * c + i * g(...).
            cNew = buildGeneric(
                nb, l, stateType, ins, maps,
                [&](OpBuilder &eb, Location el, ValueRange a) -> Value {
                  Value c = a[6];
                  Value iv = addf(eb, el, a[0], a[1]);
                  Value fv = addf(eb, el, a[2], a[3]);
                  if (peep) {
                    iv = addf(eb, el, iv, mulf(eb, el, a[7], c));
                    fv = addf(eb, el, fv, mulf(eb, el, a[8], c));
                  }
                  Value i = applyActivation(eb, el, f[0], clipped(eb, el, iv));
                  Value fg = applyActivation(eb, el, f[0], clipped(eb, el, fv));
                  Value cc =
                      applyActivation(eb, el, f[1], pre(eb, el, a[4], a[5]));
                  return addf(eb, el, mulf(eb, el, fg, c), mulf(eb, el, i, cc));
                });
            SmallVector<Value> hIns = {xg(1), hg(1), cNew};
            SmallVector<AffineMap> hMaps(3, id2);
            if (peep) {
              hIns.push_back(part(nb, l, peep, 1, hidden));
              hMaps.push_back(cols);
            }
            hNew = buildGeneric(
                nb, l, stateType, hIns, hMaps,
                [&](OpBuilder &eb, Location el, ValueRange a) -> Value {
                  Value v = addf(eb, el, a[0], a[1]);
                  if (peep)
                    v = addf(eb, el, v, mulf(eb, el, a[3], a[2]));
                  Value o = applyActivation(eb, el, f[0], clipped(eb, el, v));
                  return mulf(eb, el, o, applyActivation(eb, el, f[2], a[2]));
                });
          } else {
            // GRU: gates z, r, h.
            bool linearBeforeReset = intAttrOr(op, "linear_before_reset", 0);
            Value rGate = buildGeneric(
                nb, l, stateType, {xg(1), hg(1)}, {id2, id2},
                [&](OpBuilder &eb, Location el, ValueRange a) -> Value {
                  return applyActivation(eb, el, f[0], pre(eb, el, a[0], a[1]));
                });
            Value hPart; // what the candidate adds to x_h
            if (linearBeforeReset) {
              // r * (h R_h^T + Rb_h).
              hPart = buildGeneric(
                  nb, l, stateType, {rGate, hg(2)}, {id2, id2},
                  [&](OpBuilder &eb, Location el, ValueRange a) -> Value {
                    return mulf(eb, el, a[0], a[1]);
                  });
            } else {
              // (r * h) R_h^T + Rb_h.
              Value rh = buildGeneric(
                  nb, l, stateType, {rGate, h}, {id2, id2},
                  [&](OpBuilder &eb, Location el, ValueRange a) -> Value {
                    return mulf(eb, el, a[0], a[1]);
                  });
              hPart = matmul(nb, l, rh, gate(nb, l, rT, 2, hidden));
              if (rb)
                hPart = buildGeneric(
                    nb, l, stateType, {hPart, part(nb, l, rb, 2, hidden)},
                    {id2, AffineMap::get(2, 0, getAffineDimExpr(1, ctx))},
                    [&](OpBuilder &eb, Location el, ValueRange a) -> Value {
                      return addf(eb, el, a[0], a[1]);
                    });
            }
            // h' = (1 - z) * g(...) + z * h.
            hNew = buildGeneric(
                nb, l, stateType, {xg(0), hg(0), xg(2), hPart, h},
                {id2, id2, id2, id2, id2},
                [&](OpBuilder &eb, Location el, ValueRange a) -> Value {
                  Value z =
                      applyActivation(eb, el, f[0], pre(eb, el, a[0], a[1]));
                  Value cand =
                      applyActivation(eb, el, f[1], pre(eb, el, a[2], a[3]));
                  Value oneF = scalarConst(eb, el, elem, 1);
                  return addf(eb, el,
                              mulf(eb, el,
                                   arith::SubFOp::create(eb, el, oneF, z),
                                   cand),
                              mulf(eb, el, z, a[4]));
                });
          }
          if (lens) {
            // Past a batch entry's length the state stays as it was.
            hNew = keepPast(nb, l, hNew, h, lens, time);
            if (cNew)
              cNew = keepPast(nb, l, cNew, carriedC, lens, time);
          }
          next.push_back(insertAt(nb, l, hNew, carried[0], writeAt));
          if (cNew)
            next.push_back(insertAt(nb, l, cNew, carried[1], writeAt));
          scf::YieldOp::create(nb, l, next);
        });
    auto slots = [&](Value ext, int64_t start, int64_t count) -> Value {
      auto t = RankedTensorType::get({count, batch, hidden}, elem);
      return tensor::ExtractSliceOp::create(
          b, loc, t, ext,
          ArrayRef<OpFoldResult>{b.getIndexAttr(start), b.getIndexAttr(0),
                                 b.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(count), b.getIndexAttr(batch),
                                 b.getIndexAttr(hidden)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1),
                                 b.getIndexAttr(1)});
    };
    int64_t last = reverse ? 0 : seq;
    Value y = slots(loop.getResult(0), reverse ? 0 : 1, seq);
    if (lens) {
      // Outputs past a batch entry's length are 0.
      auto yt = cast<RankedTensorType>(y.getType());
      y = buildGeneric(b, loc, yt, {y, lens},
                       {b.getMultiDimIdentityMap(3),
                        AffineMap::get(3, 0, getAffineDimExpr(1, ctx))},
                       [&](OpBuilder &eb, Location el, ValueRange a) -> Value {
                         Value valid = before(
                             eb, el, linalg::IndexOp::create(eb, el, 0), a[1]);
                         return arith::SelectOp::create(
                             eb, el, valid, a[0], scalarConst(eb, el, elem, 0));
                       });
    }
    Value h = sliceAt(b, loc, loop.getResult(0), b.getIndexAttr(last));
    Value c =
        c0 ? sliceAt(b, loc, loop.getResult(1), b.getIndexAttr(last)) : Value();
    return {y, h, c};
  }

  Cell cell;
};

/// CausalConvWithState: the depthwise causal convolution of a state-space
/// layer. The input is appended to the past state (zeros without one),
/// out[b, c, t] = bias[c] + sum_j padded[b, c, t + j] w[c, 0, j] (f32
/// accumulation for f16/bf16), optionally times sigmoid(out) (silu/swish);
/// the present state is the last k - 1 padded columns.
struct CausalConvWithStateLowering
    : OpConversionPattern<graph::CausalConvWithStateOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::CausalConvWithStateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type =
        staticResultType(getTypeConverter(), op, 0);
    FailureOr<RankedTensorType> stateType =
        staticResultType(getTypeConverter(), op, 1);
    if (failed(type) || failed(stateType))
      return failure();
    Value x = adaptor.getInput(), w = adaptor.getWeight();
    FailureOr<RankedTensorType> xt = staticOperandType(op, x);
    FailureOr<RankedTensorType> wt = staticOperandType(op, w);
    if (failed(xt) || failed(wt))
      return failure();
    StringRef act = op.getActivation();
    if (act != "none" && act != "silu" && act != "swish")
      return unsupported(op,
                         "activation '" + act + "' is not none, silu or swish");
    if (xt->getRank() != 3 || wt->getRank() != 3 ||
        wt->getDimSize(0) != xt->getDimSize(1) || wt->getDimSize(1) != 1 ||
        type->getShape() != xt->getShape())
      return unsupported(op, "input must be [batch, channels, length] and "
                             "weight [channels, 1, k]");
    int64_t batch = xt->getDimSize(0), channels = xt->getDimSize(1),
            length = xt->getDimSize(2), k = wt->getDimSize(2);
    if (k < 1 ||
        stateType->getShape() != ArrayRef<int64_t>{batch, channels, k - 1})
      return unsupported(op, "present_state must be [batch, channels, k - 1]");
    Location loc = op.getLoc();
    Type elem = type->getElementType();
    Value past;
    if (graph::isNone(op.getPastState())) {
      past = filledTensor(rewriter, loc,
                          RankedTensorType::get({batch, channels, k - 1}, elem),
                          scalarConst(rewriter, loc, elem, 0));
    } else {
      past = adaptor.getPastState();
      FailureOr<RankedTensorType> pt = staticOperandType(op, past);
      if (failed(pt))
        return failure();
      if (pt->getShape() != stateType->getShape())
        return unsupported(op, "past_state must be [batch, channels, k - 1]");
    }
    auto paddedType =
        RankedTensorType::get({batch, channels, k - 1 + length}, elem);
    Value padded = tensor::ConcatOp::create(rewriter, loc, paddedType, 2,
                                            ValueRange{past, x});
    MLIRContext *ctx = rewriter.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    Type acc = accumulatorType(elem);
    auto accType = RankedTensorType::get(xt->getShape(), acc);
    Value init = filledTensor(rewriter, loc, accType,
                              scalarConst(rewriter, loc, acc, 0));
    SmallVector<AffineMap> maps = {
        AffineMap::get(4, 0, {d(0), d(1), d(2) + d(3)}, ctx),
        AffineMap::get(4, 0, {d(1), getAffineConstantExpr(0, ctx), d(3)}, ctx),
        AffineMap::get(4, 0, {d(0), d(1), d(2)}, ctx)};
    SmallVector<utils::IteratorType> iters(3, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    Value sum = linalg::GenericOp::create(
                    rewriter, loc, TypeRange{accType}, ValueRange{padded, w},
                    ValueRange{init}, maps, iters,
                    [&](OpBuilder &b, Location l, ValueRange a) {
                      Value p = arith::MulFOp::create(
                          b, l, convertScalar(b, l, a[0], elem, acc),
                          convertScalar(b, l, a[1], elem, acc));
                      Value next = arith::AddFOp::create(b, l, a[2], p);
                      linalg::YieldOp::create(b, l, ValueRange{next});
                    })
                    .getResult(0);
    SmallVector<Value> inputs = {sum};
    SmallVector<AffineMap> outMaps = {rewriter.getMultiDimIdentityMap(3)};
    if (!graph::isNone(op.getBias())) {
      inputs.push_back(adaptor.getBias());
      outMaps.push_back(AffineMap::get(3, 0, d(1), ctx));
    }
    bool silu = act != "none";
    Value out = buildGeneric(
        rewriter, loc, *type, inputs, outMaps,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value v = a[0];
          if (a.size() > 1)
            v = arith::AddFOp::create(b, l, v,
                                      convertScalar(b, l, a[1], elem, acc));
          if (silu) {
            Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, v));
            Value one = scalarConst(b, l, acc, 1);
            v = arith::DivFOp::create(b, l, v,
                                      arith::AddFOp::create(b, l, one, e));
          }
          return convertScalar(b, l, v, acc, elem);
        });
    // k = 1 keeps no state (an empty slice at the end is out of bounds).
    Value present =
        k == 1 ? Value(emptyTensor(rewriter, loc, *stateType))
               : Value(tensor::ExtractSliceOp::create(
                     rewriter, loc, *stateType, padded,
                     ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                                            rewriter.getIndexAttr(0),
                                            rewriter.getIndexAttr(length)},
                     ArrayRef<OpFoldResult>{rewriter.getIndexAttr(batch),
                                            rewriter.getIndexAttr(channels),
                                            rewriter.getIndexAttr(k - 1)},
                     ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                                            rewriter.getIndexAttr(1),
                                            rewriter.getIndexAttr(1)}));
    rewriter.replaceOp(op, {out, present});
    return success();
  }
};

} // namespace

void populateRecurrentPatterns(TypeConverter &tc, RewritePatternSet &p) {
  MLIRContext *ctx = p.getContext();
  p.add<CausalConvWithStateLowering>(tc, ctx);
  p.add<RecurrentLowering>(tc, ctx, "graph.RNN", Cell::RNN);
  p.add<RecurrentLowering>(tc, ctx, "graph.GRU", Cell::GRU);
  p.add<RecurrentLowering>(tc, ctx, "graph.LSTM", Cell::LSTM);
}

} // namespace hcc::g2l
