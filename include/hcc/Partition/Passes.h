//===- Passes.h - hcc placement and partitioning passes ---------*- C++ -*-===//

#ifndef HCC_PARTITION_PASSES_H
#define HCC_PARTITION_PASSES_H

#include "dialects/Exec/IR/ExecDialect.h"
#include "dialects/Graph/IR/GraphDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace hcc {
#define GEN_PASS_DECL
#include "hcc/Partition/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hcc/Partition/Passes.h.inc"

/// On a module: target name -> its configuration (the dictionaries of
/// `#exec.target`), set by hcc-compile from --targets variants and
/// --target-config so automatic placement costs the configured device
/// (the FPGA target's board).
constexpr llvm::StringLiteral kTargetConfigsAttrName = "exec.target_configs";
/// What `module`'s kTargetConfigsAttrName gives target `name`; null when
/// none.
inline mlir::DictionaryAttr configuredTarget(mlir::ModuleOp module,
                                             llvm::StringRef name) {
  auto all =
      module
          ? module->getAttrOfType<mlir::DictionaryAttr>(kTargetConfigsAttrName)
          : mlir::DictionaryAttr();
  return all ? all.getAs<mlir::DictionaryAttr>(name) : mlir::DictionaryAttr();
}
/// On a cluster's first op after automatic placement: its predicted time on
/// its target in microseconds (--dump-placement sums it per kernel).
constexpr llvm::StringLiteral kPredictedAttrName = "exec.predicted_us";
} // namespace hcc

#endif // HCC_PARTITION_PASSES_H
