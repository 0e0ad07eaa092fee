//===- file_checks.cpp - Inputs and outputs that are plain files ----------===//

#include "support/file_checks.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hcc {
namespace support {

const char *specialFileKind(mode_t mode) {
  if (S_ISREG(mode))
    return nullptr;
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  if (S_ISLNK(mode))
    return "a symbolic link";
  return "a special file";
}

namespace {
bool fail(std::string *error, const std::string &message) {
  if (error)
    *error = message;
  return false;
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0)
      ::close(fd);
  }
};
} // namespace

bool readRegularFile(const std::string &path, uint64_t maxBytes,
                     std::string &out, std::string *error) {
  Fd file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0)
    return fail(error, "cannot open '" + path + "': " + std::strerror(errno));
  struct stat st;
  if (::fstat(file.fd, &st) != 0)
    return fail(error, "cannot read '" + path + "': " + std::strerror(errno));
  if (const char *kind = specialFileKind(st.st_mode))
    return fail(error,
                "cannot read '" + path + "': " + kind + ", not a regular file");
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > maxBytes)
    return fail(error, "cannot read '" + path + "': " + std::to_string(size) +
                           " bytes, more than the " + std::to_string(maxBytes) +
                           " allowed");
  try {
    out.resize(size);
  } catch (const std::bad_alloc &) {
    return fail(error, "cannot read '" + path + "': out of memory for " +
                           std::to_string(size) + " bytes");
  }
  uint64_t done = 0;
  while (done < size) {
    ssize_t n =
        ::pread(file.fd, &out[done], size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return fail(error, "cannot read '" + path + "': " +
                             (n < 0 ? std::strerror(errno)
                                    : "the file shrank while being read"));
    done += static_cast<uint64_t>(n);
  }
  return true;
}

bool checkOutputPath(const std::string &path, std::string *error) {
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) {
    if (const char *kind = specialFileKind(st.st_mode))
      return fail(error, "cannot write '" + path + "': it is " +
                             std::string(kind) +
                             "; outputs go only to regular files or new paths");
    return true;
  }
  if (errno != ENOENT)
    return fail(error, "cannot write '" + path + "': " + std::strerror(errno));
  std::string dir = ".";
  if (size_t slash = path.find_last_of('/'); slash != std::string::npos)
    dir = slash == 0 ? "/" : path.substr(0, slash);
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return fail(error,
                "cannot write '" + path + "': no directory '" + dir + "'");
  if (::access(dir.c_str(), W_OK) != 0)
    return fail(error, "cannot write '" + path + "': " + std::strerror(errno));
  return true;
}

} // namespace support
} // namespace hcc
