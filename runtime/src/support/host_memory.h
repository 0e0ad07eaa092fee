//===- host_memory.h - how much host memory an allocation may take -------===//
//
// Linux overcommits: an allocation of 20 GiB on a 24 GiB machine succeeds
// and the process is killed when the kernel writes it. The runtime's own
// allocations ask first and fail with a status instead.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_RUNTIME_SUPPORT_HOST_MEMORY_H
#define HCC_RUNTIME_SUPPORT_HOST_MEMORY_H

#include <cstddef>
#include <cstdint>

namespace hcc {
namespace rt {

/// Whether `bytes` can be allocated on the host without exhausting it: true
/// below 1 GiB (not worth asking), else when it is at most 3/4 of what the
/// kernel reports available (MemAvailable: free plus reclaimable), leaving
/// the rest to the kernels' scratch, the other buffers and other processes.
bool hostMemoryFits(uint64_t bytes);

/// aligned_alloc of `bytes` rounded up to `alignment` (at least a pointer),
/// null when it fails or would not fit (hostMemoryFits).
void *allocateHost(size_t bytes, size_t alignment);

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_SUPPORT_HOST_MEMORY_H
