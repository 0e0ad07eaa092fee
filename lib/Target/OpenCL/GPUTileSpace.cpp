//===- GPUTileSpace.cpp - What hcc-tune searches for GPU-shaped kernels ---===//
//
// Kernels in the GPU shape (the CUDA target's, and the OpenCL target's
// with gpu-shape) run contractions (matmuls, and convolutions after
// im2col) as shared-memory tiles (GPUContraction.cpp): a block owns
// block-m x block-n outputs and stages block-k deep slices of A and B
// (double-buffered), each thread accumulates thread-m x thread-n of them.
// The space crosses 3 values of each (and the defaults, from the shape);
// points keep 64 to 1024 threads per
// block, at most 48 KiB of staged slices and 64 accumulators per thread,
// and no block larger than the problem's rows or columns. Operands in
// tf32, fp16 or bf16 run on the CUDA target's tensor cores
// (hcc-cuda-mma-contractions), whose tiles are fixed: the knobs shape fp32
// contractions.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/OpenCL/OpenCLTarget.h"

#include "hcc/Target/OpenCL/OpenCLCodegen.h"
#include "hcc/Target/Target.h"

#include "llvm/ADT/bit.h"

#include <algorithm>

namespace hcc {

namespace {
constexpr int64_t kMinThreads = 64;
constexpr int64_t kMaxAccumulators = 64;

/// The smallest power of two >= `extent`, at least 32 (a block's floor).
int64_t covering(double extent) {
  uint64_t whole = static_cast<uint64_t>(std::clamp(extent, 1.0, 1e9));
  return std::max<int64_t>(32, int64_t(llvm::bit_ceil(whole)));
}
} // namespace

SearchSpace gpuTileSearchSpaceFor(const cost::KernelFeatures &f) {
  if ((f.family != cost::OpFamily::Contraction &&
       f.family != cost::OpFamily::Convolution) ||
      f.dtypeBits != 32 ||
      (f.family == cost::OpFamily::Convolution && f.groups > 1 &&
       f.k / std::max(1.0, f.window) <= 1))
    return {};
  SearchSpace space;
  // 0 (each knob's default) leaves the tiles to the shape: the point of
  // all zeros is the defaults, and no other point holds a zero.
  space.knobs = {{"block-m", {0, 32, 64, 128}},
                 {"block-n", {0, 32, 64, 128}},
                 {"block-k", {0, 8, 16, 32}},
                 {"thread-m", {0, 2, 4, 8}},
                 {"thread-n", {0, 2, 4, 8}}};
  int64_t rows = covering(f.m), columns = covering(f.n);
  space.valid = [rows, columns](llvm::ArrayRef<int64_t> p) {
    if (llvm::is_contained(p, 0) ||
        llvm::any_of(p, [](int64_t v) { return v < 0; }))
      return llvm::all_of(p, [](int64_t v) { return v == 0; });
    int64_t bm = p[0], bn = p[1], bk = p[2], tm = p[3], tn = p[4];
    int64_t threads = (bm / tm) * (bn / tn);
    return threads >= kMinThreads && threads <= kGPUMaxThreads &&
           2 * bk * (bm + bn) * 4 <= kGPUMaxSharedBytes &&
           tm * tn <= kMaxAccumulators && bm <= rows && bn <= columns;
  };
  return space;
}

} // namespace hcc
