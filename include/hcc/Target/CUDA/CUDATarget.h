//===- CUDATarget.h - The CUDA target plug-in -------------------*- C++ -*-===//
//
// Kernels for NVIDIA GPUs: the GPU-shaped stage functions the OpenCL
// target's front half produces (`buildStageFunctionPipeline` with
// `gpuShape`), outlined into a gpu.module, lowered through NVVM to PTX by
// LLVM's NVPTX backend (upstream `gpu-module-to-binary`), plus cubins for
// sm_80 and sm_90 from `ptxas` when the CUDA toolkit is present at compile
// time. The bundle section is JSON ("hcc-cuda/1", see emitCUDASection).
//
//===----------------------------------------------------------------------===//

#ifndef HCC_TARGET_CUDA_CUDATARGET_H
#define HCC_TARGET_CUDA_CUDATARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include <string>
#include <vector>

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace hcc {
class TargetRegistry;
struct SearchSpace;
namespace cost {
struct KernelFeatures;
} // namespace cost

#define GEN_PASS_DECL
#include "hcc/Target/CUDA/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hcc/Target/CUDA/Passes.h.inc"

void registerCUDATarget(TargetRegistry &registry);
/// Passes and the `hcc-cuda-codegen-pipeline`.
void registerCUDATargetPasses();
/// The dialects, interfaces and LLVM IR translations the NVVM lowering
/// and serialization need (for tools that run the CUDA pipeline).
void registerCUDADialects(mlir::DialectRegistry &registry);

struct CUDACodegenOptions {
  /// Threads of a block (1-1024).
  int64_t blockSize = 256;
  /// Operand precision of contractions: fp32 (exact, CUDA cores), tf32,
  /// fp16 or bf16 (tensor cores, f32 accumulation).
  std::string precision = "fp32";
  /// Architecture of the PTX (sm_XX); cubins are built for `cubinArchs`.
  std::string ptxArch = "sm_80";
  std::vector<std::string> cubinArchs = {"sm_80", "sm_90"};
  /// Where the CUDA toolkit is (libdevice, ptxas); empty: $HCC_CUDA_PATH,
  /// $CUDA_PATH, /usr/local/cuda.
  std::string toolkitPath;
};

/// Graph-dialect kernels of a CUDA target module -> a gpu.binary holding
/// PTX, and the kernel table attribute.
void buildCUDACodegenPipeline(mlir::OpPassManager &pm,
                              const CUDACodegenOptions &options);

/// The CUDA toolkit directory in use ("" when none is found).
std::string cudaToolkitPath(const std::string &preferred = "");

/// After the pipeline: the bundle section, JSON:
///   { "format": "hcc-cuda/1", "ptx": "<PTX text>", "ptx_arch": "sm_80",
///     "cubins": { "sm_80": "<base64>", ... },
///     "resources": { "<entry>": { "sm_80": {"registers": R,
///                    "spill_bytes": S}, ... } },
///     "kernels": <the OpenCL section's kernel table; every stage has a
///                 "local_size": its block size> }
/// Cubins (and resources) are present only when ptxas ran; a ptxas
/// failure is an error naming the architecture.
mlir::LogicalResult emitCUDASection(mlir::ModuleOp module,
                                    const CUDACodegenOptions &options,
                                    std::string &json);

/// Registers `--emit-cuda-ptx` and `--emit-cuda-section`.
void registerCUDATranslations();

} // namespace hcc

#endif // HCC_TARGET_CUDA_CUDATARGET_H
