//===- TensorImport.h - ONNX TensorProto and TypeProto to MLIR --*- C++ -*-===//

#ifndef HCC_LIB_IMPORTER_ONNX_TENSORIMPORT_H
#define HCC_LIB_IMPORTER_ONNX_TENSORIMPORT_H

#include "hcc/Importer/ONNX/Importer.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Location.h"
#include "onnx/onnx_pb.h"

#include <string>

namespace hcc::onnx_import {

/// The MLIR element type of ONNX TensorProto data type `dtype`; null for an
/// unknown or unsupported value.
mlir::Type elementTypeFor(mlir::MLIRContext *ctx, int64_t dtype);
/// "FLOAT8E4M3FN (17)": the name of an ONNX TensorProto data type, for
/// diagnostics.
std::string dataTypeName(int64_t dtype);

/// Converts a TypeProto (tensor, sequence, optional) to an MLIR type; unknown
/// dimensions become `?`, dim_param names go into #graph.dims. Emits an error
/// at `loc` mentioning `what` and returns null on a malformed type.
mlir::Type importType(const onnx::TypeProto &type, mlir::Location loc,
                      llvm::StringRef what);

/// State shared by all tensors of one model: the budget and external data.
struct TensorLoader {
  const ImportOptions &options;
  std::string baseDir;
  uint64_t totalBytes = 0;

  /// Converts `tensor` to an ElementsAttr after checking dims, data size,
  /// external data and budgets; emits an error at `loc` naming `what`.
  mlir::ElementsAttr load(const onnx::TensorProto &tensor, mlir::Location loc,
                          llvm::StringRef what);
};

} // namespace hcc::onnx_import

#endif // HCC_LIB_IMPORTER_ONNX_TENSORIMPORT_H
