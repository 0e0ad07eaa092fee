//===- PlacementDump.h - the placed kernel DAG as JSON or DOT ---*- C++ -*-===//
#ifndef HCC_DRIVER_PLACEMENTDUMP_H
#define HCC_DRIVER_PLACEMENTDUMP_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace hcc {
/// Writes the placement of `host` (after hcc-placement-pipeline) to `path`:
/// `.json` lists every node with its kernel and target, every kernel and
/// every transfer with its bytes; `.dot` draws kernels coloured by target and
/// transfers as labelled edges. Written atomically; errors name the file.
mlir::LogicalResult writePlacementDump(mlir::ModuleOp module,
                                       mlir::func::FuncOp host,
                                       const std::string &path);
} // namespace hcc

#endif // HCC_DRIVER_PLACEMENTDUMP_H
