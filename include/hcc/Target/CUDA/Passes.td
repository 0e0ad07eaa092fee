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

#endif // HCC_TARGET_CUDA_PASSES
