//===- Ranker.cpp - The tuner's learned ranking of configurations ---------===//

#include "Ranker.h"

#include <xgboost/c_api.h>

#include <cmath>

namespace hcc {
namespace tune {

namespace {
std::string xgbError(const char *what) {
  return std::string("XGBoost: ") + what + ": " + XGBGetLastError();
}

struct Matrix {
  DMatrixHandle h = nullptr;
  ~Matrix() {
    if (h)
      XGDMatrixFree(h);
  }
};

bool buildMatrix(const std::vector<std::vector<float>> &xs, size_t columns,
                 Matrix &m, std::string &error) {
  std::vector<float> data;
  data.reserve(xs.size() * columns);
  for (const std::vector<float> &x : xs) {
    if (x.size() != columns) {
      error = "feature vectors of different lengths";
      return false;
    }
    data.insert(data.end(), x.begin(), x.end());
  }
  if (XGDMatrixCreateFromMat(data.data(), xs.size(), columns, NAN, &m.h)) {
    error = xgbError("building a matrix");
    return false;
  }
  return true;
}
} // namespace

Ranker::~Ranker() {
  if (booster)
    XGBoosterFree(booster);
}

bool Ranker::train(const std::vector<Group> &groups, int rounds, uint64_t seed,
                   std::string &error) {
  std::vector<std::vector<float>> xs;
  std::vector<float> labels;
  std::vector<unsigned> sizes;
  for (const Group &g : groups) {
    if (g.size() < 2)
      continue;
    for (const Row &r : g) {
      xs.push_back(r.x);
      labels.push_back(r.label);
    }
    sizes.push_back(static_cast<unsigned>(g.size()));
  }
  if (xs.empty()) {
    error = "nothing to rank yet";
    return false;
  }
  Matrix m;
  if (!buildMatrix(xs, xs.front().size(), m, error))
    return false;
  if (XGDMatrixSetFloatInfo(m.h, "label", labels.data(), labels.size()) ||
      XGDMatrixSetUIntInfo(m.h, "group", sizes.data(), sizes.size())) {
    error = xgbError("labelling the training matrix");
    return false;
  }
  BoosterHandle b = nullptr;
  if (XGBoosterCreate(&m.h, 1, &b)) {
    error = xgbError("creating a booster");
    return false;
  }
  const char *params[][2] = {{"objective", "rank:pairwise"},
                             {"max_depth", "6"},
                             {"eta", "0.3"},
                             {"subsample", "1.0"},
                             {"min_child_weight", "1"},
                             {"nthread", "1"},
                             {"verbosity", "0"}};
  std::string seedText = std::to_string(seed % 2147483647);
  bool ok = !XGBoosterSetParam(b, "seed", seedText.c_str());
  for (auto &p : params)
    ok = ok && !XGBoosterSetParam(b, p[0], p[1]);
  for (int i = 0; ok && i < rounds; ++i)
    ok = !XGBoosterUpdateOneIter(b, i, m.h);
  if (!ok) {
    error = xgbError("training");
    XGBoosterFree(b);
    return false;
  }
  if (booster)
    XGBoosterFree(booster);
  booster = b;
  columns = xs.front().size();
  return true;
}

bool Ranker::score(const std::vector<std::vector<float>> &xs,
                   std::vector<float> &scores, std::string &error) const {
  scores.clear();
  if (!booster || xs.empty())
    return booster != nullptr;
  Matrix m;
  if (!buildMatrix(xs, columns, m, error))
    return false;
  bst_ulong n = 0;
  const float *out = nullptr;
  if (XGBoosterPredict(booster, m.h, 0, 0, 0, &n, &out)) {
    error = xgbError("predicting");
    return false;
  }
  scores.assign(out, out + n);
  return true;
}

} // namespace tune
} // namespace hcc
