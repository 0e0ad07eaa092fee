//===- CostModel.h - learned kernel and transfer costs -----------*- C++
//-*-===//
//
// Per target (device kind), a gradient-boosted tree model (XGBoost) maps a
// kernel's features to log-time, trained on hcc-profile datasets; a transfer
// model per link (latency + bytes / bandwidth) is fitted by least squares on
// the transfer sweeps. A saved model records the SHA-256 of the dataset it
// was trained on and the feature names it reads, and loads in the compiler
// without Python. Devices with no learned model are costed by a roofline
// prior from their description (peak FLOP/s, bandwidth, launch overhead).
//
//===----------------------------------------------------------------------===//

#ifndef HCC_COSTMODEL_COSTMODEL_H
#define HCC_COSTMODEL_COSTMODEL_H

#include "hcc/CostModel/Dataset.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace hcc {
namespace cost {

constexpr const char *kModelSchema = "hcc-cost-model";
constexpr int kModelVersion = 1;

/// The analytical prior of a device: time = launch + max(flops / (peak *
/// efficiency), bytes / (bandwidth * efficiency)).
struct RooflineSpec {
  double peakFlops = 0;      // FLOP/s
  double bytesPerSecond = 0; // of the device's memory
  double launchSeconds = 0;
  double computeEfficiency = 1;
  double memoryEfficiency = 1;
};
double rooflineSeconds(const KernelFeatures &f, const RooflineSpec &spec);

/// A link's copies: seconds = latency + bytes / bytesPerSecond.
struct TransferFit {
  double latency = 0;
  double bytesPerSecond = 0;
  int samples = 0;
  double seconds(double bytes) const {
    return latency + bytes / bytesPerSecond;
  }
};
/// Least squares over transfer rows from `from` to `to`; samples == 0 when
/// there are fewer than two distinct sizes.
TransferFit fitTransfer(const std::vector<Row> &rows, const std::string &from,
                        const std::string &to);

struct TrainOptions {
  /// The host target: other targets measured on the same kernels are
  /// learned relative to it (log of the time ratio), so the device
  /// comparison placement makes is what the booster learns. "" finds it:
  /// the target measured under thread counts (the host's configurations);
  /// "none" learns every target alone.
  std::string reference;
  int rounds = 300;
  int maxDepth = 4;
  double eta = 0.1;
  int threads = 0; // 0: XGBoost's default
  int seed = 0;
};

/// One target's booster (move-only; frees its XGBoost handle).
class Booster {
public:
  Booster();
  ~Booster();
  Booster(const Booster &) = delete;
  Booster &operator=(const Booster &) = delete;

  /// Learns `labels` (log2 of microseconds, or of a time ratio) from
  /// `features`.
  bool train(const std::vector<KernelFeatures> &features,
             const std::vector<float> &labels, const TrainOptions &opts,
             std::string &error);
  /// The booster's outputs for each feature set (one XGBoost call).
  bool predict(const std::vector<KernelFeatures> &features,
               std::vector<double> &values, std::string &error) const;
  bool toJson(std::string &json, std::string &error) const;
  bool fromJson(const std::string &json, std::string &error);

private:
  void *handle = nullptr;
};

class CostModel {
public:
  /// Trains one booster per target with kernel rows and fits one transfer
  /// model per link with transfer rows.
  bool train(const Dataset &data, const TrainOptions &opts, std::string &error);
  bool save(const std::string &path, std::string &error) const;
  /// Loads a saved model; another schema, version or feature list, or a
  /// damaged booster, is an error naming the file.
  bool load(const std::string &path, std::string &error);

  bool hasTarget(const std::string &target) const {
    return boosters.count(target) != 0;
  }
  /// For a target learned relative to the host: the host target and the
  /// host threads its times were compared at; null otherwise.
  const std::pair<std::string, double> *
  reference(const std::string &target) const {
    auto it = relativeTo.find(target);
    return it == relativeTo.end() ? nullptr : &it->second;
  }
  std::vector<std::string> targets() const;
  bool predict(const std::string &target,
               const std::vector<KernelFeatures> &features,
               std::vector<double> &seconds, std::string &error) const;
  /// True when the target's device was measured on the host's own cores
  /// (an OpenCL driver such as PoCL: its device name names the host's
  /// CPU): its kernels and the host's cannot run at the same time.
  bool sharesHostCores(const std::string &target) const {
    return sharesHost.count(target) != 0;
  }
  /// The fitted link, or null.
  const TransferFit *transfer(const std::string &from,
                              const std::string &to) const;

  std::string datasetHash;
  std::map<std::string, int> rowsPerTarget;

private:
  std::map<std::string, std::unique_ptr<Booster>> boosters;
  /// target -> (host target, host threads) for relative boosters.
  std::map<std::string, std::pair<std::string, double>> relativeTo;
  /// The host's scaling with threads: log2(time at t threads / time at
  /// the reference threads), and those reference threads.
  std::map<std::string, std::unique_ptr<Booster>> threadBoosters;
  std::map<std::string, double> referenceThreads;
  std::set<std::string> sharesHost;
  bool trainWith(std::map<std::string, std::vector<const Row *>> &byTarget,
                 const std::set<std::pair<std::string, std::string>> &links,
                 const Dataset &data, const TrainOptions &opts,
                 std::string &error);

  std::map<std::pair<std::string, std::string>, TransferFit> transfers;
};

/// Held-out evaluation: models are split into `folds` groups (by model
/// name, never by row); each fold's rows are predicted by boosters trained
/// on the other folds. The result has one prediction per kernel row of
/// `data` (transfers: 0), in row order.
bool crossValidate(const Dataset &data, const TrainOptions &opts, int folds,
                   std::vector<double> &predicted, std::string &error);

/// Quality of predictions of kernel rows, per target and across configs.
struct Metrics {
  struct PerTarget {
    size_t rows = 0, models = 0;
    double pairwise = 0; // ordered pairs within a model, ties skipped
    double spearman = 0; // over all rows
    double medianRelError = 0;
  };
  std::map<std::string, PerTarget> targets;
  /// Over kernels measured under >= 2 configurations (target/threads):
  size_t kernels = 0;
  double top1 = 0;        // the predicted-best config is the measured best
  double top1Within5 = 0; // ... or within 5 % of it (noise)
  double top5 = 0;        // the measured best is among the 5 predicted best
  double regret = 0;      // geomean measured(picked) / measured(best)
};
Metrics evaluate(const Dataset &data, const std::vector<double> &predicted);

} // namespace cost
} // namespace hcc

#endif // HCC_COSTMODEL_COSTMODEL_H
