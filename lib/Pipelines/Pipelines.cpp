//===- Pipelines.cpp - hcc's named pass pipelines -------------------------===//

#include "hcc/Pipelines/Pipelines.h"
#include "dialects/Graph/Transforms/Passes.h"
#include "hcc/Partition/Passes.h"
#include "hcc/Target/CPU/CPUTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void hcc::buildGraphPipeline(OpPassManager &pm,
                             const GraphPipelineOptions &options) {
  pm.addPass(graph::createGraphInferShapes());
  if (options.canonicalize) {
    pm.addPass(createCanonicalizerPass());
    pm.addPass(graph::createGraphInferShapes());
  }
}

void hcc::buildPlacementPipeline(OpPassManager &pm,
                                 const PlacementPipelineOptions &options) {
  PlaceOptions place;
  place.defaultTarget = options.defaultTarget;
  pm.addPass(createPlace(place));
  OutlineKernelsOptions outline;
  outline.fuseElementwise = options.fuseElementwise;
  pm.addPass(createOutlineKernels(outline));
}

namespace {
struct GraphPipelineCLOptions
    : public PassPipelineOptions<GraphPipelineCLOptions> {
  Option<bool> canonicalize{*this, "canonicalize",
                            llvm::cl::desc("Fold constants and simplify"),
                            llvm::cl::init(true)};
};
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

struct PlacementPipelineCLOptions
    : public PassPipelineOptions<PlacementPipelineCLOptions> {
  Option<std::string> defaultTarget{
      *this, "default-target",
      llvm::cl::desc("Target of unplaced ops (cpu, cuda, opencl, fpga)"),
      llvm::cl::init("cpu")};
  Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Let elementwise ops join their producer's kernel"),
      llvm::cl::init(true)};
};
} // namespace

void hcc::registerPipelines() {
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
  PassPipelineRegistration<PlacementPipelineCLOptions>(
      "hcc-placement-pipeline",
      "Placement phase: assign targets, form and outline kernels, insert "
      "transfers",
      [](OpPassManager &pm, const PlacementPipelineCLOptions &cl) {
        PlacementPipelineOptions options;
        options.defaultTarget = cl.defaultTarget;
        options.fuseElementwise = cl.fuseElementwise;
        buildPlacementPipeline(pm, options);
      });
  PassPipelineRegistration<GraphPipelineCLOptions>(
      "hcc-graph-pipeline",
      "Graph phase: shape inference and canonicalization of the graph dialect",
      [](OpPassManager &pm, const GraphPipelineCLOptions &cl) {
        GraphPipelineOptions options;
        options.canonicalize = cl.canonicalize;
        buildGraphPipeline(pm, options);
      });
}
