//===- Pipelines.cpp - hcc's named pass pipelines -------------------------===//

#include "hcc/Pipelines/Pipelines.h"
#include "dialects/Graph/Transforms/Passes.h"
#include "hcc/Partition/Passes.h"

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
    // Quantized convolutions in integers; the canonicalizer that follows
    // erases the DequantizeLinear nodes left without users.
    pm.addPass(graph::createGraphFuseQDQ());
    // Channel scales (squeeze-and-excitation) onto the weights they feed.
    pm.addPass(graph::createGraphFoldChannelScales());
    pm.addPass(createCanonicalizerPass());
  }
}

void hcc::buildPlacementPipeline(OpPassManager &pm,
                                 const PlacementPipelineOptions &options) {
  PlaceOptions place;
  place.targets.assign(options.targets.begin(), options.targets.end());
  place.placementFile = options.placementFile;
  place.strategy = options.strategy;
  place.costModel = options.costModel;
  place.objective = options.objective;
  place.threads = options.threads;
  pm.addPass(createPlace(place));
  OutlineKernelsOptions outline;
  outline.fuseElementwise = options.fuseElementwise;
  pm.addPass(createOutlineKernels(outline));
  pm.addPass(createConcatInPlace());
}

namespace {
struct GraphPipelineCLOptions
    : public PassPipelineOptions<GraphPipelineCLOptions> {
  Option<bool> canonicalize{*this, "canonicalize",
                            llvm::cl::desc("Fold constants and simplify"),
                            llvm::cl::init(true)};
};
struct PlacementPipelineCLOptions
    : public PassPipelineOptions<PlacementPipelineCLOptions> {
  ListOption<std::string> targets{
      *this, "targets",
      llvm::cl::desc("Targets ops may run on, the first is the default")};
  Option<std::string> placementFile{
      *this, "placement-file",
      llvm::cl::desc("JSON rules: op type or node-name glob -> target")};
  Option<std::string> strategy{
      *this, "strategy",
      llvm::cl::desc("Ops without a rule: default, alternate or auto"),
      llvm::cl::init("default")};
  Option<std::string> costModel{
      *this, "cost-model",
      llvm::cl::desc("strategy=auto: a model from hcc-costmodel train")};
  Option<std::string> objective{
      *this, "objective",
      llvm::cl::desc("strategy=auto: latency or throughput"),
      llvm::cl::init("latency")};
  Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Let elementwise ops join their producer's kernel"),
      llvm::cl::init(true)};
};
} // namespace

void hcc::registerPipelines() {
  PassPipelineRegistration<PlacementPipelineCLOptions>(
      "hcc-placement-pipeline",
      "Placement phase: assign targets, form and outline kernels, insert "
      "transfers",
      [](OpPassManager &pm, const PlacementPipelineCLOptions &cl) {
        PlacementPipelineOptions options;
        options.targets.assign(cl.targets.begin(), cl.targets.end());
        options.placementFile = cl.placementFile;
        options.strategy = cl.strategy;
        options.costModel = cl.costModel;
        options.objective = cl.objective;
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
