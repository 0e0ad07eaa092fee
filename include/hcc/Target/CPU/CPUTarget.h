//===- CPUTarget.h - hcc's CPU code generator -------------------*- C++ -*-===//
//
// The CPU target lowers a target module (`module @cpu`) of graph-dialect
// kernels to LLVM and native code: convert-graph-to-linalg, elementwise
// fusion, one-shot bufferization, lowering to the LLVM dialect, the kernel
// ABI wrappers, then LLVM in-process for the host CPU, linked into one
// shared object.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_TARGET_CPU_CPUTARGET_H
#define HCC_TARGET_CPU_CPUTARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Triple.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hcc {
class TargetRegistry;
struct SearchSpace;
namespace cost {
struct KernelFeatures;
}
struct KnobSpec;

/// Adds the CPU target to `registry` (include/hcc/InitAllTargets.h).
void registerCPUTarget(TargetRegistry &registry);
/// The f32 SIMD unit whose registers CPU kernels' register tiles fill.
struct CPUVectorUnit {
  /// "avx512", "avx2", "sse" or "neon".
  llvm::StringRef name;
  /// f32 lanes of a vector register.
  int64_t lanes;
  /// Architectural vector registers.
  int64_t registers;
};
/// The unit named `name`, or null.
const CPUVectorUnit *findCPUVectorUnit(llvm::StringRef name);
/// The unit of a processor with `features` (as llvm::sys::
/// getHostCPUFeatures gives them) and architecture `arch`.
const CPUVectorUnit &cpuVectorUnitFor(const llvm::StringMap<bool> &features,
                                      llvm::Triple::ArchType arch);
/// This host's unit, or the one the environment variable HCC_CPU_VECTORS
/// names (avx512, avx2, sse, neon: kernels shaped for another processor,
/// still compiled for this one; an unknown name warns and is ignored).
const CPUVectorUnit &hostCPUVectorUnit();

/// The knobs of CPU kernels (hcc-cpu-tile-and-vectorize's tile sizes), with
/// the defaults for `unit`'s registers.
std::vector<KnobSpec> cpuKnobSpecsFor(const CPUVectorUnit &unit);
/// cpuKnobSpecsFor(hostCPUVectorUnit()).
llvm::ArrayRef<KnobSpec> cpuKnobSpecs();
/// What hcc-tune searches for a CPU kernel with features `kernel` on a
/// processor with `unit` (lib/Target/CPU/SearchSpace.cpp).
SearchSpace cpuSearchSpaceFor(const cost::KernelFeatures &kernel,
                              const CPUVectorUnit &unit);

#define GEN_PASS_DECL
#include "hcc/Target/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hcc/Target/CPU/Passes.h.inc"

struct CPUCodegenOptions {
  /// LLVM optimization level (0-3) of the generated code.
  unsigned optLevel = 3;
  /// Fuse elementwise linalg ops into their producers/consumers.
  bool fuseElementwise = true;
  /// Run the distributed tiles of each kernel on the runtime's threads
  /// (false: each distributed loop is one block on the kernel's thread).
  bool parallel = true;
};

/// Graph-dialect kernels of a CPU target module -> LLVM dialect with the
/// runtime's kernel ABI. Runs on the target module itself.
/// Registered as `hcc-cpu-codegen-pipeline`.
void buildCPUCodegenPipeline(mlir::OpPassManager &pm,
                             const CPUCodegenOptions &options);
/// Registers `hcc-cpu-codegen-pipeline` (runs on each nested module).
void registerCPUCodegenPipeline();

/// Translates an LLVM-dialect target module to LLVM IR, optimizes it for
/// the host CPU (its features, e.g. AVX-512, included), emits an object and
/// links it into a shared object with the system C compiler driver. On
/// failure emits an error on `module` and returns failure.
mlir::LogicalResult emitCPUSharedObject(mlir::ModuleOp module,
                                        const CPUCodegenOptions &options,
                                        std::vector<uint8_t> &sharedObject);
} // namespace hcc

#endif // HCC_TARGET_CPU_CPUTARGET_H
