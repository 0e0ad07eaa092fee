//===- PrepareKernels.cpp - kernel buffers around bufferization -----------===//
//
// hcc-ocl-prepare-kernels: kernel operands are read-only for bufferization.
// hcc-ocl-prepare-buffers: one allocation returned twice gets a copy, so
// buffer-results-to-out-params hoists each result into its own out-param;
// constant buffers chosen at run time are copied into device memory.
//
//===----------------------------------------------------------------------===//

#include "dialects/Exec/IR/ExecDialect.h"
#include "hcc/Target/KernelBuffers.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

namespace hcc {
#define GEN_PASS_DEF_OPENCLPREPAREKERNELS
#define GEN_PASS_DEF_OPENCLPREPAREBUFFERS
#include "hcc/Target/OpenCL/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {
struct PrepareKernelsPass
    : hcc::impl::OpenCLPrepareKernelsBase<PrepareKernelsPass> {
  void runOnOperation() override {
    Builder b(&getContext());
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func->hasAttr(hcc::exec::kKernelAttrName))
        continue;
      if (failed(checkElementTypes(func)))
        return signalPassFailure();
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
        func.setArgAttr(i, "bufferization.writable", b.getBoolAttr(false));
    }
  }

  /// OpenCL C buffers hold no bf16 (nor other exotic floats): rejected at
  /// the op that produces one, before any lowering.
  LogicalResult checkElementTypes(func::FuncOp func) {
    // The CUDA and FPGA pipelines run this pass too: name the kernel's.
    std::string target = "OpenCL";
    if (auto module = func->getParentOfType<ModuleOp>())
      if (auto t = module->getAttrOfType<hcc::exec::TargetAttr>(
              hcc::exec::kTargetAttrName);
          t && t.getName() != "opencl")
        target = "'" + t.getName().str() + "'";
    auto unsupported = [](Type t) {
      Type elem = getElementTypeOrSelf(t);
      return isa<FloatType>(elem) && !elem.isF16() && !elem.isF32() &&
             !elem.isF64();
    };
    for (Type t : func.getArgumentTypes())
      if (unsupported(t))
        return func.emitError()
               << "kernel '" << func.getSymName() << "': element type "
               << getElementTypeOrSelf(t) << " is not supported by the "
               << target << " target";
    WalkResult result = func.walk([&](Operation *op) {
      for (Type t : op->getResultTypes())
        if (unsupported(t)) {
          op->emitError() << op->getName() << " in kernel '"
                          << func.getSymName() << "': element type "
                          << getElementTypeOrSelf(t)
                          << " is not supported by the " << target << " target";
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    return failure(result.wasInterrupted());
  }
};

struct PrepareBuffersPass
    : hcc::impl::OpenCLPrepareBuffersBase<PrepareBuffersPass> {
  void runOnOperation() override {
    getOperation().walk(
        [](func::ReturnOp ret) { hcc::giveRepeatedResultsOwnBuffers(ret); });
    SmallVector<OpOperand *> chosen;
    getOperation().walk([&](Operation *op) {
      if (!isa<scf::YieldOp, arith::SelectOp>(op))
        return;
      for (OpOperand &operand : op->getOpOperands())
        if (operand.get().getDefiningOp<memref::GetGlobalOp>())
          chosen.push_back(&operand);
    });
    for (OpOperand *operand : chosen) {
      auto type = cast<MemRefType>(operand->get().getType());
      OpBuilder b(operand->getOwner());
      Location loc = operand->getOwner()->getLoc();
      Value copy = memref::AllocOp::create(
          b, loc, MemRefType::get(type.getShape(), type.getElementType()));
      memref::CopyOp::create(b, loc, operand->get(), copy);
      if (copy.getType() != type)
        copy = memref::CastOp::create(b, loc, type, copy);
      operand->set(copy);
    }
  }
};
} // namespace
