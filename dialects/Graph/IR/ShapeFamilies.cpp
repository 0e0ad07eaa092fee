//===- ShapeFamilies.cpp - shape functions shared by op families ----------===//
//
// The default ShapeInferenceOpInterface implementation: ops carrying a family
// trait (GraphTraits.h) get their result shapes here; other ops without a
// hand-written shape function keep the types the importer gave them.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"
#include "dialects/Graph/IR/ShapeHelpers.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace hcc::graph;

/// Element type of result `idx` if known, else `fallback`.
static Type resultElementOr(Operation *op, unsigned idx, Type fallback) {
  if (auto t = dyn_cast<TensorType>(op->getResult(idx).getType()))
    if (!isa<NoneType>(t.getElementType()))
      return t.getElementType();
  return fallback;
}

static LogicalResult inferSameShape(Operation *op, bool boolResult,
                                    SmallVectorImpl<Type> &types) {
  std::optional<ShapeInfo> shape = getShapeInfo(op->getOperand(0));
  Type elem = getElementType(op->getOperand(0));
  if (!elem)
    return success();
  Builder b(op->getContext());
  Type resultElem = boolResult ? b.getI1Type() : resultElementOr(op, 0, elem);
  if (!shape) {
    types[0] = UnrankedTensorType::get(resultElem);
    return success();
  }
  setInferred(types, 0, *shape, resultElem);
  // Dropout's mask has the data's shape.
  if (isa<DropoutOp>(op) && op->getNumResults() > 1 &&
      !isNone(op->getResult(1)))
    setInferred(types, 1, *shape, b.getI1Type());
  return success();
}

static LogicalResult inferBroadcast(Operation *op, bool boolResult,
                                    SmallVectorImpl<Type> &types) {
  SmallVector<ShapeInfo> shapes;
  Type elem;
  // Where's condition is boolean; its data operands give the element type.
  unsigned firstData = isa<WhereOp>(op) ? 1 : 0;
  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    std::optional<ShapeInfo> s = getShapeInfo(operand);
    if (!s)
      return success();
    shapes.push_back(*s);
    if (!elem && i >= firstData)
      elem = getElementType(operand);
  }
  if (shapes.empty() || !elem)
    return success();
  ShapeInfo result;
  if (failed(broadcastShapes(op, shapes, result)))
    return failure();
  Type resultElem = boolResult ? Builder(op->getContext()).getI1Type() : elem;
  setInferred(types, 0, result, resultElem);
  return success();
}

static LogicalResult inferReduction(Operation *op,
                                    SmallVectorImpl<Type> &types) {
  std::optional<ShapeInfo> shape = getShapeInfo(op->getOperand(0));
  if (!shape)
    return success();
  Type elem = getElementType(op->getOperand(0));
  bool isArg = isa<ArgMaxOp, ArgMinOp>(op);
  if (isArg)
    elem = Builder(op->getContext()).getI64Type();
  int64_t keepdims = 1;
  if (auto k = op->getAttrOfType<IntegerAttr>("keepdims"))
    keepdims = k.getInt();
  bool noopWithEmptyAxes = false;
  if (auto n = op->getAttrOfType<IntegerAttr>("noop_with_empty_axes"))
    noopWithEmptyAxes = n.getInt() != 0;

  SmallVector<int64_t> axes;
  if (isArg) {
    axes.push_back(op->getAttrOfType<IntegerAttr>("axis").getInt());
  } else if (auto attr = op->getAttrOfType<ArrayAttr>("axes")) {
    for (Attribute a : attr)
      axes.push_back(cast<IntegerAttr>(a).getInt());
  } else if (op->getNumOperands() > 1 && !isNone(op->getOperand(1))) {
    std::optional<SmallVector<int64_t>> values =
        getConstantInts(op->getOperand(1));
    if (!values) {
      // Axes known only at run time: the rank is known if dims are kept.
      if (!keepdims)
        return success();
      ShapeInfo result(
          SmallVector<int64_t>(shape->rank(), ShapedType::kDynamic));
      setInferred(types, 0, result, elem);
      return success();
    }
    axes = *values;
  }
  if (axes.empty() && noopWithEmptyAxes) {
    setInferred(types, 0, *shape, elem);
    return success();
  }

  // A scalar reduces to itself (normalizeAxis lets axis 0 or -1 through).
  if (shape->rank() == 0) {
    for (int64_t axis : axes)
      if (failed(normalizeAxis(op, axis, 0, "reduction axis")))
        return failure();
    setInferred(types, 0, *shape, elem);
    return success();
  }
  SmallVector<bool> reduced(shape->rank(), axes.empty());
  for (int64_t axis : axes) {
    if (failed(normalizeAxis(op, axis, shape->rank(), "reduction axis")))
      return failure();
    if (reduced[axis])
      return op->emitOpError() << "reduction axis " << axis << " is repeated";
    reduced[axis] = true;
  }
  ShapeInfo result;
  for (int64_t i = 0; i < shape->rank(); ++i) {
    if (!reduced[i])
      result.appendDim(*shape, i);
    else if (keepdims)
      result.appendDim(1);
  }
  setInferred(types, 0, result, elem);
  return success();
}

LogicalResult hcc::graph::inferTypesFromFamily(Operation *op,
                                               SmallVectorImpl<Type> &types) {
  if (op->hasTrait<OpTrait::SameShape>())
    return inferSameShape(op, /*boolResult=*/false, types);
  if (op->hasTrait<OpTrait::SameShapeBool>())
    return inferSameShape(op, /*boolResult=*/true, types);
  if (op->hasTrait<OpTrait::Broadcast>())
    return inferBroadcast(op, /*boolResult=*/false, types);
  if (op->hasTrait<OpTrait::BroadcastBool>())
    return inferBroadcast(op, /*boolResult=*/true, types);
  if (op->hasTrait<OpTrait::Reduction>())
    return inferReduction(op, types);
  return success();
}

LogicalResult hcc::graph::verifyInferredTypes(Operation *op) {
  auto iface = cast<ShapeInferenceOpInterface>(op);
  SmallVector<Type> types(op->getNumResults());
  if (failed(iface.inferResultTypes(types)))
    return failure();
  for (auto [i, inferred] : llvm::enumerate(types)) {
    if (!inferred)
      continue;
    Type current = op->getResult(i).getType();
    if (!mergeTypes(current, inferred))
      return op->emitOpError() << "result #" << i << " has type " << current
                               << " but its operands imply " << inferred;
  }
  return success();
}
