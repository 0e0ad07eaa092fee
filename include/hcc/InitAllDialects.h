//===- InitAllDialects.h - register every dialect hcc uses ------*- C++ -*-===//

#ifndef HCC_INITALLDIALECTS_H
#define HCC_INITALLDIALECTS_H

#include "dialects/Exec/IR/ExecDialect.h"
#include "dialects/Graph/IR/GraphDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Async/IR/Async.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/IR/TensorTilingInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"

namespace hcc {
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry
      .insert<graph::GraphDialect, exec::ExecDialect, mlir::func::FuncDialect,
              mlir::arith::ArithDialect, mlir::tensor::TensorDialect>();
  // What convert-graph-to-linalg produces and the bufferize -> LLVM
  // pipeline (docs/GraphToLinalg.md) passes through.
  registry.insert<mlir::linalg::LinalgDialect, mlir::math::MathDialect,
                  mlir::scf::SCFDialect, mlir::affine::AffineDialect,
                  mlir::bufferization::BufferizationDialect,
                  mlir::memref::MemRefDialect, mlir::cf::ControlFlowDialect,
                  mlir::vector::VectorDialect, mlir::ub::UBDialect,
                  mlir::LLVM::LLVMDialect, mlir::async::AsyncDialect>();
  mlir::arith::registerBufferizableOpInterfaceExternalModels(registry);
  // memref.alloc as an allocation: buffer-results-to-out-params hoists
  // returned allocations into the runtime's buffers only through it.
  mlir::memref::registerAllocationOpInterfaceExternalModels(registry);
  mlir::linalg::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::scf::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::tensor::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::vector::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  mlir::linalg::registerTilingInterfaceExternalModels(registry);
  mlir::tensor::registerTilingInterfaceExternalModels(registry);
}
} // namespace hcc

#endif // HCC_INITALLDIALECTS_H
