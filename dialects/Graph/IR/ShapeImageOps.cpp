//===- ShapeImageOps.cpp - shapes of image and detection ops --------------===//
//
// Shape functions of ops on NCHW images: block rearrangements
// (DepthToSpace, SpaceToDepth), resampling (Resize, Upsample, GridSample)
// detection helpers (RoiAlign, NonMaxSuppression) and geometry
// (CenterCropPad, AffineGrid, Col2Im) and spectra (DFT, STFT,
// MelWeightMatrix).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallBitVector.h"

#include <cmath>

using namespace mlir;
using namespace hcc::graph;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

static bool isDyn(int64_t d) { return ShapedType::isDynamic(d); }

/// The input of a block rearrangement: 4-D with a positive block size.
static FailureOr<std::optional<ShapeInfo>>
checkBlockInput(Operation *op, Value input, int64_t blocksize) {
  if (blocksize < 1)
    return op->emitOpError() << "blocksize must be positive, got " << blocksize;
  std::optional<ShapeInfo> shape = getShapeInfo(input);
  if (shape && shape->rank() != 4)
    return op->emitOpError() << "input must be 4-D, got rank " << shape->rank();
  return shape;
}

LogicalResult DepthToSpaceOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getInput(), getOutput());
  int64_t b = getBlocksize();
  FailureOr<std::optional<ShapeInfo>> shape =
      checkBlockInput(*this, getInput(), b);
  if (failed(shape))
    return failure();
  if (!*shape) {
    setInferred(types, 0, ShapeInfo::unknown(4), elem);
    return success();
  }
  const ShapeInfo &in = **shape;
  int64_t c = in.dims[1];
  if (!isDyn(c) && c % (b * b) != 0)
    return emitOpError() << "channels " << c
                         << " are not divisible by blocksize^2 " << b * b;
  ShapeInfo result;
  result.appendDim(in, 0);
  result.appendDim(isDyn(c) ? kDynamic : c / (b * b));
  for (int64_t i = 2; i < 4; ++i) {
    if (b == 1)
      result.appendDim(in, i);
    else
      result.appendDim(isDyn(in.dims[i]) ? kDynamic : in.dims[i] * b);
  }
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult SpaceToDepthOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getInput(), getOutput());
  int64_t b = getBlocksize();
  FailureOr<std::optional<ShapeInfo>> shape =
      checkBlockInput(*this, getInput(), b);
  if (failed(shape))
    return failure();
  if (!*shape) {
    setInferred(types, 0, ShapeInfo::unknown(4), elem);
    return success();
  }
  const ShapeInfo &in = **shape;
  ShapeInfo result;
  result.appendDim(in, 0);
  result.appendDim(isDyn(in.dims[1]) ? kDynamic : in.dims[1] * b * b);
  for (int64_t i = 2; i < 4; ++i) {
    int64_t d = in.dims[i];
    if (!isDyn(d) && d % b != 0)
      return emitOpError() << "spatial dimension " << d
                           << " is not divisible by blocksize " << b;
    if (b == 1)
      result.appendDim(in, i);
    else
      result.appendDim(isDyn(d) ? kDynamic : d / b);
  }
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// Resize, Upsample
//===----------------------------------------------------------------------===//

/// The float contents of a constant operand.
static std::optional<SmallVector<double>> getConstantFloats(Value v) {
  ElementsAttr attr = getConstantElements(v);
  if (!attr || !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  SmallVector<double> values;
  for (APFloat f : attr.getValues<APFloat>())
    values.push_back(f.convertToDouble());
  return values;
}

/// True if `v` is known to hold no elements (an empty placeholder input).
static bool isEmptyTensor(Value v) {
  if (isNone(v))
    return true;
  std::optional<ShapeInfo> shape = getShapeInfo(v);
  std::optional<int64_t> n = shape ? shape->numElements() : std::nullopt;
  return n && *n == 0;
}

/// Output dims of input `in` scaled by `scales` (floor(in * scale)); a
/// scale of 1 keeps the dimension and its name.
static LogicalResult applyScales(Operation *op, const ShapeInfo &in,
                                 ArrayRef<double> scales, ArrayRef<double> roi,
                                 ShapeInfo &result) {
  if (static_cast<int64_t>(scales.size()) != in.rank())
    return op->emitOpError() << "scales has " << scales.size()
                             << " entries but the input has rank " << in.rank();
  result = ShapeInfo();
  for (int64_t i = 0; i < in.rank(); ++i) {
    double scale = scales[i];
    if (scale <= 0)
      return op->emitOpError() << "scales must be positive, got " << scale;
    double extent = roi.empty() ? 1.0 : roi[i + in.rank()] - roi[i];
    if (scale == 1.0 && extent == 1.0) {
      result.appendDim(in, i);
      continue;
    }
    int64_t d = in.dims[i];
    // ONNX computes the product in single precision.
    result.appendDim(isDyn(d) ? kDynamic
                              : static_cast<int64_t>(std::floor(
                                    static_cast<float>(d) *
                                    static_cast<float>(extent * scale))));
  }
  return success();
}

LogicalResult ResizeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getX(), getY());
  std::optional<ShapeInfo> shape = getShapeInfo(getX());
  bool hasScales = !isEmptyTensor(getScales());
  bool hasSizes = !isEmptyTensor(getSizes());
  if (hasScales && hasSizes && getShapeInfo(getScales()) &&
      getShapeInfo(getSizes()))
    return emitOpError() << "takes only one of scales and sizes";
  if (!shape)
    return success();
  int64_t rank = shape->rank();
  // Resize-18's axes: scales, sizes and roi list the named axes only.
  SmallVector<int64_t> axes = getI64s(getAxesAttr());
  std::string error;
  FailureOr<SmallVector<int64_t>> positions = resizeAxisPositions(
      getAxesAttr() ? std::optional<ArrayRef<int64_t>>(axes) : std::nullopt,
      rank, error);
  if (failed(positions))
    return emitOpError() << error;
  int64_t listed = getAxesAttr() ? int64_t(axes.size()) : rank;
  auto countError = [&](StringRef what, size_t n, int64_t per) {
    InFlightDiagnostic d = emitOpError() << what << " has " << n << " entries";
    if (getAxesAttr())
      d << ", expected " << per * listed << " for " << listed << " axes";
    else if (per == 1)
      d << " but the input has rank " << rank;
    else
      d << ", expected " << per * rank;
    return d;
  };
  if (hasSizes && !isNone(getSizes())) {
    std::optional<SmallVector<int64_t>> sizes = getConstantInts(getSizes());
    if (!sizes) {
      setInferred(types, 0, ShapeInfo::unknown(rank), elem);
      return success();
    }
    if (static_cast<int64_t>(sizes->size()) != listed)
      return countError("sizes", sizes->size(), 1);
    SmallVector<double> scales;
    SmallVector<int64_t> out;
    if (failed(resizeFromSizes(shape->dims, *positions, *sizes,
                               getKeepAspectRatioPolicy(), scales, out, error)))
      return emitOpError() << error;
    ShapeInfo result;
    for (int64_t i = 0; i < rank; ++i) {
      if (out[i] == shape->dims[i])
        result.appendDim(*shape, i);
      else
        result.appendDim(out[i]);
    }
    setInferred(types, 0, result, elem);
    return success();
  }
  std::optional<SmallVector<double>> scales;
  if (!isNone(getScales()))
    scales = getConstantFloats(getScales());
  SmallVector<double> roi;
  if (getCoordinateTransformationMode() ==
      CoordTransformMode::TfCropAndResize) {
    std::optional<SmallVector<double>> r;
    if (!isNone(getRoi()))
      r = getConstantFloats(getRoi());
    if (!r) {
      setInferred(types, 0, ShapeInfo::unknown(rank), elem);
      return success();
    }
    if (static_cast<int64_t>(r->size()) != 2 * listed)
      return countError("roi", r->size(), 2);
    roi.assign(2 * rank, 0.0);
    for (int64_t i = 0; i < rank; ++i) {
      int64_t p = (*positions)[i];
      roi[i] = p < 0 ? 0.0 : (*r)[p];
      roi[rank + i] = p < 0 ? 1.0 : (*r)[listed + p];
    }
  }
  if (!scales || scales->empty()) {
    setInferred(types, 0, ShapeInfo::unknown(rank), elem);
    return success();
  }
  if (static_cast<int64_t>(scales->size()) != listed)
    return countError("scales", scales->size(), 1);
  SmallVector<double> full(rank, 1.0);
  for (int64_t i = 0; i < rank; ++i)
    if ((*positions)[i] >= 0)
      full[i] = (*scales)[(*positions)[i]];
  ShapeInfo result;
  if (failed(applyScales(*this, *shape, full, roi, result)))
    return failure();
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult UpsampleOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getX(), getY());
  std::optional<ShapeInfo> shape = getShapeInfo(getX());
  if (!shape)
    return success();
  std::optional<SmallVector<double>> scales = getConstantFloats(getScales());
  if (!scales) {
    setInferred(types, 0, ShapeInfo::unknown(shape->rank()), elem);
    return success();
  }
  ShapeInfo result;
  if (failed(applyScales(*this, *shape, *scales, {}, result)))
    return failure();
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// GridSample, RoiAlign, NonMaxSuppression
//===----------------------------------------------------------------------===//

LogicalResult GridSampleOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getX(), getY());
  std::optional<ShapeInfo> x = getShapeInfo(getX()),
                           grid = getShapeInfo(getGrid());
  if (x && x->rank() < 3)
    return emitOpError() << "X must have rank 3 or more, got " << x->rank();
  if (grid && grid->rank() < 3)
    return emitOpError() << "grid must have rank 3 or more, got "
                         << grid->rank();
  if (x && grid && grid->rank() != x->rank())
    return emitOpError() << "grid must have X's rank " << x->rank() << ", got "
                         << grid->rank();
  if (x && grid && !isDyn(grid->dims.back()) &&
      grid->dims.back() != x->rank() - 2)
    return emitOpError() << "grid's last dimension must be " << x->rank() - 2
                         << ", got " << grid->dims.back();
  if (x && grid && !isDyn(x->dims[0]) && !isDyn(grid->dims[0]) &&
      x->dims[0] != grid->dims[0])
    return emitOpError() << "X and grid differ in batch size";
  if (!x && !grid)
    return success();
  int64_t rank = x ? x->rank() : grid->rank();
  ShapeInfo result;
  if (x)
    result.appendDim(*x, 0), result.appendDim(*x, 1);
  else
    result.appendDim(*grid, 0), result.appendDim(kDynamic);
  for (int64_t i = 1; i + 1 < rank; ++i) {
    if (grid)
      result.appendDim(*grid, i);
    else
      result.appendDim(kDynamic);
  }
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult RoiAlignOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getX(), getY());
  std::optional<ShapeInfo> x = getShapeInfo(getX());
  std::optional<ShapeInfo> rois = getShapeInfo(getRois());
  std::optional<ShapeInfo> idx = getShapeInfo(getBatchIndices());
  if (x && x->rank() != 4)
    return emitOpError() << "X must be 4-D, got rank " << x->rank();
  if (rois &&
      (rois->rank() != 2 || (!isDyn(rois->dims[1]) && rois->dims[1] != 4)))
    return emitOpError() << "rois must have shape [num_rois, 4]";
  if (idx && idx->rank() != 1)
    return emitOpError() << "batch_indices must be 1-D";
  if (rois && idx && !isDyn(rois->dims[0]) && !isDyn(idx->dims[0]) &&
      rois->dims[0] != idx->dims[0])
    return emitOpError() << "rois and batch_indices differ in length";
  if (getOutputHeight() < 1 || getOutputWidth() < 1)
    return emitOpError() << "output_height and output_width must be positive";
  ShapeInfo result;
  if (rois)
    result.appendDim(*rois, 0);
  else if (idx)
    result.appendDim(*idx, 0);
  else
    result.appendDim(kDynamic);
  if (x)
    result.appendDim(*x, 1);
  else
    result.appendDim(kDynamic);
  result.appendDim(getOutputHeight());
  result.appendDim(getOutputWidth());
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult
NonMaxSuppressionOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  std::optional<ShapeInfo> boxes = getShapeInfo(getBoxes());
  std::optional<ShapeInfo> scores = getShapeInfo(getScores());
  if (boxes &&
      (boxes->rank() != 3 || (!isDyn(boxes->dims[2]) && boxes->dims[2] != 4)))
    return emitOpError() << "boxes must have shape [batch, boxes, 4]";
  if (scores && scores->rank() != 3)
    return emitOpError() << "scores must have shape [batch, classes, boxes]";
  if (getCenterPointBox() != 0 && getCenterPointBox() != 1)
    return emitOpError() << "center_point_box must be 0 or 1";
  // One [batch, class, box] triple per selected box.
  setInferred(types, 0, ShapeInfo(ArrayRef<int64_t>{kDynamic, 3}),
              Builder(getContext()).getI64Type());
  return success();
}

LogicalResult CenterCropPadOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getInputData(), getOutputData());
  std::optional<ShapeInfo> in = getShapeInfo(getInputData());
  if (!in)
    return success();
  int64_t rank = in->rank();
  SmallVector<int64_t> axes = getI64s(getAxesAttr());
  if (!getAxesAttr())
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  llvm::SmallBitVector seen(rank);
  for (int64_t &a : axes) {
    if (failed(normalizeAxis(*this, a, rank, "axes entry")))
      return failure();
    if (seen.test(a))
      return emitOpError() << "axis " << a << " is listed twice";
    seen.set(a);
  }
  std::optional<SmallVector<int64_t>> shape = getConstantInts(getShape());
  if (shape && shape->size() != axes.size())
    return emitOpError() << "shape has " << shape->size() << " entries for "
                         << axes.size() << " axes";
  ShapeInfo result = *in;
  for (auto [i, a] : llvm::enumerate(axes)) {
    if (!shape) {
      result.dims[a] = kDynamic;
      result.syms[a] = {};
      continue;
    }
    if ((*shape)[i] < 0)
      return emitOpError() << "shape entry " << (*shape)[i] << " is negative";
    result.dims[a] = (*shape)[i];
    result.syms[a] = {};
  }
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult AffineGridOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getTheta(), getGrid());
  std::optional<ShapeInfo> theta = getShapeInfo(getTheta());
  if (theta && theta->rank() != 3)
    return emitOpError() << "theta must be 3-D, got rank " << theta->rank();
  std::optional<SmallVector<int64_t>> size = getConstantInts(getSize());
  if (!size)
    return success();
  if (size->size() != 4 && size->size() != 5)
    return emitOpError() << "size must have 4 (N, C, H, W) or 5 (N, C, D, "
                            "H, W) entries, got "
                         << size->size();
  int64_t spatial = size->size() - 2;
  for (int64_t d : *size)
    if (d < 1)
      return emitOpError() << "size entry " << d << " is not positive";
  if (theta && ((!isDyn(theta->dims[0]) && theta->dims[0] != (*size)[0]) ||
                (!isDyn(theta->dims[1]) && theta->dims[1] != spatial) ||
                (!isDyn(theta->dims[2]) && theta->dims[2] != spatial + 1)))
    return emitOpError() << "theta must be " << (*size)[0] << "x" << spatial
                         << "x" << spatial + 1 << " for size of "
                         << size->size() << " entries";
  ShapeInfo result;
  result.appendDim((*size)[0]);
  for (int64_t i = 2; i < int64_t(size->size()); ++i)
    result.appendDim((*size)[i]);
  result.appendDim(spatial);
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult Col2ImOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getInput(), getOutput());
  std::optional<ShapeInfo> in = getShapeInfo(getInput());
  if (in && in->rank() != 3)
    return emitOpError() << "input must be 3-D (N, C * prod(block_shape), "
                            "L), got rank "
                         << in->rank();
  std::optional<SmallVector<int64_t>> image = getConstantInts(getImageShape());
  std::optional<SmallVector<int64_t>> block = getConstantInts(getBlockShape());
  if (!image || !block)
    return success();
  if (image->size() != block->size() || image->empty())
    return emitOpError() << "image_shape and block_shape must have the same "
                            "number of entries";
  int64_t blockSize = 1;
  for (auto [i, b] : llvm::zip(*image, *block)) {
    if (i < 1 || b < 1)
      return emitOpError() << "image_shape and block_shape entries must be "
                              "positive";
    blockSize *= b;
  }
  ShapeInfo result;
  result.appendDim(in ? in->dims[0] : kDynamic);
  if (in && !isDyn(in->dims[1])) {
    if (in->dims[1] % blockSize != 0)
      return emitOpError() << "input dimension 1 (" << in->dims[1]
                           << ") is not a multiple of prod(block_shape) ("
                           << blockSize << ")";
    result.appendDim(in->dims[1] / blockSize);
  } else {
    result.appendDim(kDynamic);
  }
  for (int64_t i : *image)
    result.appendDim(i);
  setInferred(types, 0, result, elem);
  return success();
}

FailureOr<SmallVector<int64_t>>
hcc::graph::resizeAxisPositions(std::optional<ArrayRef<int64_t>> axes,
                                int64_t rank, std::string &error) {
  SmallVector<int64_t> positions(rank, -1);
  if (!axes) {
    for (int64_t i = 0; i < rank; ++i)
      positions[i] = i;
    return positions;
  }
  for (auto [pos, axis] : llvm::enumerate(*axes)) {
    int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      error = "axis " + std::to_string(axis) + " is out of range for rank " +
              std::to_string(rank);
      return failure();
    }
    if (positions[a] >= 0) {
      error = "axis " + std::to_string(axis) + " is listed twice";
      return failure();
    }
    positions[a] = pos;
  }
  return positions;
}

LogicalResult
hcc::graph::resizeFromSizes(ArrayRef<int64_t> in, ArrayRef<int64_t> positions,
                            ArrayRef<int64_t> sizes, StringRef policy,
                            SmallVectorImpl<double> &scales,
                            SmallVectorImpl<int64_t> &out, std::string &error) {
  int64_t rank = in.size();
  scales.assign(rank, 1.0);
  out.assign(in.begin(), in.end());
  bool stretch = policy == "stretch", notLarger = policy == "not_larger";
  if (!stretch && !notLarger && policy != "not_smaller") {
    error = "keep_aspect_ratio_policy '" + policy.str() +
            "' is not stretch, not_larger or not_smaller";
    return failure();
  }
  std::optional<double> common;
  bool anyDynamic = false;
  for (int64_t i = 0; i < rank; ++i) {
    if (positions[i] < 0)
      continue;
    int64_t size = sizes[positions[i]];
    if (size < 0) {
      error = "sizes must not be negative, got " + std::to_string(size);
      return failure();
    }
    if (isDyn(in[i])) {
      anyDynamic = true;
      scales[i] = 0;
      out[i] = stretch ? size : kDynamic;
      continue;
    }
    double ratio = double(size) / double(in[i]);
    scales[i] = ratio;
    out[i] = size;
    if (!common)
      common = ratio;
    else
      common = notLarger ? std::min(*common, ratio) : std::max(*common, ratio);
  }
  if (stretch || !common)
    return success();
  for (int64_t i = 0; i < rank; ++i) {
    if (positions[i] < 0)
      continue;
    if (anyDynamic) {
      scales[i] = 0;
      out[i] = kDynamic;
      continue;
    }
    scales[i] = *common;
    out[i] = static_cast<int64_t>(*common * double(in[i]) + 0.5);
  }
  return success();
}

LogicalResult DFTOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getInput(), getOutput());
  std::optional<ShapeInfo> in = getShapeInfo(getInput());
  if (!in)
    return success();
  int64_t rank = in->rank();
  if (rank < 2)
    return emitOpError() << "input must have rank 2 or more, got " << rank;
  if (!isDyn(in->dims.back()) && in->dims.back() != 1 && in->dims.back() != 2)
    return emitOpError() << "input's last dimension must be 1 (real) or 2 "
                            "(complex), got "
                         << in->dims.back();
  int64_t axis = rank - 2;
  if (!isNone(getAxis())) {
    std::optional<SmallVector<int64_t>> a = getConstantInts(getAxis());
    if (!a) {
      // The axis is known at run time only; so is the result's shape
      // unless every candidate agrees (the lowering checks).
      return success();
    }
    if (a->size() != 1)
      return emitOpError() << "axis must be a scalar";
    axis = (*a)[0];
    if (failed(normalizeAxis(*this, axis, rank)))
      return failure();
    if (axis == rank - 1)
      return emitOpError() << "axis must not be the last (real/imaginary) "
                              "dimension";
  }
  bool inverse = getInverse() != 0, onesided = getOnesided() != 0;
  int64_t n = kDynamic;
  if (!isNone(getDftLength())) {
    std::optional<SmallVector<int64_t>> len = getConstantInts(getDftLength());
    if (len && (len->size() != 1 || (*len)[0] < 1))
      return emitOpError() << "dft_length must be a positive scalar";
    if (len)
      n = (*len)[0];
  } else if (!isDyn(in->dims[axis])) {
    n = inverse && onesided ? 2 * (in->dims[axis] - 1) : in->dims[axis];
  }
  ShapeInfo result = *in;
  result.dims[axis] = isDyn(n)               ? kDynamic
                      : inverse || !onesided ? n
                                             : n / 2 + 1;
  result.syms[axis] = {};
  result.dims.back() = inverse && onesided ? 1 : 2;
  result.syms.back() = {};
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult STFTOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getSignal(), getOutput());
  std::optional<ShapeInfo> in = getShapeInfo(getSignal());
  if (!in)
    return success();
  if (in->rank() != 3)
    return emitOpError() << "signal must be 3-D (batch, length, 1 or 2), got "
                            "rank "
                         << in->rank();
  int64_t length = kDynamic;
  if (!isNone(getWindow())) {
    std::optional<ShapeInfo> w = getShapeInfo(getWindow());
    if (w && w->rank() != 1)
      return emitOpError() << "window must be 1-D, got rank " << w->rank();
    if (w)
      length = w->dims[0];
  } else if (!isNone(getFrameLength())) {
    if (std::optional<SmallVector<int64_t>> fl =
            getConstantInts(getFrameLength()))
      length = fl->size() == 1 ? (*fl)[0] : kDynamic;
  }
  std::optional<SmallVector<int64_t>> step = getConstantInts(getFrameStep());
  if (step && (step->size() != 1 || (*step)[0] < 1))
    return emitOpError() << "frame_step must be a positive scalar";
  if (!isDyn(length) && !isDyn(in->dims[1]) &&
      (length < 1 || length > in->dims[1]))
    return emitOpError() << "frame length " << length
                         << " must be in [1, signal length " << in->dims[1]
                         << "]";
  ShapeInfo result;
  result.appendDim(*in, 0);
  result.appendDim(step && !isDyn(length) && !isDyn(in->dims[1])
                       ? (in->dims[1] - length) / (*step)[0] + 1
                       : kDynamic);
  result.appendDim(isDyn(length)        ? kDynamic
                   : getOnesided() != 0 ? length / 2 + 1
                                        : length);
  result.appendDim(2);
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult
MelWeightMatrixOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = onnxDataTypeToMlir(getContext(), getOutputDatatype());
  if (!elem)
    return emitOpError() << "output_datatype " << getOutputDatatype()
                         << " is not a supported ONNX data type";
  std::optional<SmallVector<int64_t>> mels = getConstantInts(getNumMelBins());
  std::optional<SmallVector<int64_t>> dft = getConstantInts(getDftLength());
  if ((mels && (mels->size() != 1 || (*mels)[0] < 1)) ||
      (dft && (dft->size() != 1 || (*dft)[0] < 1)))
    return emitOpError() << "num_mel_bins and dft_length must be positive "
                            "scalars";
  ShapeInfo result;
  result.appendDim(dft ? (*dft)[0] / 2 + 1 : kDynamic);
  result.appendDim(mels ? (*mels)[0] : kDynamic);
  setInferred(types, 0, result, elem);
  return success();
}

/// Y is [max(ngram_indexes) + 1] (or [N, ...] for a batch); the pool's
/// layout is checked here: ngram_counts[i] is where the (i+1)-grams start,
/// every n-gram has an output index, and the weights one per output.
LogicalResult
TfIdfVectorizerOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  SmallVector<int64_t> counts = getI64s(getNgramCounts());
  SmallVector<int64_t> indexes = getI64s(getNgramIndexes());
  int64_t pool = getPoolInt64s()    ? int64_t(getPoolInt64s()->size())
                 : getPoolStrings() ? int64_t(getPoolStrings()->size())
                                    : 0;
  if (getPoolInt64s() && getPoolStrings())
    return emitOpError() << "has both pool_int64s and pool_strings";
  if (getMinGramLength() < 1 || getMaxGramLength() < getMinGramLength() ||
      static_cast<int64_t>(getMaxSkipCount()) < 0)
    return emitOpError() << "needs 1 <= min_gram_length <= max_gram_length "
                            "and max_skip_count >= 0";
  int64_t entries = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    int64_t begin = counts[i];
    int64_t end = i + 1 < counts.size() ? counts[i + 1] : pool;
    int64_t n = int64_t(i) + 1;
    if (begin < 0 || end < begin || end > pool || (end - begin) % n != 0)
      return emitOpError() << "ngram_counts " << begin << ".." << end
                           << " does not split the pool of " << pool << " into "
                           << n << "-grams";
    entries += (end - begin) / n;
  }
  if (entries != int64_t(indexes.size()))
    return emitOpError() << "has " << indexes.size() << " ngram_indexes for "
                         << entries << " n-grams";
  int64_t outputs = 0;
  for (int64_t i : indexes) {
    if (i < 0)
      return emitOpError() << "ngram_indexes has negative entry " << i;
    outputs = std::max(outputs, i + 1);
  }
  if (getWeights() && int64_t(getWeights()->size()) != outputs)
    return emitOpError() << "has " << getWeights()->size() << " weights for "
                         << outputs << " outputs";
  Type f32 = Builder(getContext()).getF32Type();
  std::optional<ShapeInfo> xs = getShapeInfo(getX());
  if (xs && xs->rank() != 1 && xs->rank() != 2)
    return emitOpError() << "input must be 1-D or 2-D, got rank " << xs->rank();
  if (!xs)
    return success();
  ShapeInfo result;
  if (xs->rank() == 2)
    result.appendDim(xs->dims[0]);
  result.appendDim(outputs);
  setInferred(types, 0, result, f32);
  return success();
}
