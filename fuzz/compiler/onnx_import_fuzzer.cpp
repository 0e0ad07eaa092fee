//===- onnx_import_fuzzer.cpp - fuzzes ONNX protobuf parse and import -----===//
//
// The input is an .onnx file: parsed, imported into the graph dialect with
// shape inference and constant folding, and verified. A rejection must be
// one short error; an accepted model must verify.
//
//===----------------------------------------------------------------------===//

#include "FuzzCompiler.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)hcc::fuzz::importChecked(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx");
  return 0;
}
