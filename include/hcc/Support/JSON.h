//===- JSON.h - JSON from files that may be hostile -------------*- C++ -*-===//
//
// llvm::json::parse descends recursively: a line of 50,000 '[' (100 KB)
// exhausts the stack. Inputs the user names (tuning logs, cost models,
// boards, machine descriptions, placement rules and plans) are parsed
// through parseJSON, which refuses text nested deeper than any of them
// needs before the parser sees it.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_SUPPORT_JSON_H
#define HCC_SUPPORT_JSON_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

namespace hcc {

/// Nesting (arrays and objects) that parseJSON accepts.
inline constexpr unsigned kMaxJSONDepth = 512;

/// llvm::json::parse, after checking that `text` nests arrays and objects
/// at most `maxDepth` deep (brackets inside strings do not count).
llvm::Expected<llvm::json::Value> parseJSON(llvm::StringRef text,
                                            unsigned maxDepth = kMaxJSONDepth);

} // namespace hcc

#endif // HCC_SUPPORT_JSON_H
