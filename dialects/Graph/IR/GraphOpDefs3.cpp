//===- GraphOpDefs3.cpp - generated op definitions, shard 3 -----*- C++ -*-===//
//
// The ODS-generated definitions of 176 ops are split in four translation
// units so they compile in parallel and within memory.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/IR/GraphOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace hcc::graph;

#define GET_OP_DEFS_3
#include "dialects/Graph/IR/GraphOps.cpp.inc"
