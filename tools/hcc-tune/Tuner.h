//===- Tuner.h - hcc-tune's measurements and what it learns from them -----===//
//
// The Tuner compiles candidates (hcc-compile, a child process, with the
// round's configurations as a tuning log) and measures them (hcc-bench, a
// child process, each kernel timed by the runtime's trace), records every
// outcome in the tasks and the log, and keeps the training data of the
// ranking models.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_TOOLS_HCC_TUNE_TUNER_H
#define HCC_TOOLS_HCC_TUNE_TUNER_H

#include "Ranker.h"
#include "Tasks.h"

#include "hcc/Tuning/TuningLog.h"

#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace hcc {
namespace tune {

struct TunerOptions {
  std::string compiler, bench, runner; // hcc-compile, hcc-bench, hcc-run
  std::string work;                    // a scratch directory
  std::string model;
  std::string targets;           // hcc-compile --targets ("": the host's)
  std::vector<std::string> dims; // hcc-compile --dim
  /// hcc-compile --target-config, before the tuning rounds' own.
  std::vector<std::string> targetConfigs;
  int threads = 1, repeat = 10, warmup = 2;
  int timeout = 300; // seconds per child process
  unsigned seed = 1;
};

class Tuner {
public:
  explicit Tuner(TunerOptions options);

  std::vector<Task> tasks;
  int untunable = 0;
  int failures = 0;
  std::ofstream log;
  /// The model compiled with the defaults (the first run's bundle).
  std::string baseBundle;
  std::mt19937_64 rng;
  /// Target -> its ranking model.
  std::map<std::string, Ranker> rankers;
  /// --replay: (workload, configuration) -> its record.
  std::map<std::pair<std::string, std::map<std::string, int64_t>>,
           tuning::TuningRecord>
      replayed;

  /// hcc-compile with `log` applied (none: ""), into `bundle`, with the
  /// placement dumped to `dump` (none: ""); false with the compiler's last
  /// line in `error`.
  bool compile(const std::string &log, const std::string &bundle,
               const std::string &dump, std::string &error);
  /// Per kernel of `bundle`: seconds per measured run.
  bool measure(const std::string &bundle,
               std::map<std::string, std::vector<double>> &times,
               std::string &error);
  /// Names the device each target's kernels run on in the log's records
  /// (the runtime's first device of the target's kind, from hcc-run
  /// --list-devices; the host processor's name otherwise).
  void findDevices();

  /// A task's seconds per run (mean over its kernels) in each run.
  static std::vector<double>
  taskCosts(const Task &task,
            const std::map<std::string, std::vector<double>> &times);
  /// The outlier-robust median of a measurement's runs (0: none).
  static double robust(const std::vector<double> &costs);

  /// Records a measurement of `p` (costs empty: failed with `error`) in
  /// its task, the ranking data and the log; `baseline`: the seconds of
  /// the task's defaults measured in the same minutes (0: none), which the
  /// task compares it through (normalized to its first run's defaults).
  void record(Task &task, const Point &p, const std::vector<double> &costs,
              const std::string &error, bool remeasure = false,
              bool context = false, double baseline = 0);
  /// `seconds` of `task` as if measured when its defaults took their first
  /// run's time (the log's cost over `baseline`; as is without one).
  static double normalized(const Task &task, double seconds, double baseline);
  /// Measures `candidates` (task index -> point) in one bundle; on a
  /// failure, each alone. Then the model with the defaults (baseBundle),
  /// the baseline of each measurement. Records every outcome; `remeasure`:
  /// points measured before, measured again; `context`: the candidates are
  /// every task's best (what they measure in one bundle is in context; so
  /// is the defaults' run, recorded too).
  void evaluate(const std::vector<std::pair<size_t, Point>> &candidates,
                bool remeasure = false, bool context = false);
  /// Measured runs per candidate from now on (--repeat).
  void setRepeat(int runs) { options.repeat = runs; }
  /// Mean seconds of the rounds run so far (compile and measure); 0 if none.
  double roundSeconds() const { return rounds ? roundTotal / rounds : 0; }

  void trainRankers();
  /// Remembers a measurement as training data of the ranking model.
  void learn(const Task &task, const Point &p, double seconds);
  /// Learns from a record of another run (a transfer log).
  void learnRecord(const tuning::TuningRecord &r);

private:
  /// Compiles and measures `candidates`, then (unless they are all the
  /// defaults) the base bundle into `baseTimes` (left empty if that run
  /// fails: the round's measurements keep no baseline).
  bool runRound(const std::vector<std::pair<size_t, Point>> &candidates,
                std::map<std::string, std::vector<double>> &times,
                std::map<std::string, std::vector<double>> &baseTimes,
                std::string &error);
  /// Runs a child (with `env` added to the environment) under the
  /// timeout; its output goes to `out` (default: a file whose last line
  /// explains a failure).
  bool runChild(const std::vector<std::string> &args, std::string &error,
                const std::string &env = "", std::string out = "");

  TunerOptions options;
  /// Target -> the device its kernels are measured on.
  std::map<std::string, std::string> devices;
  std::string hostDevice;
  /// workload -> (target, [(features, seconds or -1)]).
  std::map<std::string,
           std::pair<std::string,
                     std::vector<std::pair<std::vector<float>, double>>>>
      history;
  int rounds = 0;
  double roundTotal = 0;
};

} // namespace tune
} // namespace hcc

#endif // HCC_TOOLS_HCC_TUNE_TUNER_H
