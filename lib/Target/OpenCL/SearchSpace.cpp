//===- SearchSpace.cpp - What hcc-tune searches for OpenCL kernels --------===//
//
// Kernels shaped for CPU-class devices (PoCL) tile their outputs into
// register tiles of tile-m rows by tile-n contiguous columns and spread the
// tiles over at most work-items work-items (tiles shrink until there are
// that many). The three knobs decide how much each tile reuses its loads,
// how many floatN accumulators it holds, and how finely the device's cores
// share the stage. Contractions, convolutions (dense or depthwise) and
// pools tile that way; elementwise ops, reductions and data movement take
// the work-item split alone and are not worth a tuner's time.
//
// Constraints keep a tile between a quarter of the default's accumulators
// and twice them (64 to 512 floats): smaller ones reload operands for every
// few FMAs, larger ones spill on every CPU-class device.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/OpenCL/OpenCLTarget.h"

#include "hcc/CostModel/Features.h"
#include "hcc/Target/OpenCL/OpenCLCodegen.h"
#include "hcc/Target/Target.h"

namespace hcc {

namespace {
constexpr int64_t kMinTileElements = 64;
constexpr int64_t kMaxTileElements = 512;
static_assert(kMaxTileElements <= kOpenCLMaxTileElements);

bool isTiled(const cost::KernelFeatures &f) {
  return f.family == cost::OpFamily::Contraction ||
         f.family == cost::OpFamily::Convolution || f.opType == "MaxPool" ||
         f.opType == "AveragePool";
}
} // namespace

SearchSpace openclSearchSpaceFor(const cost::KernelFeatures &f) {
  if (!isTiled(f) || f.dtypeBits != 32)
    return {};
  SearchSpace space;
  space.knobs = {{"tile-m", {1, 2, 4, 8, 16, 32}},
                 {"tile-n", {16, 32, 64, 128, 256}},
                 {"work-items", {8, 32, 64, 128, 512}}};
  space.valid = [](llvm::ArrayRef<int64_t> p) {
    int64_t elements = p[0] * p[1];
    return elements >= kMinTileElements && elements <= kMaxTileElements;
  };
  return space;
}

} // namespace hcc
