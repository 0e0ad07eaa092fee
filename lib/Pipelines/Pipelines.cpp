//===- Pipelines.cpp - hcc's named pass pipelines -------------------------===//

#include "hcc/Pipelines/Pipelines.h"
#include "dialects/Graph/Transforms/Passes.h"

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

namespace {
struct GraphPipelineCLOptions
    : public PassPipelineOptions<GraphPipelineCLOptions> {
  Option<bool> canonicalize{*this, "canonicalize",
                            llvm::cl::desc("Fold constants and simplify"),
                            llvm::cl::init(true)};
};
} // namespace

void hcc::registerPipelines() {
  PassPipelineRegistration<GraphPipelineCLOptions>(
      "hcc-graph-pipeline",
      "Graph phase: shape inference and canonicalization of the graph dialect",
      [](OpPassManager &pm, const GraphPipelineCLOptions &cl) {
        GraphPipelineOptions options;
        options.canonicalize = cl.canonicalize;
        buildGraphPipeline(pm, options);
      });
}
