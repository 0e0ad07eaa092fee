//===- OpTable.cpp - the importer's view of graph ops ---------------------===//

#include "OpTable.h"

#include "dialects/Graph/IR/GraphDialect.h"

#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace hcc::onnx_import;

static const llvm::StringMap<OpInfo> &table() {
  static const llvm::StringMap<OpInfo> ops = [] {
    llvm::StringMap<OpInfo> m;
#define HCC_ONNX_OP(NAME, SINCE, MIN_IN, MIN_OUT, INS, OUTS, ATTRS, VERSIONS)  \
  m[#NAME] = OpInfo{#NAME,                                                     \
                    SINCE,                                                     \
                    MIN_IN,                                                    \
                    MIN_OUT,                                                   \
                    std::vector<Param>                                         \
                        INS,                                                   \
                    std::vector<Param>                                         \
                        OUTS,                                                  \
                    std::vector<AttrInfo>                                      \
                        ATTRS,                                                 \
                    std::vector<int>                                           \
                        VERSIONS};
#include "OnnxOpTable.inc"
    return m;
  }();
  return ops;
}

const OpInfo *hcc::onnx_import::lookupOp(StringRef onnxName) {
  auto it = table().find(onnxName);
  return it == table().end() ? nullptr : &it->second;
}

int64_t hcc::onnx_import::newestOpset() {
#define HCC_ONNX_OPSET(OPSET, IR) return OPSET;
#include "OnnxOpTable.inc"
}

int64_t hcc::onnx_import::newestIrVersion() {
#define HCC_ONNX_OPSET(OPSET, IR) return IR;
#include "OnnxOpTable.inc"
}

int OpInfo::versionAt(int64_t opset) const {
  int active = 0;
  for (int v : versions)
    if (v <= opset)
      active = v;
  return active;
}

const AttrInfo *hcc::onnx_import::lookupAttr(const OpInfo &op, StringRef name) {
  for (const AttrInfo &a : op.attributes)
    if (name == a.name)
      return &a;
  return nullptr;
}

Attribute hcc::onnx_import::buildEnumAttr(MLIRContext *ctx, StringRef enumName,
                                          StringRef value) {
#define HCC_ONNX_ENUM(NAME)                                                    \
  if (enumName == #NAME) {                                                     \
    if (auto v = hcc::graph::symbolize##NAME(value))                           \
      return hcc::graph::NAME##Attr::get(ctx, *v);                             \
    return {};                                                                 \
  }
#include "OnnxOpTable.inc"
  return {};
}

std::string hcc::onnx_import::enumSpellings(StringRef enumName) {
  std::string out;
#define HCC_ONNX_ENUM(NAME)                                                    \
  if (enumName == #NAME) {                                                     \
    for (uint32_t i = 0;; ++i) {                                               \
      auto v = hcc::graph::symbolize##NAME(i);                                 \
      if (!v)                                                                  \
        break;                                                                 \
      if (!out.empty())                                                        \
        out += ", ";                                                           \
      out += hcc::graph::stringify##NAME(*v).str();                            \
    }                                                                          \
  }
#include "OnnxOpTable.inc"
  return out;
}
