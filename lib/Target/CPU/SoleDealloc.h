//===- SoleDealloc.h - A buffer freed once, where it is allocated --------===//
//
// Shared by the CPU passes that move buffers (PrepareKernels.cpp's loop and
// task buffers, AsyncParallelFor.cpp's claim-loop buffers).
//
//===----------------------------------------------------------------------===//

#ifndef HCC_LIB_TARGET_CPU_SOLEDEALLOC_H
#define HCC_LIB_TARGET_CPU_SOLEDEALLOC_H

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace hcc::cpu {

/// The dealloc of `alloc` when it has exactly one and it is in `block`
/// (the buffer then does not outlive that block's execution); nullptr
/// otherwise.
inline mlir::Operation *soleDeallocIn(mlir::memref::AllocOp alloc,
                                      mlir::Block *block) {
  mlir::Operation *found = nullptr;
  for (mlir::Operation *user : alloc->getUsers()) {
    if (!mlir::isa<mlir::memref::DeallocOp>(user))
      continue;
    if (found)
      return nullptr;
    found = user;
  }
  return found && found->getBlock() == block ? found : nullptr;
}

} // namespace hcc::cpu

#endif // HCC_LIB_TARGET_CPU_SOLEDEALLOC_H
