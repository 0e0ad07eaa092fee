//===- Budgets.h - graph size budgets checked before import -----*- C++ -*-===//
//
// A model's node count and fan-in are checked against the import budgets
// before any IR is built, so a small file describing a huge graph is
// refused at once with a message naming the budget and its override.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_LIB_IMPORTER_ONNX_BUDGETS_H
#define HCC_LIB_IMPORTER_ONNX_BUDGETS_H

#include "hcc/Importer/ONNX/Importer.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "onnx/onnx_pb.h"

#include <deque>
#include <string>

namespace hcc::onnx_import {
/// `text` on one line and short: control characters escaped (\xHH), cut
/// after about `max` bytes (with the full length said).
std::string printable(llvm::StringRef text, size_t max);
/// A name as locations and messages carry it: printable, about 160 bytes.
std::string boundedName(const std::string &name);

/// Names, keys and strings of a model reach messages through many paths.
/// Installed for an import, this handler makes every string argument of a
/// diagnostic printable (one line, at most about 600 bytes) before the
/// caller's handler prints it.
class PrintableDiagnostics {
public:
  explicit PrintableDiagnostics(mlir::MLIRContext *context);

private:
  void makePrintable(mlir::Diagnostic &diag);
  std::deque<std::string> storage; // the replaced arguments' text
  mlir::ScopedDiagnosticHandler handler;
};

/// Counts the nodes of the main graph and every subgraph, and the inputs of
/// each node; emits one error at `loc` and fails when a budget is exceeded.
mlir::LogicalResult checkGraphBudgets(const onnx::ModelProto &model,
                                      const ImportOptions &options,
                                      mlir::Location loc);
} // namespace hcc::onnx_import

#endif // HCC_LIB_IMPORTER_ONNX_BUDGETS_H
