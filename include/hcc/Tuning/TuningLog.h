//===- TuningLog.h - Tuning records as JSON lines ---------------*- C++ -*-===//
//
// One record per measurement, one JSON object per line:
//   {"version": 1, "hcc": "0.1.0", "workload": "cpu:graph.conv:...",
//    "target": TARGET, "device": "AMD EPYC 9R14", "config": {"tile-m": 8},
//    "costs": [1.2e-4, 1.19e-4], "error": "", "time": "2026-12-04T19:40:00Z",
//    "features": {"op": "Conv", "m": 64, ...}}
// costs are seconds per run of the kernel; a failed candidate has an error
// and no costs. A log is appended to while tuning (so that an interrupted
// tuning resumes from it) and read by hcc-compile --tuning-log, which
// applies the best record of every workload.
//
// Reading never fails on a bad line: a line that is not a record of this
// format version (malformed JSON, a missing field, another version, a knob
// the target does not have or a value outside its range) is skipped with a
// warning naming the file and line.
//
//===----------------------------------------------------------------------===//

#ifndef HCC_TUNING_TUNINGLOG_H
#define HCC_TUNING_TUNINGLOG_H

#include "hcc/CostModel/Features.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hcc {
namespace tuning {

/// Version of the record format; records of other versions are skipped.
constexpr int64_t kLogFormatVersion = 1;

struct TuningRecord {
  std::string workload;
  std::string target;
  std::string device;
  std::map<std::string, int64_t> config;
  std::vector<double> costs; // seconds per run
  std::string error;         // empty when measured
  std::string time;          // ISO 8601, UTC
  std::string hccVersion;
  /// The kernel's features (kind, shapes), which a tuner learns from when
  /// it reads records of other workloads; optional.
  bool hasFeatures = false;
  cost::KernelFeatures features;
  /// A measurement of a configuration measured before (a tuner confirming
  /// its best candidates in fresh runs); written as "remeasure": true.
  bool remeasure = false;
  /// A measurement in the model as it will be compiled (every other
  /// tuned kernel at its best configuration, so sharing the caches with
  /// them as it will), which a configuration's cost is taken from when it
  /// has such records; written as "context": true.
  bool context = false;
  /// Seconds per run of the workload's kernels with the defaults,
  /// measured in the same minutes as `costs` (the model with the defaults,
  /// run right after the candidates' bundle); 0: none. The machine's speed
  /// drifts by several percent over minutes (turbo, neighbours, heat), so
  /// configurations measured at different times are compared through
  /// their ratio to it (normalizedCost); written as "baseline".
  double baseline = 0;
  /// Where the record was read from ("log.jsonl:12"); empty when new.
  std::string origin;

  bool ok() const { return error.empty() && !costs.empty(); }
  /// The median of costs (seconds); +inf for a failed record.
  double cost() const;
};

/// `seconds` measured when the defaults took `baseline` seconds, as if
/// measured when they took `reference`: seconds * reference / baseline;
/// `seconds` as is without a baseline or reference (<= 0) or a
/// measurement (seconds <= 0: failed).
double normalizedSeconds(double seconds, double baseline, double reference);
/// The record's cost() so normalized by its baseline.
double normalizedCost(const TuningRecord &record, double reference);

/// The median of `values` (not empty).
double median(std::vector<double> values);

/// Calls `fn(lineNo, line)` for each non-blank line of a log's `text`
/// (trimmed; numbered from 1; a UTF-8 byte-order mark dropped) until it
/// returns false.
void forEachLogLine(llvm::StringRef text,
                    llvm::function_ref<bool(int, llvm::StringRef)> fn);

/// Reads `path`; appends the valid records to `records` and a warning per
/// skipped line to `warnings`. False (with `error`) only when the file
/// cannot be read at all.
bool readTuningLog(const std::string &path, std::vector<TuningRecord> &records,
                   std::vector<std::string> &warnings, std::string &error);

/// One line of JSON (with its newline) for `record`; version, hcc version
/// and, when empty, time are filled in.
std::string formatRecord(const TuningRecord &record);

/// What applyTuning did.
struct ApplyReport {
  int kernels = 0;
  int tunedKernels = 0;
  /// Workloads with a record applied, and those without one (the target's
  /// defaults or configuration apply).
  std::vector<std::string> tuned, untuned;
};

/// A configuration of a workload and its cost: the median of its
/// records' costs (seconds), so that a configuration measured several
/// times (a tuner re-measures its best candidates: one lucky run does not
/// decide) counts with its typical time; of its "context" records only
/// when it has some (what it costs beside the other tuned kernels), else
/// of the others times the contextScale of its target's workloads.
struct MeasuredConfig {
  std::map<std::string, int64_t> config;
  double seconds = 0;
};

/// How much slower kernels run in context (the model as compiled) than in
/// the rounds that measured them, across a model: the median over `pairs`
/// (seconds in context, seconds in the rounds) of their ratios; 1 without
/// pairs. A configuration not measured in context counts with its seconds
/// times this, so that only a penalty larger than the model's usual one
/// (a transformed filter evicted by its neighbours') makes a best give way.
double contextScale(const std::vector<std::pair<double, double>> &pairs);

/// Every measured configuration of every workload, the fastest first.
std::map<std::string, std::vector<MeasuredConfig>>
measuredConfigs(const std::vector<TuningRecord> &records);

/// Sets the `exec.knobs` of every kernel of `module` (placed, before
/// codegen) whose workload has records to its fastest configuration
/// (knobs it does not name keep their values); on kernels of targets that
/// choose among tuned configurations themselves
/// (Target::choosesAmongTunedConfigs), sets `exec.tuned_options` to all
/// of the workload's configurations instead.
ApplyReport applyTuning(mlir::ModuleOp module,
                        const std::vector<TuningRecord> &records);

} // namespace tuning
} // namespace hcc

#endif // HCC_TUNING_TUNINGLOG_H
