//===- ScratchAllocTest.cpp - The CPU kernels' scratch allocator ---------===//

#include "scratch_alloc.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <gtest/gtest.h>
#include <thread>
#include <vector>

using namespace hcc::rt;

namespace {

bool alignedTo(void *p, uintptr_t align) {
  return reinterpret_cast<uintptr_t>(p) % align == 0;
}

TEST(ScratchAlloc, FreedBlockIsReusedForTheSameSize) {
  scratchTrim();
  void *a = hcc_cpu_scratch_alloc(3 << 20);
  ASSERT_NE(a, nullptr);
  std::memset(a, 1, 3 << 20);
  hcc_cpu_scratch_free(a);
  EXPECT_GE(scratchCachedBytes(), uint64_t(3) << 20);
  void *b = hcc_cpu_scratch_alloc(3 << 20);
  EXPECT_EQ(a, b);
  EXPECT_EQ(scratchCachedBytes(), 0u);
  hcc_cpu_scratch_free(b);
  scratchTrim();
  EXPECT_EQ(scratchCachedBytes(), 0u);
}

TEST(ScratchAlloc, MuchLargerBlocksAreNotHandedToSmallRequests) {
  scratchTrim();
  void *big = hcc_cpu_scratch_alloc(1 << 20);
  hcc_cpu_scratch_free(big);
  void *small = hcc_cpu_scratch_alloc(1 << 10);
  EXPECT_NE(small, big);
  EXPECT_EQ(scratchCachedBytes(), uint64_t(1) << 20);
  hcc_cpu_scratch_free(small);
  scratchTrim();
}

TEST(ScratchAlloc, Alignment) {
  for (int64_t align : {1, 16, 64, 128, 4096}) {
    void *p = hcc_cpu_scratch_aligned_alloc(align, 100);
    ASSERT_NE(p, nullptr) << align;
    EXPECT_TRUE(alignedTo(p, std::max<int64_t>(align, 64))) << align;
    hcc_cpu_scratch_free(p);
  }
  // A cached 64-aligned block does not serve a 4096-aligned request.
  scratchTrim();
  void *p = hcc_cpu_scratch_alloc(8192);
  hcc_cpu_scratch_free(p);
  void *q = hcc_cpu_scratch_aligned_alloc(4096, 8192);
  EXPECT_TRUE(alignedTo(q, 4096));
  hcc_cpu_scratch_free(q);
  scratchTrim();
}

TEST(ScratchAlloc, BadRequestsReturnNull) {
  EXPECT_EQ(hcc_cpu_scratch_alloc(-1), nullptr);
  EXPECT_EQ(hcc_cpu_scratch_aligned_alloc(3, 64), nullptr);
  EXPECT_EQ(hcc_cpu_scratch_aligned_alloc(0, 64), nullptr);
  EXPECT_EQ(hcc_cpu_scratch_aligned_alloc(64, -5), nullptr);
  hcc_cpu_scratch_free(nullptr); // nothing
  void *zero = hcc_cpu_scratch_alloc(0);
  EXPECT_NE(zero, nullptr);
  hcc_cpu_scratch_free(zero);
}

TEST(ScratchAlloc, CacheIsBounded) {
  scratchTrim();
  // 40 blocks of 16 MiB freed: the cache keeps at most 256 MiB of them.
  std::vector<void *> blocks;
  for (int i = 0; i < 40; ++i)
    blocks.push_back(hcc_cpu_scratch_alloc(16 << 20));
  for (void *b : blocks)
    hcc_cpu_scratch_free(b);
  EXPECT_LE(scratchCachedBytes(), uint64_t(256) << 20);
  EXPECT_GT(scratchCachedBytes(), 0u);
  scratchTrim();
}

TEST(ScratchAlloc, SmallBlocksStayWithTheThread) {
  scratchTrim();
  void *p = hcc_cpu_scratch_alloc(32 << 10);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(alignedTo(p, 64));
  hcc_cpu_scratch_free(p);
  EXPECT_EQ(scratchCachedBytes(), 0u);
  EXPECT_EQ(scratchThreadCachedBytes(), uint64_t(32) << 10);
  // The next panel of about that size takes it back; a much smaller
  // request or a stricter alignment does not.
  void *tiny = hcc_cpu_scratch_alloc(1000);
  EXPECT_NE(tiny, p);
  void *strict = hcc_cpu_scratch_aligned_alloc(4096, 32 << 10);
  EXPECT_NE(strict, p);
  EXPECT_TRUE(alignedTo(strict, 4096));
  void *q = hcc_cpu_scratch_alloc(20 << 10);
  EXPECT_EQ(q, p);
  for (void *b : {tiny, strict, q})
    hcc_cpu_scratch_free(b);
  // Another thread does not see this thread's blocks.
  std::thread([] { EXPECT_EQ(scratchThreadCachedBytes(), 0u); }).join();
  scratchTrim();
  EXPECT_EQ(scratchThreadCachedBytes(), 0u);
}

TEST(ScratchAlloc, ThreadCacheIsBounded) {
  scratchTrim();
  // 40 panels of 64 KiB freed: a thread keeps at most 16 blocks; 40 of
  // 120 KiB: at most 2 MiB.
  for (int64_t size : {int64_t(64) << 10, int64_t(120) << 10}) {
    std::vector<void *> blocks;
    for (int i = 0; i < 40; ++i)
      blocks.push_back(hcc_cpu_scratch_alloc(size));
    for (void *b : blocks)
      hcc_cpu_scratch_free(b);
    EXPECT_LE(scratchThreadCachedBytes(),
              std::min<uint64_t>(16 * uint64_t(size), uint64_t(2) << 20));
    EXPECT_GT(scratchThreadCachedBytes(), 0u);
    scratchTrim();
  }
  scratchTrim();
  EXPECT_EQ(scratchThreadCachedBytes(), 0u);
}

TEST(ScratchAlloc, ThreadsShareTheCache) {
  scratchTrim();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([] {
      for (int i = 0; i < 200; ++i) {
        auto *p = static_cast<char *>(
            hcc_cpu_scratch_alloc(int64_t(128 << 10) * (1 + i % 3)));
        p[0] = 1;
        hcc_cpu_scratch_free(p);
      }
    });
  for (std::thread &t : threads)
    t.join();
  // At most one block of each size per thread.
  EXPECT_LE(scratchCachedBytes(), uint64_t(4) * (1 + 2 + 3) * (128 << 10));
  scratchTrim();
}

} // namespace
