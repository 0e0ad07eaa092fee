//===- scratch_alloc.h - Scratch memory of CPU kernels ---------*- C++ -*-===//
//
// CPU kernels allocate their temporaries (im2col blocks, packed panels,
// Winograd tiles) with these functions instead of malloc: the runtime keeps
// freed blocks and hands them back to the next allocation of about the same
// size, so a kernel run over and over reuses pages that are already
// mapped. With plain malloc, glibc returns large freed blocks to the
// system (its trim and mmap thresholds), and every run pays a page fault
// for each 4 KiB page of its scratch again.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_SCRATCH_ALLOC_H
#define HCC_RUNTIME_SCRATCH_ALLOC_H

#include <cstdint>

#define HCC_SCRATCH_EXPORT extern "C" __attribute__((visibility("default")))

/// `bytes` of memory aligned to 64 bytes; null when out of memory.
HCC_SCRATCH_EXPORT void *hcc_cpu_scratch_alloc(int64_t bytes);
/// `bytes` aligned to `alignment` (a power of two); null when out of memory
/// or when the alignment is not a power of two.
HCC_SCRATCH_EXPORT void *hcc_cpu_scratch_aligned_alloc(int64_t alignment,
                                                       int64_t bytes);
/// Gives back a block of the two functions above (null: nothing).
HCC_SCRATCH_EXPORT void hcc_cpu_scratch_free(void *block);

namespace hcc {
namespace rt {
/// Bytes held in the shared cache of large freed blocks (for tests).
uint64_t scratchCachedBytes();
/// Bytes held in the calling thread's cache of small freed blocks.
uint64_t scratchThreadCachedBytes();
/// Frees every block of the shared cache and of the calling thread's.
void scratchTrim();
} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_SCRATCH_ALLOC_H
