//===- DataMovement.cpp - constants, reshapes, slicing, gathers, padding --===//
//
// Ops that move data rather than compute on it. Shapes come from the static
// result types (shape inference ran before); operands that determine shapes
// (Reshape's shape, Slice's starts/ends, Pad's pads, ...) must be constants.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

/// Values for results of type `none` (absent optional outputs).
Value noneValue(OpBuilder &b, Location loc) {
  return graph::NoneOp::create(b, loc, b.getNoneType());
}

/// Splat constants above this many bytes are filled at run time: as
/// constants they would be emitted whole into the kernel's object.
constexpr int64_t kMaxSplatConstantBytes = 64 << 10;

/// Replaces `op` by a tensor of `type` holding `scalar` everywhere: a
/// constant when small, else linalg.fill of an empty tensor.
void replaceWithSplat(ConversionPatternRewriter &rewriter, Operation *op,
                      RankedTensorType type, TypedAttr scalar) {
  Type element = type.getElementType();
  int64_t bits = element.isIntOrFloat() ? element.getIntOrFloatBitWidth() : 0;
  if (bits == 0 || type.getNumElements() * std::max<int64_t>(bits / 8, 1) <=
                       kMaxSplatConstantBytes) {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, DenseElementsAttr::get(type, scalar));
    return;
  }
  Location loc = op->getLoc();
  Value value = arith::ConstantOp::create(rewriter, loc, scalar);
  Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                        type.getElementType());
  rewriter.replaceOp(
      op, linalg::FillOp::create(rewriter, loc, value, empty).getResult(0));
}

struct ConstantLowering : OpConversionPattern<graph::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Attribute value = op.getValueAttr();
    if (!value) {
      if (auto f = op.getValueFloatAttr())
        value = DenseElementsAttr::get(*type, f);
      else if (auto i = op.getValueIntAttr())
        value = DenseElementsAttr::get(*type, i);
      else if (auto fs = op.getValueFloatsAttr())
        value = DenseElementsAttr::get(*type, fs.getValue());
      else if (auto is = op.getValueIntsAttr())
        value = DenseElementsAttr::get(*type, is.getValue());
      else
        return unsupported(op, "only dense numeric constants");
    }
    if (auto dense = dyn_cast<DenseElementsAttr>(value);
        dense && dense.isSplat() && !isNarrowType(dense.getElementType()) &&
        dense.getElementType() == type->getElementType()) {
      replaceWithSplat(rewriter, op, *type,
                       cast<TypedAttr>(dense.getSplatValue<Attribute>()));
      return success();
    }
    if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
      if (isNarrowType(dense.getElementType()))
        dense = narrowToStorage(dense, type->clone(dense.getType().getShape()));
      else if (dense.getElementType() != type->getElementType())
        dense = dense.bitcast(type->getElementType());
      value = dense.reshape(*type);
    } else if (auto res = dyn_cast<DenseResourceElementsAttr>(value)) {
      value = DenseResourceElementsAttr::get(*type, res.getRawHandle());
    } else if (!isa<ElementsAttr>(value) ||
               cast<ElementsAttr>(value).getType() != *type) {
      return unsupported(op, "only dense numeric constants");
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, *type,
                                                   cast<TypedAttr>(value));
    return success();
  }
};

struct IdentityLowering : OpConversionPattern<graph::IdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::IdentityOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

/// Inference-mode Dropout: the output is the input, the mask all true.
struct DropoutLowering : OpConversionPattern<graph::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    if (!graph::isNone(op.getTrainingMode())) {
      std::optional<double> t =
          constScalar(op.getTrainingMode(), adaptor.getTrainingMode());
      if (!t || *t != 0)
        return unsupported(op, "training_mode must be a constant false");
    }
    Value mask;
    if (isa<NoneType>(op.getMask().getType())) {
      mask = noneValue(rewriter, loc);
    } else {
      FailureOr<RankedTensorType> mt =
          staticResultType(getTypeConverter(), op, 1);
      if (failed(mt))
        return failure();
      mask = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(*mt, rewriter.getBoolAttr(true)));
    }
    rewriter.replaceOp(op, {adaptor.getData(), mask});
    return success();
  }
};

/// Reshape, Flatten, Squeeze, Unsqueeze: the result type says it all.
template <typename OpTy>
struct ReshapeLikeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type =
        staticResultType(this->getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value input = adaptor.getOperands()[0];
    auto inType = dyn_cast<RankedTensorType>(input.getType());
    if (!inType || !inType.hasStaticShape() ||
        inType.getNumElements() != type->getNumElements())
      return unsupported(op, "input must be static with the result's size");
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), input, *type));
    return success();
  }
};

/// Expand: numpy broadcast of the input to the result shape.
struct ExpandLowering : OpConversionPattern<graph::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    rewriter.replaceOp(
        op, buildBroadcastElementwise(
                rewriter, op.getLoc(), *type, {adaptor.getInput()},
                [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<graph::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    SmallVector<int64_t> perm = intsAttr(op, "perm");
    int64_t rank = type->getRank();
    if (perm.empty())
      for (int64_t i = rank - 1; i >= 0; --i)
        perm.push_back(i);
    Value init = emptyTensor(rewriter, op.getLoc(), *type);
    auto t = linalg::TransposeOp::create(rewriter, op.getLoc(),
                                         adaptor.getData(), init, perm);
    rewriter.replaceOp(op, t.getResult()[0]);
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<graph::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    int64_t axis = op.getAxis();
    if (axis < 0)
      axis += type->getRank();
    SmallVector<Value> inputs;
    for (Value v : adaptor.getInputs())
      if (cast<RankedTensorType>(v.getType()).getDimSize(axis) != 0)
        inputs.push_back(v);
    if (inputs.size() == 1) {
      rewriter.replaceOp(op, inputs[0]);
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, *type, axis, inputs);
    return success();
  }
};

/// Reverses `v` along `axis` (for negative Slice steps).
Value reverseAxis(OpBuilder &b, Location loc, Value v, int64_t axis) {
  auto type = cast<RankedTensorType>(v.getType());
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < type.getRank(); ++i)
    exprs.push_back(i == axis
                        ? getAffineConstantExpr(type.getDimSize(i) - 1, ctx) -
                              getAffineDimExpr(i, ctx)
                        : getAffineDimExpr(i, ctx));
  AffineMap map = AffineMap::get(type.getRank(), 0, exprs, ctx);
  return buildGeneric(b, loc, type, {v}, {map},
                      [](OpBuilder &, Location, ValueRange a) { return a[0]; });
}

struct SliceLowering : OpConversionPattern<graph::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    auto inType = cast<RankedTensorType>(adaptor.getData().getType());
    int64_t rank = inType.getRank();
    // An empty slice may start at the end, which tensor.extract_slice
    // rejects: it is an empty tensor whatever the operands.
    if (type->getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, op.getLoc(), *type));
      return success();
    }
    auto starts = constInts(op.getStarts(), adaptor.getStarts());
    auto ends = constInts(op.getEnds(), adaptor.getEnds());
    if (!starts || !ends || starts->size() != ends->size())
      return unsupported(op, "starts and ends must be constants");
    SmallVector<int64_t> axes, steps(starts->size(), 1);
    if (!graph::isNone(op.getAxes())) {
      auto a = constInts(op.getAxes(), adaptor.getAxes());
      if (!a)
        return unsupported(op, "axes must be a constant");
      axes = *a;
    } else {
      for (int64_t i = 0, e = starts->size(); i < e; ++i)
        axes.push_back(i);
    }
    if (!graph::isNone(op.getSteps())) {
      auto s = constInts(op.getSteps(), adaptor.getSteps());
      if (!s)
        return unsupported(op, "steps must be a constant");
      steps = *s;
    }
    SmallVector<int64_t> offsets(rank, 0), sizes(inType.getShape()),
        strides(rank, 1);
    SmallVector<int64_t> reversed;
    for (auto [i, axisIn] : llvm::enumerate(axes)) {
      int64_t axis = axisIn < 0 ? axisIn + rank : axisIn;
      int64_t dim = inType.getDimSize(axis), step = steps[i];
      if (step == 0)
        return unsupported(op, "steps must not be zero");
      int64_t start = (*starts)[i], end = (*ends)[i];
      if (start < 0)
        start += dim;
      if (end < 0)
        end += dim;
      int64_t size;
      if (step > 0) {
        start = std::clamp<int64_t>(start, 0, dim);
        end = std::clamp<int64_t>(end, 0, dim);
        size = end > start ? (end - start + step - 1) / step : 0;
        offsets[axis] = start;
      } else {
        start = std::clamp<int64_t>(start, 0, dim - 1);
        end = std::clamp<int64_t>(end, -1, dim - 1);
        size = start > end ? (start - end - step - 1) / -step : 0;
        offsets[axis] = size ? start - (size - 1) * -step : 0;
        reversed.push_back(axis);
      }
      sizes[axis] = size;
      strides[axis] = std::abs(step);
    }
    if (ArrayRef<int64_t>(sizes) != type->getShape())
      return unsupported(op, "slice sizes disagree with the result type");
    Value r = tensor::ExtractSliceOp::create(
        rewriter, op.getLoc(), *type, adaptor.getData(), ValueRange{},
        ValueRange{}, ValueRange{}, offsets, sizes, strides);
    for (int64_t axis : reversed)
      if (sizes[axis] > 1)
        r = reverseAxis(rewriter, op.getLoc(), r, axis);
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct SplitLowering : OpConversionPattern<graph::SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t rank = inType.getRank(), axis = op.getAxis();
    if (axis < 0)
      axis += rank;
    SmallVector<Value> results;
    int64_t offset = 0;
    for (unsigned i = 0; i < op->getNumResults(); ++i) {
      FailureOr<RankedTensorType> type =
          staticResultType(getTypeConverter(), op, i);
      if (failed(type))
        return failure();
      SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
      offsets[axis] = offset;
      offset += type->getDimSize(axis);
      if (type->getNumElements() == 0) {
        results.push_back(emptyTensor(rewriter, op.getLoc(), *type));
        continue;
      }
      results.push_back(tensor::ExtractSliceOp::create(
          rewriter, op.getLoc(), *type, adaptor.getInput(), ValueRange{},
          ValueRange{}, ValueRange{}, offsets, type->getShape(), strides));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// Gather: one generic over the result; the data index along `axis` is
/// read from `indices` (negative indices count from the end).
struct GatherLowering : OpConversionPattern<graph::GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto idxType = cast<RankedTensorType>(indices.getType());
    int64_t rank = dataType.getRank(), q = idxType.getRank();
    // The attribute is signless: read it as signed (-1 is the last axis).
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return unsupported(op, "axis is out of range");
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> idxExprs;
    for (int64_t i = 0; i < q; ++i)
      idxExprs.push_back(getAffineDimExpr(axis + i, ctx));
    AffineMap idxMap = AffineMap::get(type->getRank(), 0, idxExprs, ctx);
    int64_t dim = dataType.getDimSize(axis);
    Value r = buildGeneric(
        rewriter, op.getLoc(), *type, {indices}, {idxMap},
        [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
          Value idx =
              arith::IndexCastOp::create(b, loc, b.getIndexType(), a[0]);
          Value zero = arith::ConstantIndexOp::create(b, loc, 0);
          Value neg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                            idx, zero);
          Value wrapped = arith::AddIOp::create(
              b, loc, idx, arith::ConstantIndexOp::create(b, loc, dim));
          idx = arith::SelectOp::create(b, loc, neg, wrapped, idx);
          SmallVector<Value> coords;
          for (int64_t i = 0; i < rank; ++i) {
            if (i < axis)
              coords.push_back(linalg::IndexOp::create(b, loc, i));
            else if (i == axis)
              coords.push_back(idx);
            else
              coords.push_back(linalg::IndexOp::create(b, loc, i - 1 + q));
          }
          return tensor::ExtractOp::create(b, loc, data, coords);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Tile: the result reads the input at `d mod size`.
struct TileLowering : OpConversionPattern<graph::TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < inType.getRank(); ++i) {
      int64_t in = inType.getDimSize(i), out = type->getDimSize(i);
      AffineExpr d = getAffineDimExpr(i, ctx);
      exprs.push_back(in == out ? d
                      : in == 1 ? getAffineConstantExpr(0, ctx)
                                : d % in);
    }
    AffineMap map = AffineMap::get(type->getRank(), 0, exprs, ctx);
    rewriter.replaceOp(
        op,
        buildGeneric(rewriter, op.getLoc(), *type, {adaptor.getInput()}, {map},
                     [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

/// Pad: constant mode is tensor.pad; edge, reflect and wrap read the input
/// at a clamped / mirrored / wrapped-around index.
struct PadLowering : OpConversionPattern<graph::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    auto inType = cast<RankedTensorType>(data.getType());
    int64_t rank = inType.getRank();
    auto given = constInts(op.getPads(), adaptor.getPads());
    if (!given)
      return unsupported(op, "pads must be a constant");
    std::optional<SmallVector<int64_t>> axes;
    if (!graph::isNone(op.getAxes()) &&
        !(axes = constInts(op.getAxes(), adaptor.getAxes())))
      return unsupported(op, "axes must be a constant");
    std::string error;
    FailureOr<SmallVector<int64_t>> pads = graph::padsForEveryAxis(
        *given, axes ? std::optional<ArrayRef<int64_t>>(*axes) : std::nullopt,
        rank, error);
    if (failed(pads))
      return unsupported(op, error);
    for (int64_t p : *pads)
      if (p < 0)
        return unsupported(op, "negative pads");
    ArrayRef<int64_t> low = ArrayRef<int64_t>(*pads).take_front(rank);
    ArrayRef<int64_t> high = ArrayRef<int64_t>(*pads).drop_front(rank);
    Type elem = type->getElementType();
    graph::PadMode mode = op.getMode();
    if (mode == graph::PadMode::Constant) {
      Value padValue;
      if (graph::isNone(op.getConstantValue())) {
        padValue = scalarConst(rewriter, loc, elem, 0);
      } else {
        Value cv = adaptor.getConstantValue();
        auto cvType = cast<RankedTensorType>(cv.getType());
        SmallVector<Value> zeros(
            cvType.getRank(), arith::ConstantIndexOp::create(rewriter, loc, 0));
        padValue = tensor::ExtractOp::create(rewriter, loc, cv, zeros);
      }
      SmallVector<OpFoldResult> lo, hi;
      for (int64_t i = 0; i < rank; ++i) {
        lo.push_back(rewriter.getIndexAttr(low[i]));
        hi.push_back(rewriter.getIndexAttr(high[i]));
      }
      rewriter.replaceOpWithNewOp<tensor::PadOp>(op, *type, data, lo, hi,
                                                 padValue);
      return success();
    }
    bool reflect = mode == graph::PadMode::Reflect;
    bool wrap = mode == graph::PadMode::Wrap;
    if (wrap && inType.getNumElements() == 0)
      return unsupported(op, "wrap padding of an empty input");
    for (int64_t i = 0; i < rank; ++i)
      if (reflect &&
          (low[i] >= inType.getDimSize(i) || high[i] >= inType.getDimSize(i)))
        return unsupported(op, "reflect pads must be smaller than the input");
    Value r = buildGeneric(
        rewriter, loc, *type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          SmallVector<Value> coords;
          for (int64_t i = 0; i < rank; ++i) {
            int64_t n = inType.getDimSize(i);
            Value j = arith::SubIOp::create(
                b, l, linalg::IndexOp::create(b, l, i),
                arith::ConstantIndexOp::create(b, l, low[i]));
            Value zero = arith::ConstantIndexOp::create(b, l, 0);
            Value last = arith::ConstantIndexOp::create(b, l, n - 1);
            if (wrap) {
              // j mod n, into [0, n): pads may exceed the input's size.
              Value size = arith::ConstantIndexOp::create(b, l, n);
              Value r = arith::RemSIOp::create(b, l, j, size);
              Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                                r, zero);
              j = arith::SelectOp::create(
                  b, l, neg, arith::AddIOp::create(b, l, r, size), r);
            } else if (reflect) {
              // j < 0 -> -j; j > n-1 -> 2(n-1) - j.
              Value negJ = arith::SubIOp::create(b, l, zero, j);
              j = arith::MaxSIOp::create(b, l, j, negJ);
              Value mirrored = arith::SubIOp::create(
                  b, l, arith::ConstantIndexOp::create(b, l, 2 * (n - 1)), j);
              j = arith::MinSIOp::create(b, l, j, mirrored);
            } else {
              j = arith::MaxSIOp::create(b, l, j, zero);
              j = arith::MinSIOp::create(b, l, j, last);
            }
            coords.push_back(j);
          }
          return tensor::ExtractOp::create(b, l, data, coords);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct ShapeLowering : OpConversionPattern<graph::ShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    auto inType = dyn_cast<RankedTensorType>(adaptor.getData().getType());
    if (!inType || !inType.hasStaticShape())
      return unsupported(op, "input must be static");
    int64_t rank = inType.getRank();
    int64_t start = intAttrOr(op, "start", 0), end = intAttrOr(op, "end", rank);
    if (start < 0)
      start += rank;
    if (end < 0)
      end += rank;
    start = std::clamp<int64_t>(start, 0, rank);
    end = std::clamp<int64_t>(end, start, rank);
    SmallVector<int64_t> dims(inType.getShape().slice(start, end - start));
    if (static_cast<int64_t>(dims.size()) != type->getNumElements())
      return unsupported(op, "shape disagrees with the result type");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, DenseIntElementsAttr::get(*type, dims));
    return success();
  }
};

struct SizeLowering : OpConversionPattern<graph::SizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    auto inType = dyn_cast<RankedTensorType>(adaptor.getData().getType());
    if (!inType || !inType.hasStaticShape())
      return unsupported(op, "input must be static");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, DenseIntElementsAttr::get(*type, {inType.getNumElements()}));
    return success();
  }
};

struct ConstantOfShapeLowering : OpConversionPattern<graph::ConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::ConstantOfShapeOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Type elem = type->getElementType();
    Attribute scalar;
    if (auto v = dyn_cast_or_null<DenseElementsAttr>(op.getValueAttr())) {
      if (v.getNumElements() != 1)
        return unsupported(op, "value must hold one element");
      if (isa<FloatType>(elem))
        scalar = FloatAttr::get(elem, *v.getValues<APFloat>().begin());
      else
        scalar = IntegerAttr::get(elem, *v.getValues<APInt>().begin());
    } else if (op.getValueAttr()) {
      return unsupported(op, "value must be a dense attribute");
    } else {
      scalar = isa<FloatType>(elem) ? Attribute(FloatAttr::get(elem, 0.0))
                                    : Attribute(IntegerAttr::get(elem, 0));
    }
    replaceWithSplat(rewriter, op, *type, cast<TypedAttr>(scalar));
    return success();
  }
};

/// Range: out[i] = start + i * delta (the length is static).
struct RangeLowering : OpConversionPattern<graph::RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<RankedTensorType> type = staticResultType(getTypeConverter(), op);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    auto scalarOf = [&](Value v) -> Value {
      auto t = cast<RankedTensorType>(v.getType());
      SmallVector<Value> zeros(
          t.getRank(), arith::ConstantIndexOp::create(rewriter, loc, 0));
      return tensor::ExtractOp::create(rewriter, loc, v, zeros);
    };
    Value start = scalarOf(adaptor.getStart());
    Value delta = scalarOf(adaptor.getDelta());
    Type elem = type->getElementType();
    Value r = buildGeneric(
        rewriter, loc, *type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          Value i = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, 0));
          Value x = convertScalar(b, l, i, b.getI64Type(), elem);
          if (isa<FloatType>(elem))
            return arith::AddFOp::create(b, l, start,
                                         arith::MulFOp::create(b, l, x, delta));
          return arith::AddIOp::create(b, l, start,
                                       arith::MulIOp::create(b, l, x, delta));
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

void populateDataMovementPatterns(TypeConverter &tc, RewritePatternSet &p) {
  MLIRContext *ctx = p.getContext();
  p.add<ConstantLowering, IdentityLowering, DropoutLowering,
        ReshapeLikeLowering<graph::ReshapeOp>,
        ReshapeLikeLowering<graph::FlattenOp>,
        ReshapeLikeLowering<graph::SqueezeOp>,
        ReshapeLikeLowering<graph::UnsqueezeOp>, ExpandLowering,
        TransposeLowering, ConcatLowering, SliceLowering, SplitLowering,
        GatherLowering, TileLowering, PadLowering, ShapeLowering, SizeLowering,
        ConstantOfShapeLowering, RangeLowering>(tc, ctx);
}

} // namespace hcc::g2l
