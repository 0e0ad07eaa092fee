//===- Ranker.h - The tuner's learned ranking of configurations -*- C++ -*-===//
//
// Gradient-boosted trees (XGBoost, pairwise rank objective) over a
// configuration's knob values and its kernel's features, trained on what
// has been measured: within each task, faster configurations rank higher.
// One model serves every task, so that what one shape taught carries to
// others (and records of earlier logs, of other models, train it too).
//
//===----------------------------------------------------------------------===//
#ifndef HCC_TOOLS_TUNE_RANKER_H
#define HCC_TOOLS_TUNE_RANKER_H

#include <cstdint>
#include <string>
#include <vector>

namespace hcc {
namespace tune {

class Ranker {
public:
  struct Row {
    std::vector<float> x;
    /// Relevance within the group: best seconds / seconds (failed: 0).
    float label = 0;
  };
  /// Rows of one task (configurations of one workload).
  using Group = std::vector<Row>;

  Ranker() = default;
  ~Ranker();
  Ranker(const Ranker &) = delete;
  Ranker &operator=(const Ranker &) = delete;

  /// Retrains from scratch on `groups` (those with at least two rows).
  bool train(const std::vector<Group> &groups, int rounds, uint64_t seed,
             std::string &error);
  bool trained() const { return booster != nullptr; }
  /// Scores (higher: predicted faster) of feature vectors.
  bool score(const std::vector<std::vector<float>> &xs,
             std::vector<float> &scores, std::string &error) const;

private:
  void *booster = nullptr;
  size_t columns = 0;
};

} // namespace tune
} // namespace hcc

#endif
