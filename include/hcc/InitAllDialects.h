//===- InitAllDialects.h - register every dialect hcc uses ------*- C++ -*-===//

#ifndef HCC_INITALLDIALECTS_H
#define HCC_INITALLDIALECTS_H

#include "dialects/Graph/IR/GraphDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

namespace hcc {
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<graph::GraphDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect>();
}
} // namespace hcc

#endif // HCC_INITALLDIALECTS_H
