//===- CostModel.cpp - learned kernel and transfer costs ------------------===//

#include "hcc/CostModel/CostModel.h"

#include "hcc/Support/Files.h"
#include "hcc/Support/JSON.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace hcc {
namespace cost {

double rooflineSeconds(const KernelFeatures &f, const RooflineSpec &spec) {
  double compute =
      spec.peakFlops > 0
          ? f.flops / (spec.peakFlops * std::max(1e-3, spec.computeEfficiency))
          : 0;
  double memory =
      spec.bytesPerSecond > 0
          ? (f.bytesIn + f.bytesOut) /
                (spec.bytesPerSecond * std::max(1e-3, spec.memoryEfficiency))
          : 0;
  return spec.launchSeconds + std::max(compute, memory);
}

TransferFit fitTransfer(const std::vector<Row> &rows, const std::string &from,
                        const std::string &to) {
  std::vector<std::pair<double, double>> points;
  std::set<double> sizes;
  for (const Row &r : rows)
    if (r.kind == Row::Transfer && r.from == from && r.to == to) {
      points.push_back({r.bytes, r.seconds});
      sizes.insert(r.bytes);
    }
  TransferFit fit;
  if (sizes.size() < 2)
    return fit;
  // Weighted least squares with weights 1/t^2: relative error counts, so
  // small copies (latency) and large ones (bandwidth) both fit.
  double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (auto [x, y] : points) {
    double w = 1.0 / (y * y);
    sw += w;
    sx += w * x;
    sy += w * y;
    sxx += w * x * x;
    sxy += w * x * y;
  }
  double det = sw * sxx - sx * sx;
  double slope = det > 0 ? (sw * sxy - sx * sy) / det : 0;
  double intercept = det > 0 ? (sy - slope * sx) / sw : 0;
  // A copy never gets faster with size or costs negative time.
  slope = std::max(slope, 1e-15);
  intercept = std::max(intercept, 0.0);
  fit.latency = intercept;
  fit.bytesPerSecond = 1.0 / slope;
  fit.samples = static_cast<int>(points.size());
  return fit;
}

//===----------------------------------------------------------------------===//
// Booster
//===----------------------------------------------------------------------===//

namespace {
std::string xgbError(const char *what) {
  return std::string("XGBoost: ") + what + ": " + XGBGetLastError();
}

/// Features as a dense row-major matrix.
std::vector<float> matrix(const std::vector<KernelFeatures> &features) {
  std::vector<float> data;
  for (const KernelFeatures &f : features) {
    std::vector<float> v = f.vector();
    data.insert(data.end(), v.begin(), v.end());
  }
  return data;
}

struct DMatrix {
  DMatrixHandle h = nullptr;
  ~DMatrix() {
    if (h)
      XGDMatrixFree(h);
  }
};

// Labels are log2 of microseconds.
float label(double seconds) {
  return static_cast<float>(std::log2(seconds * 1e6));
}
double unlabel(float y) { return std::exp2(static_cast<double>(y)) * 1e-6; }
} // namespace

Booster::Booster() = default;
Booster::~Booster() {
  if (handle)
    XGBoosterFree(handle);
}

bool Booster::train(const std::vector<KernelFeatures> &features,
                    const std::vector<float> &labels, const TrainOptions &opts,
                    std::string &error) {
  if (features.empty() || features.size() != labels.size()) {
    error = "no rows to train on";
    return false;
  }
  std::vector<float> data = matrix(features);
  DMatrix m;
  if (XGDMatrixCreateFromMat(data.data(), features.size(),
                             KernelFeatures::names().size(), NAN, &m.h) ||
      XGDMatrixSetFloatInfo(m.h, "label", labels.data(), labels.size())) {
    error = xgbError("building the training matrix");
    return false;
  }
  if (handle)
    XGBoosterFree(handle);
  handle = nullptr;
  if (XGBoosterCreate(&m.h, 1, &handle)) {
    error = xgbError("creating a booster");
    return false;
  }
  std::map<std::string, std::string> params = {
      {"objective", "reg:squarederror"},
      {"max_depth", std::to_string(opts.maxDepth)},
      {"eta", std::to_string(opts.eta)},
      {"subsample", "0.9"},
      {"colsample_bytree", "0.9"},
      {"min_child_weight", "1"},
      {"seed", std::to_string(opts.seed)},
      {"verbosity", "0"}};
  if (opts.threads > 0)
    params["nthread"] = std::to_string(opts.threads);
  for (const auto &[key, value] : params)
    if (XGBoosterSetParam(handle, key.c_str(), value.c_str())) {
      error = xgbError("setting a parameter");
      return false;
    }
  for (int i = 0; i < opts.rounds; ++i)
    if (XGBoosterUpdateOneIter(handle, i, m.h)) {
      error = xgbError("training");
      return false;
    }
  return true;
}

bool Booster::predict(const std::vector<KernelFeatures> &features,
                      std::vector<double> &seconds, std::string &error) const {
  // `seconds` holds raw outputs here; CostModel::predict turns them into
  // times.
  seconds.clear();
  if (features.empty())
    return true;
  if (!handle) {
    error = "the booster is not trained";
    return false;
  }
  std::vector<float> data = matrix(features);
  DMatrix m;
  bst_ulong n = 0;
  const float *out = nullptr;
  if (XGDMatrixCreateFromMat(data.data(), features.size(),
                             KernelFeatures::names().size(), NAN, &m.h) ||
      XGBoosterPredict(handle, m.h, 0, 0, 0, &n, &out)) {
    error = xgbError("predicting");
    return false;
  }
  if (n != features.size()) {
    error = "XGBoost: predicted " + std::to_string(n) + " values for " +
            std::to_string(features.size()) + " rows";
    return false;
  }
  for (bst_ulong i = 0; i < n; ++i)
    seconds.push_back(out[i]);
  return true;
}

bool Booster::toJson(std::string &json, std::string &error) const {
  bst_ulong n = 0;
  const char *bytes = nullptr;
  if (!handle || XGBoosterSaveModelToBuffer(handle, "{\"format\": \"json\"}",
                                            &n, &bytes)) {
    error = handle ? xgbError("saving") : "the booster is not trained";
    return false;
  }
  json.assign(bytes, n);
  return true;
}

bool Booster::fromJson(const std::string &json, std::string &error) {
  if (handle)
    XGBoosterFree(handle);
  handle = nullptr;
  if (XGBoosterCreate(nullptr, 0, &handle) ||
      XGBoosterLoadModelFromBuffer(handle, json.data(), json.size())) {
    error = xgbError("loading a booster");
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// CostModel
//===----------------------------------------------------------------------===//

bool CostModel::train(const Dataset &data, const TrainOptions &opts,
                      std::string &error) {
  std::map<std::string, std::vector<const Row *>> byTarget;
  std::set<std::pair<std::string, std::string>> links;
  for (const Row &r : data.rows) {
    if (r.kind == Row::Kernel)
      byTarget[r.target].push_back(&r);
    else
      links.insert({r.from, r.to});
  }
  if (byTarget.empty()) {
    error = "the dataset has no kernel rows";
    return false;
  }
  // The host's time of each kernel at its most threads: the reference the
  // other targets are learned against.
  std::string referenceTarget = opts.reference;
  if (referenceTarget.empty())
    for (const auto &[target, rows] : byTarget)
      if (llvm::any_of(rows,
                       [](const Row *r) { return r->features.threads > 0; }))
        referenceTarget = target;
  TrainOptions o = opts;
  o.reference = referenceTarget;
  return trainWith(byTarget, links, data, o, error);
}

bool CostModel::trainWith(
    std::map<std::string, std::vector<const Row *>> &byTarget,
    const std::set<std::pair<std::string, std::string>> &links,
    const Dataset &data, const TrainOptions &opts, std::string &error) {
  std::map<std::pair<std::string, std::string>, const Row *> host;
  double hostThreads = 0;
  auto hostRows = byTarget.find(opts.reference);
  for (const Row *r : hostRows == byTarget.end() ? std::vector<const Row *>()
                                                 : hostRows->second) {
    const Row *&best = host[{r->model, r->kernel}];
    if (!best || r->features.threads > best->features.threads)
      best = r;
    hostThreads = std::max(hostThreads, r->features.threads);
  }
  boosters.clear();
  relativeTo.clear();
  threadBoosters.clear();
  referenceThreads.clear();
  sharesHost.clear();
  rowsPerTarget.clear();
  for (const auto &[target, rows] : byTarget) {
    std::vector<KernelFeatures> features;
    std::vector<float> labels;
    bool relative = target != opts.reference && !host.empty();
    if (target == opts.reference && !host.empty()) {
      // The host: absolute times at the reference threads, and how other
      // thread counts scale from them.
      std::vector<KernelFeatures> scaleFeatures;
      std::vector<float> scaleLabels;
      for (const Row *r : rows) {
        const Row *ref = host[{r->model, r->kernel}];
        if (r->features.threads == hostThreads) {
          features.push_back(r->features);
          labels.push_back(label(r->seconds));
        } else if (ref && ref->features.threads == hostThreads) {
          scaleFeatures.push_back(r->features);
          scaleLabels.push_back(
              static_cast<float>(std::log2(r->seconds / ref->seconds)));
        }
      }
      if (!scaleFeatures.empty()) {
        auto scaling = std::make_unique<Booster>();
        if (!scaling->train(scaleFeatures, scaleLabels, opts, error)) {
          error = "target '" + target + "' (thread scaling): " + error;
          return false;
        }
        threadBoosters[target] = std::move(scaling);
        referenceThreads[target] = hostThreads;
      }
    }
    for (const Row *r : rows) {
      if (target == opts.reference && !host.empty())
        break;
      if (!relative) {
        features.push_back(r->features);
        labels.push_back(label(r->seconds));
        continue;
      }
      auto it = host.find({r->model, r->kernel});
      if (it == host.end() || it->second->features.threads != hostThreads)
        continue;
      features.push_back(r->features);
      labels.push_back(
          static_cast<float>(std::log2(r->seconds / it->second->seconds)));
    }
    if (relative && features.empty()) {
      // Never measured beside the host: learned alone.
      relative = false;
      for (const Row *r : rows) {
        features.push_back(r->features);
        labels.push_back(label(r->seconds));
      }
    }
    auto booster = std::make_unique<Booster>();
    if (!booster->train(features, labels, opts, error)) {
      error = "target '" + target + "': " + error;
      return false;
    }
    boosters[target] = std::move(booster);
    rowsPerTarget[target] = features.size();
    if (relative)
      relativeTo[target] = {opts.reference, hostThreads};
    // A device named after the host's CPU runs on the host's cores.
    if (target != opts.reference && !host.empty()) {
      const std::string &cpu = host.begin()->second->provenance.device;
      if (!cpu.empty() &&
          rows.front()->provenance.device.find(cpu) != std::string::npos)
        sharesHost.insert(target);
    }
  }
  transfers.clear();
  for (const auto &[from, to] : links) {
    TransferFit fit = fitTransfer(data.rows, from, to);
    if (fit.samples)
      transfers[{from, to}] = fit;
  }
  datasetHash = data.hash;
  return true;
}

std::vector<std::string> CostModel::targets() const {
  std::vector<std::string> list;
  for (const auto &entry : boosters)
    list.push_back(entry.first);
  return list;
}

bool CostModel::predict(const std::string &target,
                        const std::vector<KernelFeatures> &features,
                        std::vector<double> &seconds,
                        std::string &error) const {
  auto it = boosters.find(target);
  if (it == boosters.end()) {
    error = "no learned model for target '" + target + "'";
    return false;
  }
  std::vector<double> raw;
  if (!it->second->predict(features, raw, error))
    return false;
  seconds.clear();
  if (const auto *ref = reference(target)) {
    // time = the host's time at its reference threads x the learned ratio.
    std::vector<KernelFeatures> onHost = features;
    for (KernelFeatures &f : onHost)
      f.threads = ref->second;
    std::vector<double> hostSeconds;
    if (!predict(ref->first, onHost, hostSeconds, error))
      return false;
    for (size_t i = 0; i < raw.size(); ++i)
      seconds.push_back(hostSeconds[i] * std::exp2(raw[i]));
    return true;
  }
  auto scaling = threadBoosters.find(target);
  if (scaling == threadBoosters.end()) {
    for (double y : raw)
      seconds.push_back(unlabel(static_cast<float>(y)));
    return true;
  }
  // Other thread counts: the time at the reference threads, scaled.
  double refThreads = referenceThreads.at(target);
  std::vector<KernelFeatures> atReference = features;
  for (KernelFeatures &f : atReference)
    f.threads = refThreads;
  std::vector<double> base, scale;
  if (!it->second->predict(atReference, base, error) ||
      !scaling->second->predict(features, scale, error))
    return false;
  for (size_t i = 0; i < features.size(); ++i) {
    double t = unlabel(static_cast<float>(base[i]));
    seconds.push_back(
        features[i].threads == refThreads ? t : t * std::exp2(scale[i]));
  }
  return true;
}

const TransferFit *CostModel::transfer(const std::string &from,
                                       const std::string &to) const {
  auto it = transfers.find({from, to});
  return it == transfers.end() ? nullptr : &it->second;
}

bool CostModel::save(const std::string &path, std::string &error) const {
  llvm::json::Object targetsJson;
  for (const auto &[target, booster] : boosters) {
    std::string text;
    if (!booster->toJson(text, error))
      return false;
    // Kept as XGBoost wrote it (a string): re-encoding its numbers would
    // turn 0.0 into 0, which XGBoost's strict reader rejects.
    llvm::json::Object entry{
        {"rows", rowsPerTarget.count(target) ? rowsPerTarget.at(target) : 0},
        {"booster", std::move(text)}};
    if (const auto *ref = reference(target)) {
      entry["relative_to"] = ref->first;
      entry["reference_threads"] = ref->second;
    }
    if (auto scaling = threadBoosters.find(target);
        scaling != threadBoosters.end()) {
      std::string scalingText;
      if (!scaling->second->toJson(scalingText, error))
        return false;
      entry["thread_scaling"] = std::move(scalingText);
      entry["reference_threads"] = referenceThreads.at(target);
    }
    if (sharesHostCores(target))
      entry["shares_host_cores"] = true;
    targetsJson[target] = std::move(entry);
  }
  llvm::json::Array links;
  for (const auto &[key, fit] : transfers)
    links.push_back(llvm::json::Object{{"from", key.first},
                                       {"to", key.second},
                                       {"latency_s", fit.latency},
                                       {"bytes_per_s", fit.bytesPerSecond},
                                       {"samples", fit.samples}});
  llvm::json::Array names;
  for (const std::string &n : KernelFeatures::names())
    names.push_back(n);
  llvm::json::Object doc{{"schema", kModelSchema},
                         {"version", kModelVersion},
                         {"dataset_sha256", datasetHash},
                         {"features", std::move(names)},
                         {"targets", std::move(targetsJson)},
                         {"transfers", std::move(links)}};
  llvm::Error e = writeOutputFile(path, [&](llvm::raw_ostream &os) {
    os << llvm::json::Value(std::move(doc)) << "\n";
    return llvm::Error::success();
  });
  if (e) {
    error = llvm::toString(std::move(e));
    return false;
  }
  return true;
}

bool CostModel::load(const std::string &path, std::string &error) {
  auto buffer = readInputFile(path);
  if (!buffer) {
    error = "cannot read cost model '" + path +
            "': " + llvm::toString(buffer.takeError());
    return false;
  }
  auto fail = [&](const std::string &what) {
    error = "cost model '" + path + "': " + what;
    return false;
  };
  llvm::Expected<llvm::json::Value> doc =
      hcc::parseJSON((*buffer)->getBuffer());
  if (!doc)
    return fail("not JSON: " + llvm::toString(doc.takeError()));
  const llvm::json::Object *o = doc->getAsObject();
  if (!o || o->getString("schema") != llvm::StringRef(kModelSchema))
    return fail(std::string("not an hcc cost model (schema \"") + kModelSchema +
                "\" expected)");
  if (o->getInteger("version") != kModelVersion)
    return fail("model version " +
                std::to_string(o->getInteger("version").value_or(-1)) +
                ", this hcc reads version " + std::to_string(kModelVersion) +
                " (retrain with hcc-costmodel train)");
  const llvm::json::Array *names = o->getArray("features");
  std::vector<std::string> expected = KernelFeatures::names();
  bool same = names && names->size() == expected.size();
  for (size_t i = 0; same && i < expected.size(); ++i)
    same = (*names)[i].getAsString() == llvm::StringRef(expected[i]);
  if (!same)
    return fail("trained on another feature list than this hcc computes "
                "(retrain with hcc-costmodel train)");
  auto hash = o->getString("dataset_sha256");
  const llvm::json::Object *targetsJson = o->getObject("targets");
  if (!hash || !targetsJson || targetsJson->empty())
    return fail("missing 'dataset_sha256' or 'targets'");
  boosters.clear();
  relativeTo.clear();
  threadBoosters.clear();
  referenceThreads.clear();
  sharesHost.clear();
  rowsPerTarget.clear();
  for (const auto &[name, value] : *targetsJson) {
    const llvm::json::Object *t = value.getAsObject();
    auto tree = t ? t->getString("booster") : std::nullopt;
    if (!tree)
      return fail("target '" + name.str() + "' has no booster");
    std::string text = tree->str();
    auto booster = std::make_unique<Booster>();
    if (!booster->fromJson(text, error))
      return fail("target '" + name.str() + "': " + error);
    boosters[name.str()] = std::move(booster);
    rowsPerTarget[name.str()] = t->getInteger("rows").value_or(0);
    if (auto ref = t->getString("relative_to"))
      relativeTo[name.str()] = {ref->str(),
                                t->getNumber("reference_threads").value_or(0)};
    if (auto scaling = t->getString("thread_scaling")) {
      auto b = std::make_unique<Booster>();
      if (!b->fromJson(scaling->str(), error))
        return fail("target '" + name.str() + "' (thread scaling): " + error);
      threadBoosters[name.str()] = std::move(b);
      referenceThreads[name.str()] =
          t->getNumber("reference_threads").value_or(0);
    }
    if (t->getBoolean("shares_host_cores").value_or(false))
      sharesHost.insert(name.str());
  }
  for (const auto &[target, ref] : relativeTo)
    if (!boosters.count(ref.first) || relativeTo.count(ref.first))
      return fail("target '" + target + "' is learned relative to '" +
                  ref.first + "', which has no booster of its own");
  transfers.clear();
  if (const llvm::json::Array *links = o->getArray("transfers"))
    for (const llvm::json::Value &l : *links) {
      const llvm::json::Object *lo = l.getAsObject();
      auto from = lo ? lo->getString("from") : std::nullopt;
      auto to = lo ? lo->getString("to") : std::nullopt;
      auto latency = lo ? lo->getNumber("latency_s") : std::nullopt;
      auto bw = lo ? lo->getNumber("bytes_per_s") : std::nullopt;
      if (!from || !to || !latency || !bw || !(*bw > 0) || !(*latency >= 0))
        return fail("a transfer entry needs from, to, latency_s >= 0 and "
                    "bytes_per_s > 0");
      TransferFit fit;
      fit.latency = *latency;
      fit.bytesPerSecond = *bw;
      fit.samples = lo->getInteger("samples").value_or(0);
      transfers[{from->str(), to->str()}] = fit;
    }
  datasetHash = hash->str();
  return true;
}

//===----------------------------------------------------------------------===//
// Held-out evaluation
//===----------------------------------------------------------------------===//

bool crossValidate(const Dataset &data, const TrainOptions &opts, int folds,
                   std::vector<double> &predicted, std::string &error) {
  std::vector<std::string> models;
  for (const Row &r : data.rows)
    if (r.kind == Row::Kernel &&
        std::find(models.begin(), models.end(), r.model) == models.end())
      models.push_back(r.model);
  std::sort(models.begin(), models.end());
  if (models.size() < 2) {
    error = "held-out evaluation needs kernels of at least two models";
    return false;
  }
  folds = std::max(2, std::min<int>(folds, models.size()));
  // Models go to folds round robin in a fixed shuffled order (by a hash of
  // the name), so similar names do not share a fold.
  std::map<std::string, int> foldOf;
  std::vector<std::pair<size_t, std::string>> order;
  for (const std::string &m : models)
    order.push_back({std::hash<std::string>()(m), m});
  std::sort(order.begin(), order.end());
  for (size_t i = 0; i < order.size(); ++i)
    foldOf[order[i].second] = static_cast<int>(i % folds);

  predicted.assign(data.rows.size(), 0);
  for (int fold = 0; fold < folds; ++fold) {
    Dataset train;
    std::map<std::string, std::vector<size_t>> test;
    for (size_t i = 0; i < data.rows.size(); ++i) {
      const Row &r = data.rows[i];
      if (r.kind == Row::Kernel && foldOf[r.model] == fold)
        test[r.target].push_back(i);
      else
        train.rows.push_back(r);
    }
    CostModel model;
    if (!model.train(train, opts, error))
      return false;
    for (const auto &[target, rows] : test) {
      if (!model.hasTarget(target)) {
        error = "target '" + target + "' is measured on one fold only";
        return false;
      }
      std::vector<KernelFeatures> features;
      for (size_t i : rows)
        features.push_back(data.rows[i].features);
      std::vector<double> out;
      if (!model.predict(target, features, out, error))
        return false;
      for (size_t j = 0; j < rows.size(); ++j)
        predicted[rows[j]] = out[j];
    }
  }
  return true;
}

namespace {
std::vector<double> ranks(const std::vector<double> &v) {
  std::vector<size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(),
            [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < idx.size();) {
    size_t j = i;
    while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]])
      ++j;
    for (size_t k = i; k <= j; ++k)
      r[idx[k]] = (i + j) / 2.0;
    i = j + 1;
  }
  return r;
}

double spearman(const std::vector<double> &a, const std::vector<double> &b) {
  if (a.size() < 2)
    return 0;
  std::vector<double> ra = ranks(a), rb = ranks(b);
  double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / ra.size();
  double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / rb.size();
  double num = 0, da = 0, db = 0;
  for (size_t i = 0; i < ra.size(); ++i) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) * (ra[i] - ma);
    db += (rb[i] - mb) * (rb[i] - mb);
  }
  return da > 0 && db > 0 ? num / std::sqrt(da * db) : 0;
}

double median(std::vector<double> v) {
  if (v.empty())
    return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}
} // namespace

Metrics evaluate(const Dataset &data, const std::vector<double> &predicted) {
  Metrics m;
  std::map<std::string, std::vector<size_t>> byTarget;
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> byKernel;
  for (size_t i = 0; i < data.rows.size(); ++i) {
    const Row &r = data.rows[i];
    if (r.kind != Row::Kernel || !(predicted[i] > 0))
      continue;
    byTarget[r.target].push_back(i);
    byKernel[{r.model, r.kernel}].push_back(i);
  }
  for (const auto &[target, rows] : byTarget) {
    Metrics::PerTarget &t = m.targets[target];
    t.rows = rows.size();
    std::vector<double> measured, pred, rel;
    std::map<std::string, std::vector<size_t>> byModel;
    for (size_t i : rows) {
      measured.push_back(data.rows[i].seconds);
      pred.push_back(predicted[i]);
      rel.push_back(std::fabs(predicted[i] - data.rows[i].seconds) /
                    data.rows[i].seconds);
      byModel[data.rows[i].model + "\n" + data.rows[i].config()].push_back(i);
    }
    std::set<std::string> models;
    for (size_t i : rows)
      models.insert(data.rows[i].model);
    t.models = models.size();
    t.spearman = spearman(measured, pred);
    t.medianRelError = median(rel);
    // Pairs of kernels of one model under one configuration; pairs whose
    // measured times are within 1 % of each other are ties (noise) and
    // skipped.
    size_t pairs = 0, right = 0;
    for (const auto &[key, list] : byModel)
      for (size_t a = 0; a < list.size(); ++a)
        for (size_t b = a + 1; b < list.size(); ++b) {
          double ma = data.rows[list[a]].seconds,
                 mb = data.rows[list[b]].seconds;
          if (std::fabs(ma - mb) <= 0.01 * std::max(ma, mb))
            continue;
          ++pairs;
          right += (ma < mb) == (predicted[list[a]] < predicted[list[b]]);
        }
    t.pairwise = pairs ? static_cast<double>(right) / pairs : 0;
  }
  double logRegret = 0;
  size_t hit = 0, hitTol = 0, hit5 = 0;
  for (const auto &[key, rows] : byKernel) {
    std::set<std::string> configs;
    for (size_t i : rows)
      configs.insert(data.rows[i].config());
    if (configs.size() < 2)
      continue;
    ++m.kernels;
    size_t best = rows[0], picked = rows[0];
    for (size_t i : rows) {
      if (data.rows[i].seconds < data.rows[best].seconds)
        best = i;
      if (predicted[i] < predicted[picked])
        picked = i;
    }
    hit += picked == best;
    hitTol += data.rows[picked].seconds <= 1.05 * data.rows[best].seconds;
    std::vector<size_t> order = rows;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return predicted[a] < predicted[b]; });
    order.resize(std::min<size_t>(5, order.size()));
    hit5 += std::find(order.begin(), order.end(), best) != order.end();
    logRegret += std::log(data.rows[picked].seconds / data.rows[best].seconds);
  }
  if (m.kernels) {
    m.top1 = static_cast<double>(hit) / m.kernels;
    m.top1Within5 = static_cast<double>(hitTol) / m.kernels;
    m.top5 = static_cast<double>(hit5) / m.kernels;
    m.regret = std::exp(logRegret / m.kernels);
  }
  return m;
}

} // namespace cost
} // namespace hcc
