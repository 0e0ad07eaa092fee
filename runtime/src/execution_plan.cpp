//===- execution_plan.cpp - Memory layout and kernel dependencies --------===//

#include "execution_plan.h"

#include <algorithm>

namespace hcc {
namespace rt {

namespace {
/// A byte range a kernel touches: in device d's arena (space d) or inside a
/// non-arena root buffer (space #devices + root id).
struct Access {
  uint64_t space, begin, end;
  bool write;
};
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

  plan.successors.assign(nk, {});
  plan.predecessorCount.assign(nk, 0);
  std::vector<char> edge(nk, 0);
  for (size_t k = 0; k < nk; ++k) {
    std::fill(edge.begin(), edge.end(), 0);
    for (size_t d : m.kernels[k].deps)
      edge[d] = 1;
    for (size_t j = 0; j < k; ++j) {
      if (edge[j])
        continue;
      for (const Access &x : accesses[j]) {
        for (const Access &y : accesses[k])
          if (x.space == y.space && (x.write || y.write) && x.begin < y.end &&
              y.begin < x.end) {
            edge[j] = 1;
            break;
          }
        if (edge[j])
          break;
      }
    }
    for (size_t j = 0; j < k; ++j)
      if (edge[j]) {
        plan.successors[j].push_back(k);
        plan.predecessorCount[k]++;
      }
  }
  return plan;
}

} // namespace rt
} // namespace hcc
