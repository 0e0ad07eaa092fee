//===- ShapeHelpers.cpp - building blocks of graph shape functions --------===//

#include "dialects/Graph/IR/ShapeHelpers.h"
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/Builders.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace hcc::graph;

bool ShapeInfo::isStatic() const {
  return llvm::none_of(dims, ShapedType::isDynamic);
}

void ShapeInfo::appendDim(const ShapeInfo &other, int64_t i) {
  dims.push_back(other.dims[i]);
  syms.push_back(other.syms[i]);
}

void ShapeInfo::appendDim(int64_t size, StringAttr sym) {
  dims.push_back(size);
  syms.push_back(sym);
}

ShapeInfo ShapeInfo::unknown(int64_t rank) {
  return ShapeInfo(SmallVector<int64_t>(rank, ShapedType::kDynamic));
}

std::optional<int64_t> ShapeInfo::numElements() const {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (ShapedType::isDynamic(d) || d < 0)
      return std::nullopt;
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
      return std::nullopt;
    n *= d;
  }
  return n;
}

std::optional<ShapeInfo> hcc::graph::getShapeInfo(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type)
    return std::nullopt;
  ShapeInfo info(type.getShape());
  if (auto enc = dyn_cast_or_null<DimSymbolsAttr>(type.getEncoding()))
    for (auto [i, name] : llvm::enumerate(enc.getNames()))
      if (i < info.syms.size())
        if (auto s = dyn_cast<StringAttr>(name); s && !s.getValue().empty())
          info.syms[i] = s;
  return info;
}

Type hcc::graph::getElementType(Value v) {
  if (auto type = dyn_cast<TensorType>(v.getType()))
    return type.getElementType();
  return {};
}

RankedTensorType hcc::graph::makeTensorType(const ShapeInfo &shape, Type elem) {
  Attribute encoding;
  if (llvm::any_of(shape.syms, [](StringAttr s) { return bool(s); })) {
    MLIRContext *ctx = elem.getContext();
    SmallVector<Attribute> names;
    for (StringAttr s : shape.syms)
      names.push_back(s ? s : StringAttr::get(ctx, ""));
    encoding = DimSymbolsAttr::get(ctx, ArrayAttr::get(ctx, names));
  }
  return RankedTensorType::get(shape.dims, elem, encoding);
}

bool hcc::graph::isPlaceholderType(Type type) {
  auto t = dyn_cast<UnrankedTensorType>(type);
  return t && isa<NoneType>(t.getElementType());
}

bool hcc::graph::acceptsContainerOperands(Operation *op) {
  return isa<ConcatFromSequenceOp, IdentityOp, LoopOp, OptionalOp,
             OptionalGetElementOp, OptionalHasElementOp, SequenceAtOp,
             SequenceEraseOp, SequenceInsertOp, SequenceLengthOp, SequenceMapOp,
             YieldOp>(op);
}

Type hcc::graph::getPlaceholderType(MLIRContext *ctx) {
  return UnrankedTensorType::get(NoneType::get(ctx));
}

Type hcc::graph::mergeTypes(Type current, Type inferred) {
  if (current == inferred || isPlaceholderType(inferred))
    return current;
  if (isPlaceholderType(current))
    return inferred;
  auto curT = dyn_cast<TensorType>(current);
  auto infT = dyn_cast<TensorType>(inferred);
  if (!curT || !infT)
    return isa<NoneType>(current) ? current : Type();
  if (curT.getElementType() != infT.getElementType())
    return {};
  if (!curT.hasRank())
    return inferred;
  if (!infT.hasRank())
    return current;
  if (curT.getRank() != infT.getRank())
    return {};
  std::optional<ShapeInfo> a = ShapeInfo(curT.getShape());
  auto curR = cast<RankedTensorType>(curT);
  auto infR = cast<RankedTensorType>(infT);
  auto symsOf = [](RankedTensorType t) {
    SmallVector<StringAttr> syms(t.getRank());
    if (auto enc = dyn_cast_or_null<DimSymbolsAttr>(t.getEncoding()))
      for (auto [i, name] : llvm::enumerate(enc.getNames()))
        if (auto s = dyn_cast<StringAttr>(name);
            s && !s.getValue().empty() && i < syms.size())
          syms[i] = s;
    return syms;
  };
  SmallVector<StringAttr> curSyms = symsOf(curR), infSyms = symsOf(infR);
  ShapeInfo merged;
  for (int64_t i = 0, e = curR.getRank(); i < e; ++i) {
    int64_t c = curR.getDimSize(i), n = infR.getDimSize(i);
    if (!ShapedType::isDynamic(c) && !ShapedType::isDynamic(n) && c != n)
      return {};
    int64_t size = ShapedType::isDynamic(c) ? n : c;
    StringAttr sym = curSyms[i] ? curSyms[i] : infSyms[i];
    // A known size makes the name redundant.
    merged.appendDim(size, ShapedType::isDynamic(size) ? sym : StringAttr());
  }
  return makeTensorType(merged, curT.getElementType());
}

LogicalResult hcc::graph::refineResult(Operation *op, unsigned idx,
                                       Type inferred) {
  Value result = op->getResult(idx);
  Type merged = mergeTypes(result.getType(), inferred);
  if (!merged)
    return op->emitOpError()
           << "result #" << idx << " is inferred as " << inferred
           << " but is declared as " << result.getType();
  // An element budget keeps absurd inferred shapes (ConstantOfShape or
  // Expand to 2^62 elements) from flowing into codegen and allocation.
  if (auto type = dyn_cast<RankedTensorType>(merged)) {
    constexpr int64_t kMaxElements = int64_t(1) << 40;
    int64_t count = 1;
    for (int64_t d : type.getShape()) {
      if (ShapedType::isDynamic(d))
        continue;
      if (d != 0 &&
          (__builtin_mul_overflow(count, d, &count) || count > kMaxElements))
        return op->emitOpError()
               << "result #" << idx << " would have more than 2^40 "
               << "elements, more than the limit (" << inferred << ")";
      if (d == 0)
        count = 0;
    }
  }
  result.setType(merged);
  return success();
}

ElementsAttr hcc::graph::getConstantElements(Value v) {
  auto cst = v.getDefiningOp<ConstantOp>();
  if (!cst)
    return {};
  return cst.getValueAttr();
}

std::optional<SmallVector<int64_t>> hcc::graph::getConstantInts(Value v) {
  ElementsAttr attr = getConstantElements(v);
  if (!attr || !isa<IntegerType>(attr.getElementType()))
    return std::nullopt;
  SmallVector<int64_t> values;
  for (APInt i : attr.getValues<APInt>())
    values.push_back(i.getSExtValue());
  return values;
}

std::optional<double> hcc::graph::getConstantScalar(Value v) {
  ElementsAttr attr = getConstantElements(v);
  if (!attr || attr.getNumElements() != 1)
    return std::nullopt;
  Type elem = attr.getElementType();
  if (auto intType = dyn_cast<IntegerType>(elem)) {
    APInt value = *attr.value_begin<APInt>();
    return intType.isUnsigned() ? static_cast<double>(value.getZExtValue())
                                : static_cast<double>(value.getSExtValue());
  }
  if (isa<FloatType>(elem))
    return (*attr.value_begin<APFloat>()).convertToDouble();
  return std::nullopt;
}

bool hcc::graph::isNone(Value v) { return isa<NoneType>(v.getType()); }

std::pair<int64_t, int64_t>
hcc::graph::shapeOpRange(int64_t rank, int64_t start,
                         std::optional<int64_t> end) {
  int64_t last = end ? *end : rank;
  if (start < 0)
    start += rank;
  if (last < 0)
    last += rank;
  return {std::clamp<int64_t>(start, 0, rank),
          std::clamp<int64_t>(last, 0, rank)};
}

Type hcc::graph::onnxDataTypeToMlir(MLIRContext *ctx, int64_t dataType) {
  Builder b(ctx);
  auto unsignedInt = [&](unsigned width) {
    return IntegerType::get(ctx, width, IntegerType::Unsigned);
  };
  // Numbers of onnx.TensorProto.DataType.
  switch (dataType) {
  case 1:
    return b.getF32Type();
  case 2:
    return unsignedInt(8);
  case 3:
    return b.getI8Type();
  case 4:
    return unsignedInt(16);
  case 5:
    return b.getI16Type();
  case 6:
    return b.getI32Type();
  case 7:
    return b.getI64Type();
  case 8:
    return StringType::get(ctx);
  case 9:
    return b.getI1Type();
  case 10:
    return b.getF16Type();
  case 11:
    return b.getF64Type();
  case 12:
    return unsignedInt(32);
  case 13:
    return unsignedInt(64);
  case 14:
    return ComplexType::get(b.getF32Type());
  case 15:
    return ComplexType::get(b.getF64Type());
  case 16:
    return b.getBF16Type();
  case 17:
    return Float8E4M3FNType::get(ctx);
  case 18:
    return Float8E4M3FNUZType::get(ctx);
  case 19:
    return Float8E5M2Type::get(ctx);
  case 20:
    return Float8E5M2FNUZType::get(ctx);
  case 21:
    return unsignedInt(4);
  case 22:
    return b.getIntegerType(4);
  case 23:
    return Float4E2M1FNType::get(ctx);
  case 24:
    return Float8E8M0FNUType::get(ctx);
  case 25:
    return unsignedInt(2);
  case 26:
    return b.getIntegerType(2);
  default:
    return {};
  }
}

int64_t hcc::graph::mlirToOnnxDataType(Type elem) {
  // Every number maps to a distinct type, so search the forward map.
  for (int64_t code = 1; code <= 26; ++code)
    if (onnxDataTypeToMlir(elem.getContext(), code) == elem)
      return code;
  return 0;
}

Type hcc::graph::getKnownElementType(Value v) {
  Type elem = getElementType(v);
  if (!elem || isa<NoneType>(elem))
    return {};
  return elem;
}

Type hcc::graph::getElementTypeOr(Value source, Value result) {
  if (Type elem = getKnownElementType(source))
    return elem;
  return getKnownElementType(result);
}

SmallVector<int64_t> hcc::graph::getI64s(ArrayAttr attr) {
  SmallVector<int64_t> values;
  if (attr)
    for (Attribute a : attr)
      values.push_back(cast<IntegerAttr>(a).getInt());
  return values;
}

LogicalResult hcc::graph::normalizeAxis(Operation *op, int64_t &axis,
                                        int64_t rank, StringRef what) {
  if (axis < -rank || axis >= rank)
    return op->emitOpError()
           << what << " " << axis << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  return success();
}

LogicalResult hcc::graph::broadcastShapes(Operation *op,
                                          ArrayRef<ShapeInfo> shapes,
                                          ShapeInfo &result) {
  int64_t rank = 0;
  for (const ShapeInfo &s : shapes)
    rank = std::max(rank, s.rank());
  result = ShapeInfo();
  for (int64_t i = 0; i < rank; ++i) {
    int64_t size = 1;
    StringAttr sym;
    bool dynamic = false;
    for (const ShapeInfo &s : shapes) {
      int64_t j = i - (rank - s.rank());
      if (j < 0)
        continue;
      int64_t d = s.dims[j];
      if (ShapedType::isDynamic(d)) {
        dynamic = true;
        if (!sym)
          sym = s.syms[j];
        continue;
      }
      if (d == 1)
        continue;
      if (size != 1 && size != d)
        return op->emitOpError()
               << "operands are not broadcast-compatible: dimension " << i
               << " is " << size << " in one and " << d << " in another";
      size = d;
    }
    if (size != 1 || !dynamic)
      result.appendDim(size);
    else
      result.appendDim(ShapedType::kDynamic, sym);
  }
  return success();
}
