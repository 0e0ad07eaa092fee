//===- OpenCLUtils.h - names shared by the OpenCL target's passes -*- C++ -*-=//

#ifndef HCC_LIB_TARGET_OPENCL_OPENCLUTILS_H
#define HCC_LIB_TARGET_OPENCL_OPENCLUTILS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringRef.h"

namespace hcc::opencl {
/// Memory space (a string attribute) of private arrays (register tiles).
inline constexpr llvm::StringLiteral kPrivateSpace = "private";
/// Memory space of `__constant` program-scope arrays (memref.global).
inline constexpr llvm::StringLiteral kConstantSpace = "constant";
/// Unit attribute of the functions that become `__kernel` entry points.
inline constexpr llvm::StringLiteral kStageAttr = "hcc.opencl.stage";
/// Module attribute: kernel name -> {num_args, scratch, stages}.
inline constexpr llvm::StringLiteral kKernelsAttr = "hcc.opencl.kernels";
/// Discardable attribute of an `scf.execute_region` already mapped to GPU
/// blocks and threads: {grid = G, block = B}; hcc-ocl-split-stages makes
/// it a stage of G blocks of B threads.
inline constexpr llvm::StringLiteral kGPULaunchAttr = "hcc.gpu.launch";
/// Unit attribute of a `memref.store` that stages one element of a global
/// buffer (its value an scf.if: the load when in bounds, else zero) into a
/// workgroup tile of a double-buffered k loop (emitStagedKLoop); a target
/// may turn it into an asynchronous copy.
inline constexpr llvm::StringLiteral kGPUStagedAttr = "hcc.gpu.staged";
/// Unit attribute of the `gpu.barrier` of a double-buffered k loop after
/// which the tiles of the current k step must be complete: the stage of
/// the first step is issued before the loop, the stage of step i + 1
/// inside step i before this barrier.
inline constexpr llvm::StringLiteral kGPUStageReadyAttr = "hcc.gpu.stage_ready";

/// Calls `f(kernel, stage)` for every stage dictionary of a kernel table
/// (kKernelsAttr), skipping what is not one (a malformed table is reported
/// by the section writers).
template <typename F> void forEachStage(mlir::DictionaryAttr kernels, F &&f) {
  if (!kernels)
    return;
  for (mlir::NamedAttribute kernel : kernels) {
    auto meta = llvm::dyn_cast<mlir::DictionaryAttr>(kernel.getValue());
    auto stages = meta ? meta.getAs<mlir::ArrayAttr>("stages") : nullptr;
    for (mlir::Attribute a :
         stages ? stages.getValue() : llvm::ArrayRef<mlir::Attribute>())
      if (auto stage = llvm::dyn_cast<mlir::DictionaryAttr>(a))
        f(kernel.getName().getValue(), stage);
  }
}
} // namespace hcc::opencl

#endif // HCC_LIB_TARGET_OPENCL_OPENCLUTILS_H
