//===- Simulator.h - discrete-event simulation of a placed plan --*- C++
//-*-===//
//
// Runs a plan the way the runtime would, with predicted costs instead of
// kernels: every device and every directed link is a queue, a task (a
// kernel of one request, or a copy of a value to a device) becomes ready
// when its inputs have arrived and runs when its queue is free, earlier
// requests first. A stream of requests shows pipelining across devices.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_PLANNER_SIMULATOR_H
#define HCC_PLANNER_SIMULATOR_H

#include "hcc/Planner/Partitioner.h"

#include <vector>

namespace hcc {
namespace plan {

struct SimResult {
  double latency = 0;    // first request: arrival to last result, seconds
  double throughput = 0; // requests per second over the stream
  double total = 0;      // seconds until the last request finished
  std::vector<double> utilization; // per device: busy / total
  int requests = 0;
};

/// Simulates `requests` requests all submitted at time 0 (a saturated
/// stream; 1 gives the latency of one).
SimResult simulate(const Graph &g, const Machine &m,
                   const std::vector<int> &assignment, int requests);

} // namespace plan
} // namespace hcc

#endif // HCC_PLANNER_SIMULATOR_H
