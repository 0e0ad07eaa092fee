//===- Workload.h - What a tuning record is about ---------------*- C++ -*-===//
//
// A workload is a kernel up to its weights and its name: its target, its
// ops with their attributes, operand and result types, and the values of
// small constants (shapes, axes). Kernels of one model (the four 3x3
// convolutions of a resnet stage) and of different models that share a
// workload share their tuning: a configuration measured for one applies to
// all. The key is readable in its first parts (target, main op, result
// type) and exact in its last (a hash of the canonical kernel text).
//
//===----------------------------------------------------------------------===//

#ifndef HCC_TUNING_WORKLOAD_H
#define HCC_TUNING_WORKLOAD_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace hcc {
namespace tuning {

struct Workload {
  /// "cpu:graph.conv:1x64x56x56xf32:9f0c2d41e5a7b368"; the target part
  /// carries the class of code the target's configuration gives its kernels
  /// (Target::workloadClass) when there is one: "opencl/gpu:...".
  std::string key;
  /// The target module's target (its registered name).
  std::string target;
  /// The kernel's first op that is not a constant ("graph.conv").
  std::string kind;
};

/// The target part of the workload keys of `target`'s kernels under its
/// configuration `config` (null: the defaults): the target's name, and its
/// workload class when it has one ("opencl/gpu").
std::string workloadScope(llvm::StringRef target, mlir::DictionaryAttr config);

/// The workload of `kernel`, a function of a target module (after
/// placement, before codegen); `target` is that module's target and
/// `scope` its workloadScope (computed once per target module: a class may
/// cost a file read, the FPGA target's board).
Workload workloadOf(mlir::func::FuncOp kernel, llvm::StringRef target,
                    llvm::StringRef scope);

/// A kernel of a placed module and its workload.
struct KernelWorkload {
  mlir::func::FuncOp kernel;
  Workload workload;
};

/// Every kernel (`exec.kernel` function) of `module`'s target modules, in
/// order, with its workload.
std::vector<KernelWorkload> collectKernelWorkloads(mlir::ModuleOp module);

} // namespace tuning
} // namespace hcc

#endif // HCC_TUNING_WORKLOAD_H
