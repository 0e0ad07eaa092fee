//===- memory_planner.h - Packs intermediates into one arena ----*- C++ -*-===//
//
// Buffers whose lifetimes do not overlap share memory. Placement is greedy by
// size with best fit (as TFLite's arena planner does): the largest buffers
// are placed first, each into the smallest gap left by time-overlapping
// buffers already placed.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_MEMORY_PLANNER_H
#define HCC_RUNTIME_MEMORY_PLANNER_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hcc {
namespace rt {

/// A buffer alive from step `first` to step `last`, inclusive.
struct LiveInterval {
  uint64_t size = 0;
  size_t first = 0;
  size_t last = 0;
};

struct MemoryPlan {
  std::vector<uint64_t> offsets; // per interval, multiples of the alignment
  uint64_t arenaBytes = 0;       // what the arena must hold
  uint64_t livePeakBytes = 0;    // largest sum of simultaneously live sizes
  uint64_t totalBytes = 0;       // sum of all sizes (no reuse)
};

/// Sizes are rounded up to `alignment` (a power of two) before planning.
MemoryPlan planMemory(const std::vector<LiveInterval> &intervals,
                      uint64_t alignment = 64);

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_MEMORY_PLANNER_H
