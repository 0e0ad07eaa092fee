//===- execution_plan.h - Memory layout and kernel dependencies -*- C++ -*-===//
//
// Computed once per session: where every intermediate lives in the arena,
// and which kernels must wait for which. Dependencies are the manifest's
// explicit deps plus every read/write hazard on overlapping memory, which
// covers both data flow and the reuse of arena memory by the planner.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_EXECUTION_PLAN_H
#define HCC_RUNTIME_EXECUTION_PLAN_H

#include "manifest.h"
#include "memory_planner.h"

namespace hcc {
namespace rt {

struct ExecutionPlan {
  /// One arena per device, holding that device's intermediates.
  std::vector<MemoryPlan> memory;
  /// Arena offset per buffer (meaningful for intermediate roots in an
  /// arena).
  std::vector<uint64_t> arenaOffset;
  std::vector<std::vector<size_t>> successors;
  std::vector<int> predecessorCount;
};

/// `alignment[d]`: offset alignment of device d's arena. Buffers marked in
/// `persistent` (e.g. weights copied to a device once per session) are
/// not planned into an arena.
ExecutionPlan buildExecutionPlan(const Manifest &m,
                                 const std::vector<uint64_t> &alignment,
                                 const std::vector<bool> &persistent);
/// Every device aligned to 64 bytes, nothing persistent.
ExecutionPlan buildExecutionPlan(const Manifest &m);

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_EXECUTION_PLAN_H
