//===- CPUTarget.cpp - The CPU target plug-in -----------------------------===//
//
// The host processor: kernels are native code in one shared object (the
// bundle's "cpu" code section), run on the runtime's thread pool in host
// memory. It runs every graph op that convert-graph-to-linalg lowers, so it
// is also the fallback of placement.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/CPU/CPUTarget.h"
#include "dialects/Graph/IR/GraphOps.h"
#include "hcc/Conversion/GraphToLinalg.h"
#include "hcc/Target/Target.h"

#include "Tiling.h"

#include <algorithm>
#include <thread>

using namespace mlir;

namespace hcc {
namespace {

class CPUTarget : public Target {
public:
  llvm::StringRef name() const override { return "cpu"; }
  llvm::StringRef description() const override {
    return "host processor: native code through LLVM, multithreaded on the "
           "runtime's pool";
  }
  bool isHost() const override { return true; }
  /// Filters of convolutions that may run as Winograd (3x3, stride 1, as
  /// many input channels as winograd-min-channels asks by default: the
  /// size thresholds are knobs a tuning log may set per kernel), and the
  /// 2-D weights of MatMuls and Gemms whose B panels are packed: codegen
  /// transforms both at compile time.
  bool inlinesWeight(OpOperand &use) const override {
    return isWinogradFilter(use) || isChannelLaneFilter(use) ||
           isPackedMatMulWeight(use);
  }

private:
  static int64_t knob(StringRef name) {
    return findKnob(cpuKnobSpecs(), name).defaultValue;
  }
  static bool isWinogradFilter(OpOperand &use) {
    auto conv = dyn_cast<graph::ConvOp>(use.getOwner());
    if (!conv || use.get() != conv.getW() || conv.getGroup() != 1)
      return false;
    auto ones = [](std::optional<ArrayAttr> values) {
      return !values || llvm::all_of(*values, [](Attribute v) {
        return cast<IntegerAttr>(v).getInt() == 1;
      });
    };
    auto filter = dyn_cast<RankedTensorType>(conv.getW().getType());
    auto out = dyn_cast<RankedTensorType>(conv.getY().getType());
    return filter && out && filter.hasStaticShape() && out.hasStaticShape() &&
           filter.getRank() == 4 && out.getRank() == 4 &&
           filter.getElementType().isF32() && filter.getDimSize(2) == 3 &&
           filter.getDimSize(3) == 3 && ones(conv.getStrides()) &&
           ones(conv.getDilations()) &&
           filter.getDimSize(1) >= knob("winograd-min-channels");
  }
  /// The f32 filter of a convolution that runs with its output channels
  /// as lanes (ChannelLanes.cpp): transposed at compile time.
  static bool isChannelLaneFilter(OpOperand &use) {
    auto conv = dyn_cast<graph::ConvOp>(use.getOwner());
    if (!conv || use.get() != conv.getW() || conv.getGroup() != 1)
      return false;
    auto filter = dyn_cast<RankedTensorType>(conv.getW().getType());
    auto out = dyn_cast<RankedTensorType>(conv.getY().getType());
    return filter && out && filter.hasStaticShape() && out.hasStaticShape() &&
           filter.getRank() == 4 && out.getRank() == 4 &&
           filter.getElementType().isF32() &&
           cpu::isChannelLaneShape(
               out.getDimSize(2) * out.getDimSize(3), out.getDimSize(1),
               knob("channel-lanes-max-pixels"), knob("tile-n"));
  }
  /// The constant B [K, N] of a MatMul or Gemm with at least tile-n
  /// columns: its panels are read from a copy packed at compile time
  /// (PackedWeights.cpp), by the packed-panel path (at least pack-min-rows
  /// rows of A) or straight by the register tiles (fewer rows). A kernel
  /// whose tuned knobs skip the packing just reads the weight from its code.
  static bool isPackedMatMulWeight(OpOperand &use) {
    Operation *owner = use.getOwner();
    Value a;
    bool transB = false;
    if (auto matmul = dyn_cast<graph::MatMulOp>(owner)) {
      if (use.get() != matmul.getB())
        return false;
      a = matmul.getA();
    } else if (auto gemm = dyn_cast<graph::GemmOp>(owner)) {
      if (use.get() != gemm.getB() || gemm.getTransA())
        return false;
      a = gemm.getA();
      transB = gemm.getTransB();
    } else {
      return false;
    }
    auto aType = dyn_cast<RankedTensorType>(a.getType());
    auto bType = dyn_cast<RankedTensorType>(use.get().getType());
    if (!aType || !bType || !aType.hasStaticShape() ||
        !bType.hasStaticShape() || bType.getRank() != 2 ||
        aType.getRank() < 2 || !bType.getElementType().isF32() ||
        !aType.getElementType().isF32())
      return false;
    int64_t k = aType.getShape().back();
    int64_t n = bType.getDimSize(transB ? 0 : 1);
    int64_t rows = k > 0 ? aType.getNumElements() / k : 0;
    // Fewer rows than pack-min-rows: the register tiles read the packed
    // weight directly (no panel copies), contiguous instead of a row of B
    // per K step.
    return knob("pack-min-rows") > 0 && rows > 0 && n >= knob("tile-n");
  }

public:
  /// The host's cores: 2 AVX2 FMA units x 8 lanes x 2 FLOP per cycle at
  /// ~2.5 GHz per hardware thread, a third of it sustained; DDR bandwidth of
  /// a small server share.
  cost::RooflineSpec rooflinePrior(DictionaryAttr) const override {
    // peak FLOP/s, bytes/s, launch s, compute and memory efficiency
    return cost::RooflineSpec{
        std::max(1u, std::thread::hardware_concurrency()) * 80e9, 15e9, 3e-6,
        0.3, 0.7};
  }
  llvm::ArrayRef<KnobSpec> knobs() const override { return cpuKnobSpecs(); }
  SearchSpace searchSpace(const cost::KernelFeatures &kernel,
                          DictionaryAttr) const override {
    return cpuSearchSpaceFor(kernel, hostCPUVectorUnit());
  }
  /// Every knob is also a configuration key: `--target-config=cpu:KEY=V`
  /// sets it for all kernels (a kernel's own `exec.knobs` win).
  llvm::ArrayRef<KnobSpec> configKeys() const override {
    return cpuKnobSpecs();
  }

  bool supports(Operation *op, std::string &reason) const override {
    if (isGraphOpSupportedByLinalgLowering(op->getName().getStringRef()))
      return true;
    reason = op->getName().getStringRef().str() + " has no lowering to linalg";
    return false;
  }

  void buildCodegenPipeline(OpPassManager &pm,
                            const CodegenOptions &options) const override {
    CPUCodegenOptions cpu;
    cpu.optLevel = options.optLevel;
    cpu.parallel = options.parallel;
    buildCPUCodegenPipeline(pm, cpu);
  }

  LogicalResult serialize(ModuleOp module, const CodegenOptions &options,
                          std::vector<uint8_t> &section) const override {
    CPUCodegenOptions cpu;
    cpu.optLevel = options.optLevel;
    cpu.parallel = options.parallel;
    return emitCPUSharedObject(module, cpu, section);
  }
};

} // namespace

std::vector<KnobSpec> cpuKnobSpecsFor(const CPUVectorUnit &unit) {
  // Accumulators in half the registers: two vectors of columns by a
  // quarter of the registers as rows (AVX-512: 8 x 32 lanes; AVX2: 4 x 16).
  int64_t tileM = std::max<int64_t>(unit.registers / 4, 1);
  int64_t tileN = 2 * unit.lanes;
  return {
      {"tile-m", 1, 32, tileM, false, "rows of the register tile"},
      {"tile-n", 1, 256, tileN, true, "columns of the register tile (lanes)"},
      {"tile-k", 1, 32, 4, false, "reduction steps per vectorized tile"},
      {"cache-k", 0, 8192, 512, false,
       "reduction block kept in L1 (0: no blocking)"},
      {"l1-kib", 1, 1 << 20, 32, false,
       "KiB of L1 data cache a K block of A read with far-apart rows and "
       "its B panel share (half of it)"},
      {"pack-min-rows", 0, 1 << 20, 32, false,
       "rows of A from which a B panel is packed (0: never)"},
      {"unpacked-row-bytes", 0, 1 << 20, 1024, false,
       "bytes of a run-time B's rows up to which register tiles read its "
       "panels in place instead of packing them (0: never)"},
      {"cache-m", 0, 1 << 20, 128, false,
       "rows of A per L2 block with packed panels (0: no blocking)"},
      {"flat-depthwise-max-width", 0, 1 << 20, 4096, false,
       "output width up to which depthwise convolutions and pools run on "
       "flattened planes (0: never)"},
      {"depthwise-rows-min-width", 1, 1 << 20, 48, false,
       "output width from which planes compute output rows straight into "
       "the output instead of one flat row copied out"},
      {"depthwise-tile-rows", 1, 8, 4, false,
       "output rows per register tile of planes computed row by row (taps' "
       "input rows loaded once for the tile)"},
      {"depthwise-channel-max-pixels", 0, 1 << 20, 256, false,
       "output pixels per plane up to which depthwise convolutions with a "
       "multiple of 16 channels run with the channels as vector lanes (0: "
       "never)"},
      {"max-pool-rows", 0, 1, 1, false,
       "1: max pools run separably, a max over the window's rows then over "
       "its columns, one output row at a time (0: as the other window ops)"},
      {"winograd-min-size", 0, 1 << 20, 28, false,
       "output height and width from which 3x3 stride-1 convolutions with "
       "constant filters run as Winograd F(4x4, 3x3) (0: never)"},
      {"winograd-f2-min-size", 0, 1 << 20, 8, false,
       "output height and width from which smaller such convolutions run as "
       "Winograd F(2x2, 3x3) (0: never)"},
      {"winograd-min-channels", 1, 1 << 20, 8, false,
       "input channels from which such convolutions run as Winograd"},
      {"channel-lanes-max-pixels", 0, 1 << 20, 64, false,
       "output pixels up to which a convolution with a multiple of tile-n "
       "filters runs with the output channels as vector lanes (0: never)"},
      {"prefetch-kib", 0, 1 << 20, 24, false,
       "KiB ahead at which register tiles prefetch the constants they "
       "stream (packed weights) into L2 (0: never)"},
      {"prefetch-next-block", 0, 1, 1, false,
       "1: register tiles prefetch the next K block of a contiguous packed "
       "panel, each its share (0: prefetch-kib ahead)"},
      {"prefetch-next-rows", 0, 1, 1, false,
       "1: register tiles that read a kernel argument's rows in place and "
       "again for every column tile (filters as A) prefetch the next row "
       "block into L2, spread over the block (0: never)"},
      {"row-prefetch-cols", 0, 1 << 20, 64, false,
       "columns ahead at which register tiles prefetch the far-apart "
       "activation rows they stream into L2 (0: never)"},
      {"epilogue-prefetch-tiles", 0, 8, 1, false,
       "column tiles ahead at which register tiles prefetch the far-apart "
       "rows they touch outside their K loop (epilogues, B panels copied "
       "from activation rows) into L2 (0: never)"},
      {"k-lane-max-cols", 0, 64, unit.lanes - 1, false,
       "columns up to which a contraction piece has its lanes along K "
       "(0: never)"},
      {"wide-tile-max-acc", 0, 32, unit.registers * 3 / 4, false,
       "vector accumulators up to which a whole-vector N remainder joins the "
       "last column tile as one wider register tile, or register tiles take "
       "more rows than tile-m to leave no short last tile (0: never); also "
       "the accumulators of tiles with lanes along K"},
      {"im2col-block-kib", 0, 1 << 20, 512, false,
       "im2col bytes (KiB) above which a convolution runs in row blocks "
       "(0: never)"},
      {"vector-width", 1, 64, unit.lanes, true,
       "f32 lanes of a hardware vector"},
      {"max-inner-tile", 1, 1 << 20, 256, false,
       "largest innermost extent vectorized at once"},
      {"task-cols", 0, 1 << 20, 256, false,
       "columns of a contraction per task at most (whole column tiles)"},
      {"min-tasks", 1, 1 << 20, 8, false,
       "tasks a contraction keeps when a task takes several column tiles"},
      {"min-parallel-tiles", 1, 1 << 20, 16, false,
       "column tiles below which contractions also split rows"},
      {"narrow-min-tasks", 1, 1 << 20, 4, false,
       "row blocks at least of a contraction with too few column tiles"},
      {"costly-epilogue-vectors", 0, 64, 8, false,
       "hardware vectors per row tile of elementwise ops with transcendental "
       "functions, which then leave the register tiles (0: as other ops)"},
      {"costly-window-vectors", 1, 64, tileM, false,
       "hardware vectors per chunk of a depthwise convolution or pool whose "
       "fused consumer has transcendental functions (SiLU)"},
  };
}

llvm::ArrayRef<KnobSpec> cpuKnobSpecs() {
  static const std::vector<KnobSpec> specs =
      cpuKnobSpecsFor(hostCPUVectorUnit());
  return specs;
}

void registerCPUTarget(TargetRegistry &registry) {
  registry.add(std::make_unique<CPUTarget>());
}

} // namespace hcc
