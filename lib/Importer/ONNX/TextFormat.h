//===- TextFormat.h - ONNX textual syntax -----------------------*- C++ -*-===//

#ifndef HCC_LIB_IMPORTER_ONNX_TEXTFORMAT_H
#define HCC_LIB_IMPORTER_ONNX_TEXTFORMAT_H

#include "onnx/onnx_pb.h"

#include <string>

namespace hcc::onnx_import {
/// Parses the ONNX textual syntax (onnx/defs/parser.h). Never throws: a
/// syntax error (or an exception of the parser) becomes `error`.
bool parseTextModel(const std::string &text, onnx::ModelProto &model,
                    std::string &error);
/// The deepest nesting of brackets ({, (, [, <) in ONNX text, outside
/// string literals and comments: ONNX's parser recurses once per level (a
/// subgraph takes a few), so text nested too deep would overflow the stack
/// before any depth limit of the importer applies.
unsigned textNestingDepth(const std::string &text);
} // namespace hcc::onnx_import

#endif // HCC_LIB_IMPORTER_ONNX_TEXTFORMAT_H
