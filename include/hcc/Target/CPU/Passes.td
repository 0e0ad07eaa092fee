//===- Passes.td - CPU target passes -----------------------*- tablegen -*-===//

#ifndef HCC_TARGET_CPU_PASSES
#define HCC_TARGET_CPU_PASSES

include "mlir/Pass/PassBase.td"

def CPUPrepareKernels : Pass<"hcc-cpu-prepare-kernels", "mlir::ModuleOp"> {
  let summary = "Mark kernel operands read-only before bufferization";
  let description = [{
    A kernel's operands are buffers the runtime owns and other kernels may
    still read, so one-shot bufferization must never write into them: every
    argument of an `exec.kernel` function gets `bufferization.writable =
    false` (a write to it then works on a copy).
  }];
}

def CPULowerCopies : Pass<"hcc-cpu-lower-copies", "mlir::ModuleOp"> {
  let summary = "Kernel buffer fix-ups after bufferization";
  let description = [{
    Bufferization copies buffers with `memref.copy`, which the LLVM lowering
    turns into a call to MLIR's C runner library for strided copies. Kernels
    must link against nothing but libc/libm and the hcc runtime, so copies
    become `linalg.copy` and are lowered to loops like every other op.
    Kernel parameters without elements (e.g. `memref<3x0xf32>`), which the
    bare-pointer calling convention rejects, become `memref<1xT>` viewed back
    as the empty shape with `memref.reinterpret_cast`.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def CPUKernelABI : Pass<"hcc-cpu-kernel-abi", "mlir::ModuleOp"> {
  let summary = "Give every kernel the runtime's CPU calling convention";
  let description = [{
    Runs on the LLVM dialect after `convert-func-to-llvm` with the bare-pointer
    memref convention. For each kernel `@k(ptr, ..., ptr)` (inputs, then
    outputs) it adds `void @hcc_k(ptr args)` that loads `args[i]` and calls
    `@k`, the entry point the runtime calls (docs/Bundle.md, "CPU kernel
    ABI"); `@k` itself becomes internal so LLVM may inline it.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif // HCC_TARGET_CPU_PASSES
