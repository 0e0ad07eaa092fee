//===- Passes.h - graph dialect passes --------------------------*- C++ -*-===//

#ifndef HCC_DIALECTS_GRAPH_TRANSFORMS_PASSES_H
#define HCC_DIALECTS_GRAPH_TRANSFORMS_PASSES_H

#include "dialects/Graph/IR/GraphDialect.h"
#include "mlir/Pass/Pass.h"

namespace hcc::graph {
#define GEN_PASS_DECL
#include "dialects/Graph/Transforms/Passes.h.inc"

/// Runs every op's shape function over `root`, in program order; used by the
/// pass and by the importer.
mlir::LogicalResult inferShapes(mlir::Operation *root,
                                bool foldConstants = true);

class ShapeInferenceOpInterface;
/// Refines the result types of one op with its shape function.
mlir::LogicalResult refineResultTypes(ShapeInferenceOpInterface op);

/// Folds `op` (results become graph.Constant ops created before it, or
/// operands it forwards) and fills `replacements` with one value per result;
/// false if it does not fold completely. The caller replaces and erases.
bool foldToValues(mlir::Operation *op,
                  llvm::SmallVectorImpl<mlir::Value> &replacements);

#define GEN_PASS_REGISTRATION
#include "dialects/Graph/Transforms/Passes.h.inc"
} // namespace hcc::graph

#endif // HCC_DIALECTS_GRAPH_TRANSFORMS_PASSES_H
