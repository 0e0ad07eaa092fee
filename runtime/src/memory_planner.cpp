//===- memory_planner.cpp - Packs intermediates into one arena -----------===//

#include "memory_planner.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace hcc {
namespace rt {

MemoryPlan planMemory(const std::vector<LiveInterval> &intervals,
                      uint64_t alignment) {
  MemoryPlan plan;
  size_t n = intervals.size();
  plan.offsets.assign(n, 0);
  std::vector<uint64_t> size(n);
  for (size_t i = 0; i < n; ++i)
    size[i] = (intervals[i].size + alignment - 1) & ~(alignment - 1);

  // Peak of the live set: sweep over step boundaries.
  std::map<size_t, int64_t> delta;
  for (size_t i = 0; i < n; ++i) {
    plan.totalBytes += size[i];
    if (size[i] == 0)
      continue;
    delta[intervals[i].first] += static_cast<int64_t>(size[i]);
    delta[intervals[i].last + 1] -= static_cast<int64_t>(size[i]);
  }
  int64_t live = 0;
  for (const auto &step : delta) {
    live += step.second;
    plan.livePeakBytes =
        std::max<uint64_t>(plan.livePeakBytes, static_cast<uint64_t>(live));
  }

  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return size[a] > size[b]; });
  // Placed buffers that live at most kShortSteps steps, by first step: the
  // ones alive during [first, last] start in [first - kShortSteps, last].
  // Longer-lived ones (few in real graphs) are all looked at. This keeps
  // the plan of a long chain near-linear instead of quadratic.
  constexpr size_t kShortSteps = 64;
  std::multimap<size_t, size_t> placedShort;
  std::vector<size_t> placedLong;
  std::vector<std::pair<uint64_t, uint64_t>> busy; // [offset, end)
  for (size_t i : order) {
    if (size[i] == 0)
      continue;
    const LiveInterval &life = intervals[i];
    busy.clear();
    auto consider = [&](size_t j) {
      if (intervals[j].first <= life.last && life.first <= intervals[j].last)
        busy.emplace_back(plan.offsets[j], plan.offsets[j] + size[j]);
    };
    for (size_t j : placedLong)
      consider(j);
    size_t from = life.first > kShortSteps ? life.first - kShortSteps : 0;
    for (auto it = placedShort.lower_bound(from);
         it != placedShort.end() && it->first <= life.last; ++it)
      consider(it->second);
    std::sort(busy.begin(), busy.end());
    // Best fit: the smallest gap between time-overlapping buffers that
    // holds this one; otherwise after the last of them.
    uint64_t cursor = 0, best = UINT64_MAX, bestGap = UINT64_MAX;
    for (const auto &b : busy) {
      if (b.first > cursor) {
        uint64_t gap = b.first - cursor;
        if (gap >= size[i] && gap < bestGap) {
          best = cursor;
          bestGap = gap;
        }
      }
      cursor = std::max(cursor, b.second);
    }
    plan.offsets[i] = best != UINT64_MAX ? best : cursor;
    plan.arenaBytes = std::max(plan.arenaBytes, plan.offsets[i] + size[i]);
    if (life.last - life.first <= kShortSteps)
      placedShort.emplace(life.first, i);
    else
      placedLong.push_back(i);
  }
  return plan;
}

} // namespace rt
} // namespace hcc
