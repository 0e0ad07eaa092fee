//===- Tasks.h - What hcc-tune tunes: one task per workload -----*- C++ -*-===//
//
// A task is a workload of the model (kernels that differ only in their
// names and weights share one) on one target: its kernels in the bundle,
// its features (kind and shapes, for the ranking model), the target's
// search space for it, and the search's state.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_TOOLS_TUNE_TASKS_H
#define HCC_TOOLS_TUNE_TASKS_H

#include "hcc/CostModel/Features.h"
#include "hcc/Target/Target.h"

#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace hcc {
namespace tune {

using Point = std::vector<int64_t>; // one value per knob of the space

struct Task {
  std::string workload, target;
  std::vector<std::string> kernels;
  cost::KernelFeatures features;
  /// The target's configuration the space is for (null: the defaults).
  mlir::DictionaryAttr targetConfig;
  SearchSpace space;
  /// The point of the target's default knob values.
  Point defaults;
  /// Seconds per run of one of its kernels with the defaults, and the
  /// task's share of the model's kernel time (all its kernels).
  double defaultSeconds = 0, share = 0;
  /// Trials this task may take, and what it has taken (resumed ones too).
  int allowance = 0, trials = 0;
  /// Measured (or failed) points; the seconds of each measurement of a
  /// point in the rounds (re-measurements too; failures leave none), and
  /// in context (the model with every task at its best); the best point by
  /// estimate().
  std::set<Point> measured;
  std::map<Point, std::vector<double>> samples, contextSamples;
  /// tuning::contextScale of the model's tasks of this target.
  double contextScale = 1;
  Point best;
  double bestSeconds = std::numeric_limits<double>::infinity();
  /// Trials since the best improved; the task closes when its allowance,
  /// its space or its patience (early stopping) runs out.
  int sinceImprovement = 0;
  bool open = true;
  /// No valid point is left to measure.
  bool exhausted = false;

  /// The knobs of a point (space order) as a configuration.
  std::map<std::string, int64_t> config(const Point &p) const;
  /// The point of `config` if it names every knob of the space with one of
  /// its values, else an empty point.
  Point pointOf(const std::map<std::string, int64_t> &config) const;
  /// Records a trial (seconds <= 0 or inf: failed); true if it is the new
  /// best. A trial of a point measured before (`remeasure`) adds to its
  /// samples without counting as a trial; one in `context`, to its
  /// context samples instead.
  bool record(const Point &p, double seconds, bool remeasure = false,
              bool context = false);
  /// Finds the best point again (after contextScale changed).
  void refreshBest();
  /// A point's seconds: the median of its measurements in context if it
  /// has some, else of the others times contextScale (+inf: none), as
  /// tuning::measuredConfigs takes it.
  double estimate(const Point &p) const;
  /// Measured points, the fastest (by estimate) first.
  std::vector<Point> ranked() const;
  /// GFLOP/s of one kernel at `seconds` (0 when the kernel has no FLOPs).
  double gflops(double seconds) const;
};

/// The context target configurations (Task::targetConfig) live in.
mlir::MLIRContext *configContext();

/// Tasks from hcc-compile --dump-placement: the kernels grouped by
/// workload, each with its target's search space; kernels whose target
/// has nothing to tune for them are left out (`untunable` counts them).
bool readTasks(const std::string &placementJson, std::vector<Task> &tasks,
               int &untunable, std::string &error);

/// Keeps only the knobs named in `keep` in every task's space (the others
/// stay at their defaults); tasks left without a knob are dropped (counted
/// in `untunable`).
void restrictKnobs(std::vector<Task> &tasks, const std::set<std::string> &keep,
                   int &untunable);

} // namespace tune
} // namespace hcc

#endif
