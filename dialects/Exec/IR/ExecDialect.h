//===- ExecDialect.h - hcc exec dialect -------------------------*- C++ -*-===//

#ifndef HCC_DIALECTS_EXEC_IR_EXECDIALECT_H
#define HCC_DIALECTS_EXEC_IR_EXECDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/Exec/IR/ExecDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Exec/IR/ExecAttrs.h.inc"

#define GET_OP_CLASSES
#include "dialects/Exec/IR/ExecOps.h.inc"

namespace hcc::exec {
/// Name of the attribute that carries a target: on a target module, and on
/// graph ops after placement.
inline constexpr llvm::StringLiteral kTargetAttrName = "exec.target";
/// Unit attribute marking a kernel function inside a target module.
inline constexpr llvm::StringLiteral kKernelAttrName = "exec.kernel";
/// Dictionary of knob values (name -> integer) on a kernel function: what
/// the target's code generator uses instead of its defaults. The tuner sets
/// it; the target checks every value against its declared ranges.
inline constexpr llvm::StringLiteral kKnobsAttrName = "exec.knobs";
/// Array of the configurations a tuning log measured for a kernel's
/// workload, fastest first, each `{config = {knob = value, ...}, seconds =
/// S}`: set instead of `exec.knobs` on kernels of a target that chooses
/// among them for all its kernels together (Target::
/// choosesAmongTunedConfigs: the FPGA target, whose kernels share a board).
inline constexpr llvm::StringLiteral kTunedOptionsAttrName =
    "exec.tuned_options";
/// Byte size of each buffer a kernel function takes, inputs then results
/// (-1: not fixed); a target records it in the code it emits so that the
/// runtime can check a bundle's manifest against its code.
inline constexpr llvm::StringLiteral kArgBytesAttrName = "exec.arg_bytes";

/// The target of a placed op or of a target module, or null.
inline TargetAttr getTarget(mlir::Operation *op) {
  return op->getAttrOfType<TargetAttr>(kTargetAttrName);
}
} // namespace hcc::exec

#endif // HCC_DIALECTS_EXEC_IR_EXECDIALECT_H
