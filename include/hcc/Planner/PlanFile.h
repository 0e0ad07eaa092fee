//===- PlanFile.h - the kernel DAG of hcc-compile --dump-placement -*- C++ -*-//
#ifndef HCC_PLANNER_PLANFILE_H
#define HCC_PLANNER_PLANFILE_H

#include "hcc/CostModel/Features.h"
#include "hcc/Planner/Partitioner.h"

#include <string>
#include <vector>

namespace hcc {
namespace plan {

struct PlanInput {
  Graph graph; // nodes without costs: seconds are the caller's
  std::vector<cost::KernelFeatures> features;
  std::vector<std::string> targets; // each kernel's target in the dump
};

/// Reads a placement dump (JSON): its kernels in launch order with their
/// features, the data edges between them, graph inputs and outputs. Bad
/// JSON, a kernel without features or an edge naming an unknown kernel is
/// an error naming the file.
bool readPlanFile(const std::string &path, PlanInput &out, std::string &error);

} // namespace plan
} // namespace hcc

#endif
