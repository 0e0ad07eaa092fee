//===- ObjectEmitter.cpp - LLVM dialect to a host shared object -----------===//
//
// Translates the CPU target module to LLVM IR, optimizes it for this host
// (CPU name and features as LLVM detects them, so AVX-512 is used where
// present), emits an object in-process with the LLVM TargetMachine and links
// it with the system C compiler driver into the shared object the runtime
// dlopens. Temporary files are removed on every path.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/CPU/CPUTarget.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace mlir;

namespace {
/// Removes a file when it goes out of scope.
struct TempFile {
  llvm::SmallString<128> path;
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};

std::unique_ptr<llvm::TargetMachine> hostTargetMachine(unsigned optLevel,
                                                       std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getProcessTriple());
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::SubtargetFeatures features;
  for (const auto &feature : llvm::sys::getHostCPUFeatures())
    features.AddFeature(feature.first(), feature.second);
  llvm::CodeGenOptLevel level = optLevel == 0   ? llvm::CodeGenOptLevel::None
                                : optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                : optLevel == 2
                                    ? llvm::CodeGenOptLevel::Default
                                    : llvm::CodeGenOptLevel::Aggressive;
  llvm::TargetOptions options;
  // Multiply-adds (convolution taps, bias + scale) become FMAs, as in
  // every tuned CPU kernel library: one rounding instead of two.
  options.AllowFPOpFusion = llvm::FPOpFusion::Fast;
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      triple, llvm::sys::getHostCPUName(), features.getString(), options,
      llvm::Reloc::PIC_, std::nullopt, level));
}
/// Arithmetic on bf16 values (Range, Cast) is done in f32 and truncated
/// back; processors without AVX-512 BF16 truncate with a call of
/// compiler-rt's __truncsfbf2, which the kernels' object is not linked
/// with. A module with bf16 values gets its own hidden definition: round to
/// nearest even, NaNs kept NaN (quiet).
void defineBf16Truncation(llvm::Module &module) {
  if (module.getFunction("__truncsfbf2"))
    return;
  auto isBf16 = [](llvm::Type *type) {
    return type->getScalarType()->isBFloatTy();
  };
  bool uses = false;
  for (llvm::Function &f : module)
    for (llvm::Instruction &inst : llvm::instructions(f))
      uses = uses || isBf16(inst.getType()) ||
             llvm::any_of(inst.operands(), [&](llvm::Use &operand) {
               return isBf16(operand->getType());
             });
  if (!uses)
    return;
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Type *i32 = llvm::Type::getInt32Ty(ctx);
  auto *type = llvm::FunctionType::get(llvm::Type::getBFloatTy(ctx),
                                       {llvm::Type::getFloatTy(ctx)}, false);
  auto *fn = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                                    "__truncsfbf2", module);
  fn->setVisibility(llvm::GlobalValue::HiddenVisibility);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "", fn));
  llvm::Value *bits = b.CreateBitCast(fn->getArg(0), i32);
  auto constant = [&](uint32_t v) { return llvm::ConstantInt::get(i32, v); };
  llvm::Value *high = b.CreateLShr(bits, constant(16));
  // Adding 0x7fff plus the kept part's lowest bit rounds to nearest even.
  llvm::Value *bias =
      b.CreateAdd(b.CreateAnd(high, constant(1)), constant(0x7fff));
  llvm::Value *rounded = b.CreateLShr(b.CreateAdd(bits, bias), constant(16));
  llvm::Value *isNaN = b.CreateICmpUGT(b.CreateAnd(bits, constant(0x7fffffff)),
                                       constant(0x7f800000));
  llvm::Value *quiet = b.CreateOr(high, constant(0x40));
  llvm::Value *result = b.CreateSelect(isNaN, quiet, rounded);
  b.CreateRet(b.CreateBitCast(b.CreateTrunc(result, b.getInt16Ty()),
                              llvm::Type::getBFloatTy(ctx)));
}

} // namespace

LogicalResult hcc::emitCPUSharedObject(ModuleOp module,
                                       const CPUCodegenOptions &options,
                                       std::vector<uint8_t> &sharedObject) {
  MLIRContext *ctx = module.getContext();
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  ctx->appendDialectRegistry(registry);

  std::string error;
  std::unique_ptr<llvm::TargetMachine> tm =
      hostTargetMachine(options.optLevel, error);
  if (!tm)
    return module.emitError() << "no LLVM target for this host: " << error;

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "hcc_cpu_kernels");
  if (!llvmModule)
    return module.emitError() << "cannot translate the CPU kernels to LLVM IR";
  llvmModule->setTargetTriple(tm->getTargetTriple());
  llvmModule->setDataLayout(tm->createDataLayout());
  defineBf16Truncation(*llvmModule);
  auto optimize =
      makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0, tm.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return module.emitError()
           << "LLVM optimization failed: " << llvm::toString(std::move(err));

  TempFile object, library;
  if (llvm::sys::fs::createTemporaryFile("hcc-kernels", "o", object.path) ||
      llvm::sys::fs::createTemporaryFile("hcc-kernels", "so", library.path))
    return module.emitError() << "cannot create temporary files";
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(object.path, ec, llvm::sys::fs::OF_None);
    if (ec)
      return module.emitError()
             << "cannot write '" << object.path << "': " << ec.message();
    llvm::legacy::PassManager codegen;
    if (tm->addPassesToEmitFile(codegen, os, nullptr,
                                llvm::CodeGenFileType::ObjectFile))
      return module.emitError() << "LLVM cannot emit objects for this host";
    codegen.run(*llvmModule);
  }

  llvm::ErrorOr<std::string> cc = llvm::sys::findProgramByName("cc");
  if (!cc)
    return module.emitError()
           << "no C compiler driver 'cc' on PATH to link the kernels";
  SmallVector<StringRef> args = {*cc,          "-shared",   "-o",
                                 library.path, object.path, "-lm"};
  std::string message;
  int rc =
      llvm::sys::ExecuteAndWait(*cc, args, std::nullopt, {}, 0, 0, &message);
  if (rc != 0)
    return module.emitError() << "linking the kernels with '" << *cc
                              << "' failed (exit " << rc << ") " << message;
  auto buffer = llvm::MemoryBuffer::getFile(library.path, /*IsText=*/false);
  if (!buffer)
    return module.emitError()
           << "cannot read the linked kernels: " << buffer.getError().message();
  StringRef bytes = (*buffer)->getBuffer();
  sharedObject.assign(bytes.begin(), bytes.end());
  return success();
}
