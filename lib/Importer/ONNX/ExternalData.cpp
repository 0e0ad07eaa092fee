//===- ExternalData.cpp - hardened reader of ONNX external data -----------===//
//
// ONNX external data names a file next to the model. A model is untrusted
// input, so the path is resolved one component at a time with openat and
// O_NOFOLLOW beneath the base directory: no absolute path, no `..`, no
// symbolic link at any level, no hard-linked file (it may alias a file
// outside), and the requested range must lie within the file.
//
//===----------------------------------------------------------------------===//

#include "ExternalData.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hcc::onnx_import;

namespace {
/// Closes a file descriptor on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  ~Fd() {
    if (fd >= 0)
      ::close(fd);
  }
};
} // namespace

bool hcc::onnx_import::readExternalData(llvm::StringRef baseDir,
                                        llvm::StringRef location,
                                        uint64_t offset, uint64_t length,
                                        std::vector<char> &out,
                                        std::string &error) {
  if (location.empty()) {
    error = "external data location is empty";
    return false;
  }
  if (location.starts_with("/") || location.contains('\\') ||
      location.contains(':')) {
    error = "external data location '" + location.str() +
            "' must be a relative path inside the model's directory";
    return false;
  }
  llvm::SmallVector<llvm::StringRef> parts;
  location.split(parts, '/', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts) {
    if (part == "..") {
      error = "external data location '" + location.str() +
              "' escapes the model's directory ('..')";
      return false;
    }
  }
  std::string base = baseDir.empty() ? "." : baseDir.str();
  Fd dir(::open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.fd < 0) {
    error = "cannot open directory '" + base + "': " + std::strerror(errno);
    return false;
  }
  int current = dir.fd;
  llvm::SmallVector<std::unique_ptr<Fd>> opened;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] == ".")
      continue;
    bool last = i + 1 == parts.size();
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer; it is
    // refused below as not a regular file (reads of regular files ignore it).
    int flags =
        O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY);
    int fd = ::openat(current, parts[i].str().c_str(), flags);
    if (fd < 0) {
      int err = errno;
      if (err == ELOOP || err == ENOTDIR)
        error = "external data location '" + location.str() +
                "' goes through a symbolic link or non-directory";
      else
        error = "cannot open external data file '" + location.str() +
                "': " + std::strerror(err);
      return false;
    }
    opened.push_back(std::make_unique<Fd>(fd));
    current = fd;
  }
  if (opened.empty()) {
    error = "external data location '" + location.str() + "' is not a file";
    return false;
  }
  struct stat st;
  if (::fstat(current, &st) != 0 || !S_ISREG(st.st_mode)) {
    error =
        "external data location '" + location.str() + "' is not a regular file";
    return false;
  }
  if (st.st_nlink > 1) {
    error = "external data file '" + location.str() +
            "' has several hard links; refusing it";
    return false;
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (offset > size || length > size - offset) {
    error = "external data range [" + std::to_string(offset) + ", " +
            std::to_string(offset) + " + " + std::to_string(length) +
            ") lies outside '" + location.str() + "' (" + std::to_string(size) +
            " bytes)";
    return false;
  }
  out.resize(length);
  uint64_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(current, out.data() + done, length - done,
                        static_cast<off_t>(offset + done));
    if (n <= 0) {
      error = "cannot read external data file '" + location.str() + "'";
      return false;
    }
    done += static_cast<uint64_t>(n);
  }
  return true;
}
