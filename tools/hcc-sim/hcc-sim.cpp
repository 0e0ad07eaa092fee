//===- hcc-sim.cpp - a placed plan on a machine we do not have ------------===//
//
//   hcc-sim plan.json --machine=machines/h200-pcie5-server.json
//           [--method=auto|heft|exhaustive|single|all] [--objective=...]
//           [--requests=32]
//
// Reads a kernel DAG (hcc-compile --dump-placement), costs every kernel on
// every device of the machine description with its roofline and every copy
// with its links, places it (the partitioner, HEFT, each device alone, or
// by exhaustive search), and runs the plan through a discrete-event
// simulation of the runtime's queues: latency of one request, throughput
// of a stream, utilization per device. Every figure is SIMULATED.
//
//===----------------------------------------------------------------------===//

#include "hcc/Planner/Machine.h"
#include "hcc/Planner/PlanFile.h"
#include "hcc/Planner/Simulator.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace hcc;
namespace cl = llvm::cl;

static cl::OptionCategory category("hcc-sim options");
static cl::opt<std::string> planPath(cl::Positional, cl::Required,
                                     cl::desc("<plan.json>"),
                                     cl::cat(category));
static cl::opt<std::string> machinePath("machine", cl::Required,
                                        cl::desc("Machine description"),
                                        cl::value_desc("file.json"),
                                        cl::cat(category));
static cl::opt<std::string>
    method("method",
           cl::desc("auto (the partitioner), heft, exhaustive (<= 24 "
                    "kernels), single (each device alone), split (the best "
                    "cut of the launch order between the host and device "
                    "1: the edge+cloud split) or all"),
           cl::init("all"), cl::cat(category));
static cl::opt<std::string> objective("objective",
                                      cl::desc("latency or throughput"),
                                      cl::init("latency"), cl::cat(category));
static cl::opt<unsigned> requests("requests",
                                  cl::desc("Requests of the simulated stream"),
                                  cl::init(32), cl::cat(category));
static cl::opt<double> bandwidth(
    "link-gbps",
    cl::desc("Override every link's bandwidth (GB/s), e.g. to sweep the "
             "edge+cloud split"),
    cl::init(0), cl::cat(category));
static cl::opt<bool> json("json", cl::desc("Print JSON instead of a table"),
                          cl::init(false), cl::cat(category));
static cl::opt<unsigned>
    firstKernels("first-kernels",
                 cl::desc("Only the first N kernels of the plan (0: all)"),
                 cl::init(0), cl::cat(category));

namespace {

int fail(const std::string &message) {
  llvm::errs() << "hcc-sim: error: " << message << "\n";
  return 1;
}

/// The first `n` kernels: later edges become outputs of their sources.
plan::Graph prefix(const plan::Graph &g, size_t n) {
  if (n == 0 || n >= g.nodes.size())
    return g;
  plan::Graph out;
  out.nodes.assign(g.nodes.begin(), g.nodes.begin() + n);
  for (const plan::Graph::Edge &e : g.edges) {
    if (e.to < static_cast<int>(n))
      out.edges.push_back(e);
    else if (e.from < static_cast<int>(n))
      out.nodes[e.from].outputBytes += e.bytes;
  }
  return out;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "hcc-sim: simulate a placed kernel DAG on a described machine "
      "(SIMULATED figures, costs from the machine's public figures).\n\n"
      "  hcc-compile model.onnx --dump-placement=plan.json -o m.hccb\n"
      "  hcc-sim plan.json --machine=machines/edge-cloud-100mbit.json\n");
  std::string error;
  plan::MachineDesc machine;
  if (!plan::loadMachine(machinePath, machine, error))
    return fail(error);
  plan::PlanInput input;
  if (!plan::readPlanFile(planPath, input, error))
    return fail(error);
  if (!llvm::is_contained(
          {"auto", "heft", "exhaustive", "single", "split", "all"}, method))
    return fail(
        "--method must be auto, heft, exhaustive, single, split or all");
  if (bandwidth < 0 || bandwidth > 1e5)
    return fail("--link-gbps must be in (0, 1e5]");
  if (bandwidth > 0)
    for (plan::LinkDesc &l : machine.links)
      l.bytesPerSecond = bandwidth * 1e9;
  if (objective != "latency" && objective != "throughput")
    return fail("--objective must be latency or throughput");
  if (requests < 1 || requests > 100000)
    return fail("--requests must be in 1..100000");

  plan::Graph graph = input.graph;
  for (size_t i = 0; i < graph.nodes.size(); ++i)
    for (size_t d = 0; d < machine.devices.size(); ++d)
      graph.nodes[i].seconds.push_back(
          machine.kernelSeconds(input.features[i], static_cast<int>(d)));
  graph = prefix(graph, firstKernels);
  bool exhaustiveFits = graph.nodes.size() <= 24;
  if (method == "exhaustive" && !exhaustiveFits)
    return fail("--method=exhaustive takes at most 24 kernels (this plan "
                "has " +
                std::to_string(graph.nodes.size()) + "; use --first-kernels)");
  plan::Machine m = machine.planMachine();
  plan::Options opts;
  opts.objective = objective == "throughput" ? plan::Objective::Throughput
                                             : plan::Objective::Latency;

  struct Row {
    std::string name;
    std::vector<int> assignment;
    double planSeconds = 0;
  };
  std::vector<Row> rows;
  if (method == "single" || method == "all")
    for (size_t d = 0; d < machine.devices.size(); ++d)
      rows.push_back({"only " + machine.devices[d].name,
                      std::vector<int>(graph.nodes.size(), d), 0});
  if (method == "heft" || method == "all")
    rows.push_back({"HEFT", plan::heft(graph, m), 0});
  if (method == "auto" || method == "all") {
    auto t0 = std::chrono::steady_clock::now();
    plan::Result r = plan::partition(graph, m, opts, error);
    double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    if (r.assignment.empty())
      return fail(error);
    rows.push_back({"hcc (" + r.method + ")", r.assignment, s});
  }
  if ((method == "split" || method == "all") && machine.devices.size() > 1) {
    // Kernels [0, k) on the host, [k, n) on device 1: every cut.
    Row best{"best split", {}, 0};
    double bestValue = plan::kInfinity;
    for (size_t k = 0; k <= graph.nodes.size(); ++k) {
      std::vector<int> a(graph.nodes.size(), 1);
      std::fill(a.begin(), a.begin() + k, 0);
      plan::Evaluation ev = plan::evaluate(graph, m, a);
      if (ev.feasible && ev.value(opts.objective) < bestValue) {
        bestValue = ev.value(opts.objective);
        best.assignment = a;
        best.name = "best split (" + std::to_string(k) + " on " +
                    machine.devices[0].name + ")";
      }
    }
    if (!best.assignment.empty())
      rows.push_back(best);
  }
  if (method == "exhaustive" || (method == "all" && exhaustiveFits)) {
    plan::Result r = plan::exhaustive(graph, m, opts.objective);
    if (r.assignment.empty())
      return fail("no plan meets the devices' memory limits");
    rows.push_back({"exhaustive", r.assignment, 0});
  }

  if (json) {
    llvm::json::Array plans;
    for (const Row &row : rows) {
      plan::Evaluation ev = plan::evaluate(graph, m, row.assignment);
      if (!ev.feasible)
        continue;
      plan::SimResult one = plan::simulate(graph, m, row.assignment, 1);
      plan::SimResult stream =
          plan::simulate(graph, m, row.assignment, requests);
      llvm::json::Array devices;
      for (int d : row.assignment)
        devices.push_back(machine.devices[d].name);
      plans.push_back(
          llvm::json::Object{{"plan", row.name},
                             {"latency_s", one.latency},
                             {"throughput_per_s", stream.throughput},
                             {"predicted_makespan_s", ev.makespan},
                             {"predicted_period_s", ev.period},
                             {"placement_s", row.planSeconds},
                             {"devices", std::move(devices)}});
    }
    llvm::outs() << llvm::json::Value(llvm::json::Object{
                        {"simulated", true},
                        {"machine", machine.name},
                        {"kernels", static_cast<int64_t>(graph.nodes.size())},
                        {"plans", std::move(plans)}})
                 << "\n";
    return 0;
  }
  llvm::outs() << "SIMULATED on " << machine.name << " (" << machine.title
               << "): " << graph.nodes.size() << " kernels, costs from the "
               << "machine's figures (roofline), " << requests
               << "-request stream\n";
  llvm::outs() << llvm::formatv("{0,-36} {1,12} {2,14}  utilization\n", "plan",
                                "latency ms", "throughput/s");
  for (const Row &row : rows) {
    plan::Evaluation ev = plan::evaluate(graph, m, row.assignment);
    if (!ev.feasible) {
      llvm::outs() << llvm::formatv("{0,-36} {1,12}\n", row.name,
                                    "exceeds a device's memory");
      continue;
    }
    plan::SimResult one = plan::simulate(graph, m, row.assignment, 1);
    plan::SimResult stream = plan::simulate(graph, m, row.assignment, requests);
    llvm::outs() << llvm::formatv("{0,-36} {1,12:F3} {2,14:F1} ", row.name,
                                  one.latency * 1e3, stream.throughput);
    for (size_t d = 0; d < machine.devices.size(); ++d)
      llvm::outs() << " " << machine.devices[d].name << " "
                   << llvm::formatv("{0:F0}%", 100 * stream.utilization[d]);
    if (row.planSeconds > 0)
      llvm::outs() << llvm::formatv("  (placed in {0:F1} ms)",
                                    row.planSeconds * 1e3);
    llvm::outs() << "\n";
  }
  return 0;
}
