//===- OpenCLTarget.h - The OpenCL target plug-in ---------------*- C++ -*-===//
#ifndef HCC_TARGET_OPENCL_OPENCLTARGET_H
#define HCC_TARGET_OPENCL_OPENCLTARGET_H

#include "llvm/ADT/ArrayRef.h"

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace hcc {
class TargetRegistry;
struct KnobSpec;
struct SearchSpace;
namespace cost {
struct KernelFeatures;
}

/// Adds the OpenCL target to `registry` (include/hcc/InitAllTargets.h).
void registerOpenCLTarget(TargetRegistry &registry);
/// Registers the OpenCL passes and `hcc-opencl-codegen-pipeline`.
void registerOpenCLTargetPasses();
/// Dialects of the OpenCL target's modules (EmitC: the OpenCL C stage
/// functions), so hcc-opt reads what its pipelines print.
void registerOpenCLDialects(mlir::DialectRegistry &registry);
/// The knobs of OpenCL kernels (work-items, register tile).
llvm::ArrayRef<KnobSpec> openclKnobSpecs();
/// What hcc-tune searches for an OpenCL kernel with features `kernel`
/// (lib/Target/OpenCL/SearchSpace.cpp).
SearchSpace openclSearchSpaceFor(const cost::KernelFeatures &kernel);
} // namespace hcc

#endif // HCC_TARGET_OPENCL_OPENCLTARGET_H
