//===- Partitioner.cpp - device assignment of a kernel DAG ----------------===//

#include "hcc/Planner/Partitioner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <set>

namespace hcc {
namespace plan {

namespace {

/// Incoming edges per node.
std::vector<std::vector<int>> inEdges(const Graph &g) {
  std::vector<std::vector<int>> in(g.nodes.size());
  for (size_t e = 0; e < g.edges.size(); ++e)
    in[g.edges[e].to].push_back(static_cast<int>(e));
  return in;
}

/// The runtime's list schedule, one node at a time (program order): the
/// state the evaluator and the exhaustive search share.
struct Schedule {
  const Graph &g;
  const Machine &m;
  const std::vector<std::vector<int>> &in;
  size_t nd;
  std::vector<double> devFree, linkFree, busy, linkBusy, memory, finish;
  /// Arrival of node u's results on device d (-1: not sent yet).
  std::vector<double> arrival;
  double makespan = 0;
  bool feasible = true;

  Schedule(const Graph &g, const Machine &m,
           const std::vector<std::vector<int>> &in)
      : g(g), m(m), in(in), nd(m.devices.size()), devFree(nd, 0),
        linkFree(nd * nd, 0), busy(nd, 0), linkBusy(nd * nd, 0), memory(nd, 0),
        finish(g.nodes.size(), 0), arrival(g.nodes.size() * nd, -1) {}

  double send(int a, int b, double bytes, double readyAt) {
    double t = m.transfer(a, b, bytes);
    double &free = linkFree[a * nd + b];
    double start = std::max(free, readyAt);
    free = start + t;
    linkBusy[a * nd + b] += t;
    return free;
  }

  void step(int n, int d, const std::vector<int> &assignment) {
    const Graph::Node &node = g.nodes[n];
    double cost = node.seconds[d];
    if (!std::isfinite(cost)) {
      feasible = false;
      return;
    }
    memory[d] += node.memoryBytes;
    if (!m.memoryLimit.empty() && m.memoryLimit[d] > 0 &&
        memory[d] > m.memoryLimit[d])
      feasible = false;
    double ready = 0;
    if (node.inputBytes > 0 && d != 0)
      ready = send(0, d, node.inputBytes, 0);
    for (int e : in[n]) {
      const Graph::Edge &edge = g.edges[e];
      int du = assignment[edge.from];
      if (du == d) {
        ready = std::max(ready, finish[edge.from]);
        continue;
      }
      double &arrived = arrival[edge.from * nd + d];
      if (arrived < 0)
        arrived = send(du, d, edge.bytes, finish[edge.from]);
      ready = std::max(ready, arrived);
    }
    int q = m.queue(d);
    double start = std::max(devFree[q], ready);
    finish[n] = start + cost;
    devFree[q] = finish[n];
    busy[q] += cost;
    makespan = std::max(makespan, finish[n]);
    if (node.outputBytes > 0 && d != 0)
      makespan = std::max(makespan, send(d, 0, node.outputBytes, finish[n]));
  }

  Evaluation result() const {
    Evaluation ev;
    ev.feasible = feasible;
    if (!feasible)
      return ev;
    ev.makespan = makespan;
    ev.busy = busy;
    ev.period = 0;
    for (double b : busy)
      ev.period = std::max(ev.period, b);
    for (double b : linkBusy)
      ev.period = std::max(ev.period, b);
    return ev;
  }
};

/// Devices sorted by name: the order every search tries them in.
std::vector<int> nameOrder(const Machine &m) {
  std::vector<int> order(m.devices.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return m.devices[a] < m.devices[b]; });
  return order;
}

/// Lexicographic: the objective, then the other one (which lets a search
/// leave plateaus, e.g. unload a device that is not the bottleneck).
bool better(const Evaluation &a, const Evaluation &b, Objective o) {
  if (a.feasible != b.feasible)
    return a.feasible;
  if (a.value(o) < b.value(o) * (1 - 1e-9))
    return true;
  if (a.value(o) > b.value(o) * (1 + 1e-9))
    return false;
  Objective other =
      o == Objective::Latency ? Objective::Throughput : Objective::Latency;
  return a.value(other) < b.value(other) * (1 - 1e-9);
}

/// Longest processing time first: each node, costliest first, on the
/// device whose load grows least past the current maximum (a seed for the
/// throughput objective).
std::vector<int> balanceLoads(const Graph &g, const Machine &m,
                              const std::vector<int> &byName) {
  size_t n = g.nodes.size(), nd = m.devices.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  auto cheapest = [&](size_t i) {
    double c = kInfinity;
    for (double s : g.nodes[i].seconds)
      c = std::min(c, s);
    return c;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return cheapest(a) > cheapest(b);
  });
  std::vector<double> load(nd, 0);
  std::vector<int> a(n, -1);
  for (size_t i : order) {
    int best = -1;
    for (int d : byName)
      if (std::isfinite(g.nodes[i].seconds[d]) &&
          (best < 0 || load[d] + g.nodes[i].seconds[d] <
                           load[best] + g.nodes[i].seconds[best]))
        best = d;
    if (best < 0)
      return {};
    a[i] = best;
    load[best] += g.nodes[i].seconds[best];
  }
  return a;
}

/// Viterbi over the topological order: the state is the device of the
/// current node, a path's cost is its work plus the transfers of edges
/// whose ends differ (exact for chains, a seed for DAGs).
std::vector<int> chainProgramme(const Graph &g, const Machine &m,
                                const std::vector<std::vector<int>> &in) {
  size_t n = g.nodes.size(), nd = m.devices.size();
  std::vector<double> cost(nd, 0);
  std::vector<std::vector<int>> path(nd);
  for (size_t i = 0; i < n; ++i) {
    std::vector<double> nextCost(nd, kInfinity);
    std::vector<std::vector<int>> nextPath(nd);
    const Graph::Node &node = g.nodes[i];
    for (size_t d = 0; d < nd; ++d) {
      if (!std::isfinite(node.seconds[d]))
        continue;
      double own = node.seconds[d];
      if (node.inputBytes > 0 && d != 0)
        own += m.transfer(0, d, node.inputBytes);
      if (node.outputBytes > 0 && d != 0)
        own += m.transfer(d, 0, node.outputBytes);
      int bestPrev = -1;
      double best = kInfinity;
      for (size_t p = 0; p < nd; ++p) {
        if (!std::isfinite(cost[p]))
          continue;
        double c = cost[p];
        for (int e : in[i]) {
          int du = path[p][g.edges[e].from];
          if (du != static_cast<int>(d))
            c += m.transfer(du, d, g.edges[e].bytes);
        }
        if (c < best) {
          best = c;
          bestPrev = static_cast<int>(p);
        }
      }
      if (bestPrev < 0)
        continue;
      nextCost[d] = best + own;
      nextPath[d] = path[bestPrev];
      nextPath[d].push_back(static_cast<int>(d));
    }
    cost.swap(nextCost);
    path.swap(nextPath);
  }
  size_t best = 0;
  for (size_t d = 1; d < nd; ++d)
    if (cost[d] < cost[best])
      best = d;
  return std::isfinite(cost[best]) ? path[best] : std::vector<int>();
}

/// The list schedule of `assignment` with the in-edge lists already built
/// (the search evaluates thousands of plans of one graph).
Evaluation evaluateWith(const Graph &g, const Machine &m,
                        const std::vector<std::vector<int>> &in,
                        const std::vector<int> &assignment) {
  Schedule s(g, m, in);
  for (size_t n = 0; n < g.nodes.size() && s.feasible; ++n)
    s.step(static_cast<int>(n), assignment[n], assignment);
  return s.result();
}

} // namespace

Evaluation evaluate(const Graph &g, const Machine &m,
                    const std::vector<int> &assignment) {
  return evaluateWith(g, m, inEdges(g), assignment);
}

std::vector<int> heft(const Graph &g, const Machine &m) {
  size_t n = g.nodes.size(), nd = m.devices.size();
  std::vector<std::vector<int>> out(n), in = inEdges(g);
  for (size_t e = 0; e < g.edges.size(); ++e)
    out[g.edges[e].from].push_back(static_cast<int>(e));
  auto meanCost = [&](size_t i) {
    double sum = 0;
    int count = 0;
    for (double c : g.nodes[i].seconds)
      if (std::isfinite(c))
        sum += c, ++count;
    return count ? sum / count : 0.0;
  };
  auto meanTransfer = [&](double bytes) {
    if (nd < 2)
      return 0.0;
    double sum = 0;
    for (size_t a = 0; a < nd; ++a)
      for (size_t b = 0; b < nd; ++b)
        if (a != b)
          sum += m.transfer(a, b, bytes);
    return sum / (nd * (nd - 1)); // over pairs of distinct devices
  };
  std::vector<double> rank(n, 0);
  for (size_t i = n; i-- > 0;) {
    double succ = 0;
    for (int e : out[i])
      succ =
          std::max(succ, meanTransfer(g.edges[e].bytes) + rank[g.edges[e].to]);
    rank[i] = meanCost(i) + succ;
  }
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Decreasing rank; a predecessor's rank is always larger, ties by index.
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return rank[a] > rank[b]; });
  std::vector<int> assignment(n, -1), byName = nameOrder(m);
  std::vector<double> devFree(nd, 0), finish(n, 0);
  for (int i : order) {
    double bestFinish = kInfinity;
    int bestDevice = -1;
    for (int d : byName) {
      double cost = g.nodes[i].seconds[d];
      if (!std::isfinite(cost))
        continue;
      double ready = g.nodes[i].inputBytes > 0 && d != 0
                         ? m.transfer(0, d, g.nodes[i].inputBytes)
                         : 0;
      for (int e : in[i]) {
        int u = g.edges[e].from;
        ready = std::max(
            ready,
            finish[u] + (assignment[u] == d
                             ? 0
                             : m.transfer(assignment[u], d, g.edges[e].bytes)));
      }
      double f = std::max(ready, devFree[m.queue(d)]) + cost;
      if (f < bestFinish) {
        bestFinish = f;
        bestDevice = d;
      }
    }
    if (bestDevice < 0)
      return {};
    assignment[i] = bestDevice;
    finish[i] = bestFinish;
    devFree[m.queue(bestDevice)] = bestFinish;
  }
  return assignment;
}

Result partition(const Graph &g, const Machine &m, const Options &opts,
                 std::string &error) {
  auto startTime = std::chrono::steady_clock::now();
  size_t n = g.nodes.size(), nd = m.devices.size();
  std::vector<std::vector<int>> in = inEdges(g);
  Result best;
  if (n == 0) {
    best.evaluation = evaluateWith(g, m, in, {});
    best.method = "empty";
    return best;
  }
  for (size_t i = 0; i < n; ++i)
    if (std::none_of(g.nodes[i].seconds.begin(), g.nodes[i].seconds.end(),
                     [](double c) { return std::isfinite(c); })) {
      error = "no device can run '" + g.nodes[i].name + "'";
      return {};
    }
  std::vector<int> byName = nameOrder(m);
  Result single; // the best plan on one device
  auto consider = [&](const std::vector<int> &a, const char *method) {
    if (a.size() != n)
      return;
    Evaluation ev = evaluateWith(g, m, in, a);
    if (best.assignment.empty() ||
        better(ev, best.evaluation, opts.objective)) {
      best.assignment = a;
      best.evaluation = ev;
      best.method = method;
    }
  };
  // Seeds: each device alone (ops it cannot run on the first device, by
  // name, that can), the chain programme, HEFT.
  for (int d : byName) {
    std::vector<int> a(n, d);
    for (size_t i = 0; i < n; ++i)
      if (!std::isfinite(g.nodes[i].seconds[d]))
        for (int other : byName)
          if (std::isfinite(g.nodes[i].seconds[other])) {
            a[i] = other;
            break;
          }
    consider(a, "single device");
    Evaluation ev = evaluateWith(g, m, in, a);
    if (single.assignment.empty() ||
        better(ev, single.evaluation, opts.objective))
      single = {a, ev, "single device"};
  }
  if (!opts.warmStart) {
    consider(chainProgramme(g, m, in), "chain programme");
    consider(heft(g, m), "HEFT");
  }

  if (opts.objective == Objective::Throughput)
    consider(balanceLoads(g, m, byName), "load balance");
  for (const std::vector<int> &seed : opts.seeds)
    consider(seed, "previous plan");

  // Local search: move segments of the program order (1, 2, 4, ... nodes)
  // to another device, and (small graphs) swap the devices of two nodes,
  // while the objective improves; then perturb the best plan a fixed
  // number of times (iterated local search, deterministic) and search
  // again. The time budget only caps pathological inputs.
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         startTime)
        .count();
  };
  auto descend = [&](std::vector<int> &a, Evaluation &value) {
    bool any = false, improved = true;
    auto tryPlan = [&](std::vector<int> &candidate) {
      Evaluation ev = evaluateWith(g, m, in, candidate);
      if (!better(ev, value, opts.objective))
        return false;
      a.swap(candidate);
      value = ev;
      return improved = any = true;
    };
    while (improved && elapsed() < opts.timeBudget) {
      improved = false;
      for (size_t len = 1; len <= n && elapsed() < opts.timeBudget; len *= 2)
        for (size_t first = 0; first < n && elapsed() < opts.timeBudget;
             first += std::max<size_t>(1, len / 2))
          for (int d : byName) {
            size_t last = std::min(n, first + len);
            bool runs = true, same = true;
            for (size_t i = first; i < last; ++i) {
              runs &= std::isfinite(g.nodes[i].seconds[d]);
              same &= a[i] == d;
            }
            if (!runs || same)
              continue;
            std::vector<int> candidate = a;
            std::fill(candidate.begin() + first, candidate.begin() + last, d);
            tryPlan(candidate);
          }
      if (n <= 24)
        for (size_t i = 0; i < n; ++i)
          for (size_t j = i + 1; j < n; ++j) {
            if (a[i] == a[j] || !std::isfinite(g.nodes[i].seconds[a[j]]) ||
                !std::isfinite(g.nodes[j].seconds[a[i]]))
              continue;
            std::vector<int> candidate = a;
            std::swap(candidate[i], candidate[j]);
            tryPlan(candidate);
          }
    }
    return any;
  };
  bool searched = descend(best.assignment, best.evaluation);
  std::mt19937 rng(12345);
  int kicks = n <= 24 ? 40 : n <= 200 ? 10 : 2;
  for (int kick = 0; kick < kicks && elapsed() < opts.timeBudget; ++kick) {
    std::vector<int> a = best.assignment;
    size_t moves = std::max<size_t>(2, n / 10);
    for (size_t k = 0; k < moves; ++k) {
      size_t i = std::uniform_int_distribution<size_t>(0, n - 1)(rng);
      int d = byName[std::uniform_int_distribution<size_t>(0, nd - 1)(rng)];
      if (std::isfinite(g.nodes[i].seconds[d]))
        a[i] = d;
    }
    Evaluation ev = evaluateWith(g, m, in, a);
    descend(a, ev);
    if (better(ev, best.evaluation, opts.objective)) {
      best.assignment = a;
      best.evaluation = ev;
      searched = true;
    }
  }
  if (searched)
    best.method += " + local search";
  if (opts.minGainOverSingle > 0 && !single.assignment.empty() &&
      best.assignment != single.assignment &&
      best.evaluation.value(opts.objective) >
          single.evaluation.value(opts.objective) *
              (1 - opts.minGainOverSingle)) {
    best = single;
    best.method = "single device (a split gains less than " +
                  std::to_string(static_cast<int>(
                      std::round(opts.minGainOverSingle * 100))) +
                  " %)";
  }
  if (!best.evaluation.feasible) {
    error = "no placement meets the devices' memory limits";
    return {};
  }
  return best;
}

Result replan(const Graph &g, const Machine &m, const Conditions &c,
              const std::vector<int> &previous, Objective objective,
              double budgetSeconds) {
  size_t nd = m.devices.size();
  Graph scaled = g;
  for (Graph::Node &node : scaled.nodes)
    for (size_t d = 0; d < nd && d < c.deviceLoad.size(); ++d)
      node.seconds[d] /= std::max(1e-3, 1 - c.deviceLoad[d]);
  Machine changed = m;
  if (!c.bandwidthFactor.empty())
    changed.transfer = [&m, &c, nd](int a, int b, double bytes) {
      double f = c.bandwidthFactor[a * nd + b];
      return m.transfer(a, b, bytes) / std::max(1e-6, f);
    };
  Options opts;
  opts.objective = objective;
  opts.timeBudget = budgetSeconds;
  opts.warmStart = true;
  if (previous.size() == g.nodes.size())
    opts.seeds.push_back(previous);
  std::string error;
  Result r = partition(scaled, changed, opts, error);
  return r;
}

namespace {
struct BranchAndBound {
  const Graph &g;
  const Machine &m;
  Objective objective;
  const std::vector<std::vector<int>> &in;
  std::vector<int> order;
  std::vector<double> minRemaining; // sum of cheapest costs of nodes >= i
  std::vector<int> assignment;
  Result best;

  void search(size_t i, const Schedule &s) {
    if (!s.feasible)
      return;
    Evaluation partial = s.result();
    double bound =
        objective == Objective::Latency ? partial.makespan : partial.period;
    double work = std::accumulate(s.busy.begin(), s.busy.end(), 0.0);
    std::set<int> queues;
    for (size_t d = 0; d < m.devices.size(); ++d)
      queues.insert(m.queue(static_cast<int>(d)));
    bound = std::max(bound, (work + minRemaining[i]) / queues.size());
    if (!best.assignment.empty() &&
        bound >= best.evaluation.value(objective) * (1 - 1e-9))
      return;
    if (i == g.nodes.size()) {
      best.assignment = assignment;
      best.evaluation = partial;
      return;
    }
    for (int d : order) {
      if (!std::isfinite(g.nodes[i].seconds[d]))
        continue;
      Schedule next = s;
      assignment[i] = d;
      next.step(static_cast<int>(i), d, assignment);
      search(i + 1, next);
    }
  }
};
} // namespace

Result exhaustive(const Graph &g, const Machine &m, Objective objective) {
  std::vector<std::vector<int>> in = inEdges(g);
  BranchAndBound bb{g, m, objective, in, nameOrder(m), {}, {}, {}};
  size_t n = g.nodes.size();
  bb.minRemaining.assign(n + 1, 0);
  for (size_t i = n; i-- > 0;) {
    double cheapest = kInfinity;
    for (double c : g.nodes[i].seconds)
      cheapest = std::min(cheapest, c);
    bb.minRemaining[i] =
        bb.minRemaining[i + 1] + (std::isfinite(cheapest) ? cheapest : 0);
  }
  bb.assignment.assign(n, 0);
  // Start from the partitioner's plan: a tight bound prunes early.
  std::string error;
  Options opts;
  opts.objective = objective;
  Result seed = partition(g, m, opts, error);
  if (!seed.assignment.empty())
    bb.best = seed;
  Schedule s(g, m, in);
  bb.search(0, s);
  bb.best.method = "exhaustive";
  return bb.best;
}

} // namespace plan
} // namespace hcc
