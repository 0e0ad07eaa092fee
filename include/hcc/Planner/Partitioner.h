//===- Partitioner.h - device assignment of a kernel DAG ---------*- C++
//-*-===//
//
// The placement problem without the compiler: a DAG of would-be kernels
// (nodes, in a topological order) with a predicted time per device (infinite
// where the device cannot run it), edges carrying bytes, graph inputs and
// outputs living on the host device, and a transfer cost per pair of
// devices. A plan assigns each node a device; its cost is evaluated by the
// same list schedule the runtime follows: every device and every link is a
// queue served in program order, a kernel starts when its device is free
// and its operands have arrived. Two objectives: latency (the makespan of
// one request) and throughput (the period of a stream of requests, the
// busiest device or link).
//
//===----------------------------------------------------------------------===//

#ifndef HCC_PLANNER_PARTITIONER_H
#define HCC_PLANNER_PARTITIONER_H

#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace hcc {
namespace plan {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct Graph {
  struct Node {
    std::string name;
    std::vector<double> seconds; // per device; kInfinity: cannot run there
    double inputBytes = 0;       // read from graph inputs (on the host)
    double outputBytes = 0;      // returned to the host
    double memoryBytes = 0;      // weights + results held on its device
  };
  struct Edge {
    int from = 0, to = 0; // node indices, from < to
    double bytes = 0;
  };
  std::vector<Node> nodes;
  std::vector<Edge> edges;
};

struct Machine {
  std::vector<std::string> devices; // index 0 is the host
  /// Seconds to move `bytes` from device a to device b (a != b).
  std::function<double(int a, int b, double bytes)> transfer;
  /// Bytes each device may hold; <= 0: unlimited.
  std::vector<double> memoryLimit;
  /// The queue each device's kernels run in: devices that share compute
  /// (an OpenCL driver on the host's own cores, as PoCL) share a queue and
  /// never run at once. Empty: every device its own.
  std::vector<int> queueOf;
  int queue(int d) const { return queueOf.empty() ? d : queueOf[d]; }
};

enum class Objective { Latency, Throughput };

struct Evaluation {
  double makespan = kInfinity; // one request, seconds
  double period = kInfinity;   // stream: seconds per request
  std::vector<double> busy;    // per device, seconds of work per request
  bool feasible = false;
  double value(Objective o) const {
    return o == Objective::Latency ? makespan : period;
  }
};

/// Predicted makespan and period of `assignment` (device per node).
Evaluation evaluate(const Graph &g, const Machine &m,
                    const std::vector<int> &assignment);

struct Options {
  Objective objective = Objective::Latency;
  /// Local search stops after this many seconds (the result is still the
  /// best plan seen).
  double timeBudget = 0.5;
  /// Extra starting plans (e.g. the previous plan when re-planning).
  std::vector<std::vector<int>> seeds;
  /// Start from `seeds` and the single devices only (no chain programme,
  /// no HEFT): re-planning, where time matters more than the seeds.
  bool warmStart = false;
  /// A plan using several devices must be predicted this much faster than
  /// the best single device (0.05: 5 %), else the single device is kept:
  /// predictions err, and a split that wins on paper by less than their
  /// error is as likely to lose.
  double minGainOverSingle = 0;
};

struct Result {
  std::vector<int> assignment;
  Evaluation evaluation;
  std::string method; // which seed the best plan came from
};

/// The best single device, the chain dynamic programme, HEFT, then local
/// search (single and segment moves) from the best of them. Ties between
/// devices are broken by device name, so the plan does not depend on the
/// order devices are listed in. `error` is set (and the assignment empty)
/// when no plan meets the memory limits or a node runs nowhere.
Result partition(const Graph &g, const Machine &m, const Options &opts,
                 std::string &error);

/// What changed since a plan was made: each device's load (the share of
/// it taken by other work, in [0, 1)) and each link's bandwidth as a
/// fraction of the one the costs assumed.
struct Conditions {
  std::vector<double> deviceLoad;      // per device; empty: all 0
  std::vector<double> bandwidthFactor; // per device pair a*n+b; empty: 1
};

/// Re-plans from cached costs under new conditions (dynamic scheduling by
/// load and bandwidth): kernel times are scaled by 1 / (1 - load), copies
/// by 1 / factor, and the search starts from `previous` with a budget of
/// `budgetSeconds` (default well under the 100 ms a request may wait).
Result replan(const Graph &g, const Machine &m, const Conditions &c,
              const std::vector<int> &previous, Objective objective,
              double budgetSeconds = 0.05);

/// HEFT (Topcuoglu et al.): upward rank on mean costs, earliest finish time
/// per node; the baseline the partitioner is compared with.
std::vector<int> heft(const Graph &g, const Machine &m);

/// The best plan by enumeration with branch and bound (for graphs of up to
/// ~20 nodes); the reference of the partitioner's tests and benchmarks.
Result exhaustive(const Graph &g, const Machine &m, Objective objective);

} // namespace plan
} // namespace hcc

#endif // HCC_PLANNER_PARTITIONER_H
