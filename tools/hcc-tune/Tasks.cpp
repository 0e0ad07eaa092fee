//===- Tasks.cpp - What hcc-tune tunes: one task per workload -------------===//

#include "Tasks.h"

#include "hcc/CostModel/Dataset.h"
#include "hcc/Support/JSON.h"
#include "hcc/Tuning/TuningLog.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cmath>

namespace hcc {
namespace tune {

mlir::MLIRContext *configContext() {
  // Target configurations hold builtin attributes only.
  static mlir::MLIRContext context;
  return &context;
}

std::map<std::string, int64_t> Task::config(const Point &p) const {
  std::map<std::string, int64_t> c;
  for (size_t i = 0; i < p.size() && i < space.knobs.size(); ++i)
    c[space.knobs[i].name] = p[i];
  return c;
}

Point Task::pointOf(const std::map<std::string, int64_t> &config) const {
  // The defaults are a point whether or not the space lists their values
  // (a record of them resumes as their trial).
  if (!defaults.empty() && config == this->config(defaults))
    return defaults;
  Point p;
  for (const KnobChoices &k : space.knobs) {
    auto it = config.find(k.name);
    if (it == config.end() || !llvm::is_contained(k.values, it->second))
      return {};
    p.push_back(it->second);
  }
  return p;
}

bool Task::record(const Point &p, double seconds, bool remeasure,
                  bool context) {
  if (!remeasure && measured.insert(p).second)
    ++trials;
  if (seconds > 0 && std::isfinite(seconds))
    (context ? contextSamples : samples)[p].push_back(seconds);
  // A re-measurement can make the best point slower than another.
  double before = bestSeconds;
  refreshBest();
  // Improvements within the noise do not reset the patience.
  if (!remeasure) {
    if (bestSeconds < before * 0.99)
      sinceImprovement = 0;
    else
      ++sinceImprovement;
  }
  return bestSeconds < before;
}

void Task::refreshBest() {
  bestSeconds = std::numeric_limits<double>::infinity();
  for (const auto &[q, list] : samples)
    if (double e = estimate(q); e < bestSeconds) {
      bestSeconds = e;
      best = q;
    }
}

double Task::estimate(const Point &p) const {
  if (auto it = contextSamples.find(p); it != contextSamples.end())
    return tuning::median(it->second);
  auto it = samples.find(p);
  return it == samples.end() ? std::numeric_limits<double>::infinity()
                             : tuning::median(it->second) * contextScale;
}

std::vector<Point> Task::ranked() const {
  std::vector<std::pair<double, Point>> order;
  for (const auto &[p, list] : samples)
    order.push_back({estimate(p), p});
  std::sort(order.begin(), order.end());
  std::vector<Point> points;
  for (auto &[seconds, p] : order)
    points.push_back(std::move(p));
  return points;
}

double Task::gflops(double seconds) const {
  return seconds > 0 ? features.flops / seconds / 1e9 : 0;
}

bool readTasks(const std::string &path, std::vector<Task> &tasks,
               int &untunable, std::string &error) {
  auto file = llvm::MemoryBuffer::getFile(path);
  if (!file) {
    error = "cannot read '" + path + "': " + file.getError().message();
    return false;
  }
  llvm::Expected<llvm::json::Value> json = hcc::parseJSON((*file)->getBuffer());
  if (!json) {
    error = "'" + path + "': " + llvm::toString(json.takeError());
    return false;
  }
  const llvm::json::Object *root = json->getAsObject();
  const llvm::json::Array *kernels = root ? root->getArray("kernels") : nullptr;
  if (!kernels) {
    error = "'" + path + "' has no kernel list";
    return false;
  }
  std::map<std::string, size_t> byWorkload;
  untunable = 0;
  for (const llvm::json::Value &v : *kernels) {
    const llvm::json::Object *k = v.getAsObject();
    auto name = k ? k->getString("name") : std::nullopt;
    auto target = k ? k->getString("target") : std::nullopt;
    auto workload = k ? k->getString("workload") : std::nullopt;
    const llvm::json::Object *features = k ? k->getObject("features") : nullptr;
    if (!name || !target || !workload || !features) {
      error = "'" + path +
              "': a kernel without name, target, workload or "
              "features";
      return false;
    }
    auto it = byWorkload.find(workload->str());
    if (it != byWorkload.end()) {
      tasks[it->second].kernels.push_back(name->str());
      continue;
    }
    Task t;
    t.workload = workload->str();
    t.target = target->str();
    t.kernels.push_back(name->str());
    if (!cost::featuresFromJson(*features, t.features, error)) {
      error = "'" + path + "': kernel '" + name->str() + "': " + error;
      return false;
    }
    if (auto text = k->getString("target_config")) {
      t.targetConfig = llvm::dyn_cast_if_present<mlir::DictionaryAttr>(
          mlir::parseAttribute(*text, configContext()));
      if (!t.targetConfig) {
        error = "'" + path + "': kernel '" + name->str() +
                "': target_config '" + text->str() + "' is not a dictionary";
        return false;
      }
    }
    const Target *tgt = TargetRegistry::global().lookup(t.target);
    if (tgt)
      t.space = tgt->searchSpace(t.features, t.targetConfig);
    if (!tgt || t.space.empty()) {
      ++untunable;
      continue;
    }
    for (const KnobChoices &c : t.space.knobs)
      t.defaults.push_back(findKnob(tgt->knobs(), c.name).defaultValue);
    byWorkload[t.workload] = tasks.size();
    tasks.push_back(std::move(t));
  }
  return true;
}

void restrictKnobs(std::vector<Task> &tasks, const std::set<std::string> &keep,
                   int &untunable) {
  std::vector<Task> kept;
  for (Task &t : tasks) {
    std::vector<size_t> positions; // of the kept knobs in the full space
    for (size_t i = 0; i < t.space.knobs.size(); ++i)
      if (keep.count(t.space.knobs[i].name))
        positions.push_back(i);
    if (positions.empty()) {
      untunable += t.kernels.size();
      continue;
    }
    SearchSpace full = t.space;
    Point fullDefaults = t.defaults;
    t.space.knobs.clear();
    t.defaults.clear();
    for (size_t i : positions) {
      t.space.knobs.push_back(full.knobs[i]);
      t.defaults.push_back(fullDefaults[i]);
    }
    if (full.valid)
      t.space.valid = [full, fullDefaults,
                       positions](llvm::ArrayRef<int64_t> p) {
        Point whole = fullDefaults;
        for (size_t j = 0; j < positions.size(); ++j)
          whole[positions[j]] = p[j];
        return full.valid(whole);
      };
    kept.push_back(std::move(t));
  }
  tasks = std::move(kept);
}

} // namespace tune
} // namespace hcc
