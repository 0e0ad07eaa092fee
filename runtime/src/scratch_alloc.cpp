//===- scratch_alloc.cpp - Scratch memory of CPU kernels ------------------===//
//
// A block is malloc'ed with room for a header and the payload's alignment;
// the header, just before the payload, records the block's base, capacity
// and alignment. Small blocks (below kCacheMin) wait in a per-thread cache
// of a few blocks: kernels take a packed panel (8-64 KiB) per register-tile
// column, hundreds per run, and glibc serves blocks of that size from its
// shared bins, not its per-thread caches (3.8 % of mobilenet_v2's run time
// was in malloc and free). The cache keeps up to 16 blocks, 2 MiB: a run
// of a model takes panels of several sizes, and with 8 blocks and 512 KiB
// some went through malloc on every run (efficientnet_b0: 0.9 % of its
// run in malloc's chunk consolidation, which one depthwise kernel's time
// took, 75 -> 95 us). A small block freed when the thread's cache is full
// goes back to malloc, which never unmaps it.
// Large freed blocks wait in a size-ordered cache; an allocation takes the
// smallest cached block whose capacity is at least its size and at most
// twice it. The cache holds at most kCacheLimit bytes; a block freed beyond
// that goes back to the system.
//
//===----------------------------------------------------------------------===//

#include "scratch_alloc.h"

#include <cstdlib>
#include <map>
#include <mutex>

namespace {

constexpr uint64_t kMinAlign = 64;
// glibc's initial mmap threshold: smaller blocks stay in its heap.
constexpr uint64_t kCacheMin = uint64_t(128) << 10;
constexpr uint64_t kCacheLimit = uint64_t(256) << 20;

struct Header {
  void *base;        // what malloc returned
  uint64_t capacity; // payload bytes
  uint64_t align;    // payload alignment (the header's size)
};

struct Cache {
  std::mutex mutex;
  // capacity/alignment -> payload
  std::multimap<std::pair<uint64_t, uint64_t>, void *> blocks;
  uint64_t bytes = 0;

  void trim() {
    std::lock_guard<std::mutex> lock(mutex);
    for (auto &entry : blocks)
      std::free(header(entry.second)->base);
    blocks.clear();
    bytes = 0;
  }
  static Header *header(void *payload) {
    return static_cast<Header *>(payload) - 1;
  }
};

Cache &cache() {
  static Cache *c = new Cache(); // outlives kernels freeing at exit
  return *c;
}

uint64_t roundUp(uint64_t v, uint64_t to) { return (v + to - 1) / to * to; }

/// Whether a cached block of `capacity` and `align` serves a request of
/// `size` bytes aligned to `want`: large enough, at most twice the size.
bool serves(uint64_t capacity, uint64_t align, uint64_t size, uint64_t want) {
  return capacity >= size && capacity <= 2 * size && align >= want;
}

/// The calling thread's small freed blocks (below kCacheMin).
struct LocalCache {
  static constexpr int kSlots = 16;
  static constexpr uint64_t kLimit = uint64_t(2) << 20;
  void *blocks[kSlots] = {};
  int count = 0;
  uint64_t bytes = 0;

  void *take(uint64_t size, uint64_t align) {
    for (int i = count - 1; i >= 0; --i) {
      Header *h = Cache::header(blocks[i]);
      if (!serves(h->capacity, h->align, size, align))
        continue;
      void *payload = blocks[i];
      blocks[i] = blocks[--count];
      bytes -= h->capacity;
      return payload;
    }
    return nullptr;
  }
  bool keep(void *payload) {
    uint64_t capacity = Cache::header(payload)->capacity;
    if (count == kSlots || bytes + capacity > kLimit)
      return false;
    blocks[count++] = payload;
    bytes += capacity;
    return true;
  }
  void trim() {
    for (int i = 0; i < count; ++i)
      std::free(Cache::header(blocks[i])->base);
    count = 0;
    bytes = 0;
  }
  ~LocalCache() { trim(); }
};

LocalCache &localCache() {
  thread_local LocalCache local;
  return local;
}

void *allocate(uint64_t align, uint64_t bytes) {
  if (align < kMinAlign)
    align = kMinAlign;
  uint64_t size = roundUp(bytes ? bytes : 1, kMinAlign);
  if (size < kCacheMin) {
    if (void *payload = localCache().take(size, align))
      return payload;
  } else {
    Cache &c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    auto it = c.blocks.lower_bound({size, 0});
    for (; it != c.blocks.end() && it->first.first <= 2 * size; ++it) {
      if (!serves(it->first.first, it->first.second, size, align))
        continue;
      void *payload = it->second;
      c.bytes -= it->first.first;
      c.blocks.erase(it);
      return payload;
    }
  }
  uint64_t extra = sizeof(Header) + align;
  if (size > UINT64_MAX - extra)
    return nullptr;
  void *base = std::malloc(size + extra);
  if (!base)
    return nullptr;
  uintptr_t first = reinterpret_cast<uintptr_t>(base) + sizeof(Header);
  void *payload = reinterpret_cast<void *>(roundUp(first, align));
  *Cache::header(payload) = Header{base, size, align};
  return payload;
}

} // namespace

void *hcc_cpu_scratch_alloc(int64_t bytes) {
  return bytes < 0 ? nullptr : allocate(kMinAlign, uint64_t(bytes));
}

void *hcc_cpu_scratch_aligned_alloc(int64_t alignment, int64_t bytes) {
  if (bytes < 0 || alignment <= 0 || (alignment & (alignment - 1)) != 0)
    return nullptr;
  return allocate(uint64_t(alignment), uint64_t(bytes));
}

void hcc_cpu_scratch_free(void *payload) {
  if (!payload)
    return;
  Header *h = Cache::header(payload);
  if (h->capacity < kCacheMin) {
    if (!localCache().keep(payload))
      std::free(h->base);
    return;
  }
  Cache &c = cache();
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    if (h->capacity >= kCacheMin && c.bytes + h->capacity <= kCacheLimit) {
      c.bytes += h->capacity;
      c.blocks.insert({{h->capacity, h->align}, payload});
      return;
    }
  }
  std::free(h->base);
}

namespace hcc {
namespace rt {
uint64_t scratchCachedBytes() {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return c.bytes;
}
uint64_t scratchThreadCachedBytes() { return localCache().bytes; }
void scratchTrim() {
  localCache().trim();
  cache().trim();
}
} // namespace rt
} // namespace hcc
