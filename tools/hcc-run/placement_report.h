//===- placement_report.h - predicted vs measured time per partition -----===//
#ifndef HCC_TOOLS_RUN_PLACEMENT_REPORT_H
#define HCC_TOOLS_RUN_PLACEMENT_REPORT_H

#include "hcc/runtime.h"

#include <string>
#include <vector>

namespace hcc {
namespace tools {

/// A placement dump (hcc-compile --dump-placement=F.json), read and
/// checked before anything runs.
struct PlacementPlan {
  struct Kernel {
    std::string name, target;
    double predictedUs = -1; // -1: not placed automatically
  };
  std::vector<Kernel> kernels;
  double makespanUs = -1;
};
bool readPlacementPlan(const std::string &path, PlacementPlan &plan,
                       std::string &error);

/// Runs `session` `runs` more times and prints, for every kernel of
/// `plan`, its target, the time placement predicted and the median time
/// the runtime's trace measured, then the predicted makespan beside the
/// measured median run.
bool placementReport(hcc_session_t *session, hcc_tensor_t *const *inputs,
                     size_t nIn, size_t nOut, const PlacementPlan &plan,
                     int runs, std::string &error);

} // namespace tools
} // namespace hcc

#endif
