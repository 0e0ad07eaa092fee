//===- Pipeline.cpp - the OpenCL codegen pipeline -------------------------===//
//
//   hcc-ocl-prepare-kernels -> convert-graph-to-linalg -> canonicalize ->
//   linalg elementwise fusion -> cse -> hcc-ocl-im2col (strided
//   convolutions) -> one-shot-bufferize (function
//   boundaries, identity layouts everywhere: OpenCL pointers carry no
//   strides) -> hcc-ocl-prepare-buffers -> buffer-results-to-out-params
//   (hoisted allocations: kernels write the runtime's buffers) ->
//   hcc-ocl-lower-linalg (CPU-shaped loops, register-blocked reductions) ->
//   hcc-ocl-split-stages (scratch buffers, stages, NDRange distribution) ->
//   expand-strided-metadata -> lower-affine -> arith-expand ->
//   hcc-ocl-convert-to-emitc.
//
//===----------------------------------------------------------------------===//

#include "hcc/Conversion/Passes.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void hcc::buildStageFunctionPipeline(OpPassManager &pm,
                                     const OpenCLCodegenOptions &options) {
  pm.addPass(createOpenCLPrepareKernels());
  // The emitter has no integer dot-product instructions to map 4-byte
  // dot products to: quantized convolutions widen to i32.
  ConvertGraphToLinalgOptions toLinalg;
  toLinalg.int8DotProducts = false;
  pm.addPass(createConvertGraphToLinalg(toLinalg));
  pm.addPass(createCanonicalizerPass());
  if (options.fuseElementwise)
    pm.addNestedPass<func::FuncOp>(createLinalgElementwiseOpFusionPass());
  pm.addPass(createCSEPass());
  // GPU shape: every convolution becomes a contraction the GPU path tiles.
  OpenCLIm2ColOptions im2col;
  im2col.all = options.gpuShape;
  pm.addNestedPass<func::FuncOp>(createOpenCLIm2Col(im2col));
  pm.addPass(createCanonicalizerPass());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  bufferize.unknownTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createOpenCLPrepareBuffers());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(createCanonicalizerPass());

  if (options.beforeLoops)
    options.beforeLoops(pm);
  OpenCLLowerLinalgOptions lower;
  lower.tileM = options.tileM;
  lower.tileN = options.tileN;
  lower.workItems = options.workItems;
  lower.vectorWidth = options.vectorWidth;
  lower.tileEpilogues = options.tileEpilogues;
  if (options.gpuShape) {
    // One output per thread, its accumulator in a register.
    lower.tileM = lower.tileN = lower.vectorWidth = 1;
    lower.workItems = 1;
    lower.gpuContractions = true;
    lower.gpuReductions = options.gpuReductions;
  }
  pm.addNestedPass<func::FuncOp>(createOpenCLLowerLinalg(lower));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  OpenCLSplitStagesOptions split;
  split.workItems = options.workItems;
  split.gpuShape = options.gpuShape;
  split.blockSize = options.blockSize;
  pm.addPass(createOpenCLSplitStages(split));
}

void hcc::buildOpenCLCodegenPipeline(OpPassManager &pm,
                                     const OpenCLCodegenOptions &options) {
  buildStageFunctionPipeline(pm, options);
  if (options.afterStages)
    options.afterStages(pm);

  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(arith::createArithExpandOpsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createOpenCLConvertToEmitC());
}

namespace {
struct OpenCLPipelineCLOptions
    : public PassPipelineOptions<OpenCLPipelineCLOptions> {
  Option<int64_t> workItems{
      *this, "work-items",
      llvm::cl::desc("Largest number of work-items of a stage (1-65536)"),
      llvm::cl::init(64)};
  Option<int64_t> tileM{*this, "tile-m",
                        llvm::cl::desc("Rows of a register tile (1-64)"),
                        llvm::cl::init(8)};
  Option<int64_t> tileN{
      *this, "tile-n",
      llvm::cl::desc("Columns of a register tile (1-1024, tile-m * tile-n "
                     "<= 8192)"),
      llvm::cl::init(32)};
  Option<int64_t> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("Lanes of contraction tiles' OpenCL vectors (1, 2, 4, "
                     "8, 16; 1: scalar tiles)"),
      llvm::cl::init(16)};
  Option<bool> fuseElementwise{*this, "fuse-elementwise",
                               llvm::cl::desc("Fuse elementwise linalg ops"),
                               llvm::cl::init(true)};
  Option<bool> gpuShape{
      *this, "gpu-shape",
      llvm::cl::desc("GPU-shaped kernels: one thread per output, in blocks"),
      llvm::cl::init(false)};
  Option<int64_t> blockSize{
      *this, "block-size",
      llvm::cl::desc("Threads of a block with gpu-shape (1-1024)"),
      llvm::cl::init(256)};
  Option<bool> warpReductions{
      *this, "warp-reductions",
      llvm::cl::desc("With gpu-shape: reductions as warp reductions, each "
                     "shuffle an exchange through local memory"),
      llvm::cl::init(false)};
};
} // namespace

void hcc::registerOpenCLPipelines() {
  PassPipelineRegistration<OpenCLPipelineCLOptions>(
      "hcc-opencl-codegen-pipeline",
      "OpenCL codegen phase, on the target module it runs on: graph kernels "
      "to linalg, bufferization, CPU-shaped loops, stages, EmitC",
      [](OpPassManager &pm, const OpenCLPipelineCLOptions &cl) {
        OpenCLCodegenOptions options;
        options.workItems = cl.workItems;
        options.tileM = cl.tileM;
        options.tileN = cl.tileN;
        options.vectorWidth = cl.vectorWidth;
        options.fuseElementwise = cl.fuseElementwise;
        options.gpuShape = cl.gpuShape;
        options.blockSize = cl.blockSize;
        if (cl.warpReductions)
          options.gpuReductions = "emulated-shuffle";
        buildOpenCLCodegenPipeline(pm, options);
      });
}
