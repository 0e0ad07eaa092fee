//===- opencl_cache.cpp - On-disk cache of OpenCL program binaries -------===//

#include "drivers/opencl_cache.h"
#include "support/atomic_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hcc {
namespace rt {
namespace opencl {

namespace {

std::string cacheDirectoryPath() {
  auto env = [](const char *name) {
    const char *v = std::getenv(name);
    return std::string(v ? v : "");
  };
  if (!env("HCC_CACHE_DIR").empty())
    return env("HCC_CACHE_DIR") + "/opencl";
  if (!env("XDG_CACHE_HOME").empty())
    return env("XDG_CACHE_HOME") + "/hcc/opencl";
  if (!env("HOME").empty())
    return env("HOME") + "/.cache/hcc/opencl";
  return "";
}

bool makeDirectories(const std::string &path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/')
      continue;
    std::string prefix = path.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST)
      return false;
  }
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
         ::access(path.c_str(), W_OK | X_OK) == 0;
}

// Cache entry: magic, key, payload size, payload hash, payload. The hash
// keeps a truncated or damaged binary away from the OpenCL implementation,
// which need not survive one.
constexpr char kCacheMagic[8] = {'H', 'C', 'C', 'C', 'L', 'B', '0', '1'};
constexpr size_t kCacheHeader = 32;

} // namespace

std::string programCacheDirectory() {
  std::string dir = cacheDirectoryPath();
  return !dir.empty() && makeDirectories(dir) ? dir : "";
}

bool readProgramCacheEntry(const std::string &path, uint64_t key,
                           std::vector<uint8_t> &payload) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  struct stat st;
  bool ok = ::fstat(fd, &st) == 0 && st.st_size >= (off_t)kCacheHeader &&
            static_cast<uint64_t>(st.st_size) <= kMaxProgramCacheEntry;
  std::vector<uint8_t> bytes(ok ? static_cast<size_t>(st.st_size) : 0);
  size_t got = 0;
  while (ok && got < bytes.size()) {
    ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      ok = false;
    else
      got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (!ok)
    return false;
  uint64_t header[3];
  std::memcpy(header, bytes.data() + 8, sizeof(header));
  if (std::memcmp(bytes.data(), kCacheMagic, 8) != 0 || header[0] != key ||
      header[1] != bytes.size() - kCacheHeader)
    return false;
  Fnv1a hash;
  hash.bytes(bytes.data() + kCacheHeader, bytes.size() - kCacheHeader);
  if (hash.h != header[2])
    return false;
  payload.assign(bytes.begin() + kCacheHeader, bytes.end());
  return true;
}

void writeProgramCacheEntry(const std::string &path, uint64_t key,
                            const std::vector<uint8_t> &payload) {
  std::vector<uint8_t> bytes(kCacheHeader + payload.size());
  Fnv1a hash;
  hash.bytes(payload.data(), payload.size());
  uint64_t header[3] = {key, payload.size(), hash.h};
  std::memcpy(bytes.data(), kCacheMagic, 8);
  std::memcpy(bytes.data() + 8, header, sizeof(header));
  std::copy(payload.begin(), payload.end(), bytes.begin() + kCacheHeader);
  std::string error;
  // A cache that cannot be written only costs the next run a compile.
  (void)support::writeFileAtomically(path, bytes.data(), bytes.size(), &error);
}

} // namespace opencl
} // namespace rt
} // namespace hcc
