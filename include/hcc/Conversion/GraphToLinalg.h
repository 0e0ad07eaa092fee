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

/// Adds the patterns that lower every supported graph op; with
/// `int8DotProducts`, quantized 2-D convolutions become 4-deep uint8 x int8
/// dot products (see ConvertGraphToLinalg's int8-dot-products).
void populateGraphToLinalgPatterns(mlir::TypeConverter &typeConverter,
                                   mlir::RewritePatternSet &patterns,
                                   bool int8DotProducts = true);

/// True if `opName` (e.g. "graph.Conv") has a lowering.
bool isGraphOpSupportedByLinalgLowering(llvm::StringRef opName);

} // namespace hcc

#endif // HCC_CONVERSION_GRAPHTOLINALG_H
