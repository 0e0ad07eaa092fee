//===- GraphDialect.h - hcc graph dialect -----------------------*- C++ -*-===//

#ifndef HCC_DIALECTS_GRAPH_IR_GRAPHDIALECT_H
#define HCC_DIALECTS_GRAPH_IR_GRAPHDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "dialects/Graph/IR/GraphDialect.h.inc"
#include "dialects/Graph/IR/GraphEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "dialects/Graph/IR/GraphTypes.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Graph/IR/GraphAttrs.h.inc"

#endif // HCC_DIALECTS_GRAPH_IR_GRAPHDIALECT_H
