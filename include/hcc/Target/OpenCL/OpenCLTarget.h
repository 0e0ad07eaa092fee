//===- OpenCLTarget.h - The OpenCL target plug-in ---------------*- C++ -*-===//
#ifndef HCC_TARGET_OPENCL_OPENCLTARGET_H
#define HCC_TARGET_OPENCL_OPENCLTARGET_H

#include "llvm/ADT/ArrayRef.h"

namespace hcc {
class TargetRegistry;
struct KnobSpec;

/// Adds the OpenCL target to `registry` (include/hcc/InitAllTargets.h).
void registerOpenCLTarget(TargetRegistry &registry);
/// Registers the OpenCL passes and `hcc-opencl-codegen-pipeline`.
void registerOpenCLTargetPasses();
/// The knobs of OpenCL kernels (work-items, register tile).
llvm::ArrayRef<KnobSpec> openclKnobSpecs();
} // namespace hcc

#endif // HCC_TARGET_OPENCL_OPENCLTARGET_H
