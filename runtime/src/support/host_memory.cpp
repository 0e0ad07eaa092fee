//===- host_memory.cpp - how much host memory an allocation may take -----===//

#include "host_memory.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace hcc {
namespace rt {

namespace {

/// MemAvailable in bytes; the free pages where /proc/meminfo lacks it.
uint64_t availableBytes() {
  if (FILE *f = std::fopen("/proc/meminfo", "r")) {
    char line[256];
    unsigned long long kib = 0;
    bool found = false;
    while (!found && std::fgets(line, sizeof line, f))
      found = std::sscanf(line, "MemAvailable: %llu kB", &kib) == 1;
    std::fclose(f);
    if (found)
      return static_cast<uint64_t>(kib) * 1024;
  }
  long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || size <= 0)
    return UINT64_MAX; // unknown: let the allocator decide
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(size);
}

} // namespace

bool hostMemoryFits(uint64_t bytes) {
  return bytes < (uint64_t(1) << 30) || bytes <= availableBytes() / 4 * 3;
}

void *allocateHost(size_t bytes, size_t alignment) {
  if (alignment < sizeof(void *))
    alignment = sizeof(void *);
  if (bytes > SIZE_MAX - alignment || !hostMemoryFits(bytes))
    return nullptr;
  size_t size = (bytes + alignment - 1) / alignment * alignment;
  return std::aligned_alloc(alignment, size ? size : alignment);
}

} // namespace rt
} // namespace hcc
