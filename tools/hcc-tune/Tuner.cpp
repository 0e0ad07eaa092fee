//===- Tuner.cpp - hcc-tune's measurements --------------------------------===//

#include "Tuner.h"

#include "Explorer.h"
#include "Interrupt.h"
#include "Measure.h"
#include "ToolSupport.h"

#include "hcc/Target/Target.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <chrono>
#include <set>

extern char **environ;

namespace hcc {
namespace tune {

Tuner::Tuner(TunerOptions options)
    : rng(options.seed), options(std::move(options)),
      hostDevice(tools::cpuModelName()) {}

bool Tuner::compile(const std::string &log, const std::string &bundle,
                    const std::string &dump, std::string &error) {
  std::vector<std::string> args = {options.compiler, options.model, "-o",
                                   bundle};
  if (!options.targets.empty())
    args.push_back("--targets=" + options.targets);
  for (const std::string &config : options.targetConfigs)
    args.push_back("--target-config=" + config);
  if (!log.empty()) {
    args.push_back("--tuning-log=" + log);
    // Candidates of targets whose kernels share a budget are costed each
    // as if it had the budget alone.
    std::set<std::string> targets;
    for (const Task &t : tasks)
      targets.insert(t.target);
    for (const std::string &name : targets) {
      const Target *t = TargetRegistry::global().lookup(name);
      if (!t)
        continue;
      std::string config;
      for (const auto &[key, value] : t->tuningRoundConfig())
        config += (config.empty() ? "" : ";") + key + "=" + value;
      if (!config.empty())
        args.push_back("--target-config=" + name + ":" + config);
    }
  }
  if (!dump.empty())
    args.push_back("--dump-placement=" + dump);
  for (const std::string &d : options.dims)
    args.push_back("--dim=" + d);
  return runChild(args, error);
}

bool Tuner::measure(const std::string &bundle,
                    std::map<std::string, std::vector<double>> &times,
                    std::string &error) {
  std::string trace = options.work + "/trace.json";
  llvm::sys::fs::remove(trace);
  std::vector<std::string> args = {
      options.bench,  bundle,
      "--threads",    std::to_string(options.threads),
      "--iterations", std::to_string(options.repeat),
      "--warmup",     std::to_string(options.warmup)};
  if (!runChild(args, error, "HCC_TRACE=" + trace))
    return false;
  profile::Measurement m;
  if (!profile::readTrace(trace, options.warmup, m, error))
    return false;
  // Kernels whose target models their cost are costed by the model (they
  // ran, on a device emulating theirs, to show that they work).
  for (auto &[kernel, seconds] : m.modelled)
    m.kernels[kernel] = std::move(seconds);
  for (const Task &t : tasks)
    if (auto note = m.modelNotes.find(t.kernels.front());
        note != m.modelNotes.end())
      devices[t.target] = note->second;
  times = std::move(m.kernels);
  return true;
}

void Tuner::findDevices() {
  // A child process: this one links the compiler's LLVM, which a device
  // driver that embeds its own (PoCL's) may clash with.
  std::string out = options.work + "/devices.txt", error;
  if (!runChild({options.runner, "--list-devices"}, error, "", out))
    return;
  auto text = llvm::MemoryBuffer::getFile(out);
  if (!text)
    return;
  // "1: opencl: NAME (VENDOR, ...)"
  llvm::SmallVector<llvm::StringRef> lines;
  (*text)->getBuffer().split(lines, '\n', -1, false);
  std::map<std::string, std::string> byKind;
  for (llvm::StringRef line : lines) {
    auto [index, rest] = line.split(": ");
    auto [kind, name] = rest.split(": ");
    name = name.rsplit(" (").first;
    if (!kind.empty() && !name.empty() && !byKind.count(kind.str()))
      byKind[kind.str()] = name.str();
  }
  for (const Target *t : TargetRegistry::global().targets())
    if (auto it = byKind.find(t->deviceKind().str()); it != byKind.end())
      devices[t->name().str()] = it->second;
}

std::vector<double>
Tuner::taskCosts(const Task &task,
                 const std::map<std::string, std::vector<double>> &times) {
  std::vector<double> costs;
  for (const std::string &k : task.kernels) {
    auto it = times.find(k);
    if (it == times.end())
      return {};
    if (costs.empty())
      costs.assign(it->second.size(), 0);
    for (size_t r = 0; r < costs.size() && r < it->second.size(); ++r)
      costs[r] += it->second[r] / task.kernels.size();
  }
  return costs;
}

double Tuner::robust(const std::vector<double> &costs) {
  double spread;
  int kept;
  return costs.empty() ? 0 : profile::robustMedian(costs, spread, kept);
}

double Tuner::normalized(const Task &task, double seconds, double baseline) {
  return tuning::normalizedSeconds(seconds, baseline, task.defaultSeconds);
}

void Tuner::record(Task &task, const Point &p, const std::vector<double> &costs,
                   const std::string &error, bool remeasure, bool context,
                   double baseline) {
  if (costs.empty())
    baseline = 0;
  double seconds =
      normalized(task, costs.empty() ? -1 : robust(costs), baseline);
  task.record(p, seconds, remeasure, context);
  if (!remeasure)
    learn(task, p, seconds);
  failures += costs.empty();
  tuning::TuningRecord r;
  r.workload = task.workload;
  r.target = task.target;
  auto device = devices.find(task.target);
  r.device = device != devices.end() ? device->second : hostDevice;
  r.config = task.config(p);
  r.costs = costs;
  r.error = error;
  r.remeasure = remeasure;
  r.context = context;
  r.baseline = baseline;
  r.hasFeatures = true;
  r.features = task.features;
  log << tuning::formatRecord(r);
  log.flush();
}

void Tuner::evaluate(const std::vector<std::pair<size_t, Point>> &candidates,
                     bool remeasure, bool context) {
  if (!replayed.empty()) {
    for (const auto &[index, p] : candidates) {
      Task &t = tasks[index];
      auto it = replayed.find({t.workload, t.config(p)});
      if (it == replayed.end())
        record(t, p, {}, "not in the replayed log", remeasure);
      else
        record(t, p, it->second.costs, it->second.error, remeasure, false,
               it->second.baseline);
    }
    return;
  }
  std::string error;
  std::map<std::string, std::vector<double>> times, baseTimes;
  if (candidates.size() > 1 && !runRound(candidates, times, baseTimes, error)) {
    for (const auto &c : candidates)
      evaluate({c}, remeasure);
    return;
  }
  if (candidates.size() == 1 &&
      !runRound(candidates, times, baseTimes, error)) {
    record(tasks[candidates[0].first], candidates[0].second, {}, error,
           remeasure);
    return;
  }
  for (const auto &[index, p] : candidates) {
    Task &t = tasks[index];
    std::vector<double> costs = taskCosts(t, times);
    // Modelled costs do not drift; a bundle of defaults is its own baseline.
    const Target *target = TargetRegistry::global().lookup(t.target);
    double baseline = 0;
    if (!target || !target->modelsKernelCosts())
      baseline = !baseTimes.empty() ? robust(taskCosts(t, baseTimes))
                 : p == t.defaults  ? robust(costs)
                                    : 0;
    record(t, p, costs, costs.empty() ? "kernel not in the measurement" : "",
           remeasure, context, baseline);
  }
  // In context, the defaults' run is a measurement of the defaults in
  // context too, in the same minutes as the bests': they are compared as
  // measured so, not through the penalty estimated from bests (which won
  // their rounds partly by luck, so it runs high).
  if (context && !baseTimes.empty())
    for (const auto &[index, p] : candidates) {
      Task &t = tasks[index];
      std::vector<double> costs = taskCosts(t, baseTimes);
      if (p != t.defaults && t.space.accepts(t.defaults) && !costs.empty())
        record(t, t.defaults, costs, "", /*remeasure=*/true, /*context=*/true,
               robust(costs));
    }
}

bool Tuner::runRound(const std::vector<std::pair<size_t, Point>> &candidates,
                     std::map<std::string, std::vector<double>> &times,
                     std::map<std::string, std::vector<double>> &baseTimes,
                     std::string &error) {
  auto start = std::chrono::steady_clock::now();
  std::string roundLog = options.work + "/round.jsonl";
  {
    std::ofstream out(roundLog, std::ios::trunc);
    for (const auto &[index, p] : candidates) {
      tuning::TuningRecord r;
      r.workload = tasks[index].workload;
      r.target = tasks[index].target;
      r.device = "candidate";
      r.config = tasks[index].config(p);
      r.costs = {1};
      out << tuning::formatRecord(r);
    }
  }
  std::string bundle = options.work + "/round.hccb";
  bool ok =
      compile(roundLog, bundle, "", error) && measure(bundle, times, error);
  bool defaults = llvm::all_of(candidates, [&](const auto &c) {
    return c.second == tasks[c.first].defaults;
  });
  std::string baseError;
  if (ok && !defaults && !baseBundle.empty() &&
      !measure(baseBundle, baseTimes, baseError))
    baseTimes.clear();
  ++rounds;
  roundTotal +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return ok;
}

void Tuner::trainRankers() {
  std::map<std::string, std::vector<Ranker::Group>> groups;
  for (auto &[key, group] : history) {
    double best = 0;
    for (auto &[row, seconds] : group.second)
      if (seconds > 0 && (best == 0 || seconds < best))
        best = seconds;
    Ranker::Group g;
    for (auto &[x, seconds] : group.second)
      g.push_back({x, seconds > 0 && best > 0
                          ? static_cast<float>(best / seconds)
                          : 0.0f});
    groups[group.first].push_back(std::move(g));
  }
  for (auto &[target, gs] : groups) {
    std::string error;
    rankers[target].train(gs, 40, options.seed, error);
  }
}

void Tuner::learn(const Task &task, const Point &p, double seconds) {
  auto &entry = history[task.workload];
  entry.first = task.target;
  entry.second.push_back({rankFeatures(task, p), seconds});
}

void Tuner::learnRecord(const tuning::TuningRecord &r) {
  const Target *target = TargetRegistry::global().lookup(r.target);
  if (!target || !r.hasFeatures || r.remeasure)
    return;
  Task t;
  t.workload = r.workload;
  t.target = r.target;
  t.features = r.features;
  // The configuration of this run's tasks of the record's target: a
  // record whose configuration is not a point of their space is left out.
  for (const Task &task : tasks)
    if (task.target == r.target)
      t.targetConfig = task.targetConfig;
  t.space = target->searchSpace(r.features, t.targetConfig);
  Point p = t.pointOf(r.config);
  if (p.empty())
    return;
  learn(t, p, r.ok() ? r.cost() : -1);
}

bool Tuner::runChild(const std::vector<std::string> &args, std::string &error,
                     const std::string &env, std::string out) {
  std::vector<llvm::StringRef> refs(args.begin(), args.end());
  if (out.empty())
    out = options.work + "/child.log";
  // The redirection does not truncate: a short message would leave the
  // end of an earlier child's output behind it.
  llvm::sys::fs::remove(out);
  std::optional<llvm::StringRef> redirects[] = {
      std::nullopt, llvm::StringRef(out), llvm::StringRef(out)};
  std::vector<std::string> envStrings;
  for (char **e = environ; *e; ++e)
    envStrings.push_back(*e);
  if (!env.empty())
    envStrings.push_back(env);
  std::vector<llvm::StringRef> envRefs(envStrings.begin(), envStrings.end());
  std::string message;
  bool failed = false;
  llvm::sys::ProcessInfo child = llvm::sys::ExecuteNoWait(
      args[0], refs, envRefs, redirects, 0, &message, &failed);
  int rc = -1;
  if (!failed) {
    // Killed with hcc-tune if a signal stops it (Interrupt.h).
    setRunningChild(child.Pid);
    rc = llvm::sys::Wait(child, unsigned(options.timeout), &message).ReturnCode;
    setRunningChild(0);
  }
  if (rc == 0)
    return true;
  error = rc == -2 ? "timed out after " + std::to_string(options.timeout) + " s"
          : !tools::lastLine(out).empty() ? tools::lastLine(out)
          : !message.empty()              ? message
                             : "exited with status " + std::to_string(rc);
  return false;
}

} // namespace tune
} // namespace hcc
