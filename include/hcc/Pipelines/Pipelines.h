//===- Pipelines.h - hcc's named pass pipelines -----------------*- C++ -*-===//

#ifndef HCC_PIPELINES_PIPELINES_H
#define HCC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace hcc {
struct GraphPipelineOptions {
  /// Run canonicalization (constant folding, Identity/Reshape chains).
  bool canonicalize = true;
};

/// The graph phase: shape inference, then canonicalization and another
/// round of inference over what folding exposed.
/// Registered as `hcc-graph-pipeline`.
void buildGraphPipeline(mlir::OpPassManager &pm,
                        const GraphPipelineOptions &options);

/// Registers every named pipeline with the pass registry.
void registerPipelines();
} // namespace hcc

#endif // HCC_PIPELINES_PIPELINES_H
