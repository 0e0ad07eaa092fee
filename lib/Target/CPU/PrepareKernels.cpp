//===- PrepareKernels.cpp - kernel buffers before and after bufferizing ---===//

#include "dialects/Exec/IR/ExecDialect.h"
#include "hcc/Target/CPU/CPUTarget.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace hcc {
#define GEN_PASS_DEF_CPUPREPAREKERNELS
#define GEN_PASS_DEF_CPULOWERCOPIES
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

struct CPULowerCopiesPass : hcc::impl::CPULowerCopiesBase<CPULowerCopiesPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) { copies.push_back(copy); });
    for (memref::CopyOp copy : copies) {
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    }
  }
};
} // namespace
