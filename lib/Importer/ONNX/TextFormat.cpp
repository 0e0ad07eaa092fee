//===- TextFormat.cpp - ONNX textual syntax -------------------------------===//
//
// ONNX's parser throws; this file is the only one compiled with exceptions,
// and no exception leaves it.
//
//===----------------------------------------------------------------------===//

#include "TextFormat.h"

#include "onnx/defs/parser.h"

#include <algorithm>
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

unsigned hcc::onnx_import::textNestingDepth(const std::string &text) {
  unsigned depth = 0, deepest = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') { // a string literal, with backslash escapes
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
    } else if (c == '#') { // a comment, to the end of the line
      while (i < text.size() && text[i] != '\n')
        ++i;
    } else if (c == '{' || c == '(' || c == '[' || c == '<') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ')' || c == ']' || c == '>') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}
