//===- OpTable.h - the importer's view of graph ops -------------*- C++ -*-===//

#ifndef HCC_LIB_IMPORTER_ONNX_OPTABLE_H
#define HCC_LIB_IMPORTER_ONNX_OPTABLE_H

#include "mlir/IR/Attributes.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <vector>

namespace hcc::onnx_import {

struct Param {
  enum Option { Single, Optional, Variadic };
  const char *name;
  Option option;
};

enum class AttrKind {
  Float,
  Int,
  String,
  Tensor,
  Graph,
  Floats,
  Ints,
  Strings,
  SparseTensor,
  TypeProto
};

struct AttrInfo {
  const char *name;
  AttrKind kind;
  const char *enumName; // null unless the string maps to an enum
  bool required;
};

struct OpInfo {
  const char *onnxName;
  int sinceVersion; // of the newest definition, the one the graph op models
  int minInputs;
  int minOutputs;
  std::vector<Param> inputs;
  std::vector<Param> outputs;
  std::vector<AttrInfo> attributes;
  std::vector<int> versions; // every since-version in ONNX, ascending

  /// The since-version of the definition `opset` selects; 0 if the operator
  /// did not exist yet.
  int versionAt(int64_t opset) const;
};

/// The newest opset of the ONNX release the table was generated from.
int64_t newestOpset();
/// The IR version of that release: the newest model format hcc reads.
int64_t newestIrVersion();

/// The op `onnxName` (default domain), or null if hcc has none.
const OpInfo *lookupOp(llvm::StringRef onnxName);
const AttrInfo *lookupAttr(const OpInfo &op, llvm::StringRef name);

/// Builds the enum attribute `enumName` for ONNX spelling `value`; null if
/// the spelling is not a case of the enum.
mlir::Attribute buildEnumAttr(mlir::MLIRContext *ctx, llvm::StringRef enumName,
                              llvm::StringRef value);
/// The accepted spellings of `enumName`, comma-separated (for messages).
std::string enumSpellings(llvm::StringRef enumName);

} // namespace hcc::onnx_import

#endif // HCC_LIB_IMPORTER_ONNX_OPTABLE_H
