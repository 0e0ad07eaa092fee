//===- execution_plan.cpp - Memory layout and kernel dependencies --------===//

#include "execution_plan.h"

#include <algorithm>
#include <cstdint>
#include <map>

namespace hcc {
namespace rt {

namespace {
/// A byte range a kernel touches: in device d's arena (space d) or inside a
/// non-arena root buffer (space #devices + root id).
struct Access {
  uint64_t space, begin, end;
  bool write;
};

/// What the bytes [key, end) of a space last saw: their last writer and the
/// kernels that read them since (kernel indices; SIZE_MAX: none).
struct Segment {
  uint64_t end;
  size_t writer = SIZE_MAX;
  std::vector<size_t> readers;
};

/// Splits the segment of `space` holding `at`, so that one starts there.
void splitAt(std::map<uint64_t, Segment> &space, uint64_t at) {
  auto it = space.upper_bound(at);
  if (it == space.begin())
    return;
  --it;
  if (it->first == at || it->second.end <= at)
    return;
  Segment tail = it->second;
  it->second.end = at;
  space.emplace(at, std::move(tail));
}

/// Records kernel k's access `a` in `space`, adding the kernels it must
/// follow to `deps`.
void touch(std::map<uint64_t, Segment> &space, const Access &a, size_t k,
           std::vector<size_t> &deps) {
  splitAt(space, a.begin);
  splitAt(space, a.end);
  // Gaps in [begin, end) become segments nobody has touched.
  uint64_t cursor = a.begin;
  for (auto it = space.lower_bound(a.begin);
       it != space.end() && it->first < a.end; ++it) {
    if (it->first > cursor)
      space.emplace(cursor, Segment{it->first});
    cursor = it->second.end;
  }
  if (cursor < a.end)
    space.emplace(cursor, Segment{a.end});
  auto first = space.lower_bound(a.begin), last = space.lower_bound(a.end);
  for (auto it = first; it != last; ++it) {
    Segment &s = it->second;
    if (s.writer != SIZE_MAX)
      deps.push_back(s.writer);
    if (a.write)
      deps.insert(deps.end(), s.readers.begin(), s.readers.end());
    else if (s.readers.empty() || s.readers.back() != k)
      s.readers.push_back(k);
  }
  if (a.write) {
    space.erase(first, last);
    Segment written{a.end};
    written.writer = k;
    space.emplace(a.begin, std::move(written));
  }
}
} // namespace

ExecutionPlan buildExecutionPlan(const Manifest &m) {
  return buildExecutionPlan(m, std::vector<uint64_t>(m.devices.size(), 64),
                            std::vector<bool>(m.buffers.size(), false));
}

ExecutionPlan buildExecutionPlan(const Manifest &m,
                                 const std::vector<uint64_t> &alignment,
                                 const std::vector<bool> &persistent) {
  ExecutionPlan plan;
  size_t nb = m.buffers.size(), nk = m.kernels.size(), nd = m.devices.size();

  // Lifetimes of intermediate roots, in kernel-list steps, per device.
  std::vector<std::vector<LiveInterval>> intervals(nd);
  std::vector<size_t> intervalOf(nb, SIZE_MAX);
  auto inArena = [&](size_t r) {
    return m.buffers[r].kind == BufferKind::Intermediate && !persistent[r];
  };
  for (size_t k = 0; k < nk; ++k)
    for (size_t arg : m.kernels[k].args) {
      size_t r = m.root(arg);
      if (!inArena(r))
        continue;
      std::vector<LiveInterval> &list = intervals[m.buffers[r].device];
      if (intervalOf[r] == SIZE_MAX) {
        intervalOf[r] = list.size();
        list.push_back({m.buffers[r].bytes, k, k});
      }
      list[intervalOf[r]].last = k;
    }
  for (size_t d = 0; d < nd; ++d)
    plan.memory.push_back(planMemory(intervals[d], alignment[d]));
  plan.arenaOffset.assign(nb, 0);
  for (size_t b = 0; b < nb; ++b)
    if (intervalOf[b] != SIZE_MAX)
      plan.arenaOffset[b] =
          plan.memory[m.buffers[b].device].offsets[intervalOf[b]];

  std::vector<std::vector<Access>> accesses(nk);
  for (size_t k = 0; k < nk; ++k) {
    const KernelDesc &kd = m.kernels[k];
    for (size_t a = 0; a < kd.args.size(); ++a) {
      size_t id = kd.args[a], r = m.root(id);
      const BufferDesc &b = m.buffers[id];
      uint64_t off = b.isView ? b.viewOffset : 0;
      Access acc;
      acc.write = a >= kd.numInputs;
      if (inArena(r)) {
        acc.space = m.buffers[r].device;
        acc.begin = plan.arenaOffset[r] + off;
      } else {
        acc.space = nd + r;
        acc.begin = off;
      }
      // Zero-size buffers still order their users conservatively.
      acc.end = acc.begin + std::max<uint64_t>(b.bytes, 1);
      accesses[k].push_back(acc);
    }
  }

  // Dependencies by sweeping the kernels in order over what each space's
  // bytes last saw: a kernel follows the last writer of what it touches
  // (read after write, write after write) and, when it writes, the readers
  // since that write (write after read). Earlier conflicts are ordered
  // through those, so the edges stay proportional to the accesses instead
  // of to all pairs of kernels.
  plan.successors.assign(nk, {});
  plan.predecessorCount.assign(nk, 0);
  std::vector<std::map<uint64_t, Segment>> spaces(nd + nb);
  std::vector<size_t> deps;
  for (size_t k = 0; k < nk; ++k) {
    deps.assign(m.kernels[k].deps.begin(), m.kernels[k].deps.end());
    for (const Access &a : accesses[k])
      touch(spaces[a.space], a, k, deps);
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
    for (size_t j : deps)
      if (j != k) {
        plan.successors[j].push_back(k);
        plan.predecessorCount[k]++;
      }
  }
  return plan;
}

} // namespace rt
} // namespace hcc
