//===- Clusters.h - kernels as placement sees them ---------------*- C++
//-*-===//
//
// hcc-outline-kernels fuses an elementwise or reshape op into the kernel of
// its producer when both run on the same target. Placement decides per
// cluster, the group of ops that would form one kernel if they shared a
// target, so each decision matches a kernel the profiler measured; and the
// features of a cluster are what the cost model is asked about.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_PARTITION_CLUSTERS_H
#define HCC_PARTITION_CLUSTERS_H

#include "hcc/CostModel/Features.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace hcc {

/// Ops that cost little next to their producer and are worth running in its
/// kernel: elementwise, normalization in inference form, reshapes.
bool isFusibleConsumer(mlir::Operation *op);

/// Most ops one kernel takes in side by side (see joinsLatest): enough to
/// make a wide fan-out of small elementwise branches cheap to compile and
/// launch, few enough to leave the runtime independent kernels to overlap.
constexpr size_t kMaxSideBySideOps = 16;

/// Whether `op` joins `latest`, the ops of the latest kernel (program
/// order; `inLatest` tells membership in O(1)):
///  - vertically, as a fusible consumer of a value the kernel produces: its
///    first operand, or (for elementwise ops, such as a residual
///    Add(skip, conv)) any operand of the result's own type;
///  - side by side, as an elementwise op that reads nothing the kernel
///    produces, when the kernel is elementwise too, has the op's result type
///    and fewer than kMaxSideBySideOps ops: the branches of a fan-out, which
///    would otherwise be one tiny kernel each.
bool joinsLatest(mlir::Operation *op, llvm::ArrayRef<mlir::Operation *> latest,
                 llvm::function_ref<bool(mlir::Operation *)> inLatest);

/// The graph ops of one would-be kernel, in program order.
struct Cluster {
  llvm::SmallVector<mlir::Operation *> ops;
};

/// Groups the placeable graph ops of `func` (not constants) into clusters
/// by the rule hcc-outline-kernels applies within one target: an op joins
/// the latest cluster when joinsLatest says so.
std::vector<Cluster> formClusters(mlir::func::FuncOp func);

/// The cost-model features of a kernel made of `ops` (program order).
/// Constants of at most `inlineLimit` elements and splats count as part of
/// the kernel, not as bytes it reads.
cost::KernelFeatures kernelFeatures(llvm::ArrayRef<mlir::Operation *> ops,
                                    int64_t inlineLimit = 64);

/// Bytes of a statically shaped tensor type, 0 otherwise.
int64_t typeBytes(mlir::Type type);

} // namespace hcc

#endif // HCC_PARTITION_CLUSTERS_H
