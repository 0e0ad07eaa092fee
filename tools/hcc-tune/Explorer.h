//===- Explorer.h - Which configuration hcc-tune measures next --*- C++ -*-===//
//
// Proposes the next point of a task's search space: with a trained
// ranking model, the best unmeasured point that simulated annealing over
// the model's scores finds (parallel chains started from the best
// measured points and random ones), except with probability epsilon a
// random unmeasured point (exploration, and what the model cannot know).
// Without a model, random points. Never a point the space's constraint
// rejects, never one measured before.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_TOOLS_TUNE_EXPLORER_H
#define HCC_TOOLS_TUNE_EXPLORER_H

#include "Ranker.h"
#include "Tasks.h"

#include <random>

namespace hcc {
namespace tune {

struct ExplorerOptions {
  double epsilon = 0.1;
  int chains = 16;
  int steps = 60;
};

/// The ranking model's input for `point` of `task`: every knob of the
/// task's target (the point's value for knobs in the space, else the
/// default), log-scaled, then the kernel's features.
std::vector<float> rankFeatures(const Task &task, const Point &point);

/// A random valid point of `task` not measured yet; empty when none is
/// left (or none was found in a bounded number of draws).
Point randomPoint(const Task &task, std::mt19937_64 &rng);

/// The first valid point of `task` not measured yet, in enumeration order
/// (exhaustive search); empty when none is left.
Point nextPoint(const Task &task);
/// How many valid points `task`'s space has (enumerated; spaces larger
/// than 2^16 points are not, and count as their size).
uint64_t validPoints(const Task &task);

/// The next point to measure; empty when the space is exhausted.
Point propose(const Task &task, const Ranker *ranker, std::mt19937_64 &rng,
              const ExplorerOptions &options);

} // namespace tune
} // namespace hcc

#endif
