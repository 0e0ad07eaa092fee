//===- SearchSpace.cpp - What hcc-tune searches for CPU kernels -----------===//
//
// Per kind of kernel, the knobs that shape its code, with a few values
// each, and constraints that keep every point sensible (every value is in
// its knob's range, so every point compiles). The kind follows the path
// TileAndVectorize takes for the kernel's anchor op:
//  - register tiles (every f32 contraction): (rows, columns) pairs whose
//    accumulators fill between a quarter of the vector registers and all
//    but the operands of one K step (a column vector each, one broadcast);
//    reduction steps per tile; the K block kept in L1;
//  - convolutions through im2col add the row-block size and whether B
//    panels are packed; 1x1 stride-1 ones whether panels are packed and
//    rows prefetched; 3x3 stride-1 ones with 8 or more input channels
//    (their filters are inlined into the kernel) choose direct, F(2x2, 3x3) or
//    F(4x4, 3x3); small maps whose filters fill whole column tiles choose
//    output channels as lanes or not (and L1 blocking for that form), or
//    Winograd;
//  - matmuls with many rows add panel packing and L2 row blocks (and K
//    lanes where N leaves a narrow remainder); with few rows (one-row
//    products) the tile width, K block and weight prefetch distance;
//  - depthwise convolutions and pools: flattened planes or rows, rows per
//    register tile, output rows straight or copied, channels as lanes;
//    max pools also separable rows or not.
// Elementwise ops, reductions and data movement have nothing that pays
// to tune: an empty space.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/CPU/CPUTarget.h"
#include "hcc/Target/Target.h"

#include <algorithm>

namespace hcc {

namespace {
/// A threshold knob's value that never (or always) triggers.
constexpr int64_t kAlways = 1 << 20;

struct Builder {
  const CPUVectorUnit &unit;
  SearchSpace space;

  size_t add(const char *name, std::vector<int64_t> values) {
    space.knobs.push_back({name, std::move(values)});
    return space.knobs.size() - 1;
  }
  /// tile-m and tile-n; returns their positions.
  std::pair<size_t, size_t> registerTile() {
    int64_t lanes = unit.lanes;
    size_t m = add("tile-m", {2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 20, 24});
    size_t n = add("tile-n", {lanes, 2 * lanes, 4 * lanes});
    return {m, n};
  }
  /// Whether (tile-m, tile-n) at positions (m, n) of `p` fills the
  /// registers as register tiles should.
  bool goodTile(llvm::ArrayRef<int64_t> p, std::pair<size_t, size_t> at) const {
    int64_t vectors = std::max<int64_t>(1, p[at.second] / unit.lanes);
    int64_t acc = p[at.first] * vectors;
    return acc >= unit.registers / 4 && acc + vectors + 1 <= unit.registers;
  }
};

bool isConvolution(const cost::KernelFeatures &f) {
  return f.family == cost::OpFamily::Convolution;
}
/// Input channels per group (k = channels x window for convolutions).
double channelsIn(const cost::KernelFeatures &f) {
  return f.window > 0 ? f.k / f.window : f.k;
}
bool isDepthwise(const cost::KernelFeatures &f) {
  return isConvolution(f) && f.groups > 1 && channelsIn(f) <= 1;
}

SearchSpace contractionSpace(const cost::KernelFeatures &f,
                             const CPUVectorUnit &unit) {
  Builder b{unit, {}};
  auto tile = b.registerTile();
  b.add("tile-k", {2, 4, 8});
  int64_t lanes = unit.lanes;
  // The default tile width decides whether the filters fill column tiles
  // (channels as lanes needs C_out a multiple of it).
  int64_t defaultTileN = 2 * lanes;
  bool conv = isConvolution(f);
  bool lanesEligible =
      conv && f.n <= 64 && static_cast<int64_t>(f.m) % defaultTileN == 0;
  bool winograd = conv && f.window == 9 && f.stride == 1 && channelsIn(f) >= 8;
  bool oneByOne = conv && f.window == 1 && f.stride == 1;
  if (lanesEligible) {
    b.add("cache-k", {0, 512});
    size_t use = b.add("channel-lanes-max-pixels", {0, 64});
    size_t l1 = b.add("l1-kib", {16, 32, 48});
    int64_t cout = static_cast<int64_t>(f.m);
    if (!winograd) {
      b.space.valid = [b, tile, use, cout](llvm::ArrayRef<int64_t> p) {
        return b.goodTile(p, tile) &&
               (p[use] == 0 || cout % p[tile.second] == 0);
      };
      return b.space;
    }
    // Small maps the defaults run with channels as lanes (or direct) may
    // run as Winograd instead: (F(4x4) from size, F(2x2) from size) as the
    // defaults say (28, 8), F(2x2) (28, 1) or F(4x4) (1, 0); the lanes
    // knobs matter only without Winograd, the filter prefetch only with it.
    size_t f4 = b.add("winograd-min-size", {1, 28});
    size_t f2 = b.add("winograd-f2-min-size", {0, 1, 8});
    size_t prefetch = b.add("prefetch-kib", {0, 24, 64});
    b.space.valid = [=](llvm::ArrayRef<int64_t> p) {
      if (!b.goodTile(p, tile))
        return false;
      if (p[f4] == 28 && p[f2] == 8)
        return (p[use] == 0 || cout % p[tile.second] == 0) && p[prefetch] == 24;
      return (p[f4] == 1) == (p[f2] == 0) && p[use] == 64 && p[l1] == 32;
    };
    return b.space;
  }
  if (winograd) {
    b.add("cache-k", {0, 512});
    // (F(4x4) from size, F(2x2) from size): F(4x4) (1, 0), F(2x2) (0, 1),
    // direct (0, 0), or by size as the defaults say (28, 8).
    size_t f4 = b.add("winograd-min-size", {0, 1, 28});
    size_t f2 = b.add("winograd-f2-min-size", {0, 1, 8});
    b.add("prefetch-kib", {0, 24, 64});
    b.space.valid = [b, tile, f4, f2](llvm::ArrayRef<int64_t> p) {
      bool algorithm =
          (p[f4] == 28) == (p[f2] == 8) && !(p[f4] == 1 && p[f2] == 1);
      return b.goodTile(p, tile) && algorithm;
    };
    return b.space;
  }
  if (conv) {
    b.add("cache-k", {0, 256, 512});
    b.add("pack-min-rows", {0, 32});
    if (oneByOne)
      b.add("prefetch-next-rows", {0, 1});
    else
      b.add("im2col-block-kib", {0, 256, 512, 1024});
  } else if (f.m >= 16) {
    b.add("cache-k", {0, 256, 512, 1024});
    size_t pack = b.add("pack-min-rows", {0, 8, 32});
    size_t cacheM = b.add("cache-m", {0, 128});
    if (static_cast<int64_t>(f.n) % lanes != 0)
      b.add("k-lane-max-cols", {0, lanes - 1});
    b.space.valid = [b, tile, pack, cacheM](llvm::ArrayRef<int64_t> p) {
      // L2 row blocks only matter for packed panels.
      return b.goodTile(p, tile) && (p[pack] != 0 || p[cacheM] == 128);
    };
    return b.space;
  } else {
    // One-row products: no rows to tile; the width and the weight stream.
    Builder g{unit, {}};
    g.add("tile-n", {lanes, 2 * lanes, 4 * lanes, 8 * lanes});
    g.add("tile-k", {2, 4, 8});
    g.add("cache-k", {0, 256, 512, 1024});
    g.add("prefetch-kib", {0, 8, 24, 64});
    return g.space;
  }
  b.space.valid = [b, tile](llvm::ArrayRef<int64_t> p) {
    return b.goodTile(p, tile);
  };
  return b.space;
}

SearchSpace windowSpace(const cost::KernelFeatures &f,
                        const CPUVectorUnit &unit) {
  Builder b{unit, {}};
  size_t flat = b.add("flat-depthwise-max-width", {0, kAlways});
  size_t rows = b.add("depthwise-rows-min-width", {1, 48, kAlways});
  size_t tileRows = b.add("depthwise-tile-rows", {1, 2, 4, 8});
  bool channelLanes =
      isDepthwise(f) && static_cast<int64_t>(f.m) % unit.lanes == 0;
  size_t lanes = channelLanes
                     ? b.add("depthwise-channel-max-pixels", {0, 256, kAlways})
                     : 0;
  bool maxPool = f.opType == "MaxPool";
  size_t separable = maxPool ? b.add("max-pool-rows", {0, 1}) : 0;
  b.space.valid = [=](llvm::ArrayRef<int64_t> p) {
    // Separable max pools ignore the plane knobs: keep one point of them.
    if (maxPool && p[separable] == 1)
      return p[flat] == kAlways && p[rows] == 48 && p[tileRows] == 4;
    // Row-path points (flat 0) ignore the plane knobs: keep one of them.
    if (p[flat] == 0)
      return p[rows] == 48 && p[tileRows] == 4 &&
             (!channelLanes || p[lanes] == 256);
    return true;
  };
  return b.space;
}
} // namespace

SearchSpace cpuSearchSpaceFor(const cost::KernelFeatures &f,
                              const CPUVectorUnit &unit) {
  if (f.dtypeBits != 32)
    return {};
  bool windowed = f.opType == "MaxPool" || f.opType == "AveragePool";
  if (isDepthwise(f) || windowed)
    return windowSpace(f, unit);
  if (f.family == cost::OpFamily::Contraction ||
      (isConvolution(f) && f.groups == 1))
    return contractionSpace(f, unit);
  return {};
}

} // namespace hcc
