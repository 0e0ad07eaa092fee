//===- ExecDialect.cpp - hcc exec dialect ---------------------------------===//

#include "dialects/Exec/IR/ExecDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace hcc::exec;

#include "dialects/Exec/IR/ExecDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Exec/IR/ExecAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/Exec/IR/ExecOps.cpp.inc"

void ExecDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/Exec/IR/ExecAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialects/Exec/IR/ExecOps.cpp.inc"
      >();
}

LogicalResult LaunchOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  Operation *kernel =
      symbolTable.lookupNearestSymbolFrom(*this, getCalleeAttr());
  if (!kernel)
    return emitOpError() << "kernel " << getCalleeAttr() << " does not exist";
  // During target codegen the kernel becomes buffers or target IR (e.g.
  // llvm.func); its signature is checked while it is still on tensors.
  auto func = dyn_cast<func::FuncOp>(kernel);
  auto isTensorLike = [](Type t) { return isa<TensorType, NoneType>(t); };
  if (func && llvm::all_of(func.getArgumentTypes(), isTensorLike) &&
      llvm::all_of(func.getResultTypes(), isTensorLike)) {
    FunctionType type = func.getFunctionType();
    // Host values may carry their symbolic dimension names (#graph.dims
    // encoding, kept for the manifest); kernels see plain tensors.
    auto sameTensor = [](Type a, Type b) {
      auto stripped = [](Type t) -> Type {
        if (auto ranked = dyn_cast<RankedTensorType>(t))
          return RankedTensorType::get(ranked.getShape(),
                                       ranked.getElementType());
        return t;
      };
      return stripped(a) == stripped(b);
    };
    if (!llvm::equal(type.getInputs(), getArgs().getTypes(), sameTensor) ||
        !llvm::equal(type.getResults(), getResultTypes(), sameTensor))
      return emitOpError() << "operand/result types do not match kernel "
                           << getCalleeAttr() << " of type " << type;
  }
  auto module = kernel->getParentOfType<ModuleOp>();
  if (!module || !module->hasAttr(kTargetAttrName))
    return emitOpError() << "kernel " << getCalleeAttr()
                         << " is not in a target module";
  return success();
}

LogicalResult TransferOp::verify() {
  if (getFrom().getName() == getTo().getName())
    return emitOpError() << "transfers from " << getFrom().getName()
                         << " to itself";
  return success();
}
