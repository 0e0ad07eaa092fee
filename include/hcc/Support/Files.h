//===- Files.h - Inputs and outputs that must be regular files --*- C++ -*-===//
//
// Models, tuning logs, placement rules, cost models, board and machine
// descriptions are read whole. Given a FIFO the read would block forever,
// given /dev/zero it would never end, given a directory it fails deep in
// a library: each is refused by name before anything is opened, as is a
// file larger than the reader's bound. Outputs are written to a temporary
// file renamed over the destination, which would replace a device node or
// a symbolic link instead of writing where it points: refused as well.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_SUPPORT_FILES_H
#define HCC_SUPPORT_FILES_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>

namespace hcc {

/// Default bound of readInputFile: larger inputs are refused.
inline constexpr uint64_t kMaxInputFileBytes = uint64_t(4) << 30;

/// Whether `path` is a regular file of at most `maxBytes`, without opening
/// it; the error says what is wrong, the caller names the file.
llvm::Error checkInputFile(llvm::StringRef path,
                           uint64_t maxBytes = kMaxInputFileBytes);

/// The contents of `path`, a regular file of at most `maxBytes` ("-":
/// standard input, when `allowStdin`). The error says what is wrong ("a
/// FIFO, not a regular file"); the caller names the file.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef path, bool isText = true,
              uint64_t maxBytes = kMaxInputFileBytes, bool allowStdin = false);

/// Whether an output may be written to `path`: a new path in an existing
/// directory, or an existing regular file (not a symbolic link, device,
/// FIFO, socket or directory). The error names the path.
llvm::Error checkOutputFile(llvm::StringRef path);

/// Writes `path` whole or not at all: checkOutputFile, then `write` into a
/// temporary file renamed over `path` (llvm::writeToOutput, which alone
/// would rename over a device node or a symbolic link). The error says
/// "cannot write '<path>': ...".
llvm::Error
writeOutputFile(llvm::StringRef path,
                llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write);

} // namespace hcc

#endif // HCC_SUPPORT_FILES_H
