//===- Common.cpp - helpers shared by the graph-to-linalg patterns --------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <cstdint>
#include <limits>

using namespace mlir;

namespace hcc::g2l {

bool allStaticTensors(ArrayRef<RankedTensorType> types) {
  return llvm::all_of(
      types, [](RankedTensorType t) { return t && t.hasStaticShape(); });
}

RankedTensorType convertedTensorType(const TypeConverter &tc, Type t) {
  return dyn_cast_or_null<RankedTensorType>(tc.convertType(t));
}

bool isUnsignedType(Type t) {
  if (auto s = dyn_cast<ShapedType>(t))
    t = s.getElementType();
  return t.isUnsignedInteger();
}

Type elementTypeOf(Value v) {
  if (auto s = dyn_cast<ShapedType>(v.getType()))
    return s.getElementType();
  return v.getType();
}

static Type signless(Type t) { return storageElementType(t); }

Value scalarConst(OpBuilder &b, Location loc, Type t, double v) {
  t = signless(t);
  if (auto f = dyn_cast<FloatType>(t))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(f, v));
  // Saturated: a double outside int64's range (or NaN) has no conversion.
  int64_t i = std::isnan(v) ? 0
              : v >= 0x1p63 ? INT64_MAX
              : v < -0x1p63 ? INT64_MIN
                            : static_cast<int64_t>(v);
  if (t.isIndex())
    return arith::ConstantIndexOp::create(b, loc, i);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, i));
}

static Value extremeValue(OpBuilder &b, Location loc, Type t, bool isUnsigned,
                          bool high) {
  t = signless(t);
  if (auto f = dyn_cast<FloatType>(t))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(f, APFloat::getInf(f.getFloatSemantics(), !high)));
  unsigned w = t.getIntOrFloatBitWidth();
  APInt v = isUnsigned ? (high ? APInt::getMaxValue(w) : APInt::getMinValue(w))
                       : (high ? APInt::getSignedMaxValue(w)
                               : APInt::getSignedMinValue(w));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, v));
}

Value lowestValue(OpBuilder &b, Location loc, Type t, bool isUnsigned) {
  return extremeValue(b, loc, t, isUnsigned, /*high=*/false);
}

Value highestValue(OpBuilder &b, Location loc, Type t, bool isUnsigned) {
  return extremeValue(b, loc, t, isUnsigned, /*high=*/true);
}

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType t) {
  return tensor::EmptyOp::create(b, loc, t.getShape(), t.getElementType());
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType t,
                   Value scalar) {
  Value empty = emptyTensor(b, loc, t);
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> inShape,
                       ArrayRef<int64_t> outShape) {
  int64_t inRank = inShape.size(), outRank = outShape.size();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < inRank; ++i) {
    int64_t o = outRank - inRank + i;
    if (inShape[i] == 1 && outShape[o] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(o, ctx));
  }
  return AffineMap::get(outRank, 0, exprs, ctx);
}

AffineMap dropDimsMap(MLIRContext *ctx, int64_t rank, ArrayRef<int64_t> axes) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (!llvm::is_contained(axes, i))
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value buildGeneric(OpBuilder &b, Location loc, RankedTensorType resultType,
                   ValueRange inputs, ArrayRef<AffineMap> maps, ScalarFn body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> allMaps(maps.begin(), maps.end());
  allMaps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  Value init = emptyTensor(b, loc, resultType);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, allMaps, iters,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, r);
      });
  return generic.getResult(0);
}

Value buildBroadcastElementwise(OpBuilder &b, Location loc,
                                RankedTensorType resultType, ValueRange inputs,
                                ScalarFn body) {
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(b.getContext(),
                                cast<RankedTensorType>(in.getType()).getShape(),
                                resultType.getShape()));
  return buildGeneric(b, loc, resultType, inputs, maps, body);
}

Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> axes, Value init, CombineFn combine) {
  auto inType = cast<RankedTensorType>(input.getType());
  int64_t rank = inType.getRank();
  SmallVector<int64_t> outShape;
  SmallVector<utils::IteratorType> iters;
  for (int64_t i = 0; i < rank; ++i) {
    bool reduced = llvm::is_contained(axes, i);
    iters.push_back(reduced ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
    if (!reduced)
      outShape.push_back(inType.getDimSize(i));
  }
  auto outType = RankedTensorType::get(outShape, init.getType());
  Value acc = filledTensor(b, loc, outType, init);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 dropDimsMap(b.getContext(), rank, axes)};
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{outType}, ValueRange{input}, ValueRange{acc}, maps,
      iters, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, combine(nb, nloc, args[0], args[1]));
      });
  return generic.getResult(0);
}

Value reshapeTo(OpBuilder &b, Location loc, Value v, RankedTensorType target) {
  auto src = cast<RankedTensorType>(v.getType());
  if (src == target)
    return v;
  int64_t sr = src.getRank(), tr = target.getRank();
  if (tr == 0)
    return tensor::CollapseShapeOp::create(b, loc, target, v,
                                           ArrayRef<ReassociationIndices>{});
  if (sr == 0)
    return tensor::ExpandShapeOp::create(b, loc, target, v,
                                         ArrayRef<ReassociationIndices>{});
  if (sr > tr)
    if (auto re = getReassociationIndicesForCollapse(src.getShape(),
                                                     target.getShape()))
      return tensor::CollapseShapeOp::create(b, loc, target, v, *re);
  if (sr < tr)
    if (auto re = getReassociationIndicesForCollapse(target.getShape(),
                                                     src.getShape()))
      return tensor::ExpandShapeOp::create(b, loc, target, v, *re);
  // General case: through a 1-D tensor.
  auto flatType =
      RankedTensorType::get({src.getNumElements()}, src.getElementType());
  ReassociationIndices all;
  for (int64_t i = 0; i < sr; ++i)
    all.push_back(i);
  Value flat = tensor::CollapseShapeOp::create(
      b, loc, flatType, v, ArrayRef<ReassociationIndices>{all});
  ReassociationIndices allT;
  for (int64_t i = 0; i < tr; ++i)
    allT.push_back(i);
  return tensor::ExpandShapeOp::create(b, loc, target, flat,
                                       ArrayRef<ReassociationIndices>{allT});
}

NarrowCast narrowCastOf(Operation *op) {
  NarrowCast mode;
  mode.saturate = intAttrOr(op, "saturate", 1) != 0;
  if (auto r = op->getAttrOfType<StringAttr>("round_mode"))
    mode.roundMode = r.getValue();
  return mode;
}

Value convertScalar(OpBuilder &b, Location loc, Value v, Type from, Type to,
                    const NarrowCast &mode) {
  if (from == to)
    return v;
  if (isNarrowType(from) || isNarrowType(to))
    return convertNarrow(b, loc, v, from, to, mode);
  Type dst = signless(to);
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(dst);
  if (dst.isInteger(1)) {
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v,
                                   scalarConst(b, loc, from, 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v,
                                 scalarConst(b, loc, from, 0));
  }
  bool fromUnsigned = from.isUnsignedInteger() || from.isInteger(1);
  if (fromFloat && toFloat) {
    if (from.getIntOrFloatBitWidth() < dst.getIntOrFloatBitWidth())
      return arith::ExtFOp::create(b, loc, dst, v);
    if (from.getIntOrFloatBitWidth() > dst.getIntOrFloatBitWidth())
      return arith::TruncFOp::create(b, loc, dst, v);
    return v;
  }
  if (fromFloat)
    return to.isUnsignedInteger()
               ? Value(arith::FPToUIOp::create(b, loc, dst, v))
               : Value(arith::FPToSIOp::create(b, loc, dst, v));
  if (toFloat)
    return fromUnsigned ? Value(arith::UIToFPOp::create(b, loc, dst, v))
                        : Value(arith::SIToFPOp::create(b, loc, dst, v));
  unsigned fw = from.getIntOrFloatBitWidth(), tw = dst.getIntOrFloatBitWidth();
  if (fw < tw)
    return fromUnsigned ? Value(arith::ExtUIOp::create(b, loc, dst, v))
                        : Value(arith::ExtSIOp::create(b, loc, dst, v));
  if (fw > tw)
    return arith::TruncIOp::create(b, loc, dst, v);
  return v;
}

std::optional<SmallVector<int64_t>> constInts(Value orig, Value converted) {
  if (orig)
    if (auto v = graph::getConstantInts(orig))
      return v;
  DenseIntElementsAttr attr;
  if (converted && matchPattern(converted, m_Constant(&attr))) {
    SmallVector<int64_t> out;
    for (const APInt &x : attr.getValues<APInt>())
      out.push_back(x.getSExtValue());
    return out;
  }
  return std::nullopt;
}

std::optional<double> constScalar(Value orig, Value converted) {
  if (orig)
    if (auto v = graph::getConstantScalar(orig))
      return v;
  DenseFPElementsAttr fattr;
  if (converted && matchPattern(converted, m_Constant(&fattr)) &&
      fattr.getNumElements() == 1)
    return (*fattr.getValues<APFloat>().begin()).convertToDouble();
  if (auto ints = constInts(Value(), converted))
    if (ints->size() == 1)
      return static_cast<double>((*ints)[0]);
  return std::nullopt;
}

int64_t intAttrOr(Operation *op, StringRef name, int64_t dflt) {
  if (auto a = op->getAttrOfType<IntegerAttr>(name))
    return a.getInt();
  return dflt;
}

double floatAttrOr(Operation *op, StringRef name, double dflt) {
  if (auto a = op->getAttrOfType<FloatAttr>(name))
    return a.getValueAsDouble();
  return dflt;
}

SmallVector<int64_t> intsAttr(Operation *op, StringRef name) {
  return graph::getI64s(op->getAttrOfType<ArrayAttr>(name));
}

bool Window::hasPadding() const {
  return llvm::any_of(padLow, [](int64_t p) { return p != 0; }) ||
         llvm::any_of(padHigh, [](int64_t p) { return p != 0; });
}

FailureOr<Window> readWindow(Operation *op, ArrayRef<int64_t> in,
                             ArrayRef<int64_t> kernel, ArrayRef<int64_t> out) {
  size_t n = in.size();
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = intsAttr(op, "strides");
  w.dilations = intsAttr(op, "dilations");
  SmallVector<int64_t> pads = intsAttr(op, "pads");
  if (w.strides.empty())
    w.strides.assign(n, 1);
  if (w.dilations.empty())
    w.dilations.assign(n, 1);
  if (pads.empty())
    pads.assign(2 * n, 0);
  if (w.strides.size() != n || w.dilations.size() != n || pads.size() != 2 * n)
    return unsupported(op, "window attributes disagree with the input rank");
  graph::AutoPad autoPad = graph::AutoPad::NotSet;
  if (auto a = op->getAttrOfType<graph::AutoPadAttr>("auto_pad"))
    autoPad = a.getValue();
  for (size_t i = 0; i < n; ++i) {
    int64_t needed =
        (out[i] - 1) * w.strides[i] + (w.kernel[i] - 1) * w.dilations[i] + 1;
    int64_t lo = pads[i], hi = pads[i + n];
    if (autoPad == graph::AutoPad::Valid) {
      lo = hi = 0;
    } else if (autoPad == graph::AutoPad::SameUpper ||
               autoPad == graph::AutoPad::SameLower) {
      int64_t total = std::max<int64_t>(0, needed - in[i]);
      lo = autoPad == graph::AutoPad::SameUpper ? total / 2 : total - total / 2;
      hi = total - lo;
    }
    // ceil_mode: the last windows may start inside the input but end past
    // the padded input.
    w.declaredHigh.push_back(hi);
    hi = std::max(hi, needed - in[i] - lo);
    w.padLow.push_back(lo);
    w.padHigh.push_back(hi);
  }
  return w;
}

Value padSpatial(OpBuilder &b, Location loc, Value v, const Window &w,
                 Value padValue) {
  if (!w.hasPadding())
    return v;
  auto t = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(t.getShape());
  SmallVector<OpFoldResult> lo(2, b.getIndexAttr(0)), hi(2, b.getIndexAttr(0));
  for (size_t i = 0; i < w.padLow.size(); ++i) {
    shape[i + 2] += w.padLow[i] + w.padHigh[i];
    lo.push_back(b.getIndexAttr(w.padLow[i]));
    hi.push_back(b.getIndexAttr(w.padHigh[i]));
  }
  auto padded = RankedTensorType::get(shape, t.getElementType());
  return tensor::PadOp::create(b, loc, padded, v, lo, hi, padValue);
}

Type accumulatorType(Type elem) {
  if (elem.isF16() || elem.isBF16())
    return Float32Type::get(elem.getContext());
  return elem;
}

Value convertElements(OpBuilder &b, Location loc, Value v, Type elem) {
  auto t = cast<RankedTensorType>(v.getType());
  Type from = t.getElementType();
  if (from == elem)
    return v;
  return buildGeneric(b, loc, RankedTensorType::get(t.getShape(), elem), {v},
                      {b.getMultiDimIdentityMap(t.getRank())},
                      [&](OpBuilder &nb, Location l, ValueRange a) {
                        return convertScalar(nb, l, a[0], from, elem);
                      });
}

Value permuteDims(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> perm) {
  auto t = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(t.getDimSize(p));
  auto rt = RankedTensorType::get(shape, t.getElementType());
  return linalg::TransposeOp::create(b, loc, v, emptyTensor(b, loc, rt), perm)
      .getResult()[0];
}

LogicalResult unsupported(Operation *op, const Twine &why) {
  return op->emitError() << op->getName()
                         << " cannot be lowered to linalg: " << why;
}

} // namespace hcc::g2l
