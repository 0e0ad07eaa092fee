//===- KernelSpaces.h - Kernels' search spaces for a tuning log -*- C++ -*-===//
//
// hcc-compile --tuning-log applies configurations from a file the user
// names: one that its target's search space for the kernel excludes (a
// hand-edited or foreign log) could make codegen reject the kernel, or take
// minutes to compile it. Such records are dropped with a warning naming
// their line, before anything is applied.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_DRIVER_KERNELSPACES_H
#define HCC_DRIVER_KERNELSPACES_H

#include "hcc/Target/Target.h"
#include "hcc/Tuning/TuningLog.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"

#include <map>
#include <string>
#include <vector>

namespace hcc {

/// The graph ops of a kernel function, in order (not its constants).
llvm::SmallVector<mlir::Operation *> kernelGraphOps(mlir::func::FuncOp kernel);

/// Why `config` is not a point of `space` ("" when it is): a knob the space
/// does not tune, a value not among its knob's, or a broken constraint. The
/// defaults (`specs`' values for every knob of the space) are a point.
std::string outsideSearchSpace(const SearchSpace &space,
                               llvm::ArrayRef<KnobSpec> specs,
                               const std::map<std::string, int64_t> &config);

/// `records` without those of `module`'s workloads whose configuration is
/// outside the workload's search space; each dropped record adds a warning
/// naming its line.
std::vector<tuning::TuningRecord>
recordsInSearchSpaces(mlir::ModuleOp module,
                      const std::vector<tuning::TuningRecord> &records,
                      std::vector<std::string> &warnings);

} // namespace hcc

#endif // HCC_DRIVER_KERNELSPACES_H
