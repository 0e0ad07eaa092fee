//===- file_checks.h - Inputs and outputs that are plain files --*- C++ -*-===//
//
// What a tool or the runtime reads or writes by path must be a regular file
// (or, for an output, a new path): a FIFO would block the reader forever,
// /dev/zero never ends, a directory is no data, and renaming a finished
// output over a device node or a symbolic link would replace the node or
// the link instead of writing where it points.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_SUPPORT_FILE_CHECKS_H
#define HCC_RUNTIME_SUPPORT_FILE_CHECKS_H

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace hcc {
namespace support {

/// "a directory", "a FIFO", "a character device", ... for a file type that
/// is not a regular file; null for a regular file.
const char *specialFileKind(mode_t mode);

/// Reads `path` whole into `out`. It must be a regular file of at most
/// `maxBytes`; it is opened without blocking, so a FIFO is refused, not
/// waited on. Errors name the path.
bool readRegularFile(const std::string &path, uint64_t maxBytes,
                     std::string &out, std::string *error);

/// Whether an output may be written to `path`: a new path in an existing,
/// writable directory, or an existing regular file (not a symbolic link,
/// device, FIFO, socket or directory). Errors name the path.
bool checkOutputPath(const std::string &path, std::string *error);

} // namespace support
} // namespace hcc

#endif // HCC_RUNTIME_SUPPORT_FILE_CHECKS_H
