//===- BundleEmitter.h - placed module -> .hccb manifest + weights -*- C++ -*-//
//
// Reads the kernel DAG off a placed host function (exec.launch ops, weights
// as graph.Constant, inputs and results) and writes the bundle the runtime
// loads (docs/Bundle.md) with the code each target produced.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_BUNDLE_BUNDLEEMITTER_H
#define HCC_BUNDLE_BUNDLEEMITTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hcc {
struct BundleContents {
  std::string modelName;
  /// Values given to symbolic dimensions at compile time.
  std::map<std::string, int64_t> symbolicDims;
  /// Code per target name (the bundle's code section of that name).
  std::map<std::string, std::vector<uint8_t>> code;
  /// Runtime device kind per target name (Target::deviceKind()).
  std::map<std::string, std::string> deviceKinds;
  /// The host target: where inputs, outputs and weights live (device 0).
  std::string hostTarget;
};

/// Checks that every value of the placed host function is a tensor the
/// runtime can hold (static shape, numeric element type); emits an error on
/// the first op that is not. Run before codegen to fail early.
mlir::LogicalResult checkBundleTypes(mlir::func::FuncOp host);

/// Writes `host`'s kernel DAG with `contents` to `path` atomically. Errors
/// (a tensor type the runtime cannot hold, a write failure) are emitted on
/// the offending op; nothing is left at `path` on failure.
mlir::LogicalResult writeBundle(mlir::func::FuncOp host,
                                const BundleContents &contents,
                                const std::string &path);
} // namespace hcc

#endif // HCC_BUNDLE_BUNDLEEMITTER_H
