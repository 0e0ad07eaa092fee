//===- VersionAdapters.h - older opsets to the newest op form ---*- C++ -*-===//
//
// The graph dialect has one op per ONNX operator, in the form of its newest
// version. A node from an older opset whose signature changed (attributes
// that became inputs, attributes that were removed) is rewritten into the
// newest form here before it is imported.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_LIB_IMPORTER_ONNX_VERSIONADAPTERS_H
#define HCC_LIB_IMPORTER_ONNX_VERSIONADAPTERS_H

#include "mlir/IR/Builders.h"
#include "onnx/onnx_pb.h"
#include "llvm/ADT/FunctionExtras.h"

#include <string>

namespace hcc::onnx_import {

/// Gives a new constant a name the rewritten node can refer to.
using DefineConstant =
    llvm::function_ref<std::string(mlir::Attribute value, mlir::Location loc)>;

/// Rewrites `node` (from default-domain `opset`) into `out` when its operator
/// changed since then; returns true if it did. Emits an error naming the
/// node and sets `failed` when the old form cannot be expressed.
bool adaptNode(const onnx::NodeProto &node, int64_t opset, onnx::NodeProto &out,
               mlir::MLIRContext *ctx, DefineConstant defineConstant,
               mlir::Location loc, const std::string &desc, bool &failed);

} // namespace hcc::onnx_import

#endif // HCC_LIB_IMPORTER_ONNX_VERSIONADAPTERS_H
