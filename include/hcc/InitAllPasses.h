//===- InitAllPasses.h - register every pass and pipeline -------*- C++ -*-===//

#ifndef HCC_INITALLPASSES_H
#define HCC_INITALLPASSES_H

#include "dialects/Graph/Transforms/Passes.h"
#include "hcc/InitAllTargets.h"
#include "hcc/Partition/Passes.h"
#include "hcc/Pipelines/Pipelines.h"

#include "hcc/Conversion/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/AsyncToLLVM/AsyncToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToFuncs/MathToFuncs.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Async/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

namespace hcc {
inline void registerAllPasses() {
  mlir::registerTransformsPasses();
  graph::registerGraphPasses();
  registerHccPartitionPasses();
  registerAllTargets();
  registerAllTargetPasses();
  registerPipelines();
  registerHccConversionPasses();
  // Upstream passes that lower linalg on tensors to LLVM (individually, not
  // mlir/Conversion/Passes.h, to keep hcc-opt's compile time down).
  mlir::registerLinalgPasses();
  mlir::bufferization::registerBufferizationPasses();
  mlir::memref::registerMemRefPasses();
  mlir::registerSCFPasses();
  mlir::registerAsyncPasses();
  mlir::arith::registerArithPasses();
  mlir::registerPass([] { return mlir::createConvertAsyncToLLVMPass(); });
  mlir::registerPass([] { return mlir::createConvertVectorToSCFPass(); });
  mlir::registerPass([] { return mlir::createConvertVectorToLLVMPass(); });
  mlir::registerPass([] { return mlir::createConvertMathToFuncs(); });
  mlir::registerPass([] { return mlir::createUBToLLVMConversionPass(); });
  mlir::registerPass([] { return mlir::createLowerAffinePass(); });
  mlir::registerPass([] { return mlir::createSCFToControlFlowPass(); });
  mlir::registerPass(
      [] { return mlir::createFinalizeMemRefToLLVMConversionPass(); });
  mlir::registerPass([] { return mlir::createConvertFuncToLLVMPass(); });
  mlir::registerPass([] { return mlir::createArithToLLVMConversionPass(); });
  mlir::registerPass([] { return mlir::createConvertMathToLLVMPass(); });
  mlir::registerPass([] { return mlir::createConvertMathToLibmPass(); });
  mlir::registerPass([] { return mlir::createConvertControlFlowToLLVMPass(); });
  mlir::registerPass([] { return mlir::createReconcileUnrealizedCastsPass(); });
}
} // namespace hcc

#endif // HCC_INITALLPASSES_H
