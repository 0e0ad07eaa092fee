//===- VersionAdapters.h - older opsets to the newest op form ---*- C++ -*-===//
//
// The graph dialect has one op per ONNX operator, in the form of its newest
// version. A node whose opset selects an older definition is rewritten here
// into the newest form before it is imported: attributes that became inputs
// move, removed attributes go, renamed spellings are mapped, and where the
// semantics changed (Softmax before 13 coerces its input to 2-D) the node
// is expanded into several newest-form nodes that compute the old meaning.
// Definitions that cannot be expressed are rejected with the node's name.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_LIB_IMPORTER_ONNX_VERSIONADAPTERS_H
#define HCC_LIB_IMPORTER_ONNX_VERSIONADAPTERS_H

#include "mlir/IR/Builders.h"
#include "onnx/onnx_pb.h"
#include "llvm/ADT/FunctionExtras.h"

#include <string>
#include <vector>

namespace hcc::onnx_import {

struct OpInfo;

/// Gives a new constant a name the rewritten node can refer to.
using DefineConstant =
    llvm::function_ref<std::string(mlir::Attribute value, mlir::Location loc)>;
/// A fresh value name for an intermediate result of an expansion.
using FreshName = llvm::function_ref<std::string()>;

struct AdaptContext {
  mlir::MLIRContext *ctx;
  DefineConstant defineConstant;
  FreshName freshName;
  mlir::Location loc;
  const std::string &desc;     ///< "node 'x' (Softmax)", for messages
  const std::string &nodeName; ///< the node's name or "Op#index"
};

enum class AdaptResult {
  Unchanged, ///< the node already has the newest form
  Rewritten, ///< `out` holds one node in the newest form
  Failed,    ///< an error naming the node was emitted
};

/// The oldest since-version of `op` that hcc reads (older definitions are
/// rejected by the importer).
int oldestReadableVersion(const OpInfo &op);

/// Rewrites `node`, whose opset selects definition `version` of its
/// operator, into `out`: one or more nodes of the newest definitions that
/// compute what `version` defines, in order.
AdaptResult adaptNode(const onnx::NodeProto &node, int version,
                      std::vector<onnx::NodeProto> &out,
                      const AdaptContext &actx);

} // namespace hcc::onnx_import

#endif // HCC_LIB_IMPORTER_ONNX_VERSIONADAPTERS_H
