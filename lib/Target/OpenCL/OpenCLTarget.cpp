//===- OpenCLTarget.cpp - The OpenCL target plug-in -----------------------===//
//
// Kernels become one OpenCL C 1.2 program (the bundle's "opencl" code
// section), built and run by the runtime's OpenCL driver on any OpenCL
// device; the loop nests are shaped for CPU-class devices such as PoCL (few
// work-items, contiguous inner loops, register-blocked contractions).
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/OpenCL/OpenCLTarget.h"

#include "hcc/Conversion/GraphToLinalg.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"
#include "hcc/Target/Target.h"

#include <algorithm>
#include <thread>

#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;

namespace hcc {
namespace {

/// Element types OpenCL C 1.2 kernels hold in their buffers.
bool isOpenCLElementType(Type t) {
  if (t.isF32() || t.isF64() || t.isF16())
    return true;
  if (auto i = dyn_cast<IntegerType>(t))
    return llvm::is_contained({1u, 8u, 16u, 32u, 64u}, i.getWidth());
  return isa<IndexType>(t);
}

/// Whether `config` (null: the defaults) asks for kernels in the GPU shape.
bool gpuShape(DictionaryAttr config) {
  auto gpu = config ? config.getAs<IntegerAttr>("gpu-shape") : IntegerAttr();
  return gpu && gpu.getInt() != 0;
}

} // namespace

bool stageFunctionPipelineSupports(Operation *op, llvm::StringRef kernels,
                                   std::string &reason) {
  if (!isGraphOpSupportedByLinalgLowering(op->getName().getStringRef())) {
    reason = op->getName().getStringRef().str() + " has no lowering to linalg";
    return false;
  }
  auto check = [&](Type type) {
    if (isa<NoneType>(type))
      return true;
    auto shaped = dyn_cast<ShapedType>(type);
    if (shaped && isOpenCLElementType(shaped.getElementType()))
      return true;
    std::string text;
    llvm::raw_string_ostream os(text);
    os << kernels << " do not hold values of type " << type;
    reason = text;
    return false;
  };
  // Subgraph bodies (If, Loop, Scan) run in the same kernel: every value
  // inside must fit too.
  WalkResult result = op->walk([&](Operation *nested) {
    for (Type t : nested->getOperandTypes())
      if (!check(t))
        return WalkResult::interrupt();
    for (Type t : nested->getResultTypes())
      if (!check(t))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return !result.wasInterrupted();
}

namespace {

class OpenCLTarget : public Target {
public:
  llvm::StringRef name() const override { return "opencl"; }
  llvm::StringRef description() const override {
    return "OpenCL devices: one OpenCL C 1.2 program, kernels shaped for "
           "CPU-class devices (PoCL)";
  }
  llvm::ArrayRef<KnobSpec> knobs() const override { return openclKnobSpecs(); }
  LogicalResult verifyConfig(DictionaryAttr config, llvm::StringRef what,
                             Location loc) const override {
    return verifyGPUTileKnobConfig(config, what, loc);
  }
  SearchSpace searchSpace(const cost::KernelFeatures &kernel,
                          DictionaryAttr config) const override {
    return gpuShape(config) ? gpuTileSearchSpaceFor(kernel)
                            : openclSearchSpaceFor(kernel);
  }
  std::string workloadClass(DictionaryAttr config) const override {
    return gpuShape(config) ? "gpu" : "";
  }
  /// An OpenCL device of unknown class is assumed to be a CPU driver such
  /// as PoCL (the common case without a GPU): the host's cores at a tenth of
  /// their peak, a costly enqueue, copies through host memory.
  cost::RooflineSpec rooflinePrior(DictionaryAttr) const override {
    // peak FLOP/s, bytes/s, launch s, compute and memory efficiency
    return cost::RooflineSpec{
        std::max(1u, std::thread::hardware_concurrency()) * 80e9, 15e9, 30e-6,
        0.1, 0.5};
  }
  cost::TransferFit hostLinkPrior(DictionaryAttr) const override {
    return cost::TransferFit{20e-6, 8e9}; // latency s, bytes/s
  }
  llvm::ArrayRef<KnobSpec> configKeys() const override {
    static const std::vector<KnobSpec> keys = withGPUTileKnobs({
        {"vector-width", 1, 16, 16, true,
         "lanes of the device's float vectors (floatN register tiles)"},
        {"gpu-shape", 0, 1, 0, false,
         "1: kernels shaped for GPU-class devices (one work-item per "
         "output, in work-groups)"},
        {"block-size", 1, 1024, 256, true,
         "work-items of a work-group with gpu-shape"},
        {"warp-reductions", 0, 1, 0, false,
         "1: with gpu-shape, reductions fold as warp reductions (the CUDA "
         "target's), each shuffle an exchange through local memory"},
    });
    return keys;
  }

  bool supports(Operation *op, std::string &reason) const override {
    return stageFunctionPipelineSupports(op, "OpenCL C kernels", reason);
  }

  void buildCodegenPipeline(OpPassManager &pm,
                            const CodegenOptions &options) const override {
    OpenCLCodegenOptions ocl;
    if (!options.parallel)
      ocl.workItems = 1;
    if (options.config)
      if (auto width = options.config.getAs<IntegerAttr>("vector-width"))
        ocl.vectorWidth = width.getInt();
    ocl.gpuShape = gpuShape(options.config);
    if (options.config) {
      if (auto block = options.config.getAs<IntegerAttr>("block-size"))
        ocl.blockSize = block.getInt();
      if (auto warp = options.config.getAs<IntegerAttr>("warp-reductions"))
        if (warp.getInt() != 0)
          ocl.gpuReductions = "emulated-shuffle";
    }
    buildOpenCLCodegenPipeline(pm, ocl);
  }

  LogicalResult serialize(ModuleOp module, const CodegenOptions &options,
                          std::vector<uint8_t> &section) const override {
    return serializeOpenCLSection(module, section);
  }
};

} // namespace

llvm::ArrayRef<KnobSpec> gpuTileKnobSpecs() {
  static const std::vector<KnobSpec> specs = {
      {"block-m", 0, 256, 0, false,
       "gpu-shape contractions: output rows of a block (0: from the shape, "
       "64 at most; else a power of two)"},
      {"block-n", 0, 256, 0, false,
       "gpu-shape contractions: output columns of a block (0: from the "
       "shape, 64 at most; else a power of two)"},
      {"block-k", 0, 64, 0, false,
       "gpu-shape contractions: depth of the slices of A and B staged in "
       "shared memory (0: from the shape, 16 at most; else a power of two)"},
      {"thread-m", 0, 16, 0, false,
       "gpu-shape contractions: output rows of a thread (0: 4; else a power "
       "of two)"},
      {"thread-n", 0, 16, 0, false,
       "gpu-shape contractions: output columns of a thread (0: 4; else a "
       "power of two)"},
  };
  return specs;
}

llvm::ArrayRef<KnobSpec> openclKnobSpecs() {
  static const std::vector<KnobSpec> specs = withGPUTileKnobs({
      {"work-items", kOpenCLWorkItemsRange.min, kOpenCLWorkItemsRange.max, 64,
       false, "most work-items a stage is spread over"},
      {"tile-m", kOpenCLTileMRange.min, kOpenCLTileMRange.max, 8, false,
       "rows of a contraction's register tile"},
      {"tile-n", kOpenCLTileNRange.min, kOpenCLTileNRange.max, 32, false,
       "columns of a contraction's register tile (contiguous inner loop)"},
  });
  return specs;
}

std::vector<KnobSpec> withGPUTileKnobs(std::vector<KnobSpec> specs) {
  llvm::append_range(specs, gpuTileKnobSpecs());
  return specs;
}

void registerOpenCLTarget(TargetRegistry &registry) {
  registry.add(std::make_unique<OpenCLTarget>());
}

void registerOpenCLDialects(DialectRegistry &registry) {
  registry.insert<emitc::EmitCDialect>();
}

void registerOpenCLTargetPasses() {
  registerHccOpenCLPasses();
  registerOpenCLPipelines();
}

} // namespace hcc
