//===- PlacementRules.h - User placement rules from a JSON file -*- C++ -*-===//
#ifndef HCC_LIB_PARTITION_PLACEMENTRULES_H
#define HCC_LIB_PARTITION_PLACEMENTRULES_H

#include "mlir/IR/Operation.h"

#include <string>
#include <vector>

namespace hcc {

/// One rule of a placement file: ops of ONNX type `opType`, or ops whose
/// node name matches `node` (a glob), go to `target`.
struct PlacementRule {
  std::string opType;
  std::string node; // a glob, checked when read
  std::string target;
  unsigned index = 0; // position in the file, for messages
  bool used = false;
};

/// Reads `path`: {"rules": [{"op"|"node": "...", "target": "..."}, ...]}.
/// Errors (unreadable file, bad JSON, unknown keys, unknown op types or
/// targets) are emitted on `loc` naming the file and the rule.
mlir::LogicalResult readPlacementRules(llvm::StringRef path,
                                       mlir::MLIRContext *ctx,
                                       mlir::Location loc,
                                       std::vector<PlacementRule> &rules);

/// The first rule that matches `op`, or null (marks it used).
PlacementRule *matchRule(std::vector<PlacementRule> &rules,
                         mlir::Operation *op);

} // namespace hcc

#endif // HCC_LIB_PARTITION_PLACEMENTRULES_H
