//===- OpenCLCodegen.h - hcc's OpenCL code generator ------------*- C++ -*-===//
//
// The OpenCL target turns a target module of graph-dialect kernels into one
// OpenCL C 1.2 program: convert-graph-to-linalg, elementwise fusion,
// one-shot bufferization, CPU-shaped loop nests (register-blocked
// reductions), a split of every kernel into stages (entry points launched
// in order over 1-D NDRanges, scratch buffers for temporaries), EmitC and
// upstream's C emitter. The bundle section is JSON ("hcc-opencl-c/1",
// docs in emitOpenCLSection below).
//
//===----------------------------------------------------------------------===//

#ifndef HCC_TARGET_OPENCL_OPENCLCODEGEN_H
#define HCC_TARGET_OPENCL_OPENCLCODEGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hcc {

#define GEN_PASS_DECL
#include "hcc/Target/OpenCL/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hcc/Target/OpenCL/Passes.h.inc"

/// Ranges of the OpenCL knobs (openclKnobSpecs() in OpenCLTarget.h); a
/// kernel's `exec.knobs` override the pass options, both are checked.
struct OpenCLKnobRange {
  int64_t min, max;
};
inline constexpr OpenCLKnobRange kOpenCLWorkItemsRange = {1, 65536};
inline constexpr OpenCLKnobRange kOpenCLTileMRange = {1, 64};
inline constexpr OpenCLKnobRange kOpenCLTileNRange = {1, 1024};
/// Largest tile-m * tile-n (private accumulators per work-item).
inline constexpr int64_t kOpenCLMaxTileElements = 8192;

/// Limits of the GPU shape's contraction tiles (gpuTileKnobSpecs() in
/// OpenCLTarget.h): threads per block, bytes of double-buffered slices.
inline constexpr int64_t kGPUMaxThreads = 1024;
inline constexpr int64_t kGPUMaxSharedBytes = 48 * 1024;

/// The value of each knob in `names` for `kernel`: its `exec.knobs` entry,
/// else `defaults` (the pass options). Checks the options and the kernel's
/// knobs against openclKnobSpecs() and tile-m * tile-n; an error on
/// `kernel` names the knob otherwise.
mlir::FailureOr<llvm::SmallVector<int64_t>>
resolveOpenCLKnobs(mlir::Operation *kernel,
                   llvm::ArrayRef<llvm::StringRef> names,
                   llvm::ArrayRef<int64_t> defaults);

struct OpenCLCodegenOptions {
  /// Largest number of work-items a stage is spread over (1-65536). CPU
  /// devices want few work-items with long contiguous loops each.
  int64_t workItems = 64;
  /// Register tile of reductions and contractions: rows (1-64) x columns
  /// of the contiguous inner loop (1-1024), product at most 8192.
  int64_t tileM = 8;
  int64_t tileN = 32;
  /// Lanes of the OpenCL vectors contraction tiles accumulate in (1: scalar
  /// tiles; 2, 4, 8 or 16).
  int64_t vectorWidth = 16;
  /// Fuse elementwise linalg ops into their producers/consumers.
  bool fuseElementwise = true;
  /// GPU shape (GPU-class devices, the CUDA target): one thread per
  /// output, blocks of `blockSize` threads (1-1024); tiles and work-items
  /// above do not apply.
  bool gpuShape = false;
  int64_t blockSize = 256;
  /// With gpuShape: how reductions fold a block's partials (the
  /// hcc-ocl-lower-linalg option gpu-reductions: tree, shuffle,
  /// emulated-shuffle).
  std::string gpuReductions = "tree";
  /// CPU-shaped vector register tiles apply the elementwise op that
  /// consumes their output before storing (hcc-ocl-lower-linalg
  /// tile-epilogues; the FPGA target).
  bool tileEpilogues = false;
  /// Passes a GPU target adds on the bufferized kernels before their loops
  /// are built (the CUDA target's tensor-core contractions).
  std::function<void(mlir::OpPassManager &)> beforeLoops;
  /// Passes a target adds on the stage functions (loops over memrefs, the
  /// kernel table built) before the OpenCL C lowering: the FPGA target's
  /// performance and resource model.
  std::function<void(mlir::OpPassManager &)> afterStages;
};

/// The front half of buildOpenCLCodegenPipeline, up to stage functions over
/// memrefs and the `hcc.opencl.kernels` attribute (before the expansion of
/// views and EmitC): what the CUDA target lowers to NVVM instead.
void buildStageFunctionPipeline(mlir::OpPassManager &pm,
                                const OpenCLCodegenOptions &options);

/// Graph-dialect kernels of an OpenCL target module -> EmitC stage
/// functions and the `hcc.opencl.kernels` module attribute. Runs on the
/// target module itself. Registered as `hcc-opencl-codegen-pipeline`.
void buildOpenCLCodegenPipeline(mlir::OpPassManager &pm,
                                const OpenCLCodegenOptions &options);

/// Whether the stage-function pipeline lowers `op` (a graph op with its
/// types): it has a linalg lowering and every value in it has an element
/// type OpenCL C buffers hold (also what the CUDA target supports). On
/// false `reason` says why, naming the kernels as `kernels`.
bool stageFunctionPipelineSupports(mlir::Operation *op, llvm::StringRef kernels,
                                   std::string &reason);

/// Registers `hcc-opencl-codegen-pipeline` (on the module it is run on).
void registerOpenCLPipelines();

/// After the pipeline: the OpenCL C source of `module` (prelude and every
/// stage entry point). On failure emits an error on `module`.
mlir::LogicalResult translateOpenCLSource(mlir::ModuleOp module,
                                          std::string &source);

/// Writes the kernel table of a module after the stage split (its
/// `hcc.opencl.kernels` attribute) as the JSON attribute "kernels": kernel
/// -> {num_args, scratch, stages: [{entry, global_size, [local_size,]
/// args}]}. Fails with an error on `module` (and an empty object) when it
/// is missing or malformed.
mlir::LogicalResult writeKernelTable(mlir::ModuleOp module,
                                     llvm::json::OStream &out);

/// After the pipeline: the bundle section, JSON:
///   { "format": "hcc-opencl-c/1", "source": "<OpenCL C>",
///     "options": "-cl-std=CL1.2",
///     "kernels": { "hcc_<kernel>": { "num_args": N, "scratch": [bytes...],
///       "stages": [ {"entry": "<__kernel>", "global_size": G,
///                    ["local_size": L,] "args": [i...]} ] } } }
/// Stage arg i < N is kernel argument i (inputs, then outputs); i >= N is
/// scratch buffer i - N. Stages run in order, each a 1-D NDRange;
/// GPU-shaped stages give their work-group size L (a divisor of G).
mlir::LogicalResult emitOpenCLSection(mlir::ModuleOp module, std::string &json);

/// emitOpenCLSection as the bytes of a bundle code section (what the
/// OpenCL and FPGA targets' serialize() return).
mlir::LogicalResult serializeOpenCLSection(mlir::ModuleOp module,
                                           std::vector<uint8_t> &section);

/// Registers `--emit-opencl` (the source) and `--emit-opencl-section` (the
/// JSON) with mlir-translate's registry (tools/hcc-translate).
void registerOpenCLTranslations();

} // namespace hcc

#endif // HCC_TARGET_OPENCL_OPENCLCODEGEN_H
