//===- VectorUnit.cpp - The f32 vector unit CPU kernels are shaped for ---===//
//
// Register tiles are sized to the host's vector registers: an AVX-512 core
// has 32 registers of 16 f32 lanes, an AVX2 core 16 of 8. A tile shaped
// for the first spills on the second (8 rows x 32 lanes are 32 AVX2
// accumulators, twice the register file), which made large GEMMs run at a
// third of the speed the right shape reaches. The knobs' defaults follow
// the unit: two vectors of columns (tile-n) per row, a quarter of the
// registers as rows (tile-m), so the accumulators take half the registers
// and the rest hold the B vectors, the broadcast A element and the
// addresses' spills.
//
//===----------------------------------------------------------------------===//

#include "hcc/Target/CPU/CPUTarget.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <cstdlib>

using namespace hcc;

namespace {
const CPUVectorUnit kUnits[] = {
    {"avx512", 16, 32},
    {"avx2", 8, 16},
    {"sse", 4, 16},
    {"neon", 4, 32},
};
} // namespace

const CPUVectorUnit *hcc::findCPUVectorUnit(llvm::StringRef name) {
  for (const CPUVectorUnit &unit : kUnits)
    if (unit.name == name)
      return &unit;
  return nullptr;
}

const CPUVectorUnit &
hcc::cpuVectorUnitFor(const llvm::StringMap<bool> &features,
                      llvm::Triple::ArchType arch) {
  if (arch == llvm::Triple::aarch64 || arch == llvm::Triple::aarch64_be)
    return *findCPUVectorUnit("neon");
  if (features.lookup("avx512f"))
    return *findCPUVectorUnit("avx512");
  // AVX without AVX2 still has 16 registers of 8 lanes (no FMA: LLVM
  // splits the fma into a multiply and an add).
  if (features.lookup("avx2") || features.lookup("avx"))
    return *findCPUVectorUnit("avx2");
  return *findCPUVectorUnit("sse");
}

const CPUVectorUnit &hcc::hostCPUVectorUnit() {
  static const CPUVectorUnit &unit = []() -> const CPUVectorUnit & {
    const CPUVectorUnit &host =
        cpuVectorUnitFor(llvm::sys::getHostCPUFeatures(),
                         llvm::Triple(llvm::sys::getProcessTriple()).getArch());
    const char *forced = std::getenv("HCC_CPU_VECTORS");
    if (!forced || !*forced)
      return host;
    if (const CPUVectorUnit *unit = findCPUVectorUnit(forced))
      return *unit;
    llvm::errs() << "hcc: warning: HCC_CPU_VECTORS='" << forced
                 << "' is not one of avx512, avx2, sse, neon; CPU kernels "
                    "are shaped for this host's "
                 << host.name << "\n";
    return host;
  }();
  return unit;
}
