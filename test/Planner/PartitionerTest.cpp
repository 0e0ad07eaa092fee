//===- PartitionerTest.cpp - the partitioner, HEFT, exhaustive, simulator -===//

#include "hcc/Planner/Partitioner.h"
#include "hcc/Planner/Simulator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>

using namespace hcc::plan;

namespace {

Machine machine(std::vector<std::string> names, double latency,
                double bytesPerSecond) {
  Machine m;
  m.devices = std::move(names);
  m.transfer = [=](int a, int b, double bytes) {
    return latency + bytes / bytesPerSecond;
  };
  return m;
}

/// A random DAG: each node reads one to three earlier nodes.
Graph randomGraph(int n, int devices, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> cost(1e-4, 1e-2), speed(0.2, 5);
  Graph g;
  for (int i = 0; i < n; ++i) {
    Graph::Node node;
    node.name = "k" + std::to_string(i);
    double base = cost(rng);
    for (int d = 0; d < devices; ++d)
      node.seconds.push_back(base * speed(rng));
    if (i == 0)
      node.inputBytes = 1e5;
    g.nodes.push_back(node);
    if (i > 0) {
      int preds = std::uniform_int_distribution<int>(1, std::min(3, i))(rng);
      for (int p = 0; p < preds; ++p) {
        int from =
            std::uniform_int_distribution<int>(std::max(0, i - 4), i - 1)(rng);
        g.edges.push_back({from, i, 1e4 * speed(rng)});
      }
    }
  }
  g.nodes.back().outputBytes = 4e3;
  return g;
}

TEST(Partitioner, ChainIsSolvedExactly) {
  // Alternating fast devices with cheap transfers: the best plan switches.
  Graph g;
  for (int i = 0; i < 8; ++i)
    g.nodes.push_back({"k" + std::to_string(i),
                       i % 2 ? std::vector<double>{1e-3, 1e-2}
                             : std::vector<double>{1e-2, 1e-3},
                       0, 0, 0});
  for (int i = 1; i < 8; ++i)
    g.edges.push_back({i - 1, i, 1e3});
  Machine m = machine({"cpu", "gpu"}, 1e-5, 1e10);
  std::string error;
  Result r = partition(g, m, {}, error);
  Result best = exhaustive(g, m, Objective::Latency);
  ASSERT_EQ(r.assignment.size(), 8u) << error;
  EXPECT_NEAR(r.evaluation.makespan, best.evaluation.makespan, 1e-12);
  EXPECT_EQ(r.assignment, (std::vector<int>{1, 0, 1, 0, 1, 0, 1, 0}));
}

TEST(Partitioner, WithinFivePercentOfExhaustiveOnSmallDags) {
  double worst = 1;
  for (unsigned seed = 0; seed < 40; ++seed) {
    Graph g = randomGraph(9 + seed % 4, 3, seed);
    Machine m = machine({"cpu", "gpu", "npu"}, 2e-5, 5e9);
    for (Objective o : {Objective::Latency, Objective::Throughput}) {
      std::string error;
      Options opts;
      opts.objective = o;
      Result r = partition(g, m, opts, error);
      Result best = exhaustive(g, m, o);
      ASSERT_FALSE(r.assignment.empty()) << error;
      double ratio = r.evaluation.value(o) / best.evaluation.value(o);
      EXPECT_GE(ratio, 1 - 1e-9) << "exhaustive search missed a plan";
      worst = std::max(worst, ratio);
    }
  }
  EXPECT_LE(worst, 1.05);
}

TEST(Partitioner, NeverWorseThanItsSeeds) {
  for (unsigned seed = 0; seed < 20; ++seed) {
    Graph g = randomGraph(60, 3, 100 + seed);
    Machine m = machine({"a", "b", "c"}, 1e-5, 1e10);
    std::string error;
    Result r = partition(g, m, {}, error);
    ASSERT_FALSE(r.assignment.empty()) << error;
    EXPECT_LE(r.evaluation.makespan,
              evaluate(g, m, heft(g, m)).makespan * (1 + 1e-12));
    for (int d = 0; d < 3; ++d)
      EXPECT_LE(r.evaluation.makespan,
                evaluate(g, m, std::vector<int>(60, d)).makespan * (1 + 1e-12));
  }
}

TEST(Partitioner, IndependentOfDeviceOrder) {
  Graph g = randomGraph(40, 3, 7);
  Machine m = machine({"host", "gpu", "fpga"}, 1e-5, 1e10);
  // The same devices, the accelerators listed the other way round.
  Graph swapped = g;
  for (Graph::Node &n : swapped.nodes)
    std::swap(n.seconds[1], n.seconds[2]);
  Machine m2 = machine({"host", "fpga", "gpu"}, 1e-5, 1e10);
  std::string error;
  Result a = partition(g, m, {}, error), b = partition(swapped, m2, {}, error);
  ASSERT_EQ(a.assignment.size(), b.assignment.size());
  for (size_t i = 0; i < a.assignment.size(); ++i)
    EXPECT_EQ(m.devices[a.assignment[i]], m2.devices[b.assignment[i]]);
}

TEST(Partitioner, ThousandNodesInUnderASecond) {
  Graph g = randomGraph(1000, 3, 11);
  Machine m = machine({"cpu", "gpu", "fpga"}, 1e-5, 1e10);
  std::string error;
  auto t0 = std::chrono::steady_clock::now();
  Result r = partition(g, m, {}, error);
  double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  ASSERT_EQ(r.assignment.size(), 1000u) << error;
  EXPECT_LT(s, 1.0);
}

TEST(Partitioner, ReplansThousandNodesWithinHundredMilliseconds) {
  Graph g = randomGraph(1000, 3, 13);
  Machine m = machine({"cpu", "gpu", "fpga"}, 1e-5, 1e10);
  std::string error;
  Result first = partition(g, m, {}, error);
  ASSERT_EQ(first.assignment.size(), 1000u) << error;
  // The gpu becomes 90 % busy with other work, the links 10x slower.
  Conditions c;
  c.deviceLoad = {0, 0.9, 0};
  c.bandwidthFactor.assign(9, 0.1);
  auto t0 = std::chrono::steady_clock::now();
  Result again = replan(g, m, c, first.assignment, Objective::Latency);
  double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  ASSERT_EQ(again.assignment.size(), 1000u);
  EXPECT_LT(s, 0.1);
  // Under the new conditions the new plan is at least as good as the old.
  Graph loaded = g;
  for (Graph::Node &n : loaded.nodes)
    n.seconds[1] /= 0.1;
  Machine slow = m;
  slow.transfer = [&](int a, int b, double bytes) {
    return m.transfer(a, b, bytes) / 0.1;
  };
  EXPECT_LE(again.evaluation.makespan,
            evaluate(loaded, slow, first.assignment).makespan * (1 + 1e-12));
  EXPECT_NEAR(again.evaluation.makespan,
              evaluate(loaded, slow, again.assignment).makespan, 1e-12);
}

TEST(Partitioner, MemoryLimitsAndCapabilities) {
  Graph g = randomGraph(10, 2, 3);
  for (Graph::Node &n : g.nodes)
    n.memoryBytes = 1e6;
  Machine m = machine({"cpu", "gpu"}, 1e-5, 1e10);
  m.memoryLimit = {5e6, 6e6}; // 10 MB of kernels, 11 MB of memory
  std::string error;
  Result r = partition(g, m, {}, error);
  ASSERT_FALSE(r.assignment.empty()) << error;
  EXPECT_TRUE(r.evaluation.feasible);
  m.memoryLimit = {4e6, 4e6};
  r = partition(g, m, {}, error);
  EXPECT_TRUE(r.assignment.empty());
  EXPECT_NE(error.find("memory limits"), std::string::npos) << error;
  g.nodes[3].seconds = {kInfinity, kInfinity};
  error.clear();
  r = partition(g, machine({"cpu", "gpu"}, 1e-5, 1e10), {}, error);
  EXPECT_TRUE(r.assignment.empty());
  EXPECT_EQ(error, "no device can run 'k3'");
}

TEST(Partitioner, DevicesSharingCoresShareAQueue) {
  // Two independent 1 ms branches: on two devices they overlap, unless the
  // second device runs on the host's cores (one queue).
  Graph g;
  g.nodes.push_back({"a", {1e-3, 1e-3}, 0, 0, 0});
  g.nodes.push_back({"b", {1e-3, 1e-3}, 0, 0, 0});
  Machine m = machine({"cpu", "pocl"}, 0, 1e12);
  EXPECT_NEAR(evaluate(g, m, {0, 1}).makespan, 1e-3, 1e-9);
  m.queueOf = {0, 0};
  EXPECT_NEAR(evaluate(g, m, {0, 1}).makespan, 2e-3, 1e-9);
  EXPECT_NEAR(simulate(g, m, {0, 1}, 1).latency, 2e-3, 1e-9);
  std::string error;
  Options opts;
  opts.minGainOverSingle = 0.05;
  Result r = partition(g, m, opts, error);
  EXPECT_EQ(r.assignment, (std::vector<int>{0, 0})) << r.method;
}

TEST(Simulator, LatencyAndPipelinedThroughput) {
  // Two stages of 1 ms each on two devices, a 0.1 ms copy between them.
  Graph g;
  g.nodes.push_back({"a", {1e-3, 1e-3}, 0, 0, 0});
  g.nodes.push_back({"b", {1e-3, 1e-3}, 0, 0, 0});
  g.edges.push_back({0, 1, 0});
  Machine m = machine({"cpu", "gpu"}, 1e-4, 1e12);
  SimResult one = simulate(g, m, {0, 1}, 1);
  EXPECT_NEAR(one.latency, 2.1e-3, 1e-9);
  SimResult stream = simulate(g, m, {0, 1}, 100);
  // Pipelined: one request per ms once full, about twice one device.
  EXPECT_NEAR(stream.throughput, 1000, 30);
  SimResult single = simulate(g, m, {0, 0}, 100);
  EXPECT_NEAR(single.throughput, 500, 5);
  Evaluation ev = evaluate(g, m, {0, 1});
  EXPECT_NEAR(ev.makespan, one.latency, 1e-9);
  EXPECT_NEAR(ev.period, 1e-3, 1e-9);
}

} // namespace
