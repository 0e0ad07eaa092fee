//===- MemoryPlannerTest.cpp - Arena size equals the live-set peak -------===//

#include "memory_planner.h"

#include <gtest/gtest.h>
#include <random>

using namespace hcc::rt;

namespace {

/// No two buffers alive at the same step may share bytes.
void expectNoConflicts(const std::vector<LiveInterval> &iv,
                       const MemoryPlan &plan) {
  for (size_t i = 0; i < iv.size(); ++i)
    for (size_t j = i + 1; j < iv.size(); ++j) {
      if (iv[i].size == 0 || iv[j].size == 0)
        continue;
      bool timeOverlap = iv[i].first <= iv[j].last && iv[j].first <= iv[i].last;
      bool spaceOverlap = plan.offsets[i] < plan.offsets[j] + iv[j].size &&
                          plan.offsets[j] < plan.offsets[i] + iv[i].size;
      EXPECT_FALSE(timeOverlap && spaceOverlap) << i << " vs " << j;
    }
  for (size_t i = 0; i < iv.size(); ++i) {
    EXPECT_EQ(plan.offsets[i] % 64, 0u);
    EXPECT_LE(plan.offsets[i] + iv[i].size, plan.arenaBytes);
  }
}

TEST(MemoryPlanner, ChainReusesMemory) {
  // a -> b -> c -> d: each buffer lives across two steps.
  std::vector<LiveInterval> iv = {
      {1024, 0, 1}, {2048, 1, 2}, {1024, 2, 3}, {2048, 3, 4}};
  MemoryPlan plan = planMemory(iv);
  expectNoConflicts(iv, plan);
  EXPECT_EQ(plan.livePeakBytes, 3072u);
  EXPECT_EQ(plan.arenaBytes, plan.livePeakBytes);
  EXPECT_EQ(plan.totalBytes, 6144u);
}

TEST(MemoryPlanner, DiamondPeakIsLargestLiveSet) {
  // step0 writes A; step1 B=f(A); step2 C=g(A); step3 D=h(B,C); step4 E=k(D)
  std::vector<LiveInterval> iv = {
      {4096, 0, 2}, {1024, 1, 3}, {2048, 2, 3}, {4096, 3, 4}, {512, 4, 4}};
  MemoryPlan plan = planMemory(iv);
  expectNoConflicts(iv, plan);
  EXPECT_EQ(plan.livePeakBytes, 4096u + 1024 + 2048);
  EXPECT_EQ(plan.arenaBytes, plan.livePeakBytes);
}

TEST(MemoryPlanner, AlignsAndSkipsEmpty) {
  std::vector<LiveInterval> iv = {{1, 0, 0}, {0, 0, 5}, {65, 0, 0}};
  MemoryPlan plan = planMemory(iv);
  expectNoConflicts(iv, plan);
  EXPECT_EQ(plan.arenaBytes, 64u + 128u);
  EXPECT_EQ(plan.livePeakBytes, 192u);
}

TEST(MemoryPlanner, RandomLifetimesNeverConflict) {
  std::mt19937 rng(42);
  for (int round = 0; round < 50; ++round) {
    std::vector<LiveInterval> iv;
    for (int i = 0; i < 40; ++i) {
      size_t first = rng() % 30;
      iv.push_back({64u * (1 + rng() % 32), first, first + rng() % 6});
    }
    MemoryPlan plan = planMemory(iv);
    expectNoConflicts(iv, plan);
    EXPECT_GE(plan.arenaBytes, plan.livePeakBytes);
    EXPECT_LE(plan.arenaBytes, plan.totalBytes);
  }
}

} // namespace
