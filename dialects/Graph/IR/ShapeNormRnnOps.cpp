//===- ShapeNormRnnOps.cpp - shapes of normalizations, losses and RNNs ----===//
//
// Shape functions of ops whose main output follows the input but which have
// extra outputs of other shapes: normalizations with saved statistics,
// losses with a reduction, the recurrent layers (RNN, GRU, LSTM) and
// Attention (present key/value, QK scores).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace hcc::graph;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

static bool isDyn(int64_t d) { return ShapedType::isDynamic(d); }

//===----------------------------------------------------------------------===//
// LayerNormalization, BatchNormalization
//===----------------------------------------------------------------------===//

LogicalResult
LayerNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getX(), getY());
  Type stash = onnxDataTypeToMlir(getContext(), getStashType());
  if (!stash)
    return emitOpError() << "stash_type "
                         << static_cast<int64_t>(getStashType())
                         << " is not a supported ONNX data type";
  std::optional<ShapeInfo> shape = getShapeInfo(getX());
  if (!shape) {
    setUnranked(types, 0, elem);
    return success();
  }
  int64_t axis = getAxis();
  if (failed(normalizeAxis(*this, axis, shape->rank())))
    return failure();
  setInferred(types, 0, *shape, elem);
  // Mean and InvStdDev keep the leading dimensions and reduce the rest.
  ShapeInfo stats;
  for (int64_t i = 0; i < shape->rank(); ++i) {
    if (i < axis)
      stats.appendDim(*shape, i);
    else
      stats.appendDim(1);
  }
  setInferred(types, 1, stats, stash);
  setInferred(types, 2, stats, stash);
  return success();
}

LogicalResult
BatchNormalizationOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getX(), getY());
  std::optional<ShapeInfo> shape = getShapeInfo(getX());
  int64_t channels = kDynamic;
  StringAttr channelSym;
  if (shape) {
    if (shape->rank() < 1)
      return emitOpError() << "input must have rank at least 1";
    setInferred(types, 0, *shape, elem);
    if (shape->rank() > 1)
      channels = shape->dims[1], channelSym = shape->syms[1];
  } else {
    setUnranked(types, 0, elem);
  }
  // scale, B, mean and var are per-channel vectors.
  for (Value v : SmallVector<Value, 4>{getScale(), getB(), getInputMean(),
                                       getInputVar()}) {
    std::optional<ShapeInfo> s = getShapeInfo(v);
    if (!s)
      continue;
    if (s->rank() != 1)
      return emitOpError() << "scale, B, mean and var must be 1-D";
    if (!isDyn(channels) && !isDyn(s->dims[0]) && s->dims[0] != channels)
      return emitOpError() << "per-channel operand has " << s->dims[0]
                           << " entries but the input has " << channels
                           << " channels";
  }
  ShapeInfo stats;
  stats.appendDim(channels, channelSym);
  Type statElem = getElementTypeOr(getInputMean(), getRunningMean());
  setInferred(types, 1, stats, statElem);
  setInferred(types, 2, stats, statElem);
  return success();
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

/// Input [N, C, d...] against target [N, d...]: the loss is per element
/// without reduction, a scalar otherwise.
static LogicalResult inferLoss(Operation *op, Value input, Value target,
                               Value weight, LossReduction reduction, Type elem,
                               SmallVectorImpl<Type> &types) {
  std::optional<ShapeInfo> in = getShapeInfo(input);
  std::optional<ShapeInfo> tgt = getShapeInfo(target);
  if (in && in->rank() < 2)
    return op->emitOpError() << "input must have rank at least 2";
  if (in && tgt) {
    if (tgt->rank() != in->rank() - 1)
      return op->emitOpError() << "target must have rank " << in->rank() - 1
                               << ", got " << tgt->rank();
    for (int64_t i = 0; i < tgt->rank(); ++i) {
      int64_t a = in->dims[i == 0 ? 0 : i + 1], b = tgt->dims[i];
      if (!isDyn(a) && !isDyn(b) && a != b)
        return op->emitOpError() << "input and target differ in dimension " << i
                                 << ": " << a << " vs " << b;
    }
  }
  if (weight && !isNone(weight))
    if (std::optional<ShapeInfo> w = getShapeInfo(weight)) {
      if (w->rank() != 1)
        return op->emitOpError() << "weight must be 1-D";
      if (in && !isDyn(in->dims[1]) && !isDyn(w->dims[0]) &&
          w->dims[0] != in->dims[1])
        return op->emitOpError()
               << "weight has " << w->dims[0] << " entries but there are "
               << in->dims[1] << " classes";
    }
  if (reduction != LossReduction::None) {
    setInferred(types, 0, ShapeInfo(), elem);
    return success();
  }
  if (tgt) {
    setInferred(types, 0, *tgt, elem);
  } else if (in) {
    ShapeInfo result;
    for (int64_t i = 0; i < in->rank(); ++i)
      if (i != 1)
        result.appendDim(*in, i);
    setInferred(types, 0, result, elem);
  }
  return success();
}

LogicalResult
NegativeLogLikelihoodLossOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferLoss(*this, getInput(), getTarget(), getWeight(), getReduction(),
                   getElementTypeOr(getInput(), getLoss()), types);
}

LogicalResult
SoftmaxCrossEntropyLossOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getScores(), getOutput());
  if (failed(inferLoss(*this, getScores(), getLabels(), getWeights(),
                       getReduction(), elem, types)))
    return failure();
  if (std::optional<ShapeInfo> scores = getShapeInfo(getScores()))
    setInferred(types, 1, *scores, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// RNN, GRU, LSTM
//===----------------------------------------------------------------------===//

/// X is [seq, batch, input] (layout 0) or [batch, seq, input] (layout 1);
/// W is [dirs, gates * hidden, input] and R [dirs, gates * hidden, hidden].
/// Y is [seq, dirs, batch, hidden] (layout 1: [batch, seq, dirs, hidden]),
/// Y_h and Y_c are [dirs, batch, hidden] (layout 1: [batch, dirs, hidden]).
static LogicalResult inferRecurrent(Operation *op, Value x, Value w, Value r,
                                    RnnDirection direction, int64_t layout,
                                    std::optional<int64_t> hiddenSize,
                                    int64_t gates, Type elem,
                                    SmallVectorImpl<Type> &types) {
  if (layout != 0 && layout != 1)
    return op->emitOpError() << "layout must be 0 or 1, got " << layout;
  int64_t dirs = direction == RnnDirection::Bidirectional ? 2 : 1;
  std::optional<ShapeInfo> xs = getShapeInfo(x), ws = getShapeInfo(w),
                           rs = getShapeInfo(r);
  if (xs && xs->rank() != 3)
    return op->emitOpError() << "X must be 3-D, got rank " << xs->rank();
  for (const std::optional<ShapeInfo> &s : {ws, rs}) {
    if (!s)
      continue;
    if (s->rank() != 3)
      return op->emitOpError() << "W and R must be 3-D";
    if (!isDyn(s->dims[0]) && s->dims[0] != dirs)
      return op->emitOpError() << "W and R must have " << dirs
                               << " directions, got " << s->dims[0];
  }
  int64_t hidden = hiddenSize ? *hiddenSize : kDynamic;
  if (rs && !isDyn(rs->dims[2])) {
    if (!isDyn(hidden) && hidden != rs->dims[2])
      return op->emitOpError() << "hidden_size " << hidden
                               << " disagrees with R's " << rs->dims[2];
    hidden = rs->dims[2];
  }
  for (const std::optional<ShapeInfo> &s : {ws, rs})
    if (s && !isDyn(hidden) && !isDyn(s->dims[1]) &&
        s->dims[1] != gates * hidden)
      return op->emitOpError() << "W and R must have " << gates * hidden
                               << " rows, got " << s->dims[1];
  ShapeInfo seq, batch;
  if (xs) {
    seq.appendDim(*xs, layout == 0 ? 0 : 1);
    batch.appendDim(*xs, layout == 0 ? 1 : 0);
  } else {
    seq.appendDim(kDynamic);
    batch.appendDim(kDynamic);
  }
  ShapeInfo y, state;
  if (layout == 0) {
    y.appendDim(seq, 0), y.appendDim(dirs), y.appendDim(batch, 0);
    state.appendDim(dirs), state.appendDim(batch, 0);
  } else {
    y.appendDim(batch, 0), y.appendDim(seq, 0), y.appendDim(dirs);
    state.appendDim(batch, 0), state.appendDim(dirs);
  }
  y.appendDim(hidden);
  state.appendDim(hidden);
  setInferred(types, 0, y, elem);
  for (unsigned i = 1, e = op->getNumResults(); i < e; ++i)
    setInferred(types, i, state, elem);
  return success();
}

LogicalResult RNNOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferRecurrent(*this, getX(), getW(), getR(), getDirection(),
                        getLayout(), getHiddenSize(), /*gates=*/1,
                        getElementTypeOr(getX(), getResult(0)), types);
}

LogicalResult GRUOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferRecurrent(*this, getX(), getW(), getR(), getDirection(),
                        getLayout(), getHiddenSize(), /*gates=*/3,
                        getElementTypeOr(getX(), getResult(0)), types);
}

LogicalResult LSTMOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferRecurrent(*this, getX(), getW(), getR(), getDirection(),
                        getLayout(), getHiddenSize(), /*gates=*/4,
                        getElementTypeOr(getX(), getResult(0)), types);
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

/// Product of two dimensions, dynamic if either is.
static int64_t mulDims(int64_t a, int64_t b) {
  return isDyn(a) || isDyn(b) ? kDynamic : a * b;
}
static int64_t addDims(int64_t a, int64_t b) {
  return isDyn(a) || isDyn(b) ? kDynamic : a + b;
}

LogicalResult AttentionOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getQ(), getY());
  std::optional<ShapeInfo> q = getShapeInfo(getQ()), k = getShapeInfo(getK()),
                           v = getShapeInfo(getV());
  if (!q || !k || !v)
    return success();
  int64_t rank = q->rank();
  if ((rank != 3 && rank != 4) || k->rank() != rank || v->rank() != rank)
    return emitOpError() << "Q, K and V must all be 3-D or all 4-D, got ranks "
                         << q->rank() << ", " << k->rank() << ", " << v->rank();
  std::optional<int64_t> qHeads = getQNumHeads(), kvHeads = getKvNumHeads();
  // 4-D views: [batch, heads, sequence, head size].
  int64_t qSeq = q->dims[rank - 2], kvSeq = k->dims[rank - 2];
  int64_t nq, nkv, headV;
  if (rank == 3) {
    if (!qHeads || !kvHeads || *qHeads < 1 || *kvHeads < 1)
      return emitOpError() << "3-D inputs need positive q_num_heads and "
                              "kv_num_heads";
    for (auto [what, dim, heads] : {std::tuple{"Q", q->dims[2], *qHeads},
                                    std::tuple{"K", k->dims[2], *kvHeads},
                                    std::tuple{"V", v->dims[2], *kvHeads}})
      if (!isDyn(dim) && dim % heads != 0)
        return emitOpError()
               << what << "'s hidden size " << dim
               << " is not a multiple of its " << heads << " heads";
    nq = *qHeads;
    nkv = *kvHeads;
    headV = isDyn(v->dims[2]) ? kDynamic : v->dims[2] / nkv;
  } else {
    nq = q->dims[1];
    nkv = k->dims[1];
    headV = v->dims[3];
  }
  if (!isDyn(nq) && !isDyn(nkv) && nq % nkv != 0)
    return emitOpError() << "q_num_heads (" << nq
                         << ") must be a multiple of kv_num_heads (" << nkv
                         << ")";
  int64_t past = 0;
  if (!isNone(getPastKey())) {
    std::optional<ShapeInfo> pk = getShapeInfo(getPastKey());
    if (pk && pk->rank() != 4)
      return emitOpError() << "past_key must be 4-D, got rank " << pk->rank();
    past = pk ? pk->dims[2] : kDynamic;
  }
  int64_t total = addDims(past, kvSeq);
  ShapeInfo y;
  y.appendDim(*q, 0);
  if (rank == 3) {
    y.appendDim(*q, 1);
    y.appendDim(mulDims(nq, headV));
  } else {
    y.appendDim(nq);
    y.appendDim(*q, 2);
    y.appendDim(headV);
  }
  setInferred(types, 0, y, elem);
  auto present = [&](unsigned idx, int64_t head) {
    if (isa<NoneType>(getResult(idx).getType()))
      return;
    ShapeInfo s;
    s.appendDim(*k, 0);
    s.appendDim(nkv);
    s.appendDim(total);
    s.appendDim(head);
    setInferred(types, idx, s, elem);
  };
  int64_t headK = rank == 3 ? (isDyn(k->dims[2]) ? kDynamic : k->dims[2] / nkv)
                            : k->dims[3];
  present(1, headK);
  present(2, headV);
  if (!isa<NoneType>(getResult(3).getType())) {
    ShapeInfo s;
    s.appendDim(*q, 0);
    s.appendDim(nq);
    s.appendDim(qSeq);
    s.appendDim(total);
    setInferred(types, 3, s, elem);
  }
  return success();
}

LogicalResult
CausalConvWithStateOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getInput(), getOutput());
  std::optional<ShapeInfo> in = getShapeInfo(getInput()),
                           w = getShapeInfo(getWeight());
  if (in && in->rank() != 3)
    return emitOpError() << "input must be 3-D (batch, channels, length), "
                            "got rank "
                         << in->rank();
  if (w && w->rank() != 3)
    return emitOpError() << "weight must be 3-D (channels, 1, k), got rank "
                         << w->rank();
  if (!in)
    return success();
  setInferred(types, 0, *in, elem);
  ShapeInfo state;
  state.appendDim(*in, 0);
  state.appendDim(*in, 1);
  state.appendDim(w && !isDyn(w->dims[2]) ? w->dims[2] - 1 : kDynamic);
  setInferred(types, 1, state, elem);
  return success();
}

LogicalResult
LinearAttentionOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getQuery(), getOutput());
  std::optional<ShapeInfo> q = getShapeInfo(getQuery()),
                           v = getShapeInfo(getValue());
  for (const auto &s : {q, v})
    if (s && s->rank() != 3)
      return emitOpError() << "query, key and value must be 3-D (B, T, H*D), "
                              "got rank "
                           << s->rank();
  int64_t hq = getQNumHeads(), hkv = getKvNumHeads();
  if (hq < 1 || hkv < 1 || hq % hkv != 0)
    return emitOpError() << "q_num_heads (" << hq
                         << ") must be a positive multiple of kv_num_heads ("
                         << hkv << ")";
  if (!q || !v)
    return success();
  int64_t dk = isDyn(q->dims[2]) ? kDynamic : q->dims[2] / hq;
  int64_t dv = isDyn(v->dims[2]) ? kDynamic : v->dims[2] / hkv;
  ShapeInfo out;
  out.appendDim(*q, 0);
  out.appendDim(*q, 1);
  out.appendDim(mulDims(hq, dv));
  setInferred(types, 0, out, elem);
  ShapeInfo state;
  state.appendDim(*q, 0);
  state.appendDim(hkv);
  state.appendDim(dk);
  state.appendDim(dv);
  Type stateElem =
      isNone(getPastState()) ? elem : getElementType(getPastState());
  setInferred(types, 1, state, stateElem);
  return success();
}
