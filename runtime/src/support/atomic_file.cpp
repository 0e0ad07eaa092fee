//===- atomic_file.cpp - Write a file all at once or not at all ---------===//

#include "support/atomic_file.h"
#include "support/file_checks.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hcc {
namespace support {

static std::string describeErrno(const std::string &path, const char *what) {
  return "cannot " + std::string(what) + " '" + path +
         "': " + std::strerror(errno);
}

AtomicFile::~AtomicFile() { discard(); }

bool AtomicFile::open(std::string *error) {
  // Renamed over a device node or a symbolic link, the file would replace
  // it instead of being written where it points.
  if (!checkOutputPath(path, error))
    return false;
  tmpPath = path + ".tmp.XXXXXX";
  fd = ::mkstemp(&tmpPath[0]);
  if (fd < 0) {
    *error = describeErrno(path, "write");
    tmpPath.clear();
    return false;
  }
  // mkstemp creates 0600; give the result the usual permissions.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  return true;
}

bool AtomicFile::write(const void *data, size_t size, std::string *error) {
  const char *p = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      *error = describeErrno(path, "write");
      return false;
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool AtomicFile::commit(std::string *error) {
  if (::close(fd) != 0) {
    fd = -1;
    *error = describeErrno(path, "write");
    return false;
  }
  fd = -1;
  if (::rename(tmpPath.c_str(), path.c_str()) != 0) {
    *error = describeErrno(path, "write");
    return false;
  }
  tmpPath.clear();
  return true;
}

void AtomicFile::discard() {
  if (fd >= 0)
    ::close(fd);
  fd = -1;
  if (!tmpPath.empty())
    ::unlink(tmpPath.c_str());
  tmpPath.clear();
}

bool writeFileAtomically(const std::string &path, const void *data, size_t size,
                         std::string *error) {
  AtomicFile file(path);
  return file.open(error) && file.write(data, size, error) &&
         file.commit(error);
}

} // namespace support
} // namespace hcc
