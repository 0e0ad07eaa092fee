//===- GraphFolds.cpp - folders and canonicalizations of graph ops --------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/IR/Matchers.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/APSInt.h"
#include <cstring>
#include <vector>

using namespace mlir;
using namespace hcc::graph;

OpFoldResult NoneOp::fold(FoldAdaptor) { return UnitAttr::get(getContext()); }

OpFoldResult ConstantOp::fold(FoldAdaptor) {
  if (auto value = getValueAttr())
    return value;
  return {};
}

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  std::optional<ShapeInfo> shape = getShapeInfo(getData());
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!shape || !shape->isStatic() || !type || !type.hasStaticShape())
    return {};
  auto [start, end] = shapeOpRange(shape->rank(), getStart(), getEnd());
  SmallVector<int64_t> dims;
  for (int64_t i = start; i < end; ++i)
    dims.push_back(shape->dims[i]);
  if (type.getNumElements() != static_cast<int64_t>(dims.size()))
    return {};
  return DenseElementsAttr::get(type, llvm::ArrayRef(dims));
}

OpFoldResult SizeOp::fold(FoldAdaptor) {
  std::optional<ShapeInfo> shape = getShapeInfo(getData());
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!shape || !type || !type.hasStaticShape())
    return {};
  std::optional<int64_t> n = shape->numElements();
  if (!n)
    return {};
  return DenseElementsAttr::get(type, llvm::ArrayRef(*n));
}

/// Converts one constant element for Cast (ONNX: float to int truncates
/// toward zero; integers sign- or zero-extend by their signedness).
static std::optional<Attribute> castElement(Attribute a, Type to) {
  Type from = cast<TypedAttr>(a).getType();
  bool fromSigned = isa<IntegerType>(from) &&
                    !cast<IntegerType>(from).isUnsigned() &&
                    from.getIntOrFloatBitWidth() > 1;
  if (auto f = dyn_cast<FloatAttr>(a)) {
    APFloat v = f.getValue();
    if (auto toFloat = dyn_cast<FloatType>(to)) {
      bool lost;
      v.convert(toFloat.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &lost);
      return FloatAttr::get(to, v);
    }
    if (to.isInteger(1))
      return IntegerAttr::get(to, v.isZero() ? 0 : 1);
    if (v.isNaN() || v.isInfinity())
      return std::nullopt;
    APSInt i(to.getIntOrFloatBitWidth(), cast<IntegerType>(to).isUnsigned());
    bool exact;
    if (v.convertToInteger(i, APFloat::rmTowardZero, &exact) &
        APFloat::opInvalidOp)
      return std::nullopt;
    return IntegerAttr::get(to, i);
  }
  APInt v = cast<IntegerAttr>(a).getValue();
  if (auto toFloat = dyn_cast<FloatType>(to)) {
    APFloat f(toFloat.getFloatSemantics());
    f.convertFromAPInt(v, fromSigned, APFloat::rmNearestTiesToEven);
    return FloatAttr::get(to, f);
  }
  if (to.isInteger(1))
    return IntegerAttr::get(to, v.isZero() ? 0 : 1);
  unsigned width = to.getIntOrFloatBitWidth();
  return IntegerAttr::get(to, fromSigned ? v.sextOrTrunc(width)
                                         : v.zextOrTrunc(width));
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto value = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!value || !type || !type.hasStaticShape())
    return {};
  Type to = type.getElementType();
  if (!isa<IntegerType, FloatType>(to) ||
      !isa<IntegerType, FloatType>(value.getElementType()))
    return {};
  type = RankedTensorType::get(type.getShape(), to);
  if (value.isSplat()) {
    auto e = castElement(value.getSplatValue<Attribute>(), to);
    return e ? DenseElementsAttr::get(type, *e) : Attribute();
  }
  if (value.getNumElements() > (1 << 16))
    return {};
  SmallVector<Attribute> out;
  for (Attribute a : value.getValues<Attribute>()) {
    auto e = castElement(a, to);
    if (!e)
      return {};
    out.push_back(*e);
  }
  return DenseElementsAttr::get(type, out);
}

namespace {
/// Reshape(Reshape|Flatten|Squeeze|Unsqueeze(x)) -> Reshape(x, static shape):
/// reshapes only reinterpret the row-major element order, so a chain of them
/// is one reshape to the final (static) shape.
struct CollapseReshapeChain : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getType());
    Operation *inner = op.getData().getDefiningOp();
    if (!type || !type.hasStaticShape() || !inner ||
        !isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(inner))
      return failure();
    auto shapeType =
        RankedTensorType::get({type.getRank()}, rewriter.getI64Type());
    auto shape = DenseElementsAttr::get(shapeType, type.getShape());
    OperationState state(op.getLoc(), ConstantOp::getOperationName());
    state.addTypes(shapeType);
    state.addAttribute("value", shape);
    Value shapeValue = rewriter.create(state)->getResult(0);
    // allowzero = 1: the shape holds the exact dims, 0 included.
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, type, inner->getOperand(0),
                                           shapeValue,
                                           rewriter.getI64IntegerAttr(1));
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *ctx) {
  patterns.add<CollapseReshapeChain>(ctx);
}

namespace {
/// Gemm(A, Bconst, transB = 1) -> Gemm(A, Bconst^T, transB = 0): the weight
/// of a classifier layer is transposed once at compile time instead of on
/// every run.
struct TransposeConstantGemmB : OpRewritePattern<GemmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GemmOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getTransB() != 1)
      return failure();
    auto cst = op.getB().getDefiningOp<ConstantOp>();
    auto value =
        cst ? dyn_cast_or_null<DenseElementsAttr>(cst.getValueAttr()) : nullptr;
    auto type = value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
    if (!type || type.getRank() != 2 || !type.hasStaticShape() ||
        !type.getElementType().isIntOrFloat() ||
        type.getElementType().getIntOrFloatBitWidth() % 8 != 0)
      return failure();
    int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
    auto transposedType =
        RankedTensorType::get({cols, rows}, type.getElementType());
    DenseElementsAttr transposed;
    if (value.isSplat()) {
      transposed = value.reshape(transposedType);
    } else {
      size_t width = type.getElementType().getIntOrFloatBitWidth() / 8;
      ArrayRef<char> raw = value.getRawData();
      std::vector<char> out(raw.size());
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
          std::memcpy(&out[(c * rows + r) * width],
                      &raw[(r * cols + c) * width], width);
      transposed = DenseElementsAttr::getFromRawBuffer(transposedType, out);
    }
    OperationState state(cst.getLoc(), ConstantOp::getOperationName());
    state.addTypes(transposedType);
    state.addAttribute("value", transposed);
    Value b = rewriter.create(state)->getResult(0);
    rewriter.modifyOpInPlace(op, [&] {
      op.getBMutable().assign(b);
      op.setTransB(0);
    });
    return success();
  }
};
} // namespace

void GemmOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                         MLIRContext *ctx) {
  patterns.add<TransposeConstantGemmB>(ctx);
}
