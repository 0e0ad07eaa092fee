//===- GraphConstFolds.cpp - constant folding of graph ops ----------------===//
//
// Folders that evaluate ops on constant operands. They exist so that shape
// arithmetic exported by ONNX front ends (Shape -> Slice -> Concat ->
// Reshape, Range over computed bounds, ...) collapses to constants and the
// shape functions downstream see static values. Folding is limited to
// kMaxFoldElements elements (splats excepted) so that it never inflates a
// model; bigger computations are left to codegen.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"

#include <cmath>
#include <functional>

using namespace mlir;
using namespace hcc::graph;

namespace {

constexpr int64_t kMaxFoldElements = 1 << 16;

/// The static, encoding-free tensor type of `v`, or null if folding into it
/// is not possible or not worth it.
RankedTensorType foldableType(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldElements)
    return {};
  Type elem = type.getElementType();
  if (!isa<IntegerType, FloatType>(elem))
    return {};
  return RankedTensorType::get(type.getShape(), elem);
}

DenseElementsAttr dense(Attribute a) {
  auto d = dyn_cast_or_null<DenseElementsAttr>(a);
  if (!d || (!d.isSplat() && d.getNumElements() > kMaxFoldElements))
    return {};
  return d;
}

SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Builds `outType` whose element at each multi-index comes from the linear
/// element `map(index)` of `in`.
DenseElementsAttr gatherElements(DenseElementsAttr in, RankedTensorType outType,
                                 function_ref<int64_t(ArrayRef<int64_t>)> map) {
  if (in.isSplat())
    return DenseElementsAttr::get(outType, in.getSplatValue<Attribute>());
  SmallVector<Attribute> src(in.getValues<Attribute>());
  ArrayRef<int64_t> shape = outType.getShape();
  SmallVector<Attribute> out;
  out.reserve(outType.getNumElements());
  SmallVector<int64_t> idx(shape.size(), 0);
  for (int64_t n = 0, e = outType.getNumElements(); n < e; ++n) {
    int64_t from = map(idx);
    if (from < 0 || from >= static_cast<int64_t>(src.size()))
      return {};
    out.push_back(src[from]);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++idx[d] < shape[d])
        break;
      idx[d] = 0;
    }
  }
  return DenseElementsAttr::get(outType, out);
}

/// Reads a constant integer operand (any width) as int64 values.
std::optional<SmallVector<int64_t>> ints(Attribute a) {
  auto d = dyn_cast_or_null<DenseElementsAttr>(a);
  if (!d || !isa<IntegerType>(d.getElementType()))
    return std::nullopt;
  SmallVector<int64_t> values;
  for (APInt i : d.getValues<APInt>())
    values.push_back(i.getSExtValue());
  return values;
}

enum class BinOp { Add, Sub, Mul, Div, Max, Min };

std::optional<APInt> applyInt(BinOp op, const APInt &a, const APInt &b,
                              bool isUnsigned) {
  switch (op) {
  case BinOp::Add:
    return a + b;
  case BinOp::Sub:
    return a - b;
  case BinOp::Mul:
    return a * b;
  case BinOp::Div:
    if (b.isZero() || (!isUnsigned && b.isAllOnes() && a.isMinSignedValue()))
      return std::nullopt;
    return isUnsigned ? a.udiv(b) : a.sdiv(b);
  case BinOp::Max:
    return (isUnsigned ? a.ugt(b) : a.sgt(b)) ? a : b;
  case BinOp::Min:
    return (isUnsigned ? a.ult(b) : a.slt(b)) ? a : b;
  }
  llvm_unreachable("covered switch");
}

APFloat applyFloat(BinOp op, APFloat a, const APFloat &b) {
  switch (op) {
  case BinOp::Add:
    a.add(b, APFloat::rmNearestTiesToEven);
    return a;
  case BinOp::Sub:
    a.subtract(b, APFloat::rmNearestTiesToEven);
    return a;
  case BinOp::Mul:
    a.multiply(b, APFloat::rmNearestTiesToEven);
    return a;
  case BinOp::Div:
    a.divide(b, APFloat::rmNearestTiesToEven);
    return a;
  case BinOp::Max:
    return (a.isNaN() || b.isNaN()) ? APFloat::getNaN(a.getSemantics())
                                    : llvm::maximum(a, b);
  case BinOp::Min:
    return (a.isNaN() || b.isNaN()) ? APFloat::getNaN(a.getSemantics())
                                    : llvm::minimum(a, b);
  }
  llvm_unreachable("covered switch");
}

/// Evaluates `lhs op rhs` with ONNX multidirectional broadcasting into
/// `result`'s type.
OpFoldResult foldBinary(BinOp op, Attribute lhsAttr, Attribute rhsAttr,
                        Value result) {
  DenseElementsAttr lhs = dense(lhsAttr), rhs = dense(rhsAttr);
  RankedTensorType type = foldableType(result);
  if (!lhs || !rhs || !type || lhs.getElementType() != rhs.getElementType() ||
      lhs.getElementType() != type.getElementType())
    return {};
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  int64_t rank = type.getRank();
  // Broadcast index maps: a dimension of size 1 (or a missing leading one)
  // always reads index 0.
  auto mapper = [&](RankedTensorType t) {
    SmallVector<int64_t> strides = stridesOf(t.getShape());
    int64_t offset = rank - t.getRank();
    return [=](ArrayRef<int64_t> idx) {
      int64_t linear = 0;
      for (int64_t d = 0; d < t.getRank(); ++d)
        if (t.getDimSize(d) != 1)
          linear += idx[d + offset] * strides[d];
      return linear;
    };
  };
  auto lhsMap = mapper(lhsType), rhsMap = mapper(rhsType);
  bool isFloat = isa<FloatType>(type.getElementType());
  bool isUnsigned = type.getElementType().isUnsignedInteger() ||
                    type.getElementType().isInteger(1);
  SmallVector<APInt> lhsInts, rhsInts, outInts;
  SmallVector<APFloat> lhsFloats, rhsFloats, outFloats;
  if (isFloat) {
    llvm::append_range(lhsFloats, lhs.getValues<APFloat>());
    llvm::append_range(rhsFloats, rhs.getValues<APFloat>());
  } else {
    llvm::append_range(lhsInts, lhs.getValues<APInt>());
    llvm::append_range(rhsInts, rhs.getValues<APInt>());
  }
  auto at = [](auto &values, bool splat, int64_t i) -> auto & {
    return values[splat ? 0 : i];
  };
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> idx(rank, 0);
  for (int64_t n = 0, e = type.getNumElements(); n < e; ++n) {
    int64_t li = lhsMap(idx), ri = rhsMap(idx);
    if (isFloat) {
      outFloats.push_back(applyFloat(op, at(lhsFloats, lhs.isSplat(), li),
                                     at(rhsFloats, rhs.isSplat(), ri)));
    } else {
      std::optional<APInt> v =
          applyInt(op, at(lhsInts, lhs.isSplat(), li),
                   at(rhsInts, rhs.isSplat(), ri), isUnsigned);
      if (!v)
        return {};
      outInts.push_back(*v);
    }
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++idx[d] < shape[d])
        break;
      idx[d] = 0;
    }
  }
  if (isFloat)
    return DenseElementsAttr::get(type, outFloats);
  return DenseElementsAttr::get(type, outInts);
}

/// Folds an op whose result holds the operand's elements in the same order
/// (Reshape, Flatten, Squeeze, Unsqueeze).
OpFoldResult foldReshapeLike(Attribute input, Value result) {
  DenseElementsAttr in = dense(input);
  RankedTensorType type = foldableType(result);
  if (!in || !type || in.getElementType() != type.getElementType() ||
      in.getNumElements() != type.getNumElements())
    return {};
  return in.reshape(type);
}

} // namespace

OpFoldResult AddOp::fold(FoldAdaptor a) {
  return foldBinary(BinOp::Add, a.getA(), a.getB(), getResult());
}
OpFoldResult SubOp::fold(FoldAdaptor a) {
  return foldBinary(BinOp::Sub, a.getA(), a.getB(), getResult());
}
OpFoldResult MulOp::fold(FoldAdaptor a) {
  return foldBinary(BinOp::Mul, a.getA(), a.getB(), getResult());
}
OpFoldResult DivOp::fold(FoldAdaptor a) {
  return foldBinary(BinOp::Div, a.getA(), a.getB(), getResult());
}

OpFoldResult ReshapeOp::fold(FoldAdaptor a) {
  auto type = dyn_cast<RankedTensorType>(getType());
  if (type && type.hasStaticShape() && getData().getType() == type)
    return getData();
  return foldReshapeLike(a.getData(), getResult());
}
OpFoldResult FlattenOp::fold(FoldAdaptor a) {
  return foldReshapeLike(a.getInput(), getResult());
}
OpFoldResult SqueezeOp::fold(FoldAdaptor a) {
  return foldReshapeLike(a.getData(), getResult());
}
OpFoldResult UnsqueezeOp::fold(FoldAdaptor a) {
  return foldReshapeLike(a.getData(), getResult());
}

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor) {
  // A splat costs nothing in the IR, but folded it becomes a weight of the
  // bundle (a 200-byte model asking for 16 GB of them): big ones are filled
  // by a kernel at run time instead.
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldElements)
    return {};
  type = RankedTensorType::get(type.getShape(), type.getElementType());
  if (auto value = dyn_cast_or_null<DenseElementsAttr>(getValueAttr())) {
    if (value.getNumElements() != 1 ||
        value.getElementType() != type.getElementType())
      return {};
    return DenseElementsAttr::get(type, *value.value_begin<Attribute>());
  }
  if (!isa<FloatType>(type.getElementType()))
    return {};
  return DenseElementsAttr::get(type,
                                FloatAttr::get(type.getElementType(), 0.0));
}

OpFoldResult SliceOp::fold(FoldAdaptor a) {
  DenseElementsAttr in = dense(a.getData());
  RankedTensorType type = foldableType(getResult());
  auto inType = in ? dyn_cast<RankedTensorType>(in.getType()) : nullptr;
  auto starts = ints(a.getStarts()), ends = ints(a.getEnds());
  if (!in || !type || !inType || !starts || !ends ||
      starts->size() != ends->size())
    return {};
  int64_t rank = inType.getRank();
  SmallVector<int64_t> axes, steps(starts->size(), 1);
  if (isNone(getAxes())) {
    for (int64_t i = 0, e = starts->size(); i < e; ++i)
      axes.push_back(i);
  } else if (auto given = ints(a.getAxes())) {
    axes = *given;
  } else {
    return {};
  }
  if (!isNone(getSteps())) {
    auto given = ints(a.getSteps());
    if (!given)
      return {};
    steps = *given;
  }
  if (axes.size() != starts->size() || steps.size() != starts->size())
    return {};
  SmallVector<int64_t> first(rank, 0), step(rank, 1);
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank || steps[i] == 0)
      return {};
    int64_t dim = inType.getDimSize(axis);
    int64_t s = (*starts)[i];
    if (s < 0)
      s += dim;
    s = steps[i] > 0 ? std::clamp<int64_t>(s, 0, dim)
                     : std::clamp<int64_t>(s, 0, dim - 1);
    first[axis] = s;
    step[axis] = steps[i];
  }
  SmallVector<int64_t> strides = stridesOf(inType.getShape());
  return gatherElements(in, type, [&](ArrayRef<int64_t> idx) {
    int64_t linear = 0;
    for (int64_t d = 0; d < rank; ++d)
      linear += (first[d] + idx[d] * step[d]) * strides[d];
    return linear;
  });
}

OpFoldResult GatherOp::fold(FoldAdaptor a) {
  DenseElementsAttr in = dense(a.getData());
  RankedTensorType type = foldableType(getResult());
  auto indices = ints(a.getIndices());
  auto indicesType = dyn_cast<RankedTensorType>(getIndices().getType());
  if (!in || !type || !indices || !indicesType)
    return {};
  auto inType = cast<RankedTensorType>(in.getType());
  int64_t rank = inType.getRank(), axis = getAxis();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return {};
  int64_t dim = inType.getDimSize(axis);
  for (int64_t &i : *indices) {
    if (i < 0)
      i += dim;
    if (i < 0 || i >= dim)
      return {};
  }
  SmallVector<int64_t> strides = stridesOf(inType.getShape());
  SmallVector<int64_t> indexStrides = stridesOf(indicesType.getShape());
  int64_t q = indicesType.getRank();
  return gatherElements(in, type, [&](ArrayRef<int64_t> idx) {
    int64_t linear = 0, which = 0;
    for (int64_t d = 0; d < q; ++d)
      which += idx[axis + d] * indexStrides[d];
    for (int64_t d = 0; d < rank; ++d) {
      int64_t i = d < axis    ? idx[d]
                  : d == axis ? (*indices)[which]
                              : idx[d + q - 1];
      linear += i * strides[d];
    }
    return linear;
  });
}

OpFoldResult ConcatOp::fold(FoldAdaptor a) {
  RankedTensorType type = foldableType(getResult());
  if (!type)
    return {};
  int64_t rank = type.getRank(), axis = getAxis();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return {};
  SmallVector<Attribute> out;
  SmallVector<SmallVector<Attribute>> parts;
  SmallVector<int64_t> sizes;
  for (Attribute attr : a.getInputs()) {
    DenseElementsAttr d = dense(attr);
    if (!d || d.getElementType() != type.getElementType())
      return {};
    parts.emplace_back(
        d.isSplat() ? SmallVector<Attribute>(d.getNumElements(),
                                             d.getSplatValue<Attribute>())
                    : SmallVector<Attribute>(d.getValues<Attribute>()));
    sizes.push_back(cast<ShapedType>(d.getType()).getDimSize(axis));
  }
  // Row-major: for each outer index, append each part's contiguous chunk.
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= type.getDimSize(d);
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= type.getDimSize(d);
  for (int64_t o = 0; o < outer; ++o)
    for (auto [part, size] : llvm::zip(parts, sizes)) {
      int64_t chunk = size * inner;
      if (static_cast<int64_t>(part.size()) < (o + 1) * chunk)
        return {};
      llvm::append_range(out, ArrayRef(part).slice(o * chunk, chunk));
    }
  if (static_cast<int64_t>(out.size()) != type.getNumElements())
    return {};
  return DenseElementsAttr::get(type, out);
}

OpFoldResult RangeOp::fold(FoldAdaptor) {
  RankedTensorType type = foldableType(getResult());
  auto start = getConstantScalar(getStart());
  auto delta = getConstantScalar(getDelta());
  if (!type || type.getRank() != 1 || !start || !delta)
    return {};
  Type elem = type.getElementType();
  int64_t n = type.getDimSize(0);
  if (auto intType = dyn_cast<IntegerType>(elem)) {
    SmallVector<APInt> values;
    for (int64_t i = 0; i < n; ++i)
      values.emplace_back(intType.getWidth(),
                          static_cast<int64_t>(*start) +
                              i * static_cast<int64_t>(*delta),
                          /*isSigned=*/true);
    return DenseElementsAttr::get(type, values);
  }
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < n; ++i)
    values.push_back(FloatAttr::get(elem, *start + i * *delta));
  return DenseElementsAttr::get(type, values);
}

namespace {
/// Evaluates an elementwise unary op on a constant operand; `intFn` or
/// `floatFn` may be null when the op is not defined on that element kind.
OpFoldResult foldUnary(Attribute operand, Value result,
                       function_ref<APInt(const APInt &)> intFn,
                       function_ref<APFloat(const APFloat &)> floatFn) {
  DenseElementsAttr in = dense(operand);
  RankedTensorType type = foldableType(result);
  if (!in || !type || in.getElementType() != type.getElementType() ||
      in.getNumElements() != type.getNumElements())
    return {};
  if (isa<FloatType>(type.getElementType())) {
    if (!floatFn)
      return {};
    SmallVector<APFloat> out;
    for (APFloat v : in.getValues<APFloat>())
      out.push_back(floatFn(v));
    return DenseElementsAttr::get(type, out);
  }
  if (!intFn)
    return {};
  SmallVector<APInt> out;
  for (APInt v : in.getValues<APInt>())
    out.push_back(intFn(v));
  return DenseElementsAttr::get(type, out);
}

APFloat roundTo(APFloat v, APFloat::roundingMode mode) {
  v.roundToIntegral(mode);
  return v;
}
} // namespace

OpFoldResult NegOp::fold(FoldAdaptor a) {
  return foldUnary(
      a.getX(), getResult(), [](const APInt &v) { return -v; },
      [](const APFloat &v) { return neg(v); });
}
OpFoldResult AbsOp::fold(FoldAdaptor a) {
  bool isUnsigned =
      cast<ShapedType>(getType()).getElementType().isUnsignedInteger();
  return foldUnary(
      a.getX(), getResult(),
      [&](const APInt &v) { return isUnsigned ? v : v.abs(); },
      [](const APFloat &v) { return abs(v); });
}
OpFoldResult CeilOp::fold(FoldAdaptor a) {
  return foldUnary(a.getX(), getResult(), nullptr, [](const APFloat &v) {
    return roundTo(v, APFloat::rmTowardPositive);
  });
}
OpFoldResult FloorOp::fold(FoldAdaptor a) {
  return foldUnary(a.getX(), getResult(), nullptr, [](const APFloat &v) {
    return roundTo(v, APFloat::rmTowardNegative);
  });
}

//===----------------------------------------------------------------------===//
// Comparisons, logic, Mod, Where, Sqrt: the conditions of exported shape
// code (Equal/Not/And on head counts, Where between two reshape targets).
//===----------------------------------------------------------------------===//

namespace {
/// One element of a constant operand.
using Element = Attribute;
/// The result element for the operands' elements, or null (not foldable).
using ElementFn = function_ref<Attribute(ArrayRef<Element>)>;

/// Evaluates an elementwise op with ONNX multidirectional broadcasting over
/// constant operands into `result`'s type.
OpFoldResult foldBroadcast(ArrayRef<Attribute> operandAttrs, Value result,
                           ElementFn fn) {
  RankedTensorType type = foldableType(result);
  if (!type)
    return {};
  int64_t rank = type.getRank();
  SmallVector<SmallVector<Attribute>> values;
  SmallVector<std::function<int64_t(ArrayRef<int64_t>)>> maps;
  for (Attribute a : operandAttrs) {
    DenseElementsAttr d = dense(a);
    if (!d)
      return {};
    auto t = cast<RankedTensorType>(d.getType());
    if (t.getRank() > rank)
      return {};
    values.emplace_back(
        d.isSplat() ? SmallVector<Attribute>{d.getSplatValue<Attribute>()}
                    : SmallVector<Attribute>(d.getValues<Attribute>()));
    SmallVector<int64_t> strides = stridesOf(t.getShape());
    int64_t offset = rank - t.getRank();
    bool splat = d.isSplat();
    SmallVector<int64_t> shape(t.getShape());
    maps.push_back([=](ArrayRef<int64_t> idx) -> int64_t {
      if (splat)
        return 0;
      int64_t linear = 0;
      for (int64_t i = 0, e = shape.size(); i < e; ++i)
        if (shape[i] != 1)
          linear += idx[i + offset] * strides[i];
      return linear;
    });
  }
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> idx(rank, 0);
  SmallVector<Attribute> out;
  SmallVector<Element> args(values.size());
  for (int64_t n = 0, e = type.getNumElements(); n < e; ++n) {
    for (size_t i = 0; i < values.size(); ++i) {
      int64_t at = maps[i](idx);
      if (at >= int64_t(values[i].size()))
        return {};
      args[i] = values[i][at];
    }
    Attribute r = fn(args);
    if (!r || cast<TypedAttr>(r).getType() != type.getElementType())
      return {};
    out.push_back(r);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++idx[d] < shape[d])
        break;
      idx[d] = 0;
    }
  }
  return DenseElementsAttr::get(type, out);
}

enum class Cmp { Eq, Lt, Gt, Le, Ge };

/// Compares two elements of one numeric type; null when they are not.
Attribute compare(Cmp cmp, Attribute a, Attribute b, bool isUnsigned) {
  Builder builder(a.getContext());
  std::optional<int> order; // -1, 0, 1; nullopt: unordered (NaN).
  if (auto fa = dyn_cast<FloatAttr>(a)) {
    auto fb = dyn_cast<FloatAttr>(b);
    if (!fb)
      return {};
    APFloat::cmpResult r = fa.getValue().compare(fb.getValue());
    if (r != APFloat::cmpUnordered)
      order = r == APFloat::cmpLessThan ? -1 : r == APFloat::cmpEqual ? 0 : 1;
  } else if (auto ia = dyn_cast<IntegerAttr>(a)) {
    auto ib = dyn_cast<IntegerAttr>(b);
    if (!ib)
      return {};
    const APInt &x = ia.getValue(), &y = ib.getValue();
    order = x == y ? 0 : (isUnsigned ? x.ult(y) : x.slt(y)) ? -1 : 1;
  } else {
    return {};
  }
  bool v = false;
  if (order) {
    switch (cmp) {
    case Cmp::Eq:
      v = *order == 0;
      break;
    case Cmp::Lt:
      v = *order < 0;
      break;
    case Cmp::Gt:
      v = *order > 0;
      break;
    case Cmp::Le:
      v = *order <= 0;
      break;
    case Cmp::Ge:
      v = *order >= 0;
      break;
    }
  }
  return builder.getBoolAttr(v);
}

OpFoldResult foldCompare(Cmp cmp, Value lhs, Attribute l, Attribute r,
                         Value result) {
  Type elem = getKnownElementType(lhs);
  bool isUnsigned = elem && (elem.isUnsignedInteger() || elem.isInteger(1));
  return foldBroadcast({l, r}, result, [&](ArrayRef<Element> e) {
    return compare(cmp, e[0], e[1], isUnsigned);
  });
}

/// Folds a logic op on bool operands.
OpFoldResult foldLogic(ArrayRef<Attribute> operands, Value result,
                       function_ref<bool(ArrayRef<bool>)> fn) {
  return foldBroadcast(operands, result, [&](ArrayRef<Element> e) {
    SmallVector<bool> bits;
    for (Element x : e) {
      auto i = dyn_cast<IntegerAttr>(x);
      if (!i || i.getType() != IntegerType::get(x.getContext(), 1))
        return Attribute();
      bits.push_back(!i.getValue().isZero());
    }
    return Attribute(BoolAttr::get(e[0].getContext(), fn(bits)));
  });
}
} // namespace

OpFoldResult EqualOp::fold(FoldAdaptor a) {
  return foldCompare(Cmp::Eq, getA(), a.getA(), a.getB(), getResult());
}
OpFoldResult LessOp::fold(FoldAdaptor a) {
  return foldCompare(Cmp::Lt, getA(), a.getA(), a.getB(), getResult());
}
OpFoldResult GreaterOp::fold(FoldAdaptor a) {
  return foldCompare(Cmp::Gt, getA(), a.getA(), a.getB(), getResult());
}
OpFoldResult LessOrEqualOp::fold(FoldAdaptor a) {
  return foldCompare(Cmp::Le, getA(), a.getA(), a.getB(), getResult());
}
OpFoldResult GreaterOrEqualOp::fold(FoldAdaptor a) {
  return foldCompare(Cmp::Ge, getA(), a.getA(), a.getB(), getResult());
}
OpFoldResult NotOp::fold(FoldAdaptor a) {
  return foldLogic({a.getX()}, getResult(),
                   [](ArrayRef<bool> b) { return !b[0]; });
}
OpFoldResult AndOp::fold(FoldAdaptor a) {
  return foldLogic({a.getA(), a.getB()}, getResult(),
                   [](ArrayRef<bool> b) { return b[0] && b[1]; });
}
OpFoldResult OrOp::fold(FoldAdaptor a) {
  return foldLogic({a.getA(), a.getB()}, getResult(),
                   [](ArrayRef<bool> b) { return b[0] || b[1]; });
}
OpFoldResult XorOp::fold(FoldAdaptor a) {
  return foldLogic({a.getA(), a.getB()}, getResult(),
                   [](ArrayRef<bool> b) { return b[0] != b[1]; });
}

OpFoldResult WhereOp::fold(FoldAdaptor a) {
  return foldBroadcast({a.getCondition(), a.getX(), a.getY()}, getResult(),
                       [](ArrayRef<Element> e) -> Attribute {
                         auto c = dyn_cast<IntegerAttr>(e[0]);
                         if (!c)
                           return {};
                         return c.getValue().isZero() ? e[2] : e[1];
                       });
}

/// Integer Mod: fmod = 0 takes the divisor's sign (Python), fmod = 1 the
/// dividend's (C). Floats only with fmod = 1, as ONNX requires.
OpFoldResult ModOp::fold(FoldAdaptor a) {
  bool cStyle = getFmod() != 0;
  Type elem = getKnownElementType(getA());
  bool isUnsigned = elem && elem.isUnsignedInteger();
  return foldBroadcast(
      {a.getA(), a.getB()}, getResult(), [&](ArrayRef<Element> e) -> Attribute {
        if (auto fa = dyn_cast<FloatAttr>(e[0])) {
          auto fb = dyn_cast<FloatAttr>(e[1]);
          if (!fb || !cStyle)
            return {};
          APFloat r = fa.getValue();
          r.mod(fb.getValue());
          return FloatAttr::get(fa.getType(), r);
        }
        auto ia = dyn_cast<IntegerAttr>(e[0]), ib = dyn_cast<IntegerAttr>(e[1]);
        if (!ia || !ib || ib.getValue().isZero())
          return {};
        const APInt &x = ia.getValue(), &y = ib.getValue();
        if (isUnsigned)
          return IntegerAttr::get(ia.getType(), x.urem(y));
        if (y.isAllOnes() && x.isMinSignedValue())
          return IntegerAttr::get(ia.getType(), APInt(x.getBitWidth(), 0));
        APInt r = x.srem(y);
        if (!cStyle && !r.isZero() && r.isNegative() != y.isNegative())
          r += y;
        return IntegerAttr::get(ia.getType(), r);
      });
}

OpFoldResult SqrtOp::fold(FoldAdaptor a) {
  return foldUnary(
      a.getX(), getResult(), nullptr, [](const APFloat &v) -> APFloat {
        bool lost;
        APFloat d = v;
        d.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
        APFloat r(std::sqrt(d.convertToDouble()));
        r.convert(v.getSemantics(), APFloat::rmNearestTiesToEven, &lost);
        return r;
      });
}
