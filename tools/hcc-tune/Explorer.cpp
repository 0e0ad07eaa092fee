//===- Explorer.cpp - Which configuration hcc-tune measures next ----------===//

#include "Explorer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

namespace hcc {
namespace tune {

namespace {
/// Spaces up to this many points are enumerated (exact random draws and
/// exhaustion); larger ones are sampled.
constexpr uint64_t kEnumerable = 1 << 16;
/// Draws before a sampled space counts as exhausted.
constexpr int kDraws = 4096;

/// Every valid, unmeasured point of a small space (the first `limit`).
std::vector<Point> openPoints(const Task &task, size_t limit = SIZE_MAX) {
  std::vector<Point> out;
  const std::vector<KnobChoices> &knobs = task.space.knobs;
  std::vector<size_t> index(knobs.size(), 0);
  Point p(knobs.size());
  for (;;) {
    for (size_t i = 0; i < knobs.size(); ++i)
      p[i] = knobs[i].values[index[i]];
    if (task.space.accepts(p) && !task.measured.count(p)) {
      out.push_back(p);
      if (out.size() == limit)
        return out;
    }
    size_t i = 0;
    for (; i < knobs.size(); ++i) {
      if (++index[i] < knobs[i].values.size())
        break;
      index[i] = 0;
    }
    if (i == knobs.size())
      return out;
  }
}

Point drawPoint(const Task &task, std::mt19937_64 &rng) {
  Point p;
  for (const KnobChoices &k : task.space.knobs)
    p.push_back(k.values[rng() % k.values.size()]);
  return p;
}

/// `p` with one knob moved to another of its values (a neighbour).
Point mutate(const Task &task, Point p, std::mt19937_64 &rng) {
  const std::vector<KnobChoices> &knobs = task.space.knobs;
  size_t i = rng() % knobs.size();
  const std::vector<int64_t> &values = knobs[i].values;
  if (values.size() < 2)
    return p;
  auto at = std::find(values.begin(), values.end(), p[i]) - values.begin();
  // Mostly an adjacent value (a small step), sometimes any.
  int64_t next;
  if (rng() % 4) {
    next = at + ((rng() % 2) ? 1 : -1);
    if (next < 0 || next >= static_cast<int64_t>(values.size()))
      next = at + (next < 0 ? 1 : -1);
  } else {
    next = (at + 1 + rng() % (values.size() - 1)) % values.size();
  }
  p[i] = values[next];
  return p;
}
} // namespace

std::vector<float> rankFeatures(const Task &task, const Point &point) {
  std::vector<float> x;
  const Target *target = TargetRegistry::global().lookup(task.target);
  std::map<std::string, int64_t> config = task.config(point);
  if (target)
    for (const KnobSpec &spec : target->knobs()) {
      auto it = config.find(spec.name);
      double v = it != config.end() ? it->second : spec.defaultValue;
      x.push_back(static_cast<float>(std::log2(1.0 + std::max(0.0, v))));
    }
  for (float f : task.features.vector())
    x.push_back(f);
  return x;
}

Point nextPoint(const Task &task) {
  std::vector<Point> open = openPoints(task, 1);
  return open.empty() ? Point() : open.front();
}

uint64_t validPoints(const Task &task) {
  if (task.space.size() > kEnumerable)
    return task.space.size();
  Task all = task;
  all.measured.clear();
  return openPoints(all).size();
}

Point randomPoint(const Task &task, std::mt19937_64 &rng) {
  if (task.space.size() <= kEnumerable) {
    std::vector<Point> open = openPoints(task);
    return open.empty() ? Point() : open[rng() % open.size()];
  }
  for (int i = 0; i < kDraws; ++i) {
    Point p = drawPoint(task, rng);
    if (task.space.accepts(p) && !task.measured.count(p))
      return p;
  }
  return {};
}

Point propose(const Task &task, const Ranker *ranker, std::mt19937_64 &rng,
              const ExplorerOptions &options) {
  std::uniform_real_distribution<double> unit(0, 1);
  if (!ranker || !ranker->trained() || unit(rng) < options.epsilon)
    return randomPoint(task, rng);

  // Chains start from the best measured points, then random valid ones.
  std::vector<Point> chains;
  if (!task.best.empty())
    chains.push_back(task.best);
  for (int tries = 0;
       static_cast<int>(chains.size()) < options.chains && tries < kDraws;
       ++tries) {
    Point p = drawPoint(task, rng);
    if (task.space.accepts(p))
      chains.push_back(p);
  }
  if (chains.empty())
    return randomPoint(task, rng);
  auto scoreAll = [&](const std::vector<Point> &points,
                      std::vector<float> &scores) {
    std::vector<std::vector<float>> xs;
    for (const Point &p : points)
      xs.push_back(rankFeatures(task, p));
    std::string error;
    return ranker->score(xs, scores, error) && scores.size() == points.size();
  };
  std::vector<float> current;
  if (!scoreAll(chains, current))
    return randomPoint(task, rng);
  std::map<Point, float> seen;
  for (size_t i = 0; i < chains.size(); ++i)
    if (!task.measured.count(chains[i]))
      seen[chains[i]] = current[i];
  // Temperature on the scale of the model's scores.
  float lo = *std::min_element(current.begin(), current.end());
  float hi = *std::max_element(current.begin(), current.end());
  double temperature = std::max(1e-3, static_cast<double>(hi - lo));
  for (int step = 0; step < options.steps; ++step) {
    std::vector<Point> next;
    for (const Point &p : chains) {
      Point q = mutate(task, p, rng);
      next.push_back(task.space.accepts(q) ? q : p);
    }
    std::vector<float> scores;
    if (!scoreAll(next, scores))
      break;
    for (size_t i = 0; i < chains.size(); ++i) {
      if (!task.measured.count(next[i]))
        seen[next[i]] = scores[i];
      double delta = scores[i] - current[i];
      if (delta >= 0 || unit(rng) < std::exp(delta / temperature)) {
        chains[i] = next[i];
        current[i] = scores[i];
      }
    }
    temperature *= 0.93;
  }
  if (seen.empty())
    return randomPoint(task, rng);
  return std::max_element(
             seen.begin(), seen.end(),
             [](const auto &a, const auto &b) { return a.second < b.second; })
      ->first;
}

} // namespace tune
} // namespace hcc
