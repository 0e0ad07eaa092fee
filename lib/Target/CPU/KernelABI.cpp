//===- KernelABI.cpp - the runtime's CPU kernel entry points --------------===//
//
// The runtime calls every CPU kernel as `void hcc_<name>(void *const *args)`
// with one base pointer per buffer, inputs first (docs/Bundle.md). Kernels
// lowered with the bare-pointer memref convention take exactly those
// pointers as parameters; the wrapper unpacks the array.
//
// Heap allocations (memref.alloc lowered with the generic functions) call
// the runtime's scratch allocator, which keeps freed blocks mapped for the
// next run (runtime/src/scratch_alloc.h).
//
//===----------------------------------------------------------------------===//

#include "dialects/Exec/IR/ExecDialect.h"
#include "hcc/Target/CPU/CPUTarget.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace hcc {
#define GEN_PASS_DEF_CPUKERNELABI
#include "hcc/Target/CPU/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {
/// `<wrapper>.signature`: an exported constant i64 array [n, bytes of
/// each of the n buffers] (-1: not fixed), which the runtime checks the
/// bundle's manifest against (runtime/src/model.cpp).
LogicalResult emitSignature(OpBuilder &b, LLVM::LLVMFuncOp kernel,
                            StringRef wrapper) {
  auto bytes =
      kernel->getAttrOfType<DenseI64ArrayAttr>(hcc::exec::kArgBytesAttrName);
  if (!bytes)
    return success(); // kernels from elsewhere (hcc-opt tests)
  if (static_cast<unsigned>(bytes.size()) !=
      kernel.getFunctionType().getNumParams())
    return kernel.emitOpError()
           << "takes " << kernel.getFunctionType().getNumParams()
           << " buffers but recorded the sizes of " << bytes.size();
  SmallVector<int64_t> values = {static_cast<int64_t>(bytes.size())};
  llvm::append_range(values, bytes.asArrayRef());
  auto i64 = b.getI64Type();
  auto type = LLVM::LLVMArrayType::get(i64, values.size());
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(kernel->getParentOfType<ModuleOp>().getBody());
  LLVM::GlobalOp::create(
      b, kernel.getLoc(), type, /*isConstant=*/true, LLVM::Linkage::External,
      (wrapper + ".signature").str(),
      DenseElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(values.size())}, i64),
          ArrayRef<int64_t>(values)));
  return success();
}

struct CPUKernelABIPass : hcc::impl::CPUKernelABIBase<CPUKernelABIPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto voidType = LLVM::LLVMVoidType::get(ctx);
    // The generic allocation functions -> the runtime's scratch allocator.
    std::pair<StringRef, StringRef> allocators[] = {
        {"_mlir_memref_to_llvm_alloc", "hcc_cpu_scratch_alloc"},
        {"_mlir_memref_to_llvm_aligned_alloc", "hcc_cpu_scratch_aligned_alloc"},
        {"_mlir_memref_to_llvm_free", "hcc_cpu_scratch_free"}};
    for (auto [generic, scratch] : allocators) {
      auto decl = module.lookupSymbol<LLVM::LLVMFuncOp>(generic);
      if (!decl)
        continue;
      if (failed(SymbolTable::replaceAllSymbolUses(
              decl, StringAttr::get(ctx, scratch), module)))
        return signalPassFailure();
      decl.setSymName(scratch);
    }
    SmallVector<LLVM::LLVMFuncOp> kernels;
    for (auto func : module.getOps<LLVM::LLVMFuncOp>())
      if (func->hasAttr(hcc::exec::kKernelAttrName))
        kernels.push_back(func);
    for (LLVM::LLVMFuncOp kernel : kernels) {
      LLVM::LLVMFunctionType type = kernel.getFunctionType();
      if (!isa<LLVM::LLVMVoidType>(type.getReturnType()) ||
          llvm::any_of(type.getParams(), [&](Type t) { return t != ptr; })) {
        kernel.emitOpError()
            << "is not in the bare-pointer kernel form (void result, one "
               "pointer per buffer): "
            << type;
        return signalPassFailure();
      }
      OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
      auto wrapper = LLVM::LLVMFuncOp::create(
          b, kernel.getLoc(), ("hcc_" + kernel.getName()).str(),
          LLVM::LLVMFunctionType::get(voidType, {ptr}));
      Block *entry = wrapper.addEntryBlock(b);
      b.setInsertionPointToStart(entry);
      SmallVector<Value> args;
      for (unsigned i = 0, e = type.getNumParams(); i < e; ++i) {
        Value slot = LLVM::GEPOp::create(
            b, kernel.getLoc(), ptr, ptr, entry->getArgument(0),
            ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
        args.push_back(LLVM::LoadOp::create(b, kernel.getLoc(), ptr, slot));
      }
      LLVM::CallOp::create(b, kernel.getLoc(), kernel, args);
      LLVM::ReturnOp::create(b, kernel.getLoc(), ValueRange());
      kernel.setLinkage(LLVM::Linkage::Internal);
      if (failed(emitSignature(b, kernel, wrapper.getName())))
        return signalPassFailure();
    }
  }
};
} // namespace
