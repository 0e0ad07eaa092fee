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
// each kernel timed by the runtime's trace), then the model with the
// defaults runs again: the baseline of the round's measurements. The
// machine's speed drifts by several percent over minutes (turbo, its
// neighbours, heat), about as much as configurations differ, so a
// configuration counts with its cost over the baseline of its round (times
// the defaults' first time). A round that fails to compile or to
// run is retried one candidate at a time, so that a failing configuration is
// recorded as failed and the others are not. Every measurement is a line
// of the log, written as it is taken: restarting with the same log
// resumes without measuring anything again. A task stops at its trials,
// when its space is exhausted, or after --early-stopping trials without a
// 1 % improvement (with a --time-budget, time left when every task has
// stopped reopens those early stopping closed); the run stops at
// --time-budget, less the time kept for the confirmation: the best was
// measured once, and the best of many noisy measurements is often only
// luckier (the winner's curse), so each task's --confirm best candidates
// and its defaults are measured again in fresh rounds until each has three
// measurements, and a configuration counts with the median of its
// measurements (here and in hcc-compile --tuning-log). Those records are
// marked "remeasure". Last, the model is measured as it will be compiled,
// every task at its best (--context-rounds): a kernel measured beside
// other tasks' defaults or candidates can be slower beside their tuned
// kernels (a transformed filter that fits the cache alone evicts, and is
// evicted by, its neighbours'). Those records are marked "context", and a
// configuration measured in context counts with those measurements only,
// one that is not with its measurements times the model's usual context
// penalty (tuning::contextScale); a best whose penalty is larger than that
// gives way to the next, which is measured in context in turn, until every
// task's best has two such measurements or the rounds are spent. The
// defaults' run after such a round measures the defaults in context too:
// every best is weighed against its defaults so measured, not against the
// defaults times the penalty (estimated from bests, which won their rounds
// partly by luck, it runs high).
//
//===----------------------------------------------------------------------===//

#include "Explorer.h"
#include "Interrupt.h"
#include "Measure.h"
#include "Ranker.h"
#include "Tasks.h"
#include "ToolSupport.h"
#include "Tuner.h"

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
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <random>

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
static cl::opt<int>
    repeat("repeat",
           cl::desc("Measured runs per bundle (default 20: a round's compile "
                    "takes far longer, and precise measurements choose "
                    "better than more candidates in flat spaces)"),
           cl::init(20), cl::cat(category));
static cl::opt<int> warmup("warmup", cl::desc("Unmeasured runs first"),
                           cl::init(2), cl::cat(category));
static cl::opt<int> minRepeatMs(
    "min-repeat-ms",
    cl::desc("Measure each candidate for at least this long: more runs than "
             "--repeat where the model runs faster (default 0)"),
    cl::init(0), cl::cat(category));
static cl::opt<std::string> benchProgram(
    "bench",
    cl::desc("Measure with this program instead of the hcc-bench beside "
             "hcc-tune (same arguments and output; e.g. a wrapper running "
             "it on another machine)"),
    cl::value_desc("program"), cl::cat(category));
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
static cl::opt<int> confirm(
    "confirm",
    cl::desc("Before the best is decided, measure each task's N best "
             "candidates and its defaults again in fresh runs until each has "
             "3 measurements, so that one lucky run does not decide (0: "
             "never; default 3)"),
    cl::init(3), cl::cat(category));
static cl::opt<int> contextRounds(
    "context-rounds",
    cl::desc("Last, measure the model with every task at its best, at most N "
             "rounds, until each task's best has 2 measurements in context; "
             "a best slower in context (than the others and the defaults) "
             "gives way to the next (0: never; default 6)"),
    cl::init(6), cl::cat(category));
static cl::opt<std::string> replay(
    "replay",
    cl::desc("Evaluate the search offline: take each candidate's costs "
             "from this log (of an exhaustive search) instead of running it"),
    cl::value_desc("exhaustive.jsonl"), cl::cat(category));
static cl::list<std::string> dims("dim",
                                  cl::desc("hcc-compile --dim (repeatable)"),
                                  cl::value_desc("NAME=VALUE"),
                                  cl::cat(category));
static cl::list<std::string> targetConfigs(
    "target-config",
    cl::desc("hcc-compile --target-config (repeatable): the targets' "
             "configuration every candidate compiles with; it shapes the "
             "search spaces (opencl:gpu-shape=1: work-group tiles)"),
    cl::value_desc("name:key=value[;key=value]"), cl::cat(category));
static cl::opt<bool> listTasks("list-tasks",
                               cl::desc("Print the tasks and their spaces, "
                                        "measure nothing"),
                               cl::init(false), cl::cat(category));
namespace {

/// The scratch directory, removed on every exit.
std::string workDirectory;

[[noreturn]] void die(const std::string &message) {
  if (!workDirectory.empty())
    llvm::sys::fs::remove_directories(workDirectory);
  llvm::errs() << "hcc-tune: error: " << message << "\n";
  std::exit(1);
}

/// Prints the readers' warnings about logs: a few, each of bounded length,
/// not one per line of a damaged log.
void printWarnings(const std::vector<std::string> &warnings) {
  constexpr size_t kMaxWarnings = 10, kMaxChars = 400;
  for (size_t i = 0; i < warnings.size() && i < kMaxWarnings; ++i) {
    llvm::StringRef w = warnings[i];
    llvm::errs() << "hcc-tune: warning: " << w.take_front(kMaxChars)
                 << (w.size() > kMaxChars ? "..." : "") << "\n";
  }
  if (warnings.size() > kMaxWarnings)
    llvm::errs() << "hcc-tune: warning: " << warnings.size() - kMaxWarnings
                 << " more lines skipped\n";
}

/// Why hcc-tune must not append to `path` ("" when it may): it is the
/// model, or a file that is not a tuning log (its first line is no JSON
/// object), which appending records to would damage.
std::string notALog(const std::string &path, const std::string &model) {
  bool same = false;
  if (!llvm::sys::fs::equivalent(path, model, same) && same)
    return "it is the model";
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return "";
  std::string why;
  tuning::forEachLogLine(
      (*file)->getBuffer(), [&](int lineNo, llvm::StringRef line) {
        if (!line.starts_with("{"))
          why = "it exists and is not a tuning log (line " +
                std::to_string(lineNo) + " is not a JSON record)";
        return false;
      });
  return why;
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

/// Measurements a confirmed candidate has.
constexpr int kConfirmSamples = 3;

/// One round of the confirmation: per task, of its `top` best points and
/// its defaults, the one with the fewest measurements (the better ranked
/// of equals) while it has fewer than kConfirmSamples; empty when done.
std::vector<std::pair<size_t, Point>>
confirmationRound(const std::vector<Task> &tasks, int top) {
  std::vector<std::pair<size_t, Point>> round;
  for (size_t i = 0; i < tasks.size(); ++i) {
    const Task &t = tasks[i];
    // A model's costs do not vary from run to run.
    const Target *target = TargetRegistry::global().lookup(t.target);
    if (target && target->modelsKernelCosts())
      continue;
    std::vector<Point> set = t.ranked();
    if (set.size() > static_cast<size_t>(top))
      set.resize(top);
    if (t.samples.count(t.defaults) && !llvm::is_contained(set, t.defaults))
      set.push_back(t.defaults);
    const Point *pick = nullptr;
    size_t fewest = kConfirmSamples;
    for (const Point &p : set)
      if (size_t n = t.samples.at(p).size(); n < fewest) {
        fewest = n;
        pick = &p;
      }
    if (pick)
      round.push_back({i, *pick});
  }
  return round;
}

/// Measurements in context a task's best has when the context rounds end.
constexpr size_t kContextSamples = 2;

/// One round of the context measurement: every measured task at its best
/// (the model as hcc-compile --tuning-log builds it), while some task's
/// best has fewer than kContextSamples measurements in context; empty
/// when none has.
std::vector<std::pair<size_t, Point>>
contextRound(const std::vector<Task> &tasks) {
  std::vector<std::pair<size_t, Point>> round;
  bool needed = false;
  for (size_t i = 0; i < tasks.size(); ++i) {
    const Task &t = tasks[i];
    const Target *target = TargetRegistry::global().lookup(t.target);
    if ((target && target->modelsKernelCosts()) || t.samples.empty())
      continue;
    round.push_back({i, t.best});
    auto it = t.contextSamples.find(t.best);
    needed |=
        it == t.contextSamples.end() || it->second.size() < kContextSamples;
  }
  if (!needed)
    round.clear();
  return round;
}

/// Sets every task's contextScale from its target's points measured both
/// in the rounds and in context (as hcc-compile --tuning-log does), and
/// finds the tasks' bests again.
void updateContextScales(std::vector<Task> &tasks) {
  std::map<std::string, std::vector<std::pair<double, double>>> pairs;
  for (const Task &t : tasks)
    for (const auto &[p, list] : t.contextSamples)
      if (auto it = t.samples.find(p); it != t.samples.end())
        pairs[t.target].push_back(
            {tuning::median(list), tuning::median(it->second)});
  for (Task &t : tasks) {
    t.contextScale = tuning::contextScale(pairs[t.target]);
    t.refreshBest();
  }
}

/// After a round in which every candidate failed: if the defaults fail
/// too, the device (or the machine) is what broke, not the candidates:
/// stop, keeping what the log holds.
void checkBaseline(Tuner &tuner, const std::string &base) {
  std::map<std::string, std::vector<double>> times;
  std::string error;
  if (tuner.measure(base, times, error))
    return;
  tuner.log.flush();
  die("stopped: every candidate of the last round failed, and so does the "
      "model with the defaults (" +
      error + "); is the device gone? The measurements so far are in '" +
      logPath + "'; run again with it to resume");
}

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
      timeout < 1 || earlyStopping < 0 || confirm < 0 || minRepeatMs < 0 ||
      contextRounds < 0 || !(epsilon >= 0 && epsilon <= 1))
    die("--trials, --min-trials, --threads, --repeat and --timeout must be "
        "positive, --warmup, --early-stopping, --confirm, --context-rounds "
        "and --min-repeat-ms not negative, --epsilon in [0, 1]");
  // What the runtime and hcc-bench accept, checked before the compiling.
  if (threads > 4096 || repeat > 1000000 || warmup > 1000000)
    die("--threads is at most 4096, --repeat and --warmup at most 1000000");
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
    if (llvm::sys::fs::exists(logPath) &&
        !llvm::sys::fs::is_regular_file(logPath))
      die("cannot write the tuning log '" + logPath + "': not a regular file");
    if (std::string why = notALog(logPath, modelPath); !why.empty())
      die("will not append records to '" + logPath + "': " + why);
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
  llvm::SmallString<256> bench(compiler), runner(compiler);
  llvm::sys::path::append(compiler, "hcc-compile");
  llvm::sys::path::append(bench, "hcc-bench");
  llvm::sys::path::append(runner, "hcc-run");
  llvm::SmallString<128> workDir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("hcc-tune", workDir))
    die("cannot create a work directory: " + ec.message());
  workDirectory = std::string(workDir);
  tune::cleanUpOnInterrupt(workDirectory);
  struct Cleanup {
    ~Cleanup() { llvm::sys::fs::remove_directories(workDirectory); }
  } cleanup;

  TunerOptions options;
  options.compiler = std::string(compiler);
  options.bench = benchProgram.empty() ? std::string(bench) : benchProgram;
  options.runner = std::string(runner);
  options.work = std::string(workDir);
  options.model = modelPath;
  options.targets = targetNames;
  options.dims = dims;
  options.targetConfigs = targetConfigs;
  options.threads = threads;
  options.repeat = repeat;
  options.warmup = warmup;
  options.timeout = timeout;
  options.seed = seed;
  Tuner tuner(std::move(options));
  std::string error;
  std::string base = std::string(workDir) + "/base.hccb";
  std::string dump = std::string(workDir) + "/base.json";
  if (!tuner.compile("", base, dump, error))
    die("cannot compile '" + modelPath + "': " + error);
  tuner.baseBundle = base;
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
    printWarnings(warnings);
    for (tuning::TuningRecord &r : records)
      if (!r.remeasure)
        tuner.replayed[{r.workload, r.config}] = std::move(r);
    // Empty, it would mean "not replaying" below: the model would be
    // compiled and measured after all.
    if (tuner.replayed.empty())
      die("--replay: '" + replay + "' has no usable measurement");
    llvm::errs() << "hcc-tune: replaying " << tuner.replayed.size()
                 << " measurements of '" << replay
                 << "' (nothing is compiled or run)\n";
  }
  // Shares of the model's time, from a run with the defaults.
  std::map<std::string, std::vector<double>> times;
  if (tuner.replayed.empty() && (!listTasks || !tasks.empty()) &&
      !tuner.measure(base, times, error)) {
    // The tasks of a device this machine lacks can still be listed.
    if (!listTasks)
      die("cannot run '" + modelPath +
          "' compiled with the defaults: " + error);
    llvm::errs() << "hcc-tune: warning: shares unknown: " << error << "\n";
  }
  if (minRepeatMs > 0 && !times.empty()) {
    // Runs that take --min-repeat-ms at the model's speed with the defaults.
    double run = 0;
    for (const auto &[kernel, samples] : times)
      run += Tuner::robust(samples);
    if (run > 0)
      tuner.setRepeat(static_cast<int>(std::clamp<double>(
          std::ceil(minRepeatMs / 1e3 / run), repeat, 10000)));
  }
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
  printWarnings(warnings);
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
      if (p.empty())
        continue;
      // A point measured again (confirming the best) adds a sample.
      bool again = r.remeasure || t.measured.count(p);
      double seconds = r.ok() ? Tuner::normalized(t, r.cost(), r.baseline) : -1;
      t.record(p, seconds, again, r.context);
      if (!again) {
        tuner.learn(t, p, seconds);
        ++resumed;
      }
      continue;
    }
    tuner.learnRecord(r);
  }
  updateContextScales(tasks);
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

  // The defaults are every task's first trial (measured in the base run);
  // resumed, the base run measures them again.
  if (tuner.replayed.empty())
    tuner.findDevices();
  for (Task &t : tasks)
    if (t.space.accepts(t.defaults) &&
        (tuner.replayed.empty() || !t.measured.count(t.defaults))) {
      std::vector<double> costs = Tuner::taskCosts(t, times);
      tuner.record(t, t.defaults, costs, "", t.measured.count(t.defaults) != 0,
                   false, Tuner::robust(costs));
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
  // The defaults' seconds: the median of their measurements (the first
  // run's alone when they are outside the space).
  auto defaultSeconds = [](const Task &t) {
    double e = t.estimate(t.defaults);
    return std::isfinite(e) ? e : t.defaultSeconds;
  };
  auto status = [&] {
    double defaultTotal = 0, bestTotal = 0, flops = 0;
    for (const Task &t : tasks) {
      defaultTotal += defaultSeconds(t) * t.kernels.size();
      bestTotal +=
          std::min(defaultSeconds(t), t.bestSeconds) * t.kernels.size();
      flops += t.features.flops * t.kernels.size();
    }
    return llvm::formatv(
               "kernel time {0:F2} -> {1:F2} ms ({2:F2}x, {3:F1} GFLOP/s)",
               defaultTotal * 1e3, bestTotal * 1e3,
               bestTotal > 0 ? defaultTotal / bestTotal : 0,
               bestTotal > 0 ? flops / bestTotal / 1e9 : 0)
        .str();
  };
  // Rounds the confirmation and the context measurement take at most,
  // kept from the budget.
  bool confirming = confirm > 0 && tuner.replayed.empty();
  int confirmRounds = confirming ? (confirm + 1) * (kConfirmSamples - 1) : 0;
  int keptRounds =
      confirmRounds + (tuner.replayed.empty() ? contextRounds.getValue() : 0);
  for (;;) {
    if (budget > 0 && elapsed() + keptRounds * tuner.roundSeconds() > budget)
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
    int failedBefore = tuner.failures;
    tuner.evaluate(candidates);
    if (tuner.failures - failedBefore == static_cast<int>(candidates.size()))
      checkBaseline(tuner, base);
    double left = budget > 0 ? std::max(0.0, budget - elapsed()) : -1;
    progress.show(done(), status(), left);
  }
  progress.finish();
  if (confirming) {
    int n = 0;
    for (std::vector<std::pair<size_t, Point>> round;
         !(round = confirmationRound(tasks, confirm)).empty() &&
         n < 4 * confirmRounds && (budget <= 0 || elapsed() < budget);
         ++n) {
      int failedBefore = tuner.failures;
      tuner.evaluate(round, /*remeasure=*/true);
      if (tuner.failures - failedBefore == static_cast<int>(round.size()))
        checkBaseline(tuner, base);
    }
    if (n)
      llvm::errs() << "hcc-tune: " << n
                   << " rounds measured the best candidates again\n";
  }
  if (tuner.replayed.empty() && contextRounds > 0) {
    int n = 0, changed = 0;
    for (std::vector<std::pair<size_t, Point>> round;
         n < contextRounds && (budget <= 0 || elapsed() < budget) &&
         !(round = contextRound(tasks)).empty();
         ++n) {
      int failedBefore = tuner.failures;
      tuner.evaluate(round, /*remeasure=*/true, /*context=*/true);
      if (tuner.failures - failedBefore == static_cast<int>(round.size()))
        checkBaseline(tuner, base);
      updateContextScales(tasks);
      for (const auto &[index, p] : round)
        changed += tasks[index].best != p;
    }
    if (n)
      llvm::errs() << "hcc-tune: " << n
                   << " rounds measured the model with every task at its best"
                   << (changed ? ", " + std::to_string(changed) +
                                     " times a best gave way to the next"
                               : std::string())
                   << "\n";
  }

  llvm::outs() << llvm::format("%-62s %7s %10s %10s %8s %7s\n", "workload",
                               "trials", "default us", "best us", "GFLOP/s",
                               "speedup");
  for (const Task &t : tasks) {
    double base = defaultSeconds(t), best = std::min(t.bestSeconds, base);
    llvm::outs() << llvm::format(
        "%-62s %7d %10.1f %10.1f %8.1f %6.2fx\n", t.workload.c_str(), t.trials,
        base * 1e6, best * 1e6, t.gflops(best), best > 0 ? base / best : 1.0);
  }
  llvm::outs() << status() << "; " << tuner.failures
               << " failed candidates; log: " << logPath << "\n";
  return 0;
}
