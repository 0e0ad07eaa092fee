//===- Importer.h - ONNX model to graph dialect -----------------*- C++ -*-===//
//
// Reads an ONNX model (binary protobuf or ONNX textual syntax), validates it
// completely, and builds a module holding one func.func of graph ops. Every
// problem with the input is reported as one error naming the file or the
// node (name and op type); nothing is assumed about the input's sanity.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_IMPORTER_ONNX_IMPORTER_H
#define HCC_IMPORTER_ONNX_IMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace hcc::onnx_import {

struct ImportOptions {
  /// Name of the imported function.
  std::string funcName = "main_graph";
  /// Refine result types with the graph dialect's shape functions.
  bool inferShapes = true;
  /// Evaluate nodes whose inputs are all constants (shape arithmetic, Cast of
  /// constants, ...) while importing, so later shape functions see values.
  bool foldConstants = true;
  /// Deepest If/Loop/Scan nesting accepted.
  unsigned maxSubgraphDepth = 32;
  /// Budgets on graph size, checked before any IR is built: nodes in the
  /// model (subgraphs included) and inputs of one node. Every phase of the
  /// compiler is near-linear in these, but a 100,000-input Concat or a
  /// million nodes would still take minutes; the tools raise them on request.
  uint64_t maxNodes = 250000;
  uint64_t maxNodeInputs = 16384;
  /// How the tool spells its budget options in messages ("--max-nodes").
  std::string optionPrefix = "--";
  /// Largest single tensor (bytes) and total constant bytes accepted.
  uint64_t maxTensorBytes = uint64_t(4) << 30;
  uint64_t maxTotalConstantBytes = uint64_t(16) << 30;
  /// Largest model file accepted (protobuf cannot exceed 2 GiB).
  uint64_t maxModelBytes = (uint64_t(2) << 30) - 1;
  /// Directory external data paths are resolved beneath; empty: the model's.
  std::string externalDataDir;
};

/// Imports the model in `bytes`, read from `path` (used for diagnostics and
/// as the default base of external data). Binary protobuf unless the bytes
/// look like ONNX textual syntax (or the path ends in .onnxtxt).
mlir::OwningOpRef<mlir::ModuleOp> importModel(llvm::StringRef bytes,
                                              llvm::StringRef path,
                                              mlir::MLIRContext *context,
                                              const ImportOptions &options);

/// Reads `path` and imports it.
mlir::OwningOpRef<mlir::ModuleOp> importModelFile(llvm::StringRef path,
                                                  mlir::MLIRContext *context,
                                                  const ImportOptions &options);

/// Registers the dialects the importer produces.
void registerImporterDialects(mlir::DialectRegistry &registry);

/// Oldest and newest default-domain opsets accepted.
constexpr int64_t kMinOpset = 7;
int64_t maxOpset();

} // namespace hcc::onnx_import

#endif // HCC_IMPORTER_ONNX_IMPORTER_H
