//===- PrepareKernels.cpp - kernel buffers before and after bufferizing ---===//

#include "dialects/Exec/IR/ExecDialect.h"
#include "hcc/Target/CPU/CPUTarget.h"
#include "hcc/Target/KernelBuffers.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace hcc {
#define GEN_PASS_DEF_CPUPREPAREKERNELS
#define GEN_PASS_DEF_CPULOWERCOPIES
#define GEN_PASS_DEF_CPUDISTINCTRESULTS
#include "hcc/Target/CPU/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {
struct CPUPrepareKernelsPass
    : hcc::impl::CPUPrepareKernelsBase<CPUPrepareKernelsPass> {
  void runOnOperation() override {
    Builder b(&getContext());
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func->hasAttr(hcc::exec::kKernelAttrName))
        continue;
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
        func.setArgAttr(i, "bufferization.writable", b.getBoolAttr(false));
    }
  }
};

struct CPUDistinctResultsPass
    : hcc::impl::CPUDistinctResultsBase<CPUDistinctResultsPass> {
  void runOnOperation() override {
    getOperation().walk(
        [](func::ReturnOp ret) { hcc::giveRepeatedResultsOwnBuffers(ret); });
  }
};

struct CPULowerCopiesPass : hcc::impl::CPULowerCopiesBase<CPULowerCopiesPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) { copies.push_back(copy); });
    for (memref::CopyOp copy : copies) {
      if (copy.getSource() == copy.getTarget()) {
        copy.erase();
        continue;
      }
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    }
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func->hasAttr(hcc::exec::kKernelAttrName))
        widenEmptyBuffers(func);
  }

  /// The bare-pointer calling convention rejects memrefs without elements;
  /// such a parameter becomes memref<1xT> (the runtime passes a valid
  /// pointer either way) viewed back as the empty shape inside the kernel.
  void widenEmptyBuffers(func::FuncOp func) {
    if (func.isExternal())
      return;
    Block &entry = func.getBody().front();
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    bool changed = false;
    for (BlockArgument arg : entry.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type || !type.hasStaticShape() || type.getNumElements() != 0 ||
          !type.getLayout().isIdentity())
        continue;
      // Row-major strides of the shape (static even with a 0 extent).
      SmallVector<int64_t> strides(type.getRank(), 1);
      for (int64_t i = type.getRank() - 2; i >= 0; --i)
        strides[i] =
            strides[i + 1] * std::max<int64_t>(type.getDimSize(i + 1), 1);
      arg.setType(MemRefType::get({1}, type.getElementType()));
      auto view = memref::ReinterpretCastOp::create(
          b, func.getLoc(), type, arg, /*offset=*/0, type.getShape(), strides);
      arg.replaceAllUsesExcept(view, view);
      changed = true;
    }
    if (changed)
      func.setType(FunctionType::get(
          func.getContext(), entry.getArgumentTypes(), func.getResultTypes()));
  }
};
} // namespace
