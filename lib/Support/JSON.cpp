//===- JSON.cpp - JSON from files that may be hostile ---------------------===//

#include "hcc/Support/JSON.h"

namespace hcc {

llvm::Expected<llvm::json::Value> parseJSON(llvm::StringRef text,
                                            unsigned maxDepth) {
  unsigned depth = 0;
  bool inString = false, escaped = false;
  for (char c : text) {
    if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > maxDepth)
        return llvm::createStringError("JSON nested more than " +
                                       std::to_string(maxDepth) +
                                       " levels deep");
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return llvm::json::parse(text);
}

} // namespace hcc
