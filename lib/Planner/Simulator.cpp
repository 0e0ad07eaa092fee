//===- Simulator.cpp - discrete-event simulation of a placed plan ---------===//

#include "hcc/Planner/Simulator.h"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>
#include <tuple>

namespace hcc {
namespace plan {

namespace {

struct Task {
  int resource = 0; // device index, or nd + link index
  double duration = 0;
  int request = 0;
  int order = 0;   // program order within a request (priority)
  int pending = 0; // unfinished predecessors
  double readyAt = 0;
  std::vector<int> successors;
};

} // namespace

SimResult simulate(const Graph &g, const Machine &m,
                   const std::vector<int> &assignment, int requests) {
  int nd = static_cast<int>(m.devices.size());
  int n = static_cast<int>(g.nodes.size());
  SimResult result;
  result.requests = requests;
  result.utilization.assign(nd, 0);
  if (n == 0 || requests < 1)
    return result;

  // Tasks of one request, then replicated per request.
  std::vector<Task> tasks;
  std::vector<int> lastOfRequest; // task finishing a request: a sink
  auto add = [&](int resource, double duration, int request, int order) {
    tasks.push_back({resource, duration, request, order, 0, 0, {}});
    return static_cast<int>(tasks.size()) - 1;
  };
  auto link = [&](int a, int b) { return nd + a * nd + b; };
  auto edge = [&](int from, int to) {
    tasks[from].successors.push_back(to);
    ++tasks[to].pending;
  };
  std::vector<std::vector<int>> in(n);
  for (size_t e = 0; e < g.edges.size(); ++e)
    in[g.edges[e].to].push_back(static_cast<int>(e));
  std::vector<int> kernelTask(n);
  for (int r = 0; r < requests; ++r) {
    std::map<std::pair<int, int>, int> copyTask; // (node, device) -> task
    int sink = -1;
    for (int i = 0; i < n; ++i) {
      int d = assignment[i];
      int order = 2 * i + 1;
      int k = add(m.queue(d), g.nodes[i].seconds[d], r, order);
      kernelTask[i] = k;
      if (g.nodes[i].inputBytes > 0 && d != 0)
        edge(add(link(0, d), m.transfer(0, d, g.nodes[i].inputBytes), r,
                 order - 1),
             k);
      for (int e : in[i]) {
        int u = g.edges[e].from, du = assignment[u];
        if (du == d) {
          edge(kernelTask[u], k);
          continue;
        }
        auto key = std::make_pair(u, d);
        auto it = copyTask.find(key);
        if (it == copyTask.end()) {
          int c = add(link(du, d), m.transfer(du, d, g.edges[e].bytes), r,
                      2 * u + 2);
          edge(kernelTask[u], c);
          it = copyTask.insert({key, c}).first;
        }
        edge(it->second, k);
      }
      if (g.nodes[i].outputBytes > 0 && d != 0) {
        int c = add(link(d, 0), m.transfer(d, 0, g.nodes[i].outputBytes), r,
                    order + 1);
        edge(k, c);
      }
    }
    // A zero-length sink per request after every task of it.
    sink = add(0, 0, r, 2 * n + 2);
    tasks[sink].resource = -1;
    for (int t = 0; t < sink; ++t)
      if (tasks[t].request == r)
        edge(t, sink);
    lastOfRequest.push_back(sink);
  }

  // Event loop: ready queues per resource, ordered by (request, order).
  using Key = std::tuple<int, int, int>; // request, order, task
  std::map<int, std::priority_queue<Key, std::vector<Key>, std::greater<>>>
      ready;
  std::map<int, bool> busy;
  std::map<int, double> busyTime;
  using Event = std::pair<double, int>; // finish time, task
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
  double now = 0;
  std::vector<double> finished(tasks.size(), -1);
  auto startIfIdle = [&](int resource) {
    auto &q = ready[resource];
    if (busy[resource] || q.empty())
      return;
    int t = std::get<2>(q.top());
    q.pop();
    busy[resource] = true;
    busyTime[resource] += tasks[t].duration;
    events.push({now + tasks[t].duration, t});
  };
  std::function<void(int)> makeReady = [&](int t) {
    if (tasks[t].resource < 0) { // sink: done at once
      finished[t] = now;
      return;
    }
    ready[tasks[t].resource].push({tasks[t].request, tasks[t].order, t});
    startIfIdle(tasks[t].resource);
  };
  for (size_t t = 0; t < tasks.size(); ++t)
    if (tasks[t].pending == 0)
      makeReady(static_cast<int>(t));
  while (!events.empty()) {
    auto [time, t] = events.top();
    events.pop();
    now = time;
    finished[t] = now;
    busy[tasks[t].resource] = false;
    for (int s : tasks[t].successors)
      if (--tasks[s].pending == 0) {
        if (tasks[s].resource < 0)
          finished[s] = now;
        else
          makeReady(s);
      }
    startIfIdle(tasks[t].resource);
  }
  result.latency = finished[lastOfRequest.front()];
  result.total = 0;
  for (int s : lastOfRequest)
    result.total = std::max(result.total, finished[s]);
  result.throughput = result.total > 0 ? requests / result.total : 0;
  for (int d = 0; d < nd; ++d)
    result.utilization[d] = result.total > 0 ? busyTime[d] / result.total : 0;
  return result;
}

} // namespace plan
} // namespace hcc
