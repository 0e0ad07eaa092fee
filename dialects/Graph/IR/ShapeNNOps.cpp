//===- ShapeNNOps.cpp - shapes of matmuls, convolutions, pools, quant ops -===//
//
// Shape functions of the compute-heavy neural-network ops. Convolutions and
// pools share one spatial-size computation (explicit pads, auto_pad,
// strides, dilations, ceil_mode); the matmuls share numpy matmul
// broadcasting.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace hcc::graph;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

static bool isDyn(int64_t d) { return ShapedType::isDynamic(d); }

/// Fails unless two dimensions that are both static agree.
static LogicalResult checkSameDim(Operation *op, int64_t a, int64_t b,
                                  StringRef what) {
  if (!isDyn(a) && !isDyn(b) && a != b)
    return op->emitOpError() << what << " mismatch: " << a << " vs " << b;
  return success();
}

//===----------------------------------------------------------------------===//
// MatMul family
//===----------------------------------------------------------------------===//

/// numpy.matmul of `a` and `b`: 1-D operands are promoted and the added
/// dimension removed again; batch dimensions broadcast.
static LogicalResult inferMatMul(Operation *op, Value a, Value b, Type elem,
                                 SmallVectorImpl<Type> &types) {
  std::optional<ShapeInfo> sa = getShapeInfo(a), sb = getShapeInfo(b);
  if ((sa && sa->rank() == 0) || (sb && sb->rank() == 0))
    return op->emitOpError() << "operands must have rank at least 1";
  if (!sa || !sb)
    return success();
  bool aVector = sa->rank() == 1, bVector = sb->rank() == 1;
  ShapeInfo ma = *sa, mb = *sb;
  if (aVector)
    ma = ShapeInfo(), ma.appendDim(1), ma.appendDim(*sa, 0);
  if (bVector)
    mb.appendDim(1);
  int64_t ra = ma.rank(), rb = mb.rank();
  if (failed(checkSameDim(op, ma.dims[ra - 1], mb.dims[rb - 2],
                          "contraction dimension")))
    return failure();
  ShapeInfo batchA, batchB, result;
  for (int64_t i = 0; i < ra - 2; ++i)
    batchA.appendDim(ma, i);
  for (int64_t i = 0; i < rb - 2; ++i)
    batchB.appendDim(mb, i);
  if (failed(broadcastShapes(op, {batchA, batchB}, result)))
    return failure();
  if (!aVector)
    result.appendDim(ma, ra - 2);
  if (!bVector)
    result.appendDim(mb, rb - 1);
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult MatMulOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferMatMul(*this, getA(), getB(), getElementTypeOr(getA(), getY()),
                     types);
}

LogicalResult MatMulIntegerOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferMatMul(*this, getA(), getB(), Builder(getContext()).getI32Type(),
                     types);
}

LogicalResult QLinearMatMulOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferMatMul(*this, getA(), getB(),
                     getElementTypeOr(getYZeroPoint(), getY()), types);
}

LogicalResult GemmOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getA(), getY());
  std::optional<ShapeInfo> a = getShapeInfo(getA()), b = getShapeInfo(getB());
  if (a && a->rank() != 2)
    return emitOpError() << "A must be 2-D, got rank " << a->rank();
  if (b && b->rank() != 2)
    return emitOpError() << "B must be 2-D, got rank " << b->rank();
  ShapeInfo result;
  int64_t ka = kDynamic, kb = kDynamic;
  if (a) {
    result.appendDim(*a, getTransA() ? 1 : 0);
    ka = a->dims[getTransA() ? 0 : 1];
  } else {
    result.appendDim(kDynamic);
  }
  if (b) {
    result.appendDim(*b, getTransB() ? 0 : 1);
    kb = b->dims[getTransB() ? 1 : 0];
  } else {
    result.appendDim(kDynamic);
  }
  if (failed(checkSameDim(*this, ka, kb, "contraction dimension")))
    return failure();
  // C broadcasts to (M, N) unidirectionally.
  if (std::optional<ShapeInfo> c = getShapeInfo(getC())) {
    if (c->rank() > 2)
      return emitOpError() << "C must have rank at most 2, got " << c->rank();
    for (int64_t i = 0; i < c->rank(); ++i) {
      int64_t d = c->dims[i], r = result.dims[2 - c->rank() + i];
      if (!isDyn(d) && d != 1 && !isDyn(r) && d != r)
        return emitOpError()
               << "C cannot be broadcast to the result: dimension " << d
               << " vs " << r;
    }
  }
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// Spatial geometry shared by convolutions and pools
//===----------------------------------------------------------------------===//

namespace {
/// The window attributes of a convolution or pool, with defaults applied.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, pads;
  AutoPad autoPad = AutoPad::NotSet;
  bool ceilMode = false;
};
} // namespace

/// Applies defaults to `w` for `n` spatial dimensions and checks lengths
/// and values.
static LogicalResult completeWindow(Operation *op, Window &w, int64_t n) {
  if (static_cast<int64_t>(w.kernel.size()) != n)
    return op->emitOpError()
           << "kernel_shape has " << w.kernel.size()
           << " entries but the input has " << n << " spatial dimensions";
  auto fill = [&](SmallVectorImpl<int64_t> &v, int64_t count, int64_t value,
                  StringRef name) -> LogicalResult {
    if (v.empty())
      v.assign(count, value);
    if (static_cast<int64_t>(v.size()) != count)
      return op->emitOpError()
             << name << " has " << v.size() << " entries, expected " << count;
    return success();
  };
  if (failed(fill(w.strides, n, 1, "strides")) ||
      failed(fill(w.dilations, n, 1, "dilations")) ||
      failed(fill(w.pads, 2 * n, 0, "pads")))
    return failure();
  for (int64_t i = 0; i < n; ++i) {
    if (!isDyn(w.kernel[i]) && w.kernel[i] < 1)
      return op->emitOpError() << "kernel_shape entries must be positive";
    if (w.strides[i] < 1)
      return op->emitOpError() << "strides must be positive";
    if (w.dilations[i] < 1)
      return op->emitOpError() << "dilations must be positive";
  }
  for (int64_t p : w.pads)
    if (p < 0)
      return op->emitOpError() << "pads must not be negative";
  return success();
}

/// Output size of spatial dimension `i` of a forward window op.
static FailureOr<int64_t> windowOutputSize(Operation *op, const Window &w,
                                           int64_t i, int64_t in) {
  int64_t k = w.kernel[i], s = w.strides[i], d = w.dilations[i];
  if (isDyn(in))
    return kDynamic;
  switch (w.autoPad) {
  case AutoPad::SameUpper:
  case AutoPad::SameLower:
    return in / s + (in % s != 0);
  default:
    break;
  }
  if (isDyn(k))
    return kDynamic;
  // Checked: attributes near INT64_MAX wrapped around into negative sizes.
  int64_t effKernel, padded = in;
  bool overflow = __builtin_mul_overflow(d, k - 1, &effKernel) ||
                  __builtin_add_overflow(effKernel, 1, &effKernel);
  if (w.autoPad != AutoPad::Valid)
    overflow =
        overflow || __builtin_add_overflow(padded, w.pads[i], &padded) ||
        __builtin_add_overflow(padded, w.pads[i + w.kernel.size()], &padded);
  if (overflow)
    return op->emitOpError() << "window, dilations or pads of spatial "
                                "dimension "
                             << i << " overflow 64-bit sizes";
  if (padded < effKernel)
    return op->emitOpError() << "window of extent " << effKernel
                             << " does not fit spatial dimension " << i
                             << " of padded size " << padded;
  int64_t span = padded - effKernel;
  if (!w.ceilMode)
    return span / s + 1;
  // ceil_mode adds a last window only where it starts inside the input or
  // its leading padding (ONNX since 1.16's reference, PyTorch, ONNX
  // Runtime).
  int64_t out = (span + s - 1) / s + 1;
  int64_t lead = w.autoPad == AutoPad::Valid ? 0 : w.pads[i];
  if ((out - 1) * s >= in + lead)
    --out;
  return out;
}

/// Reads the common window attributes off `op`.
static Window readWindow(Operation *op) {
  Window w;
  if (auto a = op->getAttrOfType<ArrayAttr>("kernel_shape"))
    w.kernel = getI64s(a);
  if (auto a = op->getAttrOfType<ArrayAttr>("strides"))
    w.strides = getI64s(a);
  if (auto a = op->getAttrOfType<ArrayAttr>("dilations"))
    w.dilations = getI64s(a);
  if (auto a = op->getAttrOfType<ArrayAttr>("pads"))
    w.pads = getI64s(a);
  if (auto a = op->getAttrOfType<AutoPadAttr>("auto_pad"))
    w.autoPad = a.getValue();
  if (auto a = op->getAttrOfType<IntegerAttr>("ceil_mode"))
    w.ceilMode = a.getInt() != 0;
  return w;
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

/// Conv, ConvInteger and QLinearConv: X [N, C, D...], W [M, C/group, k...],
/// optional bias B [M].
static LogicalResult inferConv(Operation *op, Value x, Value w, Value bias,
                               Type elem, SmallVectorImpl<Type> &types) {
  std::optional<ShapeInfo> xs = getShapeInfo(x), ws = getShapeInfo(w);
  if (xs && xs->rank() < 3)
    return op->emitOpError()
           << "input must have rank at least 3, got " << xs->rank();
  if (ws && ws->rank() < 3)
    return op->emitOpError()
           << "weights must have rank at least 3, got " << ws->rank();
  if (xs && ws && xs->rank() != ws->rank())
    return op->emitOpError()
           << "input and weights differ in rank: " << xs->rank() << " vs "
           << ws->rank();
  int64_t group = op->getAttrOfType<IntegerAttr>("group").getInt();
  if (group < 1)
    return op->emitOpError() << "group must be positive, got " << group;
  if (!xs && !ws)
    return success();
  int64_t rank = xs ? xs->rank() : ws->rank(), n = rank - 2;
  Window win = readWindow(op);
  if (win.kernel.empty())
    for (int64_t i = 0; i < n; ++i)
      win.kernel.push_back(ws ? ws->dims[i + 2] : kDynamic);
  if (failed(completeWindow(op, win, n)))
    return failure();
  if (ws)
    for (int64_t i = 0; i < n; ++i)
      if (failed(checkSameDim(op, win.kernel[i], ws->dims[i + 2],
                              "kernel_shape and weights")))
        return failure();
  int64_t m = ws ? ws->dims[0] : kDynamic;
  if (xs && ws && !isDyn(xs->dims[1]) && !isDyn(ws->dims[1]) &&
      xs->dims[1] != ws->dims[1] * group)
    return op->emitOpError()
           << "input has " << xs->dims[1] << " channels but weights expect "
           << ws->dims[1] << " x group " << group;
  if (!isDyn(m) && m % group != 0)
    return op->emitOpError() << "output channels " << m
                             << " are not divisible by group " << group;
  std::optional<ShapeInfo> b;
  if (bias)
    b = getShapeInfo(bias);
  if (b) {
    if (b->rank() != 1)
      return op->emitOpError() << "bias must be 1-D";
    if (failed(checkSameDim(op, b->dims[0], m, "bias and output channels")))
      return failure();
  }
  ShapeInfo result;
  result.appendDim(xs ? xs->dims[0] : kDynamic,
                   xs ? xs->syms[0] : StringAttr());
  if (ws)
    result.appendDim(*ws, 0);
  else
    result.appendDim(kDynamic);
  for (int64_t i = 0; i < n; ++i) {
    FailureOr<int64_t> size =
        windowOutputSize(op, win, i, xs ? xs->dims[i + 2] : kDynamic);
    if (failed(size))
      return failure();
    result.appendDim(*size);
  }
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult ConvOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferConv(*this, getX(), getW(), getB(),
                   getElementTypeOr(getX(), getY()), types);
}

LogicalResult ConvIntegerOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferConv(*this, getX(), getW(), Value(),
                   Builder(getContext()).getI32Type(), types);
}

LogicalResult QLinearConvOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferConv(*this, getX(), getW(), getB(),
                   getElementTypeOr(getYZeroPoint(), getY()), types);
}

/// The output of a deformable convolution has the shape of the plain one.
LogicalResult DeformConvOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (getOffsetGroup() < 1)
    return emitOpError() << "offset_group must be positive, got "
                         << getOffsetGroup();
  return inferConv(*this, getX(), getW(), getB(),
                   getElementTypeOr(getX(), getY()), types);
}

LogicalResult ConvTransposeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getX(), getY());
  std::optional<ShapeInfo> xs = getShapeInfo(getX()), ws = getShapeInfo(getW());
  if (xs && xs->rank() < 3)
    return emitOpError() << "input must have rank at least 3, got "
                         << xs->rank();
  if (ws && ws->rank() < 3)
    return emitOpError() << "weights must have rank at least 3, got "
                         << ws->rank();
  if (xs && ws && xs->rank() != ws->rank())
    return emitOpError() << "input and weights differ in rank: " << xs->rank()
                         << " vs " << ws->rank();
  int64_t group = getGroup();
  if (group < 1)
    return emitOpError() << "group must be positive, got " << group;
  if (!xs && !ws)
    return success();
  int64_t rank = xs ? xs->rank() : ws->rank(), n = rank - 2;
  Window win = readWindow(*this);
  if (win.kernel.empty())
    for (int64_t i = 0; i < n; ++i)
      win.kernel.push_back(ws ? ws->dims[i + 2] : kDynamic);
  if (failed(completeWindow(*this, win, n)))
    return failure();
  // W is [C, M / group, k...].
  if (xs && ws &&
      failed(checkSameDim(*this, xs->dims[1], ws->dims[0],
                          "input channels and weights")))
    return failure();
  SmallVector<int64_t> outPad = getI64s(getOutputPaddingAttr());
  if (outPad.empty())
    outPad.assign(n, 0);
  if (static_cast<int64_t>(outPad.size()) != n)
    return emitOpError() << "output_padding has " << outPad.size()
                         << " entries, expected " << n;
  SmallVector<int64_t> outShape = getI64s(getOutputShapeAttr());
  // output_shape may also spell out N and C.
  if (static_cast<int64_t>(outShape.size()) == rank)
    outShape.erase(outShape.begin(), outShape.begin() + 2);
  if (!outShape.empty() && static_cast<int64_t>(outShape.size()) != n)
    return emitOpError() << "output_shape has " << outShape.size()
                         << " entries, expected " << n;
  ShapeInfo result;
  result.appendDim(xs ? xs->dims[0] : kDynamic,
                   xs ? xs->syms[0] : StringAttr());
  int64_t c = ws && !isDyn(ws->dims[1]) ? ws->dims[1] * group : kDynamic;
  result.appendDim(c);
  for (int64_t i = 0; i < n; ++i) {
    if (!outShape.empty()) {
      result.appendDim(outShape[i]);
      continue;
    }
    int64_t in = xs ? xs->dims[i + 2] : kDynamic, k = win.kernel[i];
    int64_t s = win.strides[i], d = win.dilations[i];
    if (isDyn(in)) {
      result.appendDim(kDynamic);
    } else if (win.autoPad == AutoPad::SameUpper ||
               win.autoPad == AutoPad::SameLower) {
      result.appendDim(in * s);
    } else if (isDyn(k)) {
      result.appendDim(kDynamic);
    } else {
      int64_t pads =
          win.autoPad == AutoPad::Valid ? 0 : win.pads[i] + win.pads[i + n];
      int64_t size = s * (in - 1) + outPad[i] + d * (k - 1) + 1 - pads;
      if (size < 1)
        return emitOpError()
               << "computed output dimension " << i << " is " << size;
      result.appendDim(size);
    }
  }
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// Pools
//===----------------------------------------------------------------------===//

/// AveragePool, MaxPool and LpPool: X [N, C, D...] -> [N, C, out...].
static LogicalResult inferPool(Operation *op, Value x, Type elem,
                               SmallVectorImpl<Type> &types,
                               std::optional<unsigned> indicesResult = {}) {
  std::optional<ShapeInfo> xs = getShapeInfo(x);
  if (!xs)
    return success();
  if (xs->rank() < 3)
    return op->emitOpError()
           << "input must have rank at least 3, got " << xs->rank();
  int64_t n = xs->rank() - 2;
  Window win = readWindow(op);
  if (failed(completeWindow(op, win, n)))
    return failure();
  ShapeInfo result;
  result.appendDim(*xs, 0);
  result.appendDim(*xs, 1);
  for (int64_t i = 0; i < n; ++i) {
    FailureOr<int64_t> size = windowOutputSize(op, win, i, xs->dims[i + 2]);
    if (failed(size))
      return failure();
    result.appendDim(*size);
  }
  setInferred(types, 0, result, elem);
  if (indicesResult)
    setInferred(types, *indicesResult, result,
                Builder(op->getContext()).getI64Type());
  return success();
}

LogicalResult AveragePoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferPool(*this, getX(), getElementTypeOr(getX(), getY()), types);
}

LogicalResult MaxPoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (getStorageOrder() != 0 && getStorageOrder() != 1)
    return emitOpError() << "storage_order must be 0 or 1, got "
                         << getStorageOrder();
  return inferPool(*this, getX(), getElementTypeOr(getX(), getY()), types,
                   /*indicesResult=*/1);
}

LogicalResult LpPoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferPool(*this, getX(), getElementTypeOr(getX(), getY()), types);
}

/// Global pools keep N and C and reduce every spatial dimension to 1.
static LogicalResult inferGlobalPool(Operation *op, Value x, Value y,
                                     SmallVectorImpl<Type> &types) {
  std::optional<ShapeInfo> xs = getShapeInfo(x);
  if (!xs)
    return success();
  if (xs->rank() < 2)
    return op->emitOpError()
           << "input must have rank at least 2, got " << xs->rank();
  ShapeInfo result;
  result.appendDim(*xs, 0);
  result.appendDim(*xs, 1);
  for (int64_t i = 2; i < xs->rank(); ++i)
    result.appendDim(1);
  setInferred(types, 0, result, getElementTypeOr(x, y));
  return success();
}

LogicalResult
GlobalAveragePoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferGlobalPool(*this, getX(), getY(), types);
}

LogicalResult GlobalMaxPoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferGlobalPool(*this, getX(), getY(), types);
}

LogicalResult GlobalLpPoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  return inferGlobalPool(*this, getX(), getY(), types);
}

LogicalResult MaxUnpoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type elem = getElementTypeOr(getX(), getOutput());
  std::optional<ShapeInfo> xs = getShapeInfo(getX());
  if (xs && xs->rank() < 3)
    return emitOpError() << "input must have rank at least 3, got "
                         << xs->rank();
  if (!isNone(getOutputShape())) {
    if (std::optional<SmallVector<int64_t>> dims =
            getConstantInts(getOutputShape()))
      setInferred(types, 0, ShapeInfo(*dims), elem);
    else if (xs)
      setInferred(types, 0, ShapeInfo::unknown(xs->rank()), elem);
    return success();
  }
  if (!xs)
    return success();
  int64_t n = xs->rank() - 2;
  Window win = readWindow(*this);
  if (failed(completeWindow(*this, win, n)))
    return failure();
  // The inverse of MaxPool's size rule.
  ShapeInfo result;
  result.appendDim(*xs, 0);
  result.appendDim(*xs, 1);
  for (int64_t i = 0; i < n; ++i) {
    int64_t in = xs->dims[i + 2];
    result.appendDim(isDyn(in) ? kDynamic
                               : (in - 1) * win.strides[i] + win.kernel[i] -
                                     win.pads[i] - win.pads[i + n]);
  }
  setInferred(types, 0, result, elem);
  return success();
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

/// Per-axis quantization: a 1-D scale must match dimension `axis` of x. A
/// one-element scale is per tensor whatever its rank (as ONNX Runtime reads
/// it, and as quantizers write biases): `axis` does not apply then. Blocked
/// quantization (block_size > 0): the scale has x's rank and shape, except
/// ceil(D / block_size) along `axis`.
static LogicalResult checkQuantAxis(Operation *op, Value x, Value scale,
                                    int64_t axis, int64_t blockSize) {
  std::optional<ShapeInfo> xs = getShapeInfo(x), ss = getShapeInfo(scale);
  if (blockSize < 0)
    return op->emitOpError() << "block_size " << blockSize << " is negative";
  if (!ss || ss->rank() == 0 || (ss->rank() == 1 && ss->dims[0] == 1))
    return success();
  if (blockSize == 0 && ss->rank() != 1)
    return op->emitOpError()
           << "scale must be a scalar or 1-D, got rank " << ss->rank();
  if (!xs)
    return success();
  if (failed(normalizeAxis(op, axis, xs->rank())))
    return failure();
  if (blockSize == 0)
    return checkSameDim(op, ss->dims[0], xs->dims[axis],
                        "scale length and quantized dimension");
  if (ss->rank() != xs->rank())
    return op->emitOpError() << "blocked scale must have the input's rank "
                             << xs->rank() << ", got " << ss->rank();
  for (int64_t i = 0; i < xs->rank(); ++i) {
    int64_t want = xs->dims[i];
    if (i == axis && want != ShapedType::kDynamic)
      want = (want + blockSize - 1) / blockSize;
    if (failed(checkSameDim(op, ss->dims[i], want,
                            "blocked scale and input dimension")))
      return failure();
  }
  return success();
}

/// The element type `output_dtype` names, or null when it is 0 (absent).
static FailureOr<Type> outputDtype(Operation *op, int64_t code) {
  if (code == 0)
    return Type();
  Type t = onnxDataTypeToMlir(op->getContext(), code);
  if (!t)
    return op->emitOpError() << "output_dtype " << code
                             << " is not an ONNX data type hcc supports";
  return t;
}

LogicalResult QuantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (failed(checkQuantAxis(*this, getX(), getYScale(), getAxis(),
                            getBlockSize())))
    return failure();
  FailureOr<Type> dtype = outputDtype(*this, getOutputDtype());
  if (failed(dtype))
    return failure();
  // Without a zero point the result is output_dtype, by default uint8.
  Type elem =
      !isNone(getYZeroPoint()) ? getElementTypeOr(getYZeroPoint(), getY())
      : *dtype                 ? *dtype
               : IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  if (std::optional<ShapeInfo> xs = getShapeInfo(getX()))
    setInferred(types, 0, *xs, elem);
  else
    setUnranked(types, 0, elem);
  return success();
}

LogicalResult
DequantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (failed(checkQuantAxis(*this, getX(), getXScale(), getAxis(),
                            getBlockSize())))
    return failure();
  FailureOr<Type> dtype = outputDtype(*this, getOutputDtype());
  if (failed(dtype))
    return failure();
  Type elem = *dtype ? *dtype : getElementTypeOr(getXScale(), getY());
  if (std::optional<ShapeInfo> xs = getShapeInfo(getX()))
    setInferred(types, 0, *xs, elem);
  else
    setUnranked(types, 0, elem);
  return success();
}

LogicalResult
DynamicQuantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Type u8 = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  if (std::optional<ShapeInfo> xs = getShapeInfo(getX()))
    setInferred(types, 0, *xs, u8);
  else
    setUnranked(types, 0, u8);
  setInferred(types, 1, ShapeInfo(), Builder(getContext()).getF32Type());
  setInferred(types, 2, ShapeInfo(), u8);
  return success();
}
