//===- GraphDialect.cpp - hcc graph dialect ---------------------*- C++ -*-===//

#include "dialects/Graph/IR/GraphDialect.h"
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace hcc::graph;

#include "dialects/Graph/IR/GraphDialect.cpp.inc"
#include "dialects/Graph/IR/GraphEnums.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "dialects/Graph/IR/GraphTypes.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Graph/IR/GraphAttrs.cpp.inc"

std::string hcc::graph::getNodeName(Operation *op) {
  std::string name;
  op->getLoc()->walk([&](Location loc) {
    if (auto n = dyn_cast<NameLoc>(loc); n && name.empty())
      name = n.getName().str();
    return WalkResult::advance();
  });
  return name;
}

void GraphDialect::initialize() {
  registerTypes();
  registerAttributes();
  registerGraphDialectOperations(this);
}

void GraphDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialects/Graph/IR/GraphTypes.cpp.inc"
      >();
}

void GraphDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/Graph/IR/GraphAttrs.cpp.inc"
      >();
}

Operation *GraphDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  if (isa<NoneType>(type))
    return NoneOp::create(builder, loc, builder.getNoneType());
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  OperationState state(loc, ConstantOp::getOperationName());
  state.addTypes(type);
  state.addAttribute(ConstantOp::getValueAttrName(state.name), elements);
  return builder.create(state);
}

LogicalResult
DimSymbolsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       ArrayAttr names) {
  for (Attribute name : names)
    if (!isa<StringAttr>(name))
      return emitError() << "#graph.dims expects strings, got " << name;
  return success();
}
