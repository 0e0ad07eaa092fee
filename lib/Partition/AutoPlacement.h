//===- AutoPlacement.h - placement by predicted cost -------------*- C++
//-*-===//
#ifndef HCC_LIB_PARTITION_AUTOPLACEMENT_H
#define HCC_LIB_PARTITION_AUTOPLACEMENT_H

#include "hcc/Partition/Passes.h"
#include "hcc/Target/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>

namespace hcc {

struct AutoPlacementOptions {
  /// A model saved by `hcc-costmodel train`; "" looks for $HCC_COST_MODEL,
  /// then share/hcc/cost-model.json next to the running tool.
  std::string costModel;
  /// "latency" (one request) or "throughput" (a stream of requests).
  std::string objective = "latency";
  /// Worker threads the host's kernels run with (0: hardware threads).
  int threads = 0;
  /// A split over several devices must be predicted this much faster than
  /// the best single device.
  double minGain = 0.05;
};

/// Gives every graph op of `func` without a target the target of its
/// cluster in the plan with the least predicted makespan (or period):
/// kernel costs from the learned model where it covers the target, else
/// the target's roofline prior (with a warning), transfers from the
/// model's fitted links, else the targets' host-link priors. Ops that
/// already carry a target keep it and restrict their cluster.
mlir::LogicalResult placeAutomatically(mlir::func::FuncOp func,
                                       llvm::ArrayRef<const Target *> targets,
                                       const AutoPlacementOptions &options);

} // namespace hcc

#endif // HCC_LIB_PARTITION_AUTOPLACEMENT_H
