//===- KernelBuffers.cpp - Buffer fix-ups every target's kernels need -----===//

#include "hcc/Target/KernelBuffers.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;

void hcc::giveRepeatedResultsOwnBuffers(func::ReturnOp ret) {
  llvm::SmallPtrSet<Value, 4> seen;
  for (OpOperand &operand : ret->getOpOperands()) {
    auto alloc = operand.get().getDefiningOp<memref::AllocOp>();
    if (!alloc || seen.insert(operand.get()).second)
      continue;
    OpBuilder b(alloc);
    b.setInsertionPointAfter(alloc);
    Operation *clone = b.clone(*alloc);
    // The copy's contents: those of the first result when the kernel
    // returns.
    b.setInsertionPoint(ret);
    memref::CopyOp::create(b, ret.getLoc(), alloc, clone->getResult(0));
    operand.set(clone->getResult(0));
  }
}
