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

LogicalResult ConcatOp::verify() {
  auto result = cast<RankedTensorType>(getResult().getType());
  int64_t axis = static_cast<int64_t>(getAxis());
  if (getInputs().empty())
    return emitOpError() << "needs at least one input";
  if (!result.hasStaticShape() || !result.getElementType().isIntOrFloat())
    return emitOpError() << "needs a static shape of integers or floats, not "
                         << result;
  if (axis >= result.getRank())
    return emitOpError() << "axis " << axis << " is not a dimension of "
                         << result;
  for (int64_t d = 0; d < axis; ++d)
    if (result.getDimSize(d) != 1)
      return emitOpError() << "input slices along axis " << axis << " of "
                           << result << " are not contiguous (dimension " << d
                           << " is not 1)";
  int64_t total = 0;
  for (auto [i, input] : llvm::enumerate(getInputs())) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getElementType() != result.getElementType() ||
        type.getRank() != result.getRank() || !type.hasStaticShape())
      return emitOpError() << "input " << i << " (" << type
                           << ") does not match the result " << result;
    for (int64_t d = 0; d < result.getRank(); ++d)
      if (d != axis && type.getDimSize(d) != result.getDimSize(d))
        return emitOpError()
               << "input " << i << " (" << type << ") differs from the result "
               << result << " in dimension " << d;
    total += type.getDimSize(axis);
  }
  if (total != result.getDimSize(axis))
    return emitOpError() << "inputs add up to " << total << " along axis "
                         << axis << ", the result has "
                         << result.getDimSize(axis);
  // Each input is a slice of the result's buffer: a kernel writes it, on
  // the target of the others, and it has no other place to be.
  StringAttr target;
  for (auto [i, input] : llvm::enumerate(getInputs())) {
    auto producer = input.getDefiningOp<LaunchOp>();
    if (!producer)
      return emitOpError() << "input " << i
                           << " is not a kernel's result, so it cannot be "
                              "written in place";
    StringAttr t = producer.getCallee().getRootReference();
    if (target && t != target)
      return emitOpError() << "input " << i << " is computed on " << t
                           << ", input 0 on " << target;
    target = t;
    if (llvm::count(getInputs(), input) != 1)
      return emitOpError() << "input " << i << " appears twice";
    for (Operation *user : input.getUsers())
      if (user != getOperation() && isa<ConcatOp, func::ReturnOp>(user))
        return emitOpError()
               << "input " << i << " is also "
               << (isa<ConcatOp>(user) ? "a slice of another exec.concat"
                                       : "returned");
  }
  return success();
}

int64_t ConcatOp::byteOffset(unsigned index) {
  auto result = cast<RankedTensorType>(getResult().getType());
  int64_t inner = 1;
  for (int64_t d = getAxis() + 1; d < result.getRank(); ++d)
    inner *= result.getDimSize(d);
  int64_t before = 0;
  for (Value input : getInputs().take_front(index))
    before += cast<RankedTensorType>(input.getType()).getDimSize(getAxis());
  int64_t bits = result.getElementType().getIntOrFloatBitWidth();
  return before * inner * ((bits + 7) / 8);
}

LogicalResult TransferOp::verify() {
  if (getFrom().getName() == getTo().getName())
    return emitOpError() << "transfers from " << getFrom().getName()
                         << " to itself";
  return success();
}
