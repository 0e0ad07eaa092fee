//===- CUDATarget.cpp - The CUDA target plug-in ---------------------------===//
//
// NVIDIA GPUs through the driver API: PTX (and cubins when ptxas is
// present at compile time) in the bundle's "cuda" code section, run by the
// runtime's CUDA driver (libcuda.so.1, loaded with dlopen).
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/CUDA/CUDATarget.h"

#include "hcc/Target/OpenCL/OpenCLCodegen.h"
#include "hcc/Target/OpenCL/OpenCLTarget.h"
#include "hcc/Target/Target.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"

using namespace mlir;

namespace hcc {
namespace {

/// sm_XX as XX (config key "sm"): 50 (Maxwell) to 120 (Blackwell).
std::string archName(int64_t sm) { return "sm_" + std::to_string(sm); }

class CUDATarget : public Target {
public:
  llvm::StringRef name() const override { return "cuda"; }
  llvm::StringRef description() const override {
    return "NVIDIA GPUs: PTX through NVVM (cubins for sm_80 and sm_90 when "
           "ptxas is present), run through the CUDA driver API";
  }
  llvm::ArrayRef<KnobSpec> configKeys() const override {
    static const std::vector<KnobSpec> keys = withGPUTileKnobs({
        {"sm", 50, 120, 80, false,
         "architecture of the PTX (sm_XX; the driver JIT-compiles it for "
         "newer GPUs)"},
        {"block-size", 32, 1024, 256, true, "threads of a block"},
    });
    return keys;
  }
  /// The shared-memory tiles of contractions (the GPU shape's, shared with
  /// the OpenCL target).
  llvm::ArrayRef<KnobSpec> knobs() const override { return gpuTileKnobSpecs(); }
  LogicalResult verifyConfig(DictionaryAttr config, llvm::StringRef what,
                             Location loc) const override {
    return verifyGPUTileKnobConfig(config, what, loc);
  }
  SearchSpace searchSpace(const cost::KernelFeatures &kernel,
                          DictionaryAttr) const override {
    return gpuTileSearchSpaceFor(kernel);
  }
  /// A data-centre GPU of the H100 class: 67 TFLOP/s fp32 (non-tensor),
  /// 3.35 TB/s HBM3, PCIe Gen5 x16 to the host (machines/ has sources).
  cost::RooflineSpec rooflinePrior(DictionaryAttr) const override {
    // peak FLOP/s, bytes/s, launch s, compute and memory efficiency
    return cost::RooflineSpec{67e12, 3.35e12, 5e-6, 0.5, 0.7};
  }
  cost::TransferFit hostLinkPrior(DictionaryAttr) const override {
    return cost::TransferFit{10e-6, 50e9}; // latency s, bytes/s
  }
  llvm::ArrayRef<llvm::StringRef> precisions() const override {
    static const llvm::StringRef supported[] = {"fp32", "tf32", "fp16", "bf16"};
    return supported;
  }

  bool supports(Operation *op, std::string &reason) const override {
    return stageFunctionPipelineSupports(op, "CUDA kernels", reason);
  }

  CUDACodegenOptions cudaOptions(const CodegenOptions &options) const {
    CUDACodegenOptions cuda;
    cuda.precision = options.precision;
    if (!options.config)
      return cuda;
    if (auto block = options.config.getAs<IntegerAttr>("block-size"))
      cuda.blockSize = block.getInt();
    if (auto sm = options.config.getAs<IntegerAttr>("sm")) {
      cuda.ptxArch = archName(sm.getInt());
      // Cubins for the PTX's architecture and the later ones hcc tunes for.
      cuda.cubinArchs.clear();
      for (int64_t arch : {sm.getInt(), int64_t(80), int64_t(90)})
        if (arch >= sm.getInt() &&
            !llvm::is_contained(cuda.cubinArchs, archName(arch)))
          cuda.cubinArchs.push_back(archName(arch));
    }
    return cuda;
  }

  void buildCodegenPipeline(OpPassManager &pm,
                            const CodegenOptions &options) const override {
    buildCUDACodegenPipeline(pm, cudaOptions(options));
  }

  LogicalResult serialize(ModuleOp module, const CodegenOptions &options,
                          std::vector<uint8_t> &section) const override {
    std::string json;
    if (failed(emitCUDASection(module, cudaOptions(options), json)))
      return failure();
    section.assign(json.begin(), json.end());
    return success();
  }
};

} // namespace

void registerCUDATarget(TargetRegistry &registry) {
  registry.add(std::make_unique<CUDATarget>());
}

void registerCUDADialects(DialectRegistry &registry) {
  registry.insert<gpu::GPUDialect, NVVM::NVVMDialect, LLVM::LLVMDialect,
                  nvgpu::NVGPUDialect>();
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  // What convert-gpu-to-nvvm lowers through the dialects' interfaces.
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  registerConvertNVVMToLLVMInterface(registry);
  NVVM::registerConvertGpuToNVVMInterface(registry);
  ub::registerConvertUBToLLVMInterface(registry);
  vector::registerConvertVectorToLLVMInterface(registry);
}

} // namespace hcc
