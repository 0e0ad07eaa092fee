//===- ConcatInPlace.cpp - concatenations made by writing in place --------===//
//
// A kernel that only concatenates its operands copies every byte of them
// once more. When each operand is a slice of contiguous bytes of the result
// (the dimensions before the axis are 1: channels of a batch-1 NCHW tensor)
// and is produced by a kernel of the host target, the producers can write
// straight into their slices instead: the launch becomes `exec.concat`, and
// the bundle declares the operands' buffers as views of the result's.
//
//===----------------------------------------------------------------------===//

#include "hcc/Partition/Passes.h"
#include "hcc/Target/Target.h"

#include "dialects/Exec/IR/ExecDialect.h"
#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace hcc {
#define GEN_PASS_DEF_CONCATINPLACE
#include "hcc/Partition/Passes.h.inc"
} // namespace hcc

using namespace mlir;
using namespace hcc;

namespace {

/// Whether `name` is a target whose buffers are host memory (views of them
/// are plain pointers into the root buffer).
bool isHostTarget(StringRef name) {
  const Target *t = TargetRegistry::global().lookup(name);
  return t && t->isHost();
}

/// The Concat a kernel consists of, if it does nothing else: its operands
/// are the kernel's arguments (each once) and its result is the kernel's
/// only result.
graph::ConcatOp pureConcat(func::FuncOp kernel) {
  if (!kernel || kernel.getBody().empty())
    return {};
  Block &body = kernel.getBody().front();
  auto concat = dyn_cast<graph::ConcatOp>(body.front());
  if (!concat || body.getOperations().size() != 2)
    return {};
  auto ret = dyn_cast<func::ReturnOp>(body.back());
  if (!ret || ret.getNumOperands() != 1 ||
      ret.getOperand(0) != concat.getResult())
    return {};
  SmallPtrSet<Value, 8> seen;
  for (Value v : concat->getOperands())
    if (!isa<BlockArgument>(v) || !seen.insert(v).second)
      return {};
  return seen.size() == body.getNumArguments() ? concat : graph::ConcatOp();
}

struct ConcatInPlacePass : hcc::impl::ConcatInPlaceBase<ConcatInPlacePass> {
  /// Whether `input` of `launch` can be written in place, as a slice.
  static bool canWriteInPlace(Value input, exec::LaunchOp launch) {
    auto producer = input.getDefiningOp<exec::LaunchOp>();
    if (!producer || producer.getCallee().getRootReference() !=
                         launch.getCallee().getRootReference())
      return false;
    for (Operation *user : input.getUsers())
      if (isa<func::ReturnOp, exec::ConcatOp>(user))
        return false;
    // One slice each: the same value twice would need two places.
    return llvm::count(launch.getArgs(), input) == 1;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<exec::LaunchOp> launches;
    SymbolTableCollection symbols;
    for (auto host : module.getOps<func::FuncOp>())
      host.walk([&](exec::LaunchOp launch) { launches.push_back(launch); });
    for (exec::LaunchOp launch : launches) {
      if (!isHostTarget(launch.getCallee().getRootReference()))
        continue;
      auto kernel = symbols.lookupNearestSymbolFrom<func::FuncOp>(
          launch, launch.getCalleeAttr());
      graph::ConcatOp concat = pureConcat(kernel);
      if (!concat)
        continue;
      auto type = dyn_cast<RankedTensorType>(concat.getType());
      if (!type || !type.hasStaticShape() ||
          !type.getElementType().isIntOrFloat())
        continue;
      int64_t axis = concat.getAxis();
      if (axis < 0)
        axis += type.getRank();
      if (axis < 0 || axis >= type.getRank() ||
          llvm::any_of(type.getShape().take_front(axis),
                       [](int64_t d) { return d != 1; }))
        continue;
      // The launch's operands in the order the Concat takes them.
      SmallVector<Value> inputs;
      for (Value v : concat->getOperands())
        inputs.push_back(
            launch.getArgs()[cast<BlockArgument>(v).getArgNumber()]);
      if (!llvm::all_of(inputs,
                        [&](Value v) { return canWriteInPlace(v, launch); }))
        continue;
      OpBuilder b(launch);
      auto inPlace = exec::ConcatOp::create(b, launch.getLoc(),
                                            launch.getResult(0).getType(),
                                            inputs, b.getI64IntegerAttr(axis));
      launch.getResult(0).replaceAllUsesWith(inPlace.getResult());
      launch.erase();
      if (SymbolTable::symbolKnownUseEmpty(kernel, module))
        kernel.erase();
    }
  }
};

} // namespace
