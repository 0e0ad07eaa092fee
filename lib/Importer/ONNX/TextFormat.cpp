//===- TextFormat.cpp - ONNX textual syntax -------------------------------===//
//
// ONNX's parser throws; this file is the only one compiled with exceptions,
// and no exception leaves it.
//
//===----------------------------------------------------------------------===//

#include "TextFormat.h"

#include "onnx/defs/parser.h"

#include <exception>

bool hcc::onnx_import::parseTextModel(const std::string &text,
                                      onnx::ModelProto &model,
                                      std::string &error) {
  try {
    onnx::OnnxParser parser(text.c_str());
    onnx::Common::Status status = parser.Parse(model);
    if (!status.IsOK()) {
      error = status.ErrorMessage();
      return false;
    }
    if (!parser.EndOfInput()) {
      error = "unexpected text after the model";
      return false;
    }
    return true;
  } catch (const std::exception &e) {
    error = e.what();
  } catch (...) {
    error = "the ONNX text parser failed";
  }
  return false;
}
