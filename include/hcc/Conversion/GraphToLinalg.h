//===- GraphToLinalg.h - graph dialect to linalg on tensors -----*- C++ -*-===//
//
// Lowers graph ops to linalg/tensor/arith/math on tensors (see
// docs/GraphToLinalg.md for the op coverage table).
//
//===----------------------------------------------------------------------===//

#ifndef HCC_CONVERSION_GRAPHTOLINALG_H
#define HCC_CONVERSION_GRAPHTOLINALG_H

#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

#include <memory>

namespace hcc {

#define GEN_PASS_DECL_CONVERTGRAPHTOLINALG
#include "hcc/Conversion/Passes.h.inc"

/// Type converter of the lowering: drops tensor encodings (#graph.dims) and
/// makes unsigned integer element types signless.
class GraphToLinalgTypeConverter : public mlir::TypeConverter {
public:
  GraphToLinalgTypeConverter();
};

/// Adds the patterns that lower every supported graph op.
void populateGraphToLinalgPatterns(mlir::TypeConverter &typeConverter,
                                   mlir::RewritePatternSet &patterns);

/// True if `opName` (e.g. "graph.Conv") has a lowering.
bool isGraphOpSupportedByLinalgLowering(llvm::StringRef opName);

} // namespace hcc

#endif // HCC_CONVERSION_GRAPHTOLINALG_H
