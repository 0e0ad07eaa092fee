//===- OpenCLTarget.h - The OpenCL target plug-in ---------------*- C++ -*-===//
#ifndef HCC_TARGET_OPENCL_OPENCLTARGET_H
#define HCC_TARGET_OPENCL_OPENCLTARGET_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/ArrayRef.h"

#include <string>
#include <vector>

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

/// The knobs of the GPU shape's shared-memory contraction tiles (the
/// OpenCL target with gpu-shape, and the CUDA target; part of
/// openclKnobSpecs()): block-m x block-n outputs per block (work-group),
/// block-k deep staged slices, thread-m x thread-n outputs per thread. 0
/// (the default): chosen from the shape (64, 64, 16, 4, 4, narrowed to
/// small problems). Other values are powers of two; kGPUMaxThreads
/// threads and kGPUMaxSharedBytes of double-buffered slices at most
/// (OpenCLCodegen.h).
llvm::ArrayRef<KnobSpec> gpuTileKnobSpecs();
/// `specs` followed by gpuTileKnobSpecs().
std::vector<KnobSpec> withGPUTileKnobs(std::vector<KnobSpec> specs);
/// What is wrong with these gpuTileKnobSpecs() values (block-m, block-n,
/// block-k, thread-m, thread-n; 0: chosen from the shape) whatever shape
/// they meet, with f32 operands: "" when nothing.
std::string gpuTileKnobsProblem(llvm::ArrayRef<int64_t> values);
/// Checks the gpuTileKnobSpecs() keys of a target's configuration as a
/// whole (Target::verifyConfig of the OpenCL and CUDA targets); errors on
/// `loc` start with `what`.
llvm::LogicalResult verifyGPUTileKnobConfig(mlir::DictionaryAttr config,
                                            llvm::StringRef what,
                                            mlir::Location loc);
/// What hcc-tune searches for an OpenCL kernel with features `kernel`
/// (lib/Target/OpenCL/SearchSpace.cpp).
SearchSpace openclSearchSpaceFor(const cost::KernelFeatures &kernel);
/// What hcc-tune searches for a kernel in the GPU shape (the CUDA target's,
/// the OpenCL target's with gpu-shape; lib/Target/OpenCL/GPUTileSpace.cpp):
/// the gpuTileKnobSpecs() of fp32 contractions; empty for other kernels.
SearchSpace gpuTileSearchSpaceFor(const cost::KernelFeatures &kernel);
} // namespace hcc

#endif // HCC_TARGET_OPENCL_OPENCLTARGET_H
