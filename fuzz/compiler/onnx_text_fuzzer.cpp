//===- onnx_text_fuzzer.cpp - fuzzes the ONNX text format and import ------===//
//
// The input is ONNX text (the `<ir_version: ...> graph (...) => (...) {}`
// syntax of onnx.parser): parsed by ONNX's parser behind hcc's nesting and
// message bounds, then imported and verified as the protobuf fuzzer does.
//
//===----------------------------------------------------------------------===//

#include "FuzzCompiler.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)hcc::fuzz::importChecked(
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      "fuzz.onnxtxt");
  return 0;
}
