//===- Passes.td - CUDA target passes ----------------------*- tablegen -*-===//

#ifndef HCC_TARGET_CUDA_PASSES
#define HCC_TARGET_CUDA_PASSES

include "mlir/Pass/PassBase.td"

def CUDAOutlineStages : Pass<"hcc-cuda-outline-stages", "mlir::ModuleOp"> {
  let summary = "GPU-shaped stage functions to gpu.func kernels of a "
                "gpu.module";
  let description = [{
    Runs on a target module after the stage split with `gpu-shape`
    (`hcc-ocl-split-stages{gpu-shape}`): every stage function
    (`hcc.opencl.stage`) becomes a `gpu.func` kernel of one `gpu.module
    @hcc_cuda` carrying an `#nvvm.target` for `chip` (with the PTX ISA
    version of `features`), with the block size the kernel table records as
    its `known_block_size`. The constant arrays the stages read are cloned
    into the GPU module; the OpenCL memory spaces of private arrays and
    constants are dropped (NVVM's generic and local spaces hold them).
    Workgroup tiles become 16-byte aligned workgroup attributions (shared
    memory), and kernels that have them ask for two resident blocks per
    SM (`nvvm.minctasm = 2`) so that ptxas keeps their register tiles in
    registers instead of spilling for occupancy.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_80\"",
           "Architecture the PTX is generated for (sm_XX)">,
    Option<"features", "features", "std::string", /*default=*/"\"+ptx80\"",
           "NVPTX features: the PTX ISA version">,
  ];
  let dependentDialects = [
    "mlir::gpu::GPUDialect", "mlir::NVVM::NVVMDialect",
    "mlir::memref::MemRefDialect"
  ];
}

def CUDAMmaContractions
    : Pass<"hcc-cuda-mma-contractions", "mlir::func::FuncOp"> {
  let summary = "f32 contractions on tensor cores (nvgpu.mma.sync)";
  let description = [{
    Runs on bufferized kernels before the GPU-shaped loop lowering. Each
    f32 contraction with one m, n and k dimension (matmuls, batched
    matmuls, convolutions after im2col) whose payload is a multiply-add
    becomes a tiled form already mapped to blocks and threads (an
    `scf.execute_region` with `hcc.gpu.launch`): 64 x 64 output tiles per
    block of four warps, each warp a 32 x 32 tile of 2 x 4
    `nvgpu.mma.sync` 16 x 8 tiles accumulating in f32; A and B staged
    16-deep in workgroup memory (zero-padded at the edges), in tf32
    (`mmaShape` 16x8x8, `tf32Enabled`) or rounded to f16 or bf16 (16x8x16)
    as `precision` asks. Fragment coordinates come from upstream's
    `nvgpu::getLaneIdAndValueIdToOperandCoord`.
  }];
  let options = [
    Option<"precision", "precision", "std::string", /*default=*/"\"tf32\"",
           "Operand precision of the tensor-core products: tf32, fp16 or "
           "bf16">,
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::gpu::GPUDialect", "mlir::LLVM::LLVMDialect",
    "mlir::memref::MemRefDialect", "mlir::NVVM::NVVMDialect",
    "mlir::nvgpu::NVGPUDialect", "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect"
  ];
}

def CUDAAsyncCopies : Pass<"hcc-cuda-async-copies", "mlir::gpu::GPUModuleOp"> {
  let summary = "Double-buffered tile staging as cp.async copies";
  let description = [{
    Runs on the GPU module after outlining. The GPU tile emitters stage
    the operand tiles of a contraction through double-buffered workgroup
    memory (`hcc.gpu.staged` stores of a guarded global load; the stage of
    k step i + 1 is issued before the `hcc.gpu.stage_ready` barrier of
    step i). Each such store of a 4- or 8-byte element whose value is the
    loaded element itself becomes an `nvgpu.device_async_copy` of one
    element (Ampere's `cp.async`), zero-filled where the load was out of
    bounds (`srcElements` 0, the source index clamped to 0); the copies of
    a stage form one group (`nvgpu.device_async_create_group` before the k
    loop and before each ready barrier) and each ready barrier first waits
    until at most the group just issued is in flight
    (`nvgpu.device_async_wait {numGroups = 1}`): the copies of step i + 1
    overlap the multiplication of step i. Where a k loop of one step has
    folded away, its ready barrier waits for all copies (`numGroups = 0`). Stores that convert their value
    (f32 tiles rounded to f16 or bf16) stay synchronous.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::nvgpu::NVGPUDialect"
  ];
}

#endif // HCC_TARGET_CUDA_PASSES
