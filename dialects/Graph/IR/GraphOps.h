//===- GraphOps.h - hcc graph dialect operations ----------------*- C++ -*-===//

#ifndef HCC_DIALECTS_GRAPH_IR_GRAPHOPS_H
#define HCC_DIALECTS_GRAPH_IR_GRAPHOPS_H

#include "dialects/Graph/IR/GraphDialect.h"
#include "dialects/Graph/IR/GraphTraits.h"

#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <string>

namespace hcc::graph {
/// Shape function shared by the ops of a family (see GraphInterfaces.td).
mlir::LogicalResult
inferTypesFromFamily(mlir::Operation *op,
                     llvm::SmallVectorImpl<mlir::Type> &types);
/// Verifier of ShapeInferenceOpInterface: result types must agree with the
/// inferred ones.
mlir::LogicalResult verifyInferredTypes(mlir::Operation *op);
/// The name of the ONNX node an op was imported from (the first NameLoc in
/// its location), or "" when it has none: what users find in their model.
std::string getNodeName(mlir::Operation *op);
} // namespace hcc::graph

#include "dialects/Graph/IR/GraphInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/Graph/IR/GraphOps.h.inc"

#endif // HCC_DIALECTS_GRAPH_IR_GRAPHOPS_H
