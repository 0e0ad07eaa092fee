//===- hcc-tune.cpp - AutoTVM-style tuning of a model's kernels -----------===//
//
//   hcc-tune model.onnx -o tuning.jsonl [--targets=cpu] [--trials=64]
//            [--time-budget=20m] [--threads=1] [--transfer-log=old.jsonl]
//   hcc-compile model.onnx --tuning-log=tuning.jsonl -o model.hccb
//
// Compiles the model once with the defaults (hcc-compile, a child process)
// to find its tasks: one per workload (kernels equal up to names and
// weights) whose target declares a search space for it. A first run
// measures every kernel with the defaults, which gives each task its share
// of the model's time and so its trials (the largest task gets --trials,
// the others in proportion, at least --min-trials but never more than
// --trials). Then, round after
// round, every open task gets a configuration to try -- from a ranking
// model trained on all measurements so far (XGBoost, pairwise ranking)
// explored by simulated annealing, or at random with probability epsilon
// or before the model has data -- and all of a round's candidates are
// compiled into one bundle (through --tuning-log) and measured in one run
// of hcc-bench (a child process: repeats, outliers rejected, a timeout),
// each kernel timed by the runtime's trace. A round that fails to compile or to
// run is retried one candidate at a time, so that a failing configuration is
// recorded as failed and the others are not. Every measurement is a line
// of the log, written as it is taken: restarting with the same log
// resumes without measuring anything again. A task stops at its trials,
// when its space is exhausted, or after --early-stopping trials without a
// 1 % improvement (with a --time-budget, time left when every task has
// stopped reopens those early stopping closed); the run stops at
// --time-budget.
//
//===----------------------------------------------------------------------===//

#include "Explorer.h"
#include "Measure.h"
#include "Ranker.h"
#include "Tasks.h"
#include "ToolSupport.h"

#include "hcc/InitAllTargets.h"
#include "hcc/Tuning/TuningLog.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <fstream>
#include <random>

extern char **environ;

using namespace hcc;
using namespace hcc::tune;
namespace cl = llvm::cl;

static cl::OptionCategory category("hcc-tune options");
static cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.onnx>"),
                                      cl::cat(category));
static cl::opt<std::string>
    logPath("o", cl::desc("Tuning log to write (appended to; resumed from)"),
            cl::value_desc("tuning.jsonl"), cl::cat(category));
static cl::opt<std::string>
    targetNames("targets",
                cl::desc("Targets to place the model on (hcc-compile "
                         "--targets; default: the host's)"),
                cl::cat(category));
static cl::opt<int> trials("trials",
                           cl::desc("Trials of the task with the largest "
                                    "share of the model's time (default 64)"),
                           cl::init(64), cl::cat(category));
static cl::opt<int> minTrials("min-trials",
                              cl::desc("Trials of every task at least "
                                       "(default 8)"),
                              cl::init(8), cl::cat(category));
static cl::opt<std::string>
    timeBudget("time-budget",
               cl::desc("Stop after this long, e.g. 90s, 20m, 1h (default: "
                        "no limit)"),
               cl::cat(category));
static cl::opt<int>
    earlyStopping("early-stopping",
                  cl::desc("Close a task after this many trials without a 1 % "
                           "improvement (0: never; default 32)"),
                  cl::init(32), cl::cat(category));
static cl::opt<int> threads("threads",
                            cl::desc("Runtime threads while measuring "
                                     "(default 1)"),
                            cl::init(1), cl::cat(category));
static cl::opt<int> repeat("repeat", cl::desc("Measured runs per bundle"),
                           cl::init(10), cl::cat(category));
static cl::opt<int> warmup("warmup", cl::desc("Unmeasured runs first"),
                           cl::init(2), cl::cat(category));
static cl::opt<int> timeout(
    "timeout",
    cl::desc("Seconds a compile or a measurement may take (default 300)"),
    cl::init(300), cl::cat(category));
static cl::opt<std::string>
    search("search",
           cl::desc("model (ranking model + annealing, default), random, "
                    "or exhaustive (every valid point, in order)"),
           cl::init("model"), cl::cat(category));
static cl::opt<double> epsilon("epsilon",
                               cl::desc("Share of random proposals while the "
                                        "model guides (default 0.1)"),
                               cl::init(0.1), cl::cat(category));
static cl::opt<unsigned> seed("seed", cl::desc("Random seed"), cl::init(1),
                              cl::cat(category));
static cl::list<std::string> transferLogs(
    "transfer-log",
    cl::desc("Logs of other models or shapes the ranking model starts from "
             "(repeatable)"),
    cl::value_desc("file.jsonl"), cl::cat(category));
static cl::list<std::string> onlyKnobs(
    "knobs",
    cl::desc("Search only these knobs (the others keep their defaults)"),
    cl::CommaSeparated, cl::value_desc("tile-m,tile-n,..."), cl::cat(category));
static cl::opt<std::string> replay(
    "replay",
    cl::desc("Evaluate the search offline: take each candidate's costs "
             "from this log (of an exhaustive search) instead of running it"),
    cl::value_desc("exhaustive.jsonl"), cl::cat(category));
static cl::list<std::string> dims("dim",
                                  cl::desc("hcc-compile --dim (repeatable)"),
                                  cl::value_desc("NAME=VALUE"),
                                  cl::cat(category));
static cl::opt<bool> listTasks("list-tasks",
                               cl::desc("Print the tasks and their spaces, "
                                        "measure nothing"),
                               cl::init(false), cl::cat(category));
namespace {

[[noreturn]] void die(const std::string &message) {
  llvm::errs() << "hcc-tune: error: " << message << "\n";
  std::exit(1);
}

/// Seconds of "90s", "20m", "1h" or "45"; negative if malformed.
double parseDuration(llvm::StringRef text) {
  double scale = 1;
  if (text.consume_back("s"))
    scale = 1;
  else if (text.consume_back("m"))
    scale = 60;
  else if (text.consume_back("h"))
    scale = 3600;
  double v;
  if (text.getAsDouble(v) || !(v > 0) || !std::isfinite(v))
    return -1;
  return v * scale;
}

class Tuner {
public:
  Tuner(std::string compiler, std::string bench, std::string work)
      : compiler(std::move(compiler)), bench(std::move(bench)),
        work(std::move(work)), rng(seed) {}

  std::vector<Task> tasks;
  int untunable = 0;

  /// hcc-compile with `log` applied (none: ""), into `bundle`; false with
  /// the compiler's last line in `error`.
  bool compile(const std::string &log, const std::string &bundle,
               const std::string &dump, std::string &error) {
    std::vector<std::string> args = {compiler, modelPath, "-o", bundle};
    if (!targetNames.empty())
      args.push_back("--targets=" + targetNames);
    if (!log.empty())
      args.push_back("--tuning-log=" + log);
    if (!dump.empty())
      args.push_back("--dump-placement=" + dump);
    for (const std::string &d : dims)
      args.push_back("--dim=" + d);
    return runChild(args, error);
  }

  /// Per kernel of `bundle`: seconds per measured run (hcc-bench, a child
  /// process, with the runtime's trace).
  bool measure(const std::string &bundle,
               std::map<std::string, std::vector<double>> &times,
               std::string &error) {
    std::string trace = work + "/trace.json";
    llvm::sys::fs::remove(trace);
    std::vector<std::string> args = {bench,          bundle,
                                     "--threads",    std::to_string(threads),
                                     "--iterations", std::to_string(repeat),
                                     "--warmup",     std::to_string(warmup)};
    if (!runChild(args, error, "HCC_TRACE=" + trace))
      return false;
    profile::Measurement m;
    if (!profile::readTrace(trace, warmup, m, error))
      return false;
    times = std::move(m.kernels);
    return true;
  }

  /// A task's seconds per run (mean over its kernels) in each run.
  static std::vector<double>
  taskCosts(const Task &task,
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

  static double robust(const std::vector<double> &costs) {
    double spread;
    int kept;
    return costs.empty() ? 0 : profile::robustMedian(costs, spread, kept);
  }

  void appendRecord(const Task &task, const Point &p,
                    const std::vector<double> &costs,
                    const std::string &error) {
    tuning::TuningRecord r;
    r.workload = task.workload;
    r.target = task.target;
    r.device = device;
    r.config = task.config(p);
    r.costs = costs;
    r.error = error;
    r.hasFeatures = true;
    r.features = task.features;
    log << tuning::formatRecord(r);
    log.flush();
  }

  /// Measures `candidates` (task index -> point) in one bundle; on a
  /// failure, each alone. Records every outcome.
  void evaluate(const std::vector<std::pair<size_t, Point>> &candidates) {
    if (!replayed.empty()) {
      for (const auto &[index, p] : candidates) {
        Task &t = tasks[index];
        auto it = replayed.find({t.workload, t.config(p)});
        std::vector<double> costs;
        std::string error = "not in the replayed log";
        if (it != replayed.end()) {
          costs = it->second.costs;
          error = it->second.error;
        }
        double seconds = costs.empty() ? -1 : robust(costs);
        t.record(p, seconds);
        learn(t, p, seconds);
        appendRecord(t, p, costs, error);
        failures += costs.empty();
      }
      return;
    }
    std::string error;
    std::map<std::string, std::vector<double>> times;
    if (candidates.size() > 1 && !runRound(candidates, times, error)) {
      for (const auto &c : candidates)
        evaluate({c});
      return;
    }
    if (candidates.size() == 1 && !runRound(candidates, times, error)) {
      Task &t = tasks[candidates[0].first];
      t.record(candidates[0].second, -1);
      learn(t, candidates[0].second, -1);
      appendRecord(t, candidates[0].second, {}, error);
      ++failures;
      return;
    }
    for (const auto &[index, p] : candidates) {
      Task &t = tasks[index];
      std::vector<double> costs = taskCosts(t, times);
      if (costs.empty()) {
        t.record(p, -1);
        learn(t, p, -1);
        appendRecord(t, p, {}, "kernel not in the measurement");
        continue;
      }
      t.record(p, robust(costs));
      learn(t, p, robust(costs));
      appendRecord(t, p, costs, "");
    }
  }

  bool runRound(const std::vector<std::pair<size_t, Point>> &candidates,
                std::map<std::string, std::vector<double>> &times,
                std::string &error) {
    std::string roundLog = work + "/round.jsonl";
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
    std::string bundle = work + "/round.hccb";
    return compile(roundLog, bundle, "", error) &&
           measure(bundle, times, error);
  }

  void trainRankers() {
    std::map<std::string, std::vector<Ranker::Group>> groups;
    auto add = [&](const std::string &target, Ranker::Group g) {
      groups[target].push_back(std::move(g));
    };
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
      add(group.first, std::move(g));
    }
    for (auto &[target, gs] : groups) {
      std::string error;
      rankers[target].train(gs, 40, seed, error);
    }
  }

  /// Remembers a measurement as training data of the ranking model.
  void learn(const Task &task, const Point &p, double seconds) {
    auto &entry = history[task.workload];
    entry.first = task.target;
    entry.second.push_back({rankFeatures(task, p), seconds});
  }

  void learnRecord(const tuning::TuningRecord &r) {
    const Target *target = TargetRegistry::global().lookup(r.target);
    if (!target || !r.hasFeatures)
      return;
    Task t;
    t.target = r.target;
    t.features = r.features;
    t.space = target->searchSpace(r.features);
    Point p = t.pointOf(r.config);
    if (p.empty())
      return;
    auto &entry = history[r.workload];
    entry.first = r.target;
    entry.second.push_back({rankFeatures(t, p), r.ok() ? r.cost() : -1});
  }

  std::string compiler, bench, work, device;
  std::ofstream log;
  std::mt19937_64 rng;
  std::map<std::string, Ranker> rankers;
  /// workload -> (target, [(features, seconds or -1)]).
  std::map<std::string,
           std::pair<std::string,
                     std::vector<std::pair<std::vector<float>, double>>>>
      history;
  int failures = 0;
  /// --replay: (workload, configuration) -> its record.
  std::map<std::pair<std::string, std::map<std::string, int64_t>>,
           tuning::TuningRecord>
      replayed;

private:
  /// Runs a child (with `env` added to the environment) under the
  /// timeout; its output goes to a file whose last line explains a failure.
  bool runChild(const std::vector<std::string> &args, std::string &error,
                const std::string &env = "") {
    std::vector<llvm::StringRef> refs(args.begin(), args.end());
    std::string out = work + "/child.log";
    std::optional<llvm::StringRef> redirects[] = {
        std::nullopt, llvm::StringRef(out), llvm::StringRef(out)};
    std::vector<std::string> envStrings;
    for (char **e = environ; *e; ++e)
      envStrings.push_back(*e);
    if (!env.empty())
      envStrings.push_back(env);
    std::vector<llvm::StringRef> envRefs(envStrings.begin(), envStrings.end());
    std::string message;
    int rc = llvm::sys::ExecuteAndWait(args[0], refs, envRefs, redirects,
                                       timeout, 0, &message);
    if (rc == 0)
      return true;
    error = rc == -2 ? "timed out after " + std::to_string(timeout) + " s"
            : !tools::lastLine(out).empty() ? tools::lastLine(out)
            : !message.empty()              ? message
                               : "exited with status " + std::to_string(rc);
    return false;
  }
};

void printTasks(const std::vector<Task> &tasks, int untunable) {
  llvm::outs() << llvm::format("%-62s %7s %9s %8s\n", "workload", "kernels",
                               "points", "share");
  for (const Task &t : tasks)
    llvm::outs() << llvm::format(
        "%-62s %7zu %9llu %7.1f%%\n", t.workload.c_str(), t.kernels.size(),
        (unsigned long long)validPoints(t), 100 * t.share);
  llvm::outs() << tasks.size() << " tasks; " << untunable
               << " kernels with nothing to tune\n";
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "hcc-tune: tune the kernels of a model (AutoTVM-style search guided "
      "by a learned ranking model), writing a log hcc-compile "
      "--tuning-log applies.\n\n"
      "  hcc-tune model.onnx -o tuning.jsonl --time-budget=20m\n"
      "  hcc-compile model.onnx --tuning-log=tuning.jsonl -o model.hccb\n");
  registerAllTargets();
  if (modelPath.empty())
    die("no model given (hcc-tune model.onnx -o tuning.jsonl)");
  if (!listTasks && logPath.empty())
    die("no log given: -o tuning.jsonl (it is resumed from when it exists)");
  if (trials < 1 || minTrials < 1 || threads < 1 || repeat < 1 || warmup < 0 ||
      timeout < 1 || earlyStopping < 0 || epsilon < 0 || epsilon > 1)
    die("--trials, --min-trials, --threads, --repeat and --timeout must be "
        "positive, --warmup and --early-stopping not negative, --epsilon in "
        "[0, 1]");
  if (search != "model" && search != "random" && search != "exhaustive")
    die("--search must be 'model', 'random' or 'exhaustive', not '" + search +
        "'");
  double budget = -1;
  if (!timeBudget.empty() && (budget = parseDuration(timeBudget)) < 0)
    die("--time-budget expects a duration like 90s, 20m or 1h, not '" +
        timeBudget + "'");
  if (!listTasks) {
    // Checked before the minutes of compiling, without creating the log.
    llvm::SmallString<256> dir(logPath);
    llvm::sys::path::remove_filename(dir);
    if (dir.empty())
      dir = ".";
    bool writable =
        llvm::sys::fs::exists(logPath)
            ? llvm::sys::fs::can_write(logPath)
            : llvm::sys::fs::is_directory(dir) && llvm::sys::fs::can_write(dir);
    if (!writable)
      die("cannot write the tuning log '" + logPath + "'");
  }
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };

  std::string self =
      llvm::sys::fs::getMainExecutable(argv[0], reinterpret_cast<void *>(&die));
  llvm::SmallString<256> compiler(llvm::sys::path::parent_path(self));
  llvm::SmallString<256> bench(compiler);
  llvm::sys::path::append(compiler, "hcc-compile");
  llvm::sys::path::append(bench, "hcc-bench");
  llvm::SmallString<128> workDir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("hcc-tune", workDir))
    die("cannot create a work directory: " + ec.message());
  struct Cleanup {
    std::string dir;
    ~Cleanup() { llvm::sys::fs::remove_directories(dir); }
  } cleanup{std::string(workDir)};

  Tuner tuner{std::string(compiler), std::string(bench), std::string(workDir)};
  tuner.device = tools::cpuModelName();
  std::string error;
  std::string base = std::string(workDir) + "/base.hccb";
  std::string dump = std::string(workDir) + "/base.json";
  if (!tuner.compile("", base, dump, error))
    die("cannot compile '" + modelPath + "': " + error);
  if (!readTasks(dump, tuner.tasks, tuner.untunable, error))
    die(error);
  if (!onlyKnobs.empty()) {
    std::set<std::string> known;
    for (const Target *t : TargetRegistry::global().targets())
      for (const KnobSpec &k : t->knobs())
        known.insert(k.name);
    for (const std::string &k : onlyKnobs)
      if (!known.count(k))
        die("--knobs: no target has a knob '" + k + "'");
    restrictKnobs(tuner.tasks,
                  std::set<std::string>(onlyKnobs.begin(), onlyKnobs.end()),
                  tuner.untunable);
  }
  std::vector<Task> &tasks = tuner.tasks;

  if (!replay.empty()) {
    std::vector<tuning::TuningRecord> records;
    std::vector<std::string> warnings;
    if (!tuning::readTuningLog(replay, records, warnings, error))
      die(error);
    for (tuning::TuningRecord &r : records)
      tuner.replayed[{r.workload, r.config}] = std::move(r);
    llvm::errs() << "hcc-tune: replaying " << tuner.replayed.size()
                 << " measurements of '" << replay
                 << "' (nothing is compiled or run)\n";
  }
  // Shares of the model's time, from a run with the defaults.
  std::map<std::string, std::vector<double>> times;
  if (tuner.replayed.empty() && (!listTasks || !tasks.empty()))
    if (!tuner.measure(base, times, error))
      die("cannot run '" + modelPath +
          "' compiled with the defaults: " + error);
  double total = 0;
  for (Task &t : tasks) {
    if (!tuner.replayed.empty()) {
      auto it = tuner.replayed.find({t.workload, t.config(t.defaults)});
      if (it == tuner.replayed.end() || !it->second.ok())
        die("--replay: '" + replay + "' has no measurement of " + t.workload +
            " with the defaults");
      for (const std::string &k : t.kernels)
        times[k] = it->second.costs;
    }
    t.defaultSeconds = Tuner::robust(Tuner::taskCosts(t, times));
    total += t.defaultSeconds * t.kernels.size();
  }
  double maxShare = 0;
  for (Task &t : tasks) {
    t.share = total > 0 ? t.defaultSeconds * t.kernels.size() / total : 0;
    maxShare = std::max(maxShare, t.share);
  }
  int floor = std::min<int>(minTrials, trials);
  for (Task &t : tasks)
    if (search == "exhaustive")
      t.allowance = static_cast<int>(
          std::min<uint64_t>(validPoints(t), std::numeric_limits<int>::max()));
    else
      t.allowance = static_cast<int>(std::min<double>(
          t.space.size(),
          std::max<double>(
              floor, std::ceil(trials * t.share / std::max(1e-12, maxShare)))));
  if (listTasks) {
    printTasks(tasks, tuner.untunable);
    return 0;
  }
  if (budget > 0 && elapsed() > budget)
    die("the time budget (" + timeBudget +
        ") ran out before any trial: compiling and measuring the model once "
        "took " +
        llvm::formatv("{0:F1}", elapsed()).str() + " s");

  // Resume from the log; learn from it and from the transfer logs.
  std::vector<tuning::TuningRecord> previous;
  std::vector<std::string> warnings;
  for (const std::string &path : transferLogs)
    if (!tuning::readTuningLog(path, previous, warnings, error))
      die(error);
  size_t transferred = previous.size();
  if (llvm::sys::fs::exists(logPath) &&
      !tuning::readTuningLog(logPath, previous, warnings, error))
    die(error);
  for (const std::string &w : warnings)
    llvm::errs() << "hcc-tune: warning: " << w << "\n";
  std::map<std::string, size_t> byWorkload;
  for (size_t i = 0; i < tasks.size(); ++i)
    byWorkload[tasks[i].workload] = i;
  int resumed = 0;
  for (size_t i = 0; i < previous.size(); ++i) {
    const tuning::TuningRecord &r = previous[i];
    auto it = byWorkload.find(r.workload);
    if (i >= transferred && it != byWorkload.end()) {
      Task &t = tasks[it->second];
      Point p = t.pointOf(r.config);
      if (p.empty() || t.measured.count(p))
        continue;
      t.record(p, r.ok() ? r.cost() : -1);
      tuner.learn(t, p, r.ok() ? r.cost() : -1);
      ++resumed;
      continue;
    }
    tuner.learnRecord(r);
  }
  // A log cut in the middle of a line (a killed run) continues on a new
  // line: the cut record is skipped (with a warning), the next ones read.
  bool cut = false;
  if (auto existing = llvm::MemoryBuffer::getFile(logPath))
    cut = !(*existing)->getBuffer().empty() &&
          !(*existing)->getBuffer().ends_with("\n");
  tuner.log.open(logPath, std::ios::app);
  if (!tuner.log)
    die("cannot write the tuning log '" + logPath + "'");
  if (cut)
    tuner.log << "\n";

  // The defaults are every task's first trial (measured in the base run).
  for (Task &t : tasks) {
    if (!t.measured.count(t.defaults) && t.space.accepts(t.defaults)) {
      std::vector<double> costs = Tuner::taskCosts(t, times);
      t.record(t.defaults, Tuner::robust(costs));
      tuner.learn(t, t.defaults, Tuner::robust(costs));
      tuner.appendRecord(t, t.defaults, costs, "");
    }
  }
  size_t allowance = 0;
  for (const Task &t : tasks)
    allowance += t.allowance;
  llvm::errs() << "hcc-tune: " << tasks.size() << " tasks (" << allowance
               << " trials; " << tuner.untunable
               << " kernels with nothing to tune)";
  if (resumed)
    llvm::errs() << ", " << resumed << " trials resumed from '" << logPath
                 << "'";
  if (transferred)
    llvm::errs() << ", " << transferred << " records to learn from";
  llvm::errs() << "\n";

  ExplorerOptions explore;
  explore.epsilon = epsilon;
  tools::Progress progress(allowance);
  auto done = [&] {
    size_t n = 0;
    for (const Task &t : tasks)
      n += std::min(t.trials, t.allowance);
    return n;
  };
  auto status = [&] {
    double defaultTotal = 0, bestTotal = 0;
    for (const Task &t : tasks) {
      defaultTotal += t.defaultSeconds * t.kernels.size();
      bestTotal += std::min(t.defaultSeconds, t.bestSeconds) * t.kernels.size();
    }
    return llvm::formatv("kernel time {0:F2} -> {1:F2} ms ({2:F2}x)",
                         defaultTotal * 1e3, bestTotal * 1e3,
                         bestTotal > 0 ? defaultTotal / bestTotal : 0)
        .str();
  };
  for (;;) {
    if (budget > 0 && elapsed() > budget)
      break;
    if (search == "model")
      tuner.trainRankers();
    std::vector<std::pair<size_t, Point>> candidates;
    for (size_t i = 0; i < tasks.size(); ++i) {
      Task &t = tasks[i];
      if (!t.open)
        continue;
      if (t.trials >= t.allowance ||
          (earlyStopping > 0 && search != "exhaustive" &&
           t.sinceImprovement >= earlyStopping)) {
        t.open = false;
        continue;
      }
      auto ranker = tuner.rankers.find(t.target);
      Point p = search == "exhaustive"
                    ? nextPoint(t)
                    : propose(t,
                              search == "model" && ranker != tuner.rankers.end()
                                  ? &ranker->second
                                  : nullptr,
                              tuner.rng, explore);
      if (p.empty()) {
        t.open = false;
        t.exhausted = true;
        continue;
      }
      candidates.push_back({i, p});
    }
    if (candidates.empty()) {
      // Time left in the budget goes to the tasks early stopping closed
      // (trials and space left), each with its patience again.
      bool reopened = false;
      if (budget > 0)
        for (Task &t : tasks)
          if (!t.open && !t.exhausted && t.trials < t.allowance &&
              t.sinceImprovement >= earlyStopping && earlyStopping > 0) {
            t.open = true;
            t.sinceImprovement = 0;
            reopened = true;
          }
      if (!reopened)
        break;
      continue;
    }
    tuner.evaluate(candidates);
    double left = budget > 0 ? std::max(0.0, budget - elapsed()) : -1;
    progress.show(done(), status(), left);
  }
  progress.finish();

  llvm::outs() << llvm::format("%-62s %7s %10s %10s %8s %7s\n", "workload",
                               "trials", "default us", "best us", "GFLOP/s",
                               "speedup");
  for (const Task &t : tasks)
    llvm::outs() << llvm::format(
        "%-62s %7d %10.1f %10.1f %8.1f %6.2fx\n", t.workload.c_str(), t.trials,
        t.defaultSeconds * 1e6, std::min(t.bestSeconds, t.defaultSeconds) * 1e6,
        t.gflops(std::min(t.bestSeconds, t.defaultSeconds)),
        t.bestSeconds > 0
            ? t.defaultSeconds / std::min(t.bestSeconds, t.defaultSeconds)
            : 1.0);
  llvm::outs() << status() << "; " << tuner.failures
               << " failed candidates; log: " << logPath << "\n";
  return 0;
}
