//===- TuningLog.cpp - Tuning records as JSON lines -----------------------===//

#include "hcc/Tuning/TuningLog.h"

#include "dialects/Exec/IR/ExecDialect.h"
#include "hcc/CostModel/Dataset.h"
#include "hcc/Support/Files.h"
#include "hcc/Support/JSON.h"
#include "hcc/Target/Target.h"
#include "hcc/Tuning/Workload.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>
#include <set>

using namespace mlir;

namespace hcc {
namespace tuning {

namespace {
/// A log line longer than this is not a record (a damaged file).
constexpr size_t kMaxLineBytes = 1 << 20;

std::string nowIso8601() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

/// Parses one line; an empty result is success.
std::string parseRecord(llvm::StringRef line, TuningRecord &r) {
  llvm::Expected<llvm::json::Value> value = hcc::parseJSON(line);
  if (!value)
    return "not JSON (" + llvm::toString(value.takeError()) + ")";
  const llvm::json::Object *o = value->getAsObject();
  if (!o)
    return "not a JSON object";
  std::optional<int64_t> version = o->getInteger("version");
  if (!version)
    return "no integer 'version'";
  if (*version != kLogFormatVersion)
    return "record format version " + std::to_string(*version) +
           " (this hcc reads version " + std::to_string(kLogFormatVersion) +
           ")";
  auto text = [&](llvm::StringRef key, std::string &out,
                  bool required) -> bool {
    if (std::optional<llvm::StringRef> s = o->getString(key)) {
      out = s->str();
      return true;
    }
    return !required && !o->get(key);
  };
  for (auto [key, field, required] : {std::tuple{"workload", &r.workload, true},
                                      std::tuple{"target", &r.target, true},
                                      std::tuple{"device", &r.device, false},
                                      std::tuple{"error", &r.error, false},
                                      std::tuple{"time", &r.time, false},
                                      std::tuple{"hcc", &r.hccVersion, false}})
    if (!text(key, *field, required))
      return std::string(required ? "no string '" : "'") + key +
             (required ? "'" : "' is not a string");
  const Target *target = TargetRegistry::global().lookup(r.target);
  if (!target)
    return "unknown target '" + r.target +
           "' (registered targets: " + TargetRegistry::global().names() + ")";
  // "opencl/gpu:graph.conv:...": the workload's target before its class.
  llvm::StringRef keyTarget =
      llvm::StringRef(r.workload).split(':').first.split('/').first;
  if (keyTarget != r.target)
    return "target '" + r.target + "' is not the workload's ('" +
           keyTarget.str() + "')";
  const llvm::json::Object *config = o->getObject("config");
  if (!config)
    return "no object 'config'";
  llvm::ArrayRef<KnobSpec> specs = target->knobs();
  for (const auto &entry : *config) {
    const llvm::json::ObjectKey &key = entry.first;
    const llvm::json::Value &v = entry.second;
    auto spec = llvm::find_if(
        specs, [&](const KnobSpec &s) { return s.name == key.str(); });
    if (spec == specs.end())
      return "target '" + r.target + "' has no knob '" + key.str() + "'";
    std::optional<int64_t> n = v.getAsInteger();
    if (!n)
      return "knob '" + key.str() + "' is not an integer";
    if (!spec->accepts(*n))
      return "knob '" + key.str() + "' = " + std::to_string(*n) +
             " is outside its range [" + std::to_string(spec->min) + ", " +
             std::to_string(spec->max) + "]" +
             (spec->powerOfTwo ? " of powers of two" : "");
    r.config[key.str()] = *n;
  }
  if (const llvm::json::Value *costs = o->get("costs")) {
    const llvm::json::Array *list = costs->getAsArray();
    if (!list)
      return "'costs' is not an array";
    for (const llvm::json::Value &c : *list) {
      std::optional<double> s = c.getAsNumber();
      if (!s || !std::isfinite(*s) || *s <= 0)
        return "'costs' holds something other than positive seconds";
      r.costs.push_back(*s);
    }
  }
  if (r.error.empty() && r.costs.empty())
    return "neither 'costs' nor 'error'";
  if (const llvm::json::Value *again = o->get("remeasure")) {
    std::optional<bool> b = again->getAsBoolean();
    if (!b)
      return "'remeasure' is not a boolean";
    r.remeasure = *b;
  }
  if (const llvm::json::Value *inContext = o->get("context")) {
    std::optional<bool> b = inContext->getAsBoolean();
    if (!b)
      return "'context' is not a boolean";
    r.context = *b;
  }
  if (const llvm::json::Value *b = o->get("baseline")) {
    std::optional<double> s = b->getAsNumber();
    if (!s || !std::isfinite(*s) || *s <= 0)
      return "'baseline' is not positive seconds";
    r.baseline = *s;
  }
  if (const llvm::json::Value *f = o->get("features")) {
    std::string problem;
    if (!f->getAsObject() ||
        !cost::featuresFromJson(*f->getAsObject(), r.features, problem))
      return "'features': " + (problem.empty() ? "not an object" : problem);
    r.hasFeatures = true;
  }
  return "";
}
} // namespace

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double TuningRecord::cost() const {
  return ok() ? median(costs) : std::numeric_limits<double>::infinity();
}

bool readTuningLog(const std::string &path, std::vector<TuningRecord> &records,
                   std::vector<std::string> &warnings, std::string &error) {
  auto file = readInputFile(path);
  if (!file) {
    error = "cannot read tuning log '" + path +
            "': " + llvm::toString(file.takeError());
    return false;
  }
  forEachLogLine((*file)->getBuffer(), [&](int lineNo, llvm::StringRef line) {
    std::string where = path + ":" + std::to_string(lineNo);
    TuningRecord r;
    std::string problem = line.size() > kMaxLineBytes
                              ? std::string("line longer than 1 MiB")
                              : parseRecord(line, r);
    if (!problem.empty()) {
      warnings.push_back(where + ": skipped: " + problem);
      return true;
    }
    r.origin = where;
    records.push_back(std::move(r));
    return true;
  });
  return true;
}

void forEachLogLine(llvm::StringRef text,
                    llvm::function_ref<bool(int, llvm::StringRef)> fn) {
  text.consume_front("\xEF\xBB\xBF"); // a UTF-8 byte-order mark
  for (int lineNo = 1; !text.empty(); ++lineNo) {
    auto [line, tail] = text.split('\n');
    text = tail;
    line = line.trim();
    if (!line.empty() && !fn(lineNo, line))
      return;
  }
}

std::string formatRecord(const TuningRecord &r) {
  llvm::json::Object config;
  for (const auto &[k, v] : r.config)
    config[k] = v;
  llvm::json::Array costs;
  for (double c : r.costs)
    costs.push_back(c);
  llvm::json::Object o{{"version", kLogFormatVersion},
                       {"hcc", HCC_VERSION_STRING},
                       {"workload", r.workload},
                       {"target", r.target},
                       {"device", r.device},
                       {"config", std::move(config)},
                       {"costs", std::move(costs)},
                       {"error", r.error},
                       {"time", r.time.empty() ? nowIso8601() : r.time}};
  if (r.hasFeatures)
    o["features"] = cost::featuresToJson(r.features);
  if (r.remeasure)
    o["remeasure"] = true;
  if (r.context)
    o["context"] = true;
  if (r.baseline > 0)
    o["baseline"] = r.baseline;
  std::string line;
  llvm::raw_string_ostream os(line);
  os << llvm::json::Value(std::move(o)) << "\n";
  return line;
}

double normalizedSeconds(double seconds, double baseline, double reference) {
  return seconds > 0 && baseline > 0 && reference > 0
             ? seconds * reference / baseline
             : seconds;
}

double normalizedCost(const TuningRecord &record, double reference) {
  return normalizedSeconds(record.cost(), record.baseline, reference);
}

double contextScale(const std::vector<std::pair<double, double>> &pairs) {
  std::vector<double> ratios;
  for (const auto &[inContext, alone] : pairs)
    if (inContext > 0 && alone > 0)
      ratios.push_back(inContext / alone);
  return ratios.empty() ? 1.0 : median(std::move(ratios));
}

std::map<std::string, std::vector<MeasuredConfig>>
measuredConfigs(const std::vector<TuningRecord> &records) {
  // (workload, configuration) -> the costs of its records in the rounds,
  // and of those in context.
  std::map<std::pair<std::string, std::map<std::string, int64_t>>,
           std::pair<std::vector<double>, std::vector<double>>>
      byConfig;
  // Workload -> its target with its workload class ("opencl/gpu"): kernels
  // of one kind of code share a context penalty.
  std::map<std::string, std::string> targetOf;
  // Workload -> the median of its records' baselines: costs are compared
  // as measured at that speed of the machine.
  std::map<std::string, std::vector<double>> baselines;
  for (const TuningRecord &r : records)
    if (r.ok() && r.baseline > 0)
      baselines[r.workload].push_back(r.baseline);
  std::map<std::string, double> reference;
  for (auto &[workload, list] : baselines)
    reference[workload] = median(std::move(list));
  for (const TuningRecord &r : records)
    if (r.ok()) {
      auto &costs = byConfig[{r.workload, r.config}];
      (r.context ? costs.second : costs.first)
          .push_back(normalizedCost(r, reference[r.workload]));
      targetOf[r.workload] = r.workload.substr(0, r.workload.find(':'));
    }
  // Target -> (in context, in the rounds) of the configurations measured
  // both ways.
  std::map<std::string, std::vector<std::pair<double, double>>> pairs;
  for (const auto &[key, costs] : byConfig)
    if (!costs.first.empty() && !costs.second.empty())
      pairs[targetOf[key.first]].push_back(
          {median(costs.second), median(costs.first)});
  std::map<std::string, std::vector<MeasuredConfig>> result;
  for (auto &[key, costs] : byConfig)
    result[key.first].push_back(
        {key.second,
         !costs.second.empty()
             ? median(costs.second)
             : median(costs.first) * contextScale(pairs[targetOf[key.first]])});
  for (auto &[workload, configs] : result)
    std::stable_sort(configs.begin(), configs.end(),
                     [](const MeasuredConfig &a, const MeasuredConfig &b) {
                       return a.seconds < b.seconds;
                     });
  return result;
}

namespace {
/// `kernel`'s knobs with `config` set over them.
DictionaryAttr knobsWith(func::FuncOp kernel,
                         const std::map<std::string, int64_t> &config) {
  Builder b(kernel.getContext());
  std::map<std::string, Attribute> knobs;
  if (auto dict = kernel->getAttrOfType<DictionaryAttr>(exec::kKnobsAttrName))
    for (NamedAttribute entry : dict)
      knobs[entry.getName().str()] = entry.getValue();
  for (const auto &[k, v] : config)
    knobs[k] = b.getI64IntegerAttr(v);
  SmallVector<NamedAttribute> entries;
  for (const auto &[k, v] : knobs)
    entries.push_back(b.getNamedAttr(k, v));
  return b.getDictionaryAttr(entries);
}

/// `{config = {...}, seconds = S}` for each configuration.
ArrayAttr tunedOptions(MLIRContext *ctx,
                       const std::vector<MeasuredConfig> &configs) {
  Builder b(ctx);
  SmallVector<Attribute> options;
  for (const MeasuredConfig &c : configs) {
    SmallVector<NamedAttribute> knobs;
    for (const auto &[k, v] : c.config)
      knobs.push_back(b.getNamedAttr(k, b.getI64IntegerAttr(v)));
    options.push_back(b.getDictionaryAttr(
        {b.getNamedAttr("config", b.getDictionaryAttr(knobs)),
         b.getNamedAttr("seconds", b.getF64FloatAttr(c.seconds))}));
  }
  return b.getArrayAttr(options);
}
} // namespace

ApplyReport applyTuning(ModuleOp module,
                        const std::vector<TuningRecord> &records) {
  std::map<std::string, std::vector<MeasuredConfig>> measured =
      measuredConfigs(records);
  ApplyReport report;
  std::set<std::string> tuned, untuned;
  for (KernelWorkload &kw : collectKernelWorkloads(module)) {
    ++report.kernels;
    auto it = measured.find(kw.workload.key);
    if (it == measured.end()) {
      untuned.insert(kw.workload.key);
      continue;
    }
    ++report.tunedKernels;
    tuned.insert(kw.workload.key);
    const Target *target = TargetRegistry::global().lookup(kw.workload.target);
    if (target && target->choosesAmongTunedConfigs())
      kw.kernel->setAttr(exec::kTunedOptionsAttrName,
                         tunedOptions(module.getContext(), it->second));
    else
      kw.kernel->setAttr(exec::kKnobsAttrName,
                         knobsWith(kw.kernel, it->second.front().config));
  }
  report.tuned.assign(tuned.begin(), tuned.end());
  report.untuned.assign(untuned.begin(), untuned.end());
  return report;
}

} // namespace tuning
} // namespace hcc
