//===- ExternalData.h - hardened reader of ONNX external data ---*- C++ -*-===//

#ifndef HCC_LIB_IMPORTER_ONNX_EXTERNALDATA_H
#define HCC_LIB_IMPORTER_ONNX_EXTERNALDATA_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hcc::onnx_import {

/// Reads `length` bytes at `offset` of `location`, a path relative to
/// `baseDir`. Rejects (with a message in `error`) absolute paths, `..`
/// components, symbolic links anywhere on the path, files with more than one
/// hard link, non-regular files, and offset/length beyond the file.
bool readExternalData(llvm::StringRef baseDir, llvm::StringRef location,
                      uint64_t offset, uint64_t length, std::vector<char> &out,
                      std::string &error);

} // namespace hcc::onnx_import

#endif // HCC_LIB_IMPORTER_ONNX_EXTERNALDATA_H
