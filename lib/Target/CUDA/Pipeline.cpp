//===- Pipeline.cpp - the CUDA codegen pipeline ---------------------------===//
//
//   buildStageFunctionPipeline{gpu-shape} (graph kernels -> linalg ->
//   bufferization -> one thread per output -> stages indexed with gpu ids)
//   -> hcc-cuda-outline-stages -> on the gpu.module: hcc-cuda-async-copies
//   (sm_80 and later), expand-strided-metadata,
//   lower-affine, arith-expand, scf -> cf, convert-gpu-to-nvvm (bare
//   pointers: a kernel parameter is the buffer's device address) ->
//   reconcile-unrealized-casts -> gpu-module-to-binary (format=isa: PTX,
//   libdevice linked from the toolkit for math functions).
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/CUDA/CUDATarget.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/MathToFuncs/MathToFuncs.h"
#include "mlir/Conversion/NVGPUToNVVM/NVGPUToNVVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using namespace mlir;

std::string hcc::cudaToolkitPath(const std::string &preferred) {
  auto usable = [](const std::string &dir) {
    return !dir.empty() && llvm::sys::fs::is_directory(dir);
  };
  if (usable(preferred))
    return preferred;
  for (const char *var : {"HCC_CUDA_PATH", "CUDA_PATH"})
    if (const char *dir = std::getenv(var); dir && usable(dir))
      return dir;
  return usable("/usr/local/cuda") ? "/usr/local/cuda" : "";
}

void hcc::buildCUDACodegenPipeline(OpPassManager &pm,
                                   const CUDACodegenOptions &options) {
  OpenCLCodegenOptions stages;
  stages.gpuShape = true;
  stages.blockSize = options.blockSize;
  stages.gpuReductions = "shuffle";
  if (options.precision != "fp32") {
    std::string precision = options.precision;
    stages.beforeLoops = [precision](OpPassManager &nested) {
      CUDAMmaContractionsOptions mma;
      mma.precision = precision;
      nested.addNestedPass<func::FuncOp>(createCUDAMmaContractions(mma));
    };
  }
  buildStageFunctionPipeline(pm, stages);

  // Integer powers (math.ipowi/fpowi) become calls of generated functions,
  // which the outlining copies into the GPU module.
  pm.addPass(createConvertMathToFuncs());
  CUDAOutlineStagesOptions outline;
  outline.chip = options.ptxArch;
  pm.addPass(createCUDAOutlineStages(outline));
  OpPassManager &gpu = pm.nest<gpu::GPUModuleOp>();
  // cp.async exists from sm_80 (Ampere) on.
  unsigned sm = 0;
  if (StringRef(options.ptxArch).starts_with("sm_") &&
      !StringRef(options.ptxArch).drop_front(3).getAsInteger(10, sm) &&
      sm >= 80)
    gpu.addPass(createCUDAAsyncCopies());
  gpu.addPass(memref::createExpandStridedMetadataPass());
  gpu.addPass(createLowerAffinePass());
  gpu.addPass(arith::createArithExpandOpsPass());
  gpu.addPass(createCanonicalizerPass());
  gpu.addPass(createCSEPass());
  gpu.addPass(createSCFToControlFlowPass());
  gpu.addPass(createConvertNVGPUToNVVMPass());
  ConvertGpuOpsToNVVMOpsOptions nvvm;
  nvvm.useBarePtrCallConv = true;
  gpu.addPass(createConvertGpuOpsToNVVMOps(nvvm));
  gpu.addPass(createCanonicalizerPass());
  gpu.addPass(createCSEPass());
  gpu.addPass(createReconcileUnrealizedCastsPass());

  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = "isa";
  binary.toolkitPath = cudaToolkitPath(options.toolkitPath);
  pm.addPass(createGpuModuleToBinaryPass(binary));
}

namespace {
struct CUDAPipelineCLOptions
    : public PassPipelineOptions<CUDAPipelineCLOptions> {
  Option<int64_t> blockSize{*this, "block-size",
                            llvm::cl::desc("Threads of a block (1-1024)"),
                            llvm::cl::init(256)};
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("Architecture of the PTX (sm_XX)"),
                           llvm::cl::init("sm_80")};
  Option<std::string> precision{
      *this, "precision",
      llvm::cl::desc("Contraction operands: fp32 (exact), tf32, fp16 or bf16 "
                     "(tensor cores)"),
      llvm::cl::init("fp32")};
};
} // namespace

void hcc::registerCUDATargetPasses() {
  registerHccCUDAPasses();
  PassPipelineRegistration<CUDAPipelineCLOptions>(
      "hcc-cuda-codegen-pipeline",
      "CUDA codegen phase, on the target module it runs on: GPU-shaped "
      "stages, gpu.module, NVVM, PTX (gpu.binary)",
      [](OpPassManager &pm, const CUDAPipelineCLOptions &cl) {
        CUDACodegenOptions options;
        options.blockSize = cl.blockSize;
        options.ptxArch = cl.chip;
        options.precision = cl.precision;
        buildCUDACodegenPipeline(pm, options);
      });
}
