//===- SearchSpace.cpp - What hcc-tune searches for FPGA kernels ----------===//
//
// A contraction's processing-element array (tile-m rows by tile-n
// contiguous columns of multiply-adds, unrolled in the pipeline's
// innermost loop) decides both its time and its share of the board: the
// board model (hcc-fpga-estimate) costs each point, nothing is measured.
// Arrays keep between 8 and 1024 multiply-adds (the built-in boards hold
// 2457 and 4510 f32 ones) and are no larger than the kernel's rows and
// columns. Which points go into one bitstream together is decided when a
// log is applied (hcc-fpga-fit chooses among each kernel's measured
// configurations within the board); kernels without a contraction keep
// their 1 x 16 streams and have no space.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/FPGA/FPGATarget.h"

#include "llvm/ADT/bit.h"

#include <algorithm>

namespace hcc {

namespace {
constexpr int64_t kMinElements = 8;
constexpr int64_t kMaxElements = 1024;

/// The smallest power of two >= `extent` (at least `floor`).
int64_t covering(double extent, int64_t floor) {
  uint64_t whole = static_cast<uint64_t>(std::clamp(extent, 1.0, 1e9));
  return std::max<int64_t>(floor, int64_t(llvm::bit_ceil(whole)));
}
} // namespace

SearchSpace fpgaSearchSpaceFor(const cost::KernelFeatures &f) {
  if (f.family != cost::OpFamily::Contraction &&
      f.family != cost::OpFamily::Convolution)
    return {};
  SearchSpace space;
  space.knobs = {{"tile-m", {1, 2, 4, 8, 16, 32}},
                 {"tile-n", {4, 8, 16, 32, 64, 128}}};
  int64_t rows = covering(f.m, 1), columns = covering(f.n, 4);
  space.valid = [rows, columns](llvm::ArrayRef<int64_t> p) {
    int64_t elements = p[0] * p[1];
    return elements >= kMinElements && elements <= kMaxElements &&
           p[0] <= rows && p[1] <= columns;
  };
  return space;
}

} // namespace hcc
