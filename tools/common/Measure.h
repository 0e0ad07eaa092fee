//===- Measure.h - Kernel and transfer times via the runtime ----*- C++ -*-===//
#ifndef HCC_TOOLS_COMMON_MEASURE_H
#define HCC_TOOLS_COMMON_MEASURE_H

#include <map>
#include <string>
#include <vector>

namespace hcc {
namespace profile {

struct RunConfig {
  int threads = 0;        // session threads (0: hardware threads)
  int warmup = 2;         // runs not measured
  int repeat = 10;        // measured runs
  double maxSeconds = 20; // stop repeating after this much run time
  bool transfers = false; // also sweep copies to and from `device`
  std::string device;     // driver of the non-host device, "" for none
  std::string host;       // the host's driver (copies start there)
};

struct TransferSample {
  std::string from, to; // device kinds
  double bytes = 0;
  std::vector<double> seconds;
};

struct Measurement {
  /// Per kernel (its name in the placed IR): its time in each measured run.
  std::map<std::string, std::vector<double>> kernels;
  /// Per kernel of a device whose times are modelled (the FPGA target's
  /// board model, on a device that only emulates the board): the modelled
  /// time in each measured run, and what it is a model of.
  std::map<std::string, std::vector<double>> modelled;
  std::map<std::string, std::string> modelNotes;
  std::vector<TransferSample> transfers;
  int runs = 0;
};

/// Loads `bundle`, runs it with random inputs (warm-up runs first), and
/// reads every kernel's and transfer's time from the runtime's trace.
bool measureBundle(const std::string &bundle, const RunConfig &config,
                   Measurement &out, std::string &error);

/// Reads a runtime trace (HCC_TRACE, hcc_session_options_set_trace):
/// kernel times by name and transfers by bytes, from run `warmup` on.
bool readTrace(const std::string &path, int warmup, Measurement &out,
               std::string &error);

/// Median of the samples within 3 scaled MADs of the median (outliers
/// rejected); `spread` is MAD / median, `kept` the samples used.
double robustMedian(std::vector<double> samples, double &spread, int &kept);

} // namespace profile
} // namespace hcc

#endif
