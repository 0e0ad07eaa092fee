//===- atomic_file.h - Write a file all at once or not at all ---*- C++ -*-===//
//
// Readers never see a half-written file: data goes to a temporary file in the
// destination directory, which is renamed over the destination at the end.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_SUPPORT_ATOMIC_FILE_H
#define HCC_RUNTIME_SUPPORT_ATOMIC_FILE_H

#include <cstddef>
#include <string>

namespace hcc {
namespace support {

/// A temporary file next to `path` that becomes `path` on commit() and is
/// removed otherwise. Errors name the destination path.
class AtomicFile {
public:
  explicit AtomicFile(std::string path) : path(std::move(path)) {}
  ~AtomicFile();
  AtomicFile(const AtomicFile &) = delete;
  AtomicFile &operator=(const AtomicFile &) = delete;

  bool open(std::string *error);
  bool write(const void *data, size_t size, std::string *error);
  /// Flushes and renames over the destination.
  bool commit(std::string *error);
  /// Removes the temporary file (also done by the destructor).
  void discard();

private:
  std::string path;
  std::string tmpPath;
  int fd = -1;
};

/// Writes `size` bytes to `path` atomically.
bool writeFileAtomically(const std::string &path, const void *data, size_t size,
                         std::string *error);

} // namespace support
} // namespace hcc

#endif // HCC_RUNTIME_SUPPORT_ATOMIC_FILE_H
