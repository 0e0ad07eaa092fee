//===- OutlineStages.cpp - stage functions to gpu.func kernels ------------===//
//
// The GPU-shaped stage functions index their threads with the gpu dialect
// already; here they move into a gpu.module, the unit NVVM lowering and
// gpu-module-to-binary work on.
//
//===----------------------------------------------------------------------===//

#include "../OpenCL/OpenCLUtils.h"
#include "hcc/Target/CUDA/CUDATarget.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/SymbolTable.h"

namespace hcc {
#define GEN_PASS_DEF_CUDAOUTLINESTAGES
#include "hcc/Target/CUDA/Passes.h.inc"
} // namespace hcc

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kGPUModuleName = "hcc_cuda";

/// Block size of each stage entry, from the kernel table.
llvm::StringMap<int64_t> blockSizes(DictionaryAttr kernels) {
  llvm::StringMap<int64_t> sizes;
  hcc::opencl::forEachStage(kernels, [&](StringRef, DictionaryAttr stage) {
    auto entry = stage.getAs<StringAttr>("entry");
    auto local = stage.getAs<IntegerAttr>("local_size");
    if (entry && local)
      sizes[entry.getValue()] = local.getInt();
  });
  return sizes;
}

struct OutlineStagesPass : hcc::impl::CUDAOutlineStagesBase<OutlineStagesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    auto kernels =
        module->getAttrOfType<DictionaryAttr>(hcc::opencl::kKernelsAttr);
    if (!kernels) {
      module.emitError() << "CUDA target: no " << hcc::opencl::kKernelsAttr
                         << " attribute (split the kernels into stages "
                            "with gpu-shape first)";
      return signalPassFailure();
    }
    if (!StringRef(chip.getValue()).starts_with("sm_")) {
      module.emitError() << "CUDA target: chip '" << chip
                         << "' is not an sm_XX architecture";
      return signalPassFailure();
    }
    llvm::StringMap<int64_t> sizes = blockSizes(kernels);

    OpBuilder b(ctx);
    b.setInsertionPointToEnd(module.getBody());
    auto target = NVVM::NVVMTargetAttr::getChecked(
        [&] { return module.emitError() << "CUDA target: "; }, ctx,
        /*optLevel=*/3, StringRef("nvptx64-nvidia-cuda"), StringRef(chip),
        StringRef(features), DictionaryAttr(), ArrayAttr(),
        /*verifyTarget=*/true);
    if (!target)
      return signalPassFailure();
    auto gpuModule =
        gpu::GPUModuleOp::create(b, module.getLoc(), kGPUModuleName,
                                 b.getArrayAttr({Attribute(target)}));
    SymbolTable gpuSymbols(gpuModule);

    SmallVector<func::FuncOp> stages;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(hcc::opencl::kStageAttr))
        stages.push_back(func);
    // Constant arrays the stages read.
    llvm::SetVector<memref::GlobalOp> globals;
    for (func::FuncOp stage : stages) {
      WalkResult walk = stage.walk([&](memref::GetGlobalOp get) {
        auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
            get, get.getNameAttr());
        if (!global) {
          get.emitError() << "CUDA target: no memref.global @" << get.getName();
          return WalkResult::interrupt();
        }
        globals.insert(global);
        return WalkResult::advance();
      });
      if (walk.wasInterrupted())
        return signalPassFailure();
    }
    // Functions the stages call (math-to-funcs' integer powers), with the
    // functions they call in turn.
    llvm::SetVector<func::FuncOp> callees;
    SmallVector<Operation *> worklist(stages.begin(), stages.end());
    while (!worklist.empty()) {
      Operation *caller = worklist.pop_back_val();
      WalkResult walk = caller->walk([&](func::CallOp call) {
        auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
            call, call.getCalleeAttr());
        if (!callee || callee.isExternal()) {
          call.emitError() << "CUDA target: call of @" << call.getCallee()
                           << ", which has no body here";
          return WalkResult::interrupt();
        }
        if (callees.insert(callee))
          worklist.push_back(callee);
        return WalkResult::advance();
      });
      if (walk.wasInterrupted())
        return signalPassFailure();
    }
    b.setInsertionPointToStart(gpuModule.getBody());
    for (memref::GlobalOp global : globals)
      b.clone(*global);
    for (func::FuncOp callee : callees)
      b.clone(*callee);
    for (func::FuncOp callee : callees)
      callee.erase();

    for (func::FuncOp stage : stages) {
      auto it = sizes.find(stage.getSymName());
      if (it == sizes.end()) {
        stage.emitError() << "CUDA target: stage @" << stage.getSymName()
                          << " has no block size in the kernel table (split "
                             "the kernels with gpu-shape)";
        return signalPassFailure();
      }
      b.setInsertionPointToEnd(gpuModule.getBody());
      auto kernel = gpu::GPUFuncOp::create(
          b, stage.getLoc(), stage.getSymName(), stage.getFunctionType());
      kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(),
                      b.getUnitAttr());
      kernel.setKnownBlockSizeAttr(
          b.getDenseI32ArrayAttr({static_cast<int32_t>(it->second), 1, 1}));
      Region &body = kernel.getBody();
      body.front().erase();
      body.takeBody(stage.getBody());
      for (Block &block : body)
        if (auto ret = dyn_cast<func::ReturnOp>(block.getTerminator())) {
          b.setInsertionPoint(ret);
          gpu::ReturnOp::create(b, ret.getLoc());
          ret.erase();
        }
      // Workgroup tiles are shared memory: the kernel's workgroup
      // attributions, 16-byte aligned for vector accesses and 16-byte
      // cp.async copies.
      SmallVector<memref::AllocaOp> tiles;
      kernel.walk([&](memref::AllocaOp alloca) {
        auto space = dyn_cast_or_null<gpu::AddressSpaceAttr>(
            alloca.getType().getMemorySpace());
        if (space && space.getValue() == gpu::AddressSpace::Workgroup)
          tiles.push_back(alloca);
      });
      for (memref::AllocaOp tile : tiles) {
        BlockArgument shared =
            kernel.addWorkgroupAttribution(tile.getType(), tile.getLoc());
        kernel.setWorkgroupAttributionAttr(
            kernel.getNumWorkgroupAttributions() - 1,
            b.getStringAttr(LLVM::LLVMDialect::getAlignAttrName()),
            b.getI64IntegerAttr(16));
        tile.replaceAllUsesWith(shared);
        tile.erase();
      }
      // Tile kernels hold register tiles: let ptxas use registers for two
      // resident blocks per SM rather than spill for occupancy.
      if (!tiles.empty())
        kernel->setAttr(NVVM::NVVMDialect::getMinctasmAttrName(),
                        b.getI32IntegerAttr(2));
      stage.erase();
    }
    for (memref::GlobalOp global : globals)
      if (SymbolTable::symbolKnownUseEmpty(global, module))
        global.erase();

    // OpenCL's "private" and "constant" spaces mean NVVM's defaults here.
    AttrTypeReplacer replacer;
    replacer.addReplacement([](MemRefType type) -> std::optional<Type> {
      if (!isa_and_nonnull<StringAttr>(type.getMemorySpace()))
        return std::nullopt;
      return MemRefType::get(type.getShape(), type.getElementType(),
                             type.getLayout());
    });
    replacer.recursivelyReplaceElementsIn(gpuModule, /*replaceAttrs=*/true,
                                          /*replaceLocs=*/false,
                                          /*replaceTypes=*/true);
  }
};

} // namespace
