//===- KernelBuffers.h - Buffer fix-ups every target's kernels need -*- C++
//-*-=//
//
// Target-neutral helpers for the bufferized form of kernels (func.func on
// memrefs, results becoming the runtime's out-params), shared by the code
// generators of the targets.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_TARGET_KERNELBUFFERS_H
#define HCC_TARGET_KERNELBUFFERS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace hcc {
/// A kernel that returns one allocation several times (e.g. the empty
/// results of a Split into zero-size parts) gets a copy of it for every
/// further result, so each output is hoisted into its own out-param
/// (upstream's hoisting erases an allocation the first time it meets it).
void giveRepeatedResultsOwnBuffers(mlir::func::ReturnOp ret);
} // namespace hcc

#endif // HCC_TARGET_KERNELBUFFERS_H
