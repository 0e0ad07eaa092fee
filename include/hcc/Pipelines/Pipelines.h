//===- Pipelines.h - hcc's named pass pipelines -----------------*- C++ -*-===//

#ifndef HCC_PIPELINES_PIPELINES_H
#define HCC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

#include <string>
#include <vector>

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

struct PlacementPipelineOptions {
  /// Targets ops may run on; the first is the default (empty: the host).
  std::vector<std::string> targets;
  /// JSON placement rules (op type / node-name glob -> target), or "".
  std::string placementFile;
  /// Ops without a rule: "default" (first target), "alternate" or "auto"
  /// (least predicted cost).
  std::string strategy = "default";
  /// strategy "auto": the cost model file ("" : the default one), the
  /// objective ("latency" or "throughput") and the host's threads.
  std::string costModel;
  std::string objective = "latency";
  int threads = 0;
  /// Let elementwise and reshape ops join their producer's kernel.
  bool fuseElementwise = true;
};

/// The placement phase: assign every graph op a target (hcc-place), then
/// form kernels, outline them into per-target modules and insert transfers
/// (hcc-outline-kernels). Registered as `hcc-placement-pipeline`.
void buildPlacementPipeline(mlir::OpPassManager &pm,
                            const PlacementPipelineOptions &options);

/// Registers every named pipeline with the pass registry.
void registerPipelines();
} // namespace hcc

#endif // HCC_PIPELINES_PIPELINES_H
