//===- Passes.h - hcc placement and partitioning passes ---------*- C++ -*-===//

#ifndef HCC_PARTITION_PASSES_H
#define HCC_PARTITION_PASSES_H

#include "dialects/Exec/IR/ExecDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace hcc {
#define GEN_PASS_DECL
#include "hcc/Partition/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hcc/Partition/Passes.h.inc"
} // namespace hcc

#endif // HCC_PARTITION_PASSES_H
