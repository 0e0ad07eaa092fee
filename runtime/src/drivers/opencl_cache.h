//===- opencl_cache.h - On-disk cache of OpenCL program binaries -*- C++
//-*-===//
//
// Building OpenCL C takes about a second; loading a saved binary takes
// milliseconds. Entries live in $HCC_CACHE_DIR/opencl, else
// $XDG_CACHE_HOME/hcc/opencl, else $HOME/.cache/hcc/opencl, one file per
// key, written atomically. Every failure here just means "not cached".
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_DRIVERS_OPENCL_CACHE_H
#define HCC_RUNTIME_DRIVERS_OPENCL_CACHE_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hcc {
namespace rt {
namespace opencl {

/// FNV-1a 64: the cache key and the entries' checksum.
struct Fnv1a {
  uint64_t h = 14695981039346656037ull;
  void bytes(const void *data, size_t size) {
    const auto *p = static_cast<const uint8_t *>(data);
    for (size_t i = 0; i < size; ++i) {
      h ^= p[i];
      h *= 1099511628211ull;
    }
  }
  // Length-prefixed so that field boundaries cannot shift between keys.
  void field(const std::string &s) {
    uint64_t n = s.size();
    bytes(&n, sizeof(n));
    bytes(s.data(), s.size());
  }
};

/// Larger binaries are neither stored nor read.
constexpr uint64_t kMaxProgramCacheEntry = uint64_t(1) << 30;

/// The cache directory, created if needed; "" when there is none or it
/// cannot be created or written.
std::string programCacheDirectory();

/// The payload stored under `key` in `path`; false when missing, damaged or
/// stored under another key.
bool readProgramCacheEntry(const std::string &path, uint64_t key,
                           std::vector<uint8_t> &payload);
/// Replaces `path` atomically; failures are ignored.
void writeProgramCacheEntry(const std::string &path, uint64_t key,
                            const std::vector<uint8_t> &payload);

} // namespace opencl
} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_DRIVERS_OPENCL_CACHE_H
