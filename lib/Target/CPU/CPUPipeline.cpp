//===- CPUPipeline.cpp - graph kernels to LLVM for the CPU ----------------===//
//
// The CPU codegen pipeline, all upstream passes but hcc's own:
//   convert-graph-to-linalg -> linalg elementwise fusion ->
//   hcc-cpu-tile-and-vectorize (tensors: im2col / 1x1 collapse, 8x32 register
//   tiles with a 192-deep K block and 4-step vector.contracts, power-of-two
//   remainders, depthwise and elementwise rows as vectors) -> one-shot
//   bufferize (function boundaries, identity layouts) -> results become
//   out-params (static allocations hoisted into them, so kernels write the
//   runtime's buffers directly) -> deallocation of temporaries ->
//   hcc-cpu-lower-copies -> hcc-cpu-lower-vectors (copies vectorized,
//   contracts to broadcast-FMAs) -> loops for what is left, vector-to-scf ->
//   distributed tiles (scf.forall -> scf.parallel) to async tasks
//   (hcc-cpu-async-parallel-for, async-to-async-runtime, ref counting,
//   convert-async-to-llvm: calls of the runtime's async API) ->
//   LLVM dialect (vector, ub included) with bare-pointer memrefs ->
//   hcc-cpu-kernel-abi.
//
//===----------------------------------------------------------------------===//

#include "Tiling.h"
#include "hcc/Conversion/Passes.h"
#include "hcc/Target/CPU/CPUTarget.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/AsyncToLLVM/AsyncToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToFuncs/MathToFuncs.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Async/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void hcc::buildCPUCodegenPipeline(OpPassManager &pm,
                                  const CPUCodegenOptions &options) {
  pm.addPass(createCPUPrepareKernels());
  // Quantized convolutions as 4-byte dot products where the host has the
  // instructions (vpdpbusd); elsewhere the widened i32 convolution is
  // faster than emulating them.
  ConvertGraphToLinalgOptions toLinalg;
  toLinalg.int8DotProducts = cpu::hostHasAvx512Vnni();
  pm.addPass(createConvertGraphToLinalg(toLinalg));
  pm.addPass(createCanonicalizerPass());
  if (options.fuseElementwise)
    pm.addNestedPass<func::FuncOp>(createCPUFuseElementwise());
  pm.addPass(createCSEPass());
  // Register tiles and vectors on tensors (im2col + matmul micro-kernels,
  // row-vectorized elementwise ops).
  CPUTileAndVectorizeOptions tiling;
  tiling.distributeTiles = true;
  pm.addNestedPass<func::FuncOp>(createCPUTileAndVectorize(tiling));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Distributed tiles: scf.forall -> scf.parallel (async tasks below).
  pm.addPass(createForallToParallelLoopPass());
  // Folds reshape round trips (expand_shape(collapse_shape(alloc)) of
  // im2col outputs) so returned buffers are allocations that become the
  // runtime's out-params instead of being copied into them.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCPUDistinctResults());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createCanonicalizerPass());
  // In-place slices (a padded input's interior, a tile written back) leave
  // copies between two identical subviews of one buffer: CSE makes them
  // one value and the canonicalizer drops the self-copies, which would
  // otherwise be a full pass over the tensor each.
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());

  pm.addPass(createCPULowerCopies());
  // Copies to row vectors, accumulators out of the K loops, contractions
  // to broadcast-FMAs.
  pm.addNestedPass<func::FuncOp>(createCPULowerVectors());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  VectorTransferToSCFOptions vectorToSCF;
  vectorToSCF.unroll = true;
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(vectorToSCF));
  // scf.parallel -> tasks on the runtime's pool (MLIR async runtime API).
  {
    // With --parallel=false every distributed loop is one block on the
    // kernel's thread.
    CPUAsyncParallelForOptions async;
    async.numWorkers = options.parallel ? -1 : 1;
    pm.addPass(createCPUAsyncParallelFor(async));
    pm.addPass(createAsyncToAsyncRuntimePass());
    pm.addPass(createAsyncRuntimeRefCountingPass());
    pm.addPass(createAsyncRuntimeRefCountingOptPass());
    pm.addPass(arith::createArithExpandOpsPass());
    pm.addPass(createConvertAsyncToLLVMPass());
  }
  // Integer powers (math.ipowi/fpowi) become calls to generated functions.
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.vectorContractLowering =
      vector::VectorContractLowering::OuterProduct;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Heap allocations call the generic functions, which hcc-cpu-kernel-abi
  // renames to the runtime's scratch allocator.
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  // Libm calls on vectors (acosh of a row of 5 lanes) are made per lane,
  // with vector.extract and vector.from_elements: lowered here.
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createUBToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCPUKernelABI());
  pm.addPass(createCanonicalizerPass());
}

namespace {
struct CPUCodegenPipelineCLOptions
    : public PassPipelineOptions<CPUCodegenPipelineCLOptions> {
  Option<unsigned> optLevel{*this, "opt-level",
                            llvm::cl::desc("LLVM optimization level (0-3)"),
                            llvm::cl::init(3)};
  Option<bool> fuseElementwise{*this, "fuse-elementwise",
                               llvm::cl::desc("Fuse elementwise linalg ops"),
                               llvm::cl::init(true)};
  Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("Run kernel tiles on the runtime's threads"),
      llvm::cl::init(true)};
};
} // namespace

void hcc::registerCPUCodegenPipeline() {
  PassPipelineRegistration<CPUCodegenPipelineCLOptions>(
      "hcc-cpu-codegen-pipeline",
      "CPU codegen phase, on each nested target module: graph kernels to "
      "linalg, fusion, bufferization, LLVM dialect with the kernel ABI",
      [](OpPassManager &pm, const CPUCodegenPipelineCLOptions &cl) {
        CPUCodegenOptions options;
        options.optLevel = cl.optLevel;
        options.fuseElementwise = cl.fuseElementwise;
        options.parallel = cl.parallel;
        buildCPUCodegenPipeline(pm.nest<ModuleOp>(), options);
      });
}
