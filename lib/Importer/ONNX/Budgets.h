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

#include "mlir/IR/Location.h"
#include "onnx/onnx_pb.h"

#include <string>

namespace hcc::onnx_import {
/// A node name as locations and messages carry it: at most 200 bytes (a
/// longer one is cut, with its length), so no message echoes a megabyte.
std::string boundedName(const std::string &name);

/// Counts the nodes of the main graph and every subgraph, and the inputs of
/// each node; emits one error at `loc` and fails when a budget is exceeded.
mlir::LogicalResult checkGraphBudgets(const onnx::ModelProto &model,
                                      const ImportOptions &options,
                                      mlir::Location loc);
} // namespace hcc::onnx_import

#endif // HCC_LIB_IMPORTER_ONNX_BUDGETS_H
