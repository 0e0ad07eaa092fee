//===- ShapeIndexingOps.cpp - shapes of indexing and generator ops --------===//
//
// Shape functions of ops that select elements (Slice, Gather*, Compress,
// NonZero, Unique, TopK), pad them (Pad) or generate tensors from a few
// scalars (Range, EyeLike, OneHot). Counts that depend on data stay dynamic.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/IR/Builders.h"

#include <cmath>

using namespace mlir;
using namespace hcc::graph;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

/// The static element count of `v`'s type, if it has one.
static std::optional<int64_t> staticNumElements(Value v) {
  std::optional<ShapeInfo> shape = getShapeInfo(v);
  if (!shape)
    return std::nullopt;
  return shape->numElements();
}

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

/// Number of elements `start:end:step` selects from a dimension of `dim`
/// (ONNX Slice clamping rules).
static int64_t sliceLength(int64_t dim, int64_t start, int64_t end,
                           int64_t step) {
  if (start < 0)
    start += dim;
  if (end < 0)
    end += dim;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    return end <= start ? 0 : (end - start + step - 1) / step;
  }
  start = std::clamp<int64_t>(start, 0, dim - 1);
  end = std::clamp<int64_t>(end, -1, dim - 1);
  return end >= start ? 0 : (start - end + (-step) - 1) / (-step);
}

LogicalResult SliceOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getData(), getOutput());
  auto starts = getConstantInts(getStarts());
  auto ends = getConstantInts(getEnds());
  std::optional<SmallVector<int64_t>> axes, steps;
  if (!isNone(getAxes()))
    axes = getConstantInts(getAxes());
  if (!isNone(getSteps()))
    steps = getConstantInts(getSteps());

  // starts, ends, axes and steps are parallel lists.
  std::optional<int64_t> count;
  for (Value v :
       SmallVector<Value, 4>{getStarts(), getEnds(), getAxes(), getSteps()}) {
    if (isNone(v))
      continue;
    std::optional<ShapeInfo> s = getShapeInfo(v);
    if (!s)
      continue;
    if (s->rank() != 1)
      return emitOpError() << "starts, ends, axes and steps must be 1-D";
    if (ShapedType::isDynamic(s->dims[0]))
      continue;
    if (count && *count != s->dims[0])
      return emitOpError()
             << "starts, ends, axes and steps must have the same length";
    count = s->dims[0];
  }
  if (steps)
    for (int64_t s : *steps)
      if (s == 0)
        return emitOpError() << "steps may not be 0";

  std::optional<ShapeInfo> shape = getShapeInfo(getData());
  if (!shape)
    return success();
  int64_t rank = shape->rank();
  ShapeInfo result = *shape;
  // Without constant axes any dimension may be sliced.
  if (!isNone(getAxes()) && !axes) {
    setInferred(types, 0, ShapeInfo::unknown(rank), elem);
    return success();
  }
  SmallVector<int64_t> axisList;
  if (axes) {
    axisList = *axes;
  } else if (count) {
    for (int64_t i = 0; i < *count; ++i)
      axisList.push_back(i);
  } else if (starts) {
    for (int64_t i = 0, e = starts->size(); i < e; ++i)
      axisList.push_back(i);
  } else {
    setInferred(types, 0, ShapeInfo::unknown(rank), elem);
    return success();
  }
  SmallVector<bool> seen(rank, false);
  for (auto [i, axisRef] : llvm::enumerate(axisList)) {
    int64_t axis = axisRef;
    if (failed(normalizeAxis(*this, axis, rank)))
      return failure();
    if (axis >= rank) // normalizeAxis lets axis 0 through for a scalar
      return emitOpError() << "axis " << axis << " of a rank-" << rank
                           << " input";
    if (seen[axis])
      return emitOpError() << "axis " << axis << " is repeated";
    seen[axis] = true;
    result.syms[axis] = {};
    if (!starts || !ends || (!isNone(getSteps()) && !steps)) {
      result.dims[axis] = kDynamic;
      continue;
    }
    int64_t start = (*starts)[i], end = (*ends)[i];
    int64_t step = steps ? (*steps)[i] : 1;
    int64_t dim = shape->dims[axis];
    if (ShapedType::isDynamic(dim)) {
      // A full forward slice keeps the dimension, name included.
      bool whole =
          start == 0 && step == 1 && end >= std::numeric_limits<int32_t>::max();
      if (whole)
        result.syms[axis] = shape->syms[axis];
      result.dims[axis] = kDynamic;
      continue;
    }
    result.dims[axis] = sliceLength(dim, start, end, step);
  }
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// Gather, GatherElements, GatherND
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getData(), getOutput());
  std::optional<ShapeInfo> data = getShapeInfo(getData());
  std::optional<ShapeInfo> indices = getShapeInfo(getIndices());
  if (!data)
    return success();
  int64_t axis = getAxis();
  if (data->rank() == 0)
    return emitOpError() << "data must have rank at least 1";
  if (failed(normalizeAxis(*this, axis, data->rank())))
    return failure();
  int64_t dim = data->dims[axis];
  if (auto values = getConstantInts(getIndices());
      values && !ShapedType::isDynamic(dim))
    for (int64_t v : *values)
      if (v < -dim || v >= dim)
        return emitOpError() << "index " << v
                             << " is out of range for a dimension of " << dim;
  if (!indices)
    return success();
  ShapeInfo result;
  for (int64_t i = 0; i < axis; ++i)
    result.appendDim(*data, i);
  for (int64_t i = 0; i < indices->rank(); ++i)
    result.appendDim(*indices, i);
  for (int64_t i = axis + 1; i < data->rank(); ++i)
    result.appendDim(*data, i);
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult GatherElementsOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getData(), getOutput());
  std::optional<ShapeInfo> data = getShapeInfo(getData());
  std::optional<ShapeInfo> indices = getShapeInfo(getIndices());
  int64_t axis = getAxis();
  if (data) {
    if (data->rank() == 0)
      return emitOpError() << "data must have rank at least 1";
    if (failed(normalizeAxis(*this, axis, data->rank())))
      return failure();
  }
  if (!indices)
    return success();
  if (data && data->rank() != indices->rank())
    return emitOpError() << "data and indices must have the same rank, got "
                         << data->rank() << " and " << indices->rank();
  setInferred(types, 0, *indices, elem);
  return success();
}

LogicalResult GatherNDOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getData(), getOutput());
  std::optional<ShapeInfo> data = getShapeInfo(getData());
  std::optional<ShapeInfo> indices = getShapeInfo(getIndices());
  int64_t b = getBatchDims();
  if (b < 0)
    return emitOpError() << "batch_dims must not be negative, got " << b;
  if (data && data->rank() < 1)
    return emitOpError() << "data must have rank at least 1";
  if (indices && indices->rank() < 1)
    return emitOpError() << "indices must have rank at least 1";
  if (data && b >= data->rank())
    return emitOpError() << "batch_dims " << b
                         << " must be less than the rank of data";
  if (indices && b >= indices->rank())
    return emitOpError() << "batch_dims " << b
                         << " must be less than the rank of indices";
  if (!data || !indices)
    return success();
  for (int64_t i = 0; i < b; ++i) {
    int64_t x = data->dims[i], y = indices->dims[i];
    if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y)
      return emitOpError() << "batch dimension " << i << " differs: " << x
                           << " in data, " << y << " in indices";
  }
  int64_t m = indices->dims.back();
  if (ShapedType::isDynamic(m))
    return success();
  if (m < 1 || m > data->rank() - b)
    return emitOpError() << "indices' last dimension " << m
                         << " must be in [1, " << data->rank() - b << "]";
  ShapeInfo result;
  for (int64_t i = 0; i + 1 < indices->rank(); ++i)
    result.appendDim(*indices, i);
  for (int64_t i = b + m; i < data->rank(); ++i)
    result.appendDim(*data, i);
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>>
hcc::graph::padsForEveryAxis(ArrayRef<int64_t> pads,
                             std::optional<ArrayRef<int64_t>> axes,
                             int64_t rank, std::string &error) {
  int64_t n = axes ? static_cast<int64_t>(axes->size()) : rank;
  if (static_cast<int64_t>(pads.size()) != 2 * n) {
    error = "pads has " + std::to_string(pads.size()) + " entries but " +
            (axes ? std::to_string(n) + " axes need "
                  : "the input of rank " + std::to_string(rank) + " needs ") +
            std::to_string(2 * n);
    return failure();
  }
  if (!axes)
    return SmallVector<int64_t>(pads);
  SmallVector<int64_t> full(2 * rank, 0);
  SmallVector<bool> seen(rank, false);
  for (int64_t i = 0; i < n; ++i) {
    int64_t a = (*axes)[i];
    if (a < -rank || a >= rank) {
      error = "axis " + std::to_string(a) + " is out of range for rank " +
              std::to_string(rank);
      return failure();
    }
    a = a < 0 ? a + rank : a;
    if (seen[a]) {
      error = "axis " + std::to_string(a) + " is listed twice";
      return failure();
    }
    seen[a] = true;
    full[a] = pads[i];
    full[a + rank] = pads[i + n];
  }
  return full;
}

LogicalResult PadOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getData(), getOutput());
  std::optional<ShapeInfo> shape = getShapeInfo(getData());
  std::optional<ShapeInfo> padsShape = getShapeInfo(getPads());
  if (padsShape && padsShape->rank() != 1)
    return emitOpError() << "pads must be a 1-D tensor";
  if (!shape)
    return success();
  int64_t rank = shape->rank();
  bool hasAxes = !isNone(getAxes());
  if (!hasAxes && padsShape && !ShapedType::isDynamic(padsShape->dims[0]) &&
      padsShape->dims[0] != 2 * rank)
    return emitOpError() << "pads has " << padsShape->dims[0]
                         << " entries but the input of rank " << rank
                         << " needs " << 2 * rank;
  std::optional<SmallVector<int64_t>> given = getConstantInts(getPads());
  std::optional<SmallVector<int64_t>> axes;
  if (hasAxes)
    axes = getConstantInts(getAxes());
  if (!given || (hasAxes && !axes)) {
    setInferred(types, 0, ShapeInfo::unknown(rank), elem);
    return success();
  }
  std::string error;
  FailureOr<SmallVector<int64_t>> pads = padsForEveryAxis(
      *given, axes ? std::optional<ArrayRef<int64_t>>(*axes) : std::nullopt,
      rank, error);
  if (failed(pads))
    return emitOpError() << error;
  ShapeInfo result;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t before = (*pads)[i], after = (*pads)[i + rank];
    int64_t d = shape->dims[i];
    if (before == 0 && after == 0) {
      result.appendDim(*shape, i);
      continue;
    }
    if (ShapedType::isDynamic(d)) {
      result.appendDim(kDynamic);
      continue;
    }
    // Negative pads crop.
    int64_t size = d + before + after;
    if (size < 0)
      return emitOpError() << "pads " << before << " and " << after
                           << " crop dimension " << i << " of size " << d
                           << " below zero";
    result.appendDim(size);
  }
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// Range, EyeLike, OneHot
//===----------------------------------------------------------------------===//

LogicalResult RangeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getStart(), getOutput());
  for (Value v : SmallVector<Value, 4>{getStart(), getLimit(), getDelta()})
    if (std::optional<int64_t> n = staticNumElements(v); n && *n != 1)
      return emitOpError() << "start, limit and delta must be scalars";
  std::optional<double> start = getConstantScalar(getStart());
  std::optional<double> limit = getConstantScalar(getLimit());
  std::optional<double> delta = getConstantScalar(getDelta());
  if (delta && *delta == 0)
    return emitOpError() << "delta may not be 0";
  int64_t length = kDynamic;
  if (start && limit && delta)
    length = std::max<int64_t>(
        static_cast<int64_t>(std::ceil((*limit - *start) / *delta)), 0);
  setInferred(types, 0, ShapeInfo(ArrayRef<int64_t>{length}), elem);
  return success();
}

LogicalResult EyeLikeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getInput(), getOutput());
  if (std::optional<int64_t> dtype = getDtype()) {
    elem = onnxDataTypeToMlir(getContext(), *dtype);
    if (!elem)
      return emitOpError() << "dtype " << *dtype
                           << " is not a supported ONNX data type";
  }
  std::optional<ShapeInfo> shape = getShapeInfo(getInput());
  if (!shape) {
    setInferred(types, 0, ShapeInfo::unknown(2), elem);
    return success();
  }
  if (shape->rank() != 2)
    return emitOpError() << "input must be 2-D, got rank " << shape->rank();
  setInferred(types, 0, *shape, elem);
  return success();
}

LogicalResult OneHotOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getValues(), getOutput());
  if (std::optional<int64_t> n = staticNumElements(getValues()); n && *n != 2)
    return emitOpError() << "values must hold 2 elements, holds " << *n;
  if (std::optional<int64_t> n = staticNumElements(getDepth()); n && *n != 1)
    return emitOpError() << "depth must hold 1 element, holds " << *n;
  std::optional<double> depthValue = getConstantScalar(getDepth());
  int64_t depth = kDynamic;
  if (depthValue) {
    depth = static_cast<int64_t>(*depthValue);
    if (depth < 1)
      return emitOpError() << "depth must be positive, got " << depth;
  }
  std::optional<ShapeInfo> indices = getShapeInfo(getIndices());
  if (!indices)
    return success();
  int64_t outRank = indices->rank() + 1, axis = getAxis();
  if (failed(normalizeAxis(*this, axis, outRank)))
    return failure();
  ShapeInfo result;
  for (int64_t i = 0, j = 0; i < outRank; ++i) {
    if (i == axis)
      result.appendDim(depth);
    else
      result.appendDim(*indices, j++);
  }
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// TopK, Compress, NonZero, Unique
//===----------------------------------------------------------------------===//

LogicalResult TopKOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getX(), getValues());
  Type i64 = Builder(getContext()).getI64Type();
  if (std::optional<ShapeInfo> k = getShapeInfo(getK());
      k && (k->rank() != 1 ||
            (!ShapedType::isDynamic(k->dims[0]) && k->dims[0] != 1)))
    return emitOpError() << "K must be a 1-D tensor of one element";
  std::optional<SmallVector<int64_t>> kValue = getConstantInts(getK());
  if (kValue && kValue->size() == 1 && (*kValue)[0] < 0)
    return emitOpError() << "K must not be negative, got " << (*kValue)[0];
  std::optional<ShapeInfo> shape = getShapeInfo(getX());
  if (!shape)
    return success();
  int64_t axis = getAxis();
  if (failed(normalizeAxis(*this, axis, shape->rank())))
    return failure();
  ShapeInfo result = *shape;
  result.syms[axis] = {};
  result.dims[axis] = kDynamic;
  if (kValue && kValue->size() == 1) {
    int64_t k = (*kValue)[0], dim = shape->dims[axis];
    if (!ShapedType::isDynamic(dim) && k > dim)
      return emitOpError() << "K " << k << " exceeds the axis dimension "
                           << dim;
    result.dims[axis] = k;
  }
  setInferred(types, 0, result, elem);
  setInferred(types, 1, result, i64);
  return success();
}

LogicalResult CompressOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getInput(), getOutput());
  std::optional<ShapeInfo> cond = getShapeInfo(getCondition());
  if (cond && cond->rank() != 1)
    return emitOpError() << "condition must be 1-D, got rank " << cond->rank();
  // Without an axis the input is flattened first.
  std::optional<int64_t> axisAttr = getAxis();
  if (!axisAttr) {
    setInferred(types, 0, ShapeInfo::unknown(1), elem);
    return success();
  }
  std::optional<ShapeInfo> shape = getShapeInfo(getInput());
  if (!shape)
    return success();
  int64_t axis = *axisAttr;
  if (failed(normalizeAxis(*this, axis, shape->rank())))
    return failure();
  ShapeInfo result = *shape;
  result.dims[axis] = kDynamic;
  result.syms[axis] = {};
  // A constant condition tells how many slices survive.
  if (ElementsAttr c = getConstantElements(getCondition());
      c && isa<IntegerType>(c.getElementType())) {
    int64_t kept = 0, i = 0, dim = shape->dims[axis];
    for (APInt v : c.getValues<APInt>()) {
      if (!ShapedType::isDynamic(dim) && i >= dim)
        break;
      kept += !v.isZero();
      ++i;
    }
    if (!ShapedType::isDynamic(dim) || i == 0)
      result.dims[axis] = kept;
  }
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult NonZeroOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type i64 = Builder(getContext()).getI64Type();
  std::optional<ShapeInfo> shape = getShapeInfo(getX());
  int64_t rank = shape ? shape->rank() : kDynamic;
  setInferred(types, 0, ShapeInfo(ArrayRef<int64_t>{rank, kDynamic}), i64);
  return success();
}

LogicalResult UniqueOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getX(), getY());
  Type i64 = Builder(getContext()).getI64Type();
  std::optional<ShapeInfo> shape = getShapeInfo(getX());
  ShapeInfo counts = ShapeInfo::unknown(1);
  // inverse_indices maps every input element (or slice along axis).
  ShapeInfo inverse = ShapeInfo::unknown(1);
  if (std::optional<int64_t> axisAttr = getAxis()) {
    if (shape) {
      int64_t axis = *axisAttr;
      if (failed(normalizeAxis(*this, axis, shape->rank())))
        return failure();
      ShapeInfo y = *shape;
      y.dims[axis] = kDynamic;
      y.syms[axis] = {};
      setInferred(types, 0, y, elem);
      inverse = ShapeInfo();
      inverse.appendDim(*shape, axis);
    }
  } else {
    setInferred(types, 0, ShapeInfo::unknown(1), elem);
    if (shape)
      if (std::optional<int64_t> n = shape->numElements())
        inverse = ShapeInfo(ArrayRef<int64_t>{*n});
  }
  setInferred(types, 1, counts, i64);
  setInferred(types, 2, inverse, i64);
  setInferred(types, 3, counts, i64);
  return success();
}
