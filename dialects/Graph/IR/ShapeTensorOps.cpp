//===- ShapeTensorOps.cpp - shapes of tensor construction/layout ops ------===//
//
// Shape functions of the ops that build tensors or rearrange their layout
// without looking at individual elements: Cast, Constant, Shape, Reshape,
// Transpose, Concat, Split, Squeeze, Expand, Tile, ... Shapes that depend on
// data (Reshape's target, Expand's shape) are read from constant operands;
// otherwise only the rank and the dimensions known from types are inferred.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace hcc::graph;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

/// Result `idx` has `elem` and the shape of `source` (unranked if it is).
static void setLike(SmallVectorImpl<Type> &types, unsigned idx, Value source,
                    Type elem) {
  if (std::optional<ShapeInfo> shape = getShapeInfo(source))
    setInferred(types, idx, *shape, elem);
  else
    setUnranked(types, idx, elem);
}

/// The length of a 1-D operand if its type tells it; error if it is ranked
/// but not 1-D.
static LogicalResult get1DLength(Operation *op, Value v, StringRef what,
                                 std::optional<int64_t> &length) {
  length = std::nullopt;
  std::optional<ShapeInfo> shape = getShapeInfo(v);
  if (!shape)
    return success();
  if (shape->rank() != 1)
    return op->emitOpError()
           << what << " must be a 1-D tensor, got rank " << shape->rank();
  if (!ShapedType::isDynamic(shape->dims[0]))
    length = shape->dims[0];
  return success();
}

//===----------------------------------------------------------------------===//
// Cast, CastLike, Constant, ConstantOfShape, Shape, Size
//===----------------------------------------------------------------------===//

LogicalResult CastOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = onnxDataTypeToMlir(getContext(), getTo());
  if (!elem)
    return emitOpError() << "'to' " << static_cast<int64_t>(getTo())
                         << " is not a supported ONNX data type";
  setLike(types, 0, getInput(), elem);
  return success();
}

/// BitCast reinterprets the bits: the target type must have the input's
/// element width (bool counts as 8 bits, as ONNX stores it).
LogicalResult BitCastOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = onnxDataTypeToMlir(getContext(), getTo());
  if (!elem)
    return emitOpError() << "'to' " << static_cast<int64_t>(getTo())
                         << " is not a supported ONNX data type";
  auto bits = [](Type t) -> unsigned {
    if (auto c = dyn_cast<ComplexType>(t))
      return 2 * c.getElementType().getIntOrFloatBitWidth();
    return t.isInteger(1) ? 8 : t.getIntOrFloatBitWidth();
  };
  Type from = getKnownElementType(getInput());
  if (from && bits(from) != bits(elem))
    return emitOpError() << "cannot reinterpret " << bits(from)
                         << "-bit elements as " << bits(elem) << "-bit ones";
  setLike(types, 0, getInput(), elem);
  return success();
}

LogicalResult CastLikeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  setLike(types, 0, getInput(), getKnownElementType(getTargetType()));
  return success();
}

LogicalResult ConstantOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Builder b(getContext());
  Type f32 = b.getF32Type(), i64 = b.getI64Type();
  Type str = StringType::get(getContext());
  SmallVector<Type> candidates;
  if (auto v = getValueAttr())
    candidates.push_back(v.getShapedType());
  if (auto v = getSparseValueAttr())
    candidates.push_back(v.getShapedType());
  if (getValueFloatAttr())
    candidates.push_back(RankedTensorType::get({}, f32));
  if (auto v = getValueFloatsAttr())
    candidates.push_back(RankedTensorType::get({int64_t(v.size())}, f32));
  if (getValueIntAttr())
    candidates.push_back(RankedTensorType::get({}, i64));
  if (auto v = getValueIntsAttr())
    candidates.push_back(RankedTensorType::get({int64_t(v.size())}, i64));
  if (getValueStringAttr())
    candidates.push_back(RankedTensorType::get({}, str));
  if (auto v = getValueStringsAttr())
    candidates.push_back(RankedTensorType::get({int64_t(v.size())}, str));
  if (candidates.size() != 1)
    return emitOpError() << "must have exactly one value attribute, has "
                         << candidates.size();
  types[0] = candidates[0];
  return success();
}

LogicalResult
ConstantOfShapeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  // The fill value defaults to a float zero.
  Type elem = Builder(getContext()).getF32Type();
  if (auto value = getValueAttr()) {
    if (value.getNumElements() != 1)
      return emitOpError() << "'value' must hold one element, holds "
                           << value.getNumElements();
    elem = value.getElementType();
  }
  std::optional<int64_t> length;
  if (failed(get1DLength(*this, getInput(), "shape input", length)))
    return failure();
  if (std::optional<SmallVector<int64_t>> dims = getConstantInts(getInput())) {
    for (int64_t d : *dims)
      if (d < 0)
        return emitOpError() << "shape has negative dimension " << d;
    setInferred(types, 0, ShapeInfo(*dims), elem);
    return success();
  }
  if (length)
    setInferred(types, 0, ShapeInfo::unknown(*length), elem);
  else
    setUnranked(types, 0, elem);
  return success();
}

LogicalResult ShapeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type i64 = Builder(getContext()).getI64Type();
  std::optional<ShapeInfo> shape = getShapeInfo(getData());
  if (!shape) {
    setInferred(types, 0, ShapeInfo::unknown(1), i64);
    return success();
  }
  auto [start, end] = shapeOpRange(shape->rank(), getStart(), getEnd());
  setInferred(types, 0,
              ShapeInfo(ArrayRef<int64_t>{std::max<int64_t>(end - start, 0)}),
              i64);
  return success();
}

LogicalResult SizeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  setInferred(types, 0, ShapeInfo(), Builder(getContext()).getI64Type());
  return success();
}

//===----------------------------------------------------------------------===//
// Reshape, Flatten, Transpose
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getData(), getReshaped());
  std::optional<int64_t> length;
  if (failed(get1DLength(*this, getShape(), "shape", length)))
    return failure();
  std::optional<SmallVector<int64_t>> target = getConstantInts(getShape());
  if (!target) {
    if (length)
      setInferred(types, 0, ShapeInfo::unknown(*length), elem);
    return success();
  }
  std::optional<ShapeInfo> data = getShapeInfo(getData());
  bool allowZero = getAllowzero() != 0;
  int64_t inferredIdx = -1;
  bool hasZero = false;
  ShapeInfo result;
  // Dimensions of the input copied through a 0 cancel out of the element
  // count, so a -1 can be resolved even when those dimensions are dynamic.
  SmallVector<bool> copied(data ? data->rank() : 0, false);
  for (auto [i, d] : llvm::enumerate(*target)) {
    if (d < -1)
      return emitOpError() << "shape has invalid dimension " << d;
    if (d == -1) {
      if (inferredIdx >= 0)
        return emitOpError() << "shape has more than one -1 dimension";
      inferredIdx = i;
      result.appendDim(kDynamic);
      continue;
    }
    if (d == 0 && !allowZero) {
      if (!data) {
        result.appendDim(kDynamic);
        continue;
      }
      if (static_cast<int64_t>(i) >= data->rank())
        return emitOpError() << "shape copies dimension " << i
                             << " of an input of rank " << data->rank();
      result.appendDim(*data, i);
      copied[i] = true;
      continue;
    }
    hasZero |= d == 0;
    result.appendDim(d);
  }
  if (allowZero && hasZero && inferredIdx >= 0)
    return emitOpError()
           << "shape may not hold both 0 and -1 when 'allowzero' is set";
  if (!data) {
    setInferred(types, 0, result, elem);
    return success();
  }
  // Products of the dimensions not copied through a 0 (the -1 excluded).
  int64_t inCount = 1, outKnown = 1;
  bool inStatic = true, outStatic = true;
  for (int64_t i = 0; i < data->rank(); ++i) {
    if (copied[i])
      continue;
    if (ShapedType::isDynamic(data->dims[i]))
      inStatic = false;
    else if (llvm::MulOverflow(inCount, data->dims[i], inCount))
      return emitOpError() << "input element count overflows";
  }
  for (int64_t i = 0; i < result.rank(); ++i) {
    if (i == inferredIdx || (i < data->rank() && copied[i]))
      continue;
    if (ShapedType::isDynamic(result.dims[i]))
      outStatic = false;
    else if (llvm::MulOverflow(outKnown, result.dims[i], outKnown))
      return emitOpError() << "shape's element count overflows";
  }
  if (inStatic && outStatic) {
    if (inferredIdx >= 0) {
      if (outKnown != 0) {
        if (inCount % outKnown != 0)
          return emitOpError() << "cannot reshape " << inCount
                               << " elements into a multiple of " << outKnown;
        result.dims[inferredIdx] = inCount / outKnown;
      }
    } else if (inCount != outKnown) {
      return emitOpError() << "cannot reshape " << inCount << " elements into "
                           << outKnown;
    }
  }
  setInferred(types, 0, result, elem);
  return success();
}

/// Appends the product of `shape`'s dimensions [begin, end) to `result`; a
/// single remaining non-1 dimension keeps its name.
static void appendProduct(const ShapeInfo &shape, int64_t begin, int64_t end,
                          ShapeInfo &result) {
  int64_t product = 1, nonUnit = -1, numNonUnit = 0;
  bool dynamic = false;
  for (int64_t i = begin; i < end; ++i) {
    int64_t d = shape.dims[i];
    if (d == 1)
      continue;
    ++numNonUnit;
    nonUnit = i;
    // An overflowing product is left unknown (the element-count limit of
    // the op's result then rejects it).
    if (ShapedType::isDynamic(d)) {
      dynamic = true;
    } else if (int64_t p; llvm::MulOverflow(product, d, p)) {
      dynamic = true;
    } else {
      product = p;
    }
  }
  if (numNonUnit == 1)
    result.appendDim(shape, nonUnit);
  else if (dynamic && product != 0)
    result.appendDim(kDynamic);
  else
    result.appendDim(product);
}

LogicalResult FlattenOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getInput(), getOutput());
  std::optional<ShapeInfo> shape = getShapeInfo(getInput());
  if (!shape) {
    setInferred(types, 0, ShapeInfo::unknown(2), elem);
    return success();
  }
  // Unlike most axes, Flatten's may equal the rank.
  int64_t rank = shape->rank(), axis = getAxis();
  if (axis < -rank || axis > rank)
    return emitOpError() << "axis " << axis << " is out of range for rank "
                         << rank;
  if (axis < 0)
    axis += rank;
  ShapeInfo result;
  appendProduct(*shape, 0, axis, result);
  appendProduct(*shape, axis, rank, result);
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult TransposeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getData(), getTransposed());
  std::optional<ShapeInfo> shape = getShapeInfo(getData());
  if (!shape) {
    if (auto perm = getPermAttr())
      setInferred(types, 0, ShapeInfo::unknown(perm.size()), elem);
    return success();
  }
  int64_t rank = shape->rank();
  SmallVector<int64_t> perm;
  if (auto attr = getPermAttr())
    perm = getI64s(attr);
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  if (static_cast<int64_t>(perm.size()) != rank)
    return emitOpError() << "perm has " << perm.size()
                         << " entries but the input has rank " << rank;
  SmallVector<bool> seen(rank, false);
  ShapeInfo result;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return emitOpError() << "perm is not a permutation of [0, " << rank
                           << ")";
    seen[p] = true;
    result.appendDim(*shape, p);
  }
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// Concat, Split
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (getInputs().empty())
    return emitOpError() << "needs at least one input";
  Type elem = getElementTypeOr(getInputs()[0], getConcatResult());
  std::optional<ShapeInfo> result;
  int64_t axis = getAxis();
  bool sumKnown = true;
  int64_t sum = 0;
  for (Value input : getInputs()) {
    std::optional<ShapeInfo> shape = getShapeInfo(input);
    if (!shape) {
      sumKnown = false;
      continue;
    }
    if (!result) {
      if (failed(normalizeAxis(*this, axis, shape->rank())))
        return failure();
      if (shape->rank() == 0)
        return emitOpError() << "cannot concatenate scalars";
      result = *shape;
    } else if (shape->rank() != result->rank()) {
      return emitOpError() << "inputs have different ranks " << result->rank()
                           << " and " << shape->rank();
    }
    for (int64_t i = 0; i < shape->rank(); ++i) {
      int64_t d = shape->dims[i], &r = result->dims[i];
      if (i == axis) {
        if (ShapedType::isDynamic(d))
          sumKnown = false;
        else
          sum += d;
        continue;
      }
      if (ShapedType::isDynamic(d))
        continue;
      if (!ShapedType::isDynamic(r) && r != d)
        return emitOpError() << "inputs differ in dimension " << i << ": " << r
                             << " vs " << d;
      r = d;
      result->syms[i] = {};
    }
  }
  if (!result)
    return success();
  result->dims[axis] = sumKnown ? sum : kDynamic;
  // The concatenated dimension is no longer any input's named one.
  result->syms[axis] = {};
  setInferred(types, 0, *result, elem);
  return success();
}

LogicalResult SplitOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  unsigned numOutputs = getNumResults();
  if (numOutputs == 0)
    return emitOpError() << "needs at least one output";
  Type elem = getElementTypeOr(getInput(), getResult(0));
  std::optional<ShapeInfo> shape = getShapeInfo(getInput());
  std::optional<SmallVector<int64_t>> sizes;
  std::optional<uint64_t> given = getNumOutputs();
  if (given && !isNone(getSplit()))
    return emitOpError() << "takes either a split input or num_outputs, not "
                            "both";
  if (given && *given != numOutputs)
    return emitOpError() << "num_outputs is " << *given << " but it has "
                         << numOutputs << " outputs";
  if (!isNone(getSplit())) {
    std::optional<int64_t> length;
    if (failed(get1DLength(*this, getSplit(), "split", length)))
      return failure();
    if (length && *length != numOutputs)
      return emitOpError() << "split has " << *length << " entries but "
                           << numOutputs << " outputs";
    sizes = getConstantInts(getSplit());
    if (sizes && sizes->size() != numOutputs)
      return emitOpError() << "split has " << sizes->size() << " entries but "
                           << numOutputs << " outputs";
    if (sizes)
      for (int64_t s : *sizes)
        if (s < 0)
          return emitOpError() << "split has negative size " << s;
  }
  if (!shape)
    return success();
  int64_t axis = getAxis();
  if (failed(normalizeAxis(*this, axis, shape->rank())))
    return failure();
  int64_t dim = shape->dims[axis];
  if (sizes) {
    int64_t total = 0;
    for (int64_t s : *sizes)
      total += s;
    if (!ShapedType::isDynamic(dim) && total != dim)
      return emitOpError() << "split sizes add up to " << total
                           << " but the dimension is " << dim;
  } else if (given && !ShapedType::isDynamic(dim)) {
    // Split-18: chunks of ceil(dim / n), the last one smaller.
    int64_t chunk = (dim + numOutputs - 1) / numOutputs;
    int64_t last = dim - chunk * (numOutputs - 1);
    if (last < 0)
      return emitOpError() << "dimension " << dim << " cannot be split into "
                           << numOutputs << " chunks of " << chunk;
    sizes = SmallVector<int64_t>(numOutputs, chunk);
    sizes->back() = last;
  } else if (isNone(getSplit()) && !ShapedType::isDynamic(dim)) {
    if (dim % numOutputs != 0)
      return emitOpError() << "dimension " << dim
                           << " cannot be split evenly into " << numOutputs
                           << " outputs";
    sizes = SmallVector<int64_t>(numOutputs, dim / numOutputs);
  }
  for (unsigned i = 0; i < numOutputs; ++i) {
    ShapeInfo result = *shape;
    result.dims[axis] = sizes ? (*sizes)[i] : kDynamic;
    result.syms[axis] =
        numOutputs == 1 && !sizes ? shape->syms[axis] : StringAttr();
    setInferred(types, i, result, elem);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

/// Normalizes `axes` against `rank`, rejecting repeats.
static LogicalResult normalizeAxes(Operation *op,
                                   SmallVectorImpl<int64_t> &axes, int64_t rank,
                                   SmallVectorImpl<bool> &marked) {
  marked.assign(rank, false);
  for (int64_t &axis : axes) {
    if (failed(normalizeAxis(op, axis, rank)))
      return failure();
    if (axis >= rank) // normalizeAxis lets axis 0 through for a scalar
      return op->emitOpError()
             << "axis " << axis << " of a rank-" << rank << " input";
    if (marked[axis])
      return op->emitOpError() << "axis " << axis << " is repeated";
    marked[axis] = true;
  }
  return success();
}

LogicalResult SqueezeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getData(), getSqueezed());
  std::optional<ShapeInfo> shape = getShapeInfo(getData());
  std::optional<SmallVector<int64_t>> axes;
  std::optional<int64_t> numAxes;
  if (!isNone(getAxes())) {
    if (failed(get1DLength(*this, getAxes(), "axes", numAxes)))
      return failure();
    axes = getConstantInts(getAxes());
  }
  if (!shape)
    return success();
  int64_t rank = shape->rank();
  if (!isNone(getAxes()) && !axes) {
    if (numAxes && *numAxes <= rank)
      setInferred(types, 0, ShapeInfo::unknown(rank - *numAxes), elem);
    return success();
  }
  SmallVector<bool> squeezed;
  if (axes) {
    if (failed(normalizeAxes(*this, *axes, rank, squeezed)))
      return failure();
    for (int64_t axis : *axes)
      if (!ShapedType::isDynamic(shape->dims[axis]) && shape->dims[axis] != 1)
        return emitOpError() << "cannot squeeze dimension " << axis
                             << " of size " << shape->dims[axis];
  } else {
    // Without axes every 1 goes; a dynamic dimension might be one.
    if (!shape->isStatic())
      return success();
    for (int64_t d : shape->dims)
      squeezed.push_back(d == 1);
  }
  ShapeInfo result;
  for (int64_t i = 0; i < rank; ++i)
    if (!squeezed[i])
      result.appendDim(*shape, i);
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult UnsqueezeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getData(), getExpanded());
  std::optional<ShapeInfo> shape = getShapeInfo(getData());
  std::optional<int64_t> numAxes;
  if (failed(get1DLength(*this, getAxes(), "axes", numAxes)))
    return failure();
  std::optional<SmallVector<int64_t>> axes = getConstantInts(getAxes());
  if (axes)
    numAxes = axes->size();
  if (!shape)
    return success();
  if (!numAxes)
    return success();
  int64_t outRank = shape->rank() + *numAxes;
  if (!axes) {
    setInferred(types, 0, ShapeInfo::unknown(outRank), elem);
    return success();
  }
  SmallVector<bool> inserted;
  if (failed(normalizeAxes(*this, *axes, outRank, inserted)))
    return failure();
  ShapeInfo result;
  for (int64_t i = 0, j = 0; i < outRank; ++i) {
    if (inserted[i])
      result.appendDim(1);
    else
      result.appendDim(*shape, j++);
  }
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// Expand, Tile
//===----------------------------------------------------------------------===//

LogicalResult ExpandOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getInput(), getOutput());
  std::optional<int64_t> length;
  if (failed(get1DLength(*this, getShape(), "shape", length)))
    return failure();
  ShapeInfo target;
  if (std::optional<SmallVector<int64_t>> dims = getConstantInts(getShape())) {
    for (int64_t d : *dims)
      if (d < 0)
        return emitOpError() << "shape has negative dimension " << d;
    target = ShapeInfo(*dims);
  } else if (length) {
    target = ShapeInfo::unknown(*length);
  } else {
    return success();
  }
  std::optional<ShapeInfo> shape = getShapeInfo(getInput());
  if (!shape)
    return success();
  // A dynamic target entry next to a static non-1 input dimension must be 1
  // or that size: broadcastShapes yields the input's size there.
  ShapeInfo result;
  if (failed(broadcastShapes(*this, {*shape, target}, result)))
    return failure();
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult TileOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getInput(), getOutput());
  std::optional<ShapeInfo> shape = getShapeInfo(getInput());
  std::optional<int64_t> length;
  if (failed(get1DLength(*this, getRepeats(), "repeats", length)))
    return failure();
  std::optional<SmallVector<int64_t>> repeats = getConstantInts(getRepeats());
  if (repeats)
    length = repeats->size();
  if (shape && length && *length != shape->rank())
    return emitOpError() << "repeats has " << *length
                         << " entries but the input has rank " << shape->rank();
  if (repeats)
    for (int64_t r : *repeats)
      if (r < 0)
        return emitOpError() << "repeats has negative entry " << r;
  if (!shape)
    return success();
  if (!repeats) {
    setInferred(types, 0, ShapeInfo::unknown(shape->rank()), elem);
    return success();
  }
  ShapeInfo result;
  for (int64_t i = 0; i < shape->rank(); ++i) {
    int64_t d = shape->dims[i], r = (*repeats)[i];
    if (r == 1)
      result.appendDim(*shape, i);
    else if (r == 0)
      result.appendDim(0);
    else {
      int64_t product = 0;
      if (!ShapedType::isDynamic(d) && llvm::MulOverflow(d, r, product))
        return emitOpError() << "output dimension " << i << " (" << d << " x "
                             << r << ") overflows";
      result.appendDim(ShapedType::isDynamic(d) ? kDynamic : product);
    }
  }
  setInferred(types, 0, result, elem);
  return success();
}
