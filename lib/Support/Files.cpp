//===- Files.cpp - Inputs and outputs that must be regular files ----------===//

#include "hcc/Support/Files.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace hcc {

namespace {
const char *kindOf(llvm::sys::fs::file_type type) {
  using llvm::sys::fs::file_type;
  switch (type) {
  case file_type::directory_file:
    return "a directory";
  case file_type::fifo_file:
    return "a FIFO";
  case file_type::character_file:
    return "a character device";
  case file_type::block_file:
    return "a block device";
  case file_type::socket_file:
    return "a socket";
  case file_type::symlink_file:
    return "a symbolic link";
  default:
    return "a special file";
  }
}
} // namespace

llvm::Error checkInputFile(llvm::StringRef path, uint64_t maxBytes) {
  auto failure = [&](const llvm::Twine &message) {
    return llvm::createStringError(
        std::make_error_code(std::errc::invalid_argument), message);
  };
  // stat, not open: opening a FIFO would wait for a writer.
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status))
    return failure(ec.message());
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return failure(llvm::Twine(kindOf(status.type())) + ", not a regular file");
  if (status.getSize() > maxBytes)
    return failure(llvm::Twine(status.getSize()) + " bytes, more than the " +
                   llvm::Twine(maxBytes) + " allowed");
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef path, bool isText, uint64_t maxBytes,
              bool allowStdin) {
  auto failure = [&](const llvm::Twine &message) {
    return llvm::createStringError(
        std::make_error_code(std::errc::invalid_argument), message);
  };
  if (allowStdin && path == "-") {
    auto buffer = llvm::MemoryBuffer::getSTDIN();
    if (!buffer)
      return failure(buffer.getError().message());
    if ((*buffer)->getBufferSize() > maxBytes)
      return failure("more than the " + llvm::Twine(maxBytes) +
                     " bytes allowed");
    return std::move(*buffer);
  }
  if (llvm::Error error = checkInputFile(path, maxBytes))
    return std::move(error);
  auto buffer = llvm::MemoryBuffer::getFile(path, isText);
  if (!buffer)
    return failure(buffer.getError().message());
  return std::move(*buffer);
}

llvm::Error checkOutputFile(llvm::StringRef path) {
  auto failure = [&](const llvm::Twine &message) {
    return llvm::createStringError(
        std::make_error_code(std::errc::invalid_argument),
        "cannot write '" + path + "': " + message);
  };
  llvm::sys::fs::file_status status;
  std::error_code ec = llvm::sys::fs::status(path, status, /*Follow=*/false);
  if (!ec) {
    if (status.type() != llvm::sys::fs::file_type::regular_file)
      return failure("it is " + llvm::Twine(kindOf(status.type())) +
                     "; outputs go only to regular files or new paths");
    return llvm::Error::success();
  }
  if (ec != std::errc::no_such_file_or_directory)
    return failure(ec.message());
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  if (dir.empty())
    dir = ".";
  if (!llvm::sys::fs::is_directory(dir))
    return failure("no directory '" + dir + "'");
  return llvm::Error::success();
}

llvm::Error
writeOutputFile(llvm::StringRef path,
                llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write) {
  if (llvm::Error error = checkOutputFile(path))
    return error;
  if (llvm::Error error = llvm::writeToOutput(path, write))
    return llvm::createStringError(
        std::make_error_code(std::errc::io_error),
        "cannot write '" + path + "': " + llvm::toString(std::move(error)));
  return llvm::Error::success();
}

} // namespace hcc
