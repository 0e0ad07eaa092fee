//===- InitAllTargets.h - register every target plug-in ---------*- C++ -*-===//
//
// The one place that lists hcc's targets: a new target adds its
// registration call here (and its named pipelines and passes), nothing else
// target-neutral changes. See docs/AddingATarget.md.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_INITALLTARGETS_H
#define HCC_INITALLTARGETS_H

#include "hcc/Target/CPU/CPUTarget.h"
#include "hcc/Target/CUDA/CUDATarget.h"
#include "hcc/Target/FPGA/FPGATarget.h"
#include "hcc/Target/OpenCL/OpenCLTarget.h"
#include "hcc/Target/Target.h"

namespace hcc {
/// Adds every target to the global registry (the first is the host).
inline void registerAllTargets() {
  TargetRegistry &registry = TargetRegistry::global();
  registerCPUTarget(registry);
  registerOpenCLTarget(registry);
  registerCUDATarget(registry);
  registerFPGATarget(registry);
}

/// Dialects, interfaces and translations the targets' pipelines need
/// beyond registerAllDialects().
inline void registerAllTargetDialects(mlir::DialectRegistry &registry) {
  registerOpenCLDialects(registry);
  registerCUDADialects(registry);
}

/// Registers every target's passes and named codegen pipelines.
inline void registerAllTargetPasses() {
  registerHccCPUPasses();
  registerCPUCodegenPipeline();
  registerOpenCLTargetPasses();
  registerCUDATargetPasses();
  registerFPGATargetPasses();
}
} // namespace hcc

#endif // HCC_INITALLTARGETS_H
