//===- Machine.h - descriptions of machines we do not have -------*- C++
//-*-===//
//
// A machine description (machines/*.json, docs/Machines.md) lists devices
// with public figures — peak FLOP/s, memory bandwidth and capacity, launch
// overhead, sustained fractions — and the links between them. hcc-sim and
// the placement benchmarks cost kernels on it with the roofline prior and
// copies with the links; a pair without a direct link goes through the
// first device (the host).
//
//===----------------------------------------------------------------------===//

#ifndef HCC_PLANNER_MACHINE_H
#define HCC_PLANNER_MACHINE_H

#include "hcc/CostModel/CostModel.h"
#include "hcc/Planner/Partitioner.h"

#include <string>
#include <vector>

namespace hcc {
namespace plan {

constexpr const char *kMachineSchema = "hcc-machine";
constexpr int kMachineVersion = 1;

struct DeviceDesc {
  std::string name, kind, target, title;
  cost::RooflineSpec roofline;
  double memoryBytes = 0;
};

struct LinkDesc {
  int from = 0, to = 0;
  double bytesPerSecond = 0, latency = 0;
  bool bidirectional = true;
};

struct MachineDesc {
  std::string name, title;
  std::vector<DeviceDesc> devices; // [0] is the host
  std::vector<LinkDesc> links;

  /// Seconds to copy `bytes` from device a to b (direct link, else through
  /// the host).
  double transferSeconds(int a, int b, double bytes) const;
  /// The partitioner's view: device names, copies, memory limits.
  Machine planMachine() const;
  /// Predicted seconds of a kernel on device d (its roofline).
  double kernelSeconds(const cost::KernelFeatures &f, int d) const;
};

/// Reads and checks a description: schema and version, unique device names,
/// known kinds, every figure present, finite and in a sane range, links
/// between known devices, every device reachable from the host. Errors name
/// the file and the field.
bool loadMachine(const std::string &path, MachineDesc &out, std::string &error);

} // namespace plan
} // namespace hcc

#endif // HCC_PLANNER_MACHINE_H
