//===- GraphFolds.cpp - folders and canonicalizations of graph ops --------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

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

void IdentityOp::getCanonicalizationPatterns(RewritePatternSet &,
                                             MLIRContext *) {}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  std::optional<ShapeInfo> shape = getShapeInfo(getData());
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!shape || !shape->isStatic() || !type || !type.hasStaticShape())
    return {};
  int64_t rank = shape->rank();
  int64_t start = getStart(), end = getEnd() ? *getEnd() : rank;
  if (start < 0)
    start += rank;
  if (end < 0)
    end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, 0, rank);
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

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto value = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!value || !type || !value.isSplat())
    return {};
  Type from = value.getElementType(), to = type.getElementType();
  if (isa<FloatType>(from) && isa<FloatType>(to)) {
    APFloat f = value.getSplatValue<APFloat>();
    bool lost;
    f.convert(cast<FloatType>(to).getFloatSemantics(),
              APFloat::rmNearestTiesToEven, &lost);
    return DenseElementsAttr::get(type, f);
  }
  if (isa<IntegerType>(from) && isa<IntegerType>(to) &&
      to.getIntOrFloatBitWidth() > 1) {
    APInt i = value.getSplatValue<APInt>();
    bool isSigned = !cast<IntegerType>(from).isUnsigned() &&
                    from.getIntOrFloatBitWidth() > 1;
    return DenseElementsAttr::get(
        type, isSigned ? i.sextOrTrunc(to.getIntOrFloatBitWidth())
                       : i.zextOrTrunc(to.getIntOrFloatBitWidth()));
  }
  return {};
}

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &,
                                            MLIRContext *) {}
