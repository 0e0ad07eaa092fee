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
} // namespace hcc::onnx_import

#endif // HCC_LIB_IMPORTER_ONNX_TEXTFORMAT_H
