//===- placement_report.cpp - predicted vs measured time per partition ----===//

#include "placement_report.h"
#include "support/file_checks.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <unistd.h>

namespace hcc {
namespace tools {
namespace {

/// Largest placement dump read.
constexpr uint64_t kMaxPlanBytes = uint64_t(1) << 30;

double median(std::vector<double> v) {
  if (v.empty())
    return -1;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

bool readJson(const std::string &path, nlohmann::json &out,
              std::string &error) {
  std::string text;
  if (!support::readRegularFile(path, kMaxPlanBytes, text, &error))
    return false;
  out = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) {
    error = "'" + path + "' is not JSON";
    return false;
  }
  return true;
}

} // namespace

bool readPlacementPlan(const std::string &path, PlacementPlan &plan,
                       std::string &error) {
  nlohmann::json doc;
  if (!readJson(path, doc, error))
    return false;
  if (!doc.is_object() || !doc.contains("kernels") ||
      !doc["kernels"].is_array()) {
    error =
        "'" + path + "' is not a placement dump (hcc-compile --dump-placement)";
    return false;
  }
  for (const auto &k : doc["kernels"]) {
    if (!k.is_object() || !k.contains("name") || !k["name"].is_string()) {
      error = "'" + path + "': a kernel without a name";
      return false;
    }
    PlacementPlan::Kernel kernel;
    kernel.name = k["name"].get<std::string>();
    if (k.contains("target") && k["target"].is_string())
      kernel.target = k["target"].get<std::string>();
    if (k.contains("predicted_us") && k["predicted_us"].is_number())
      kernel.predictedUs = k["predicted_us"].get<double>();
    plan.kernels.push_back(kernel);
  }
  if (doc.contains("predicted") && doc["predicted"].is_object() &&
      doc["predicted"].contains("makespan_us") &&
      doc["predicted"]["makespan_us"].is_number())
    plan.makespanUs = doc["predicted"]["makespan_us"].get<double>();
  return true;
}

bool placementReport(hcc_session_t *session, hcc_tensor_t *const *inputs,
                     size_t nIn, size_t nOut, const PlacementPlan &plan,
                     int runs, std::string &error) {
  // The first run (already done) warmed the devices up.
  std::vector<double> wall;
  for (int r = 0; r < runs; ++r) {
    std::vector<hcc_tensor_t *> outputs(nOut, nullptr);
    auto t0 = std::chrono::steady_clock::now();
    hcc_status_t status =
        hcc_session_run(session, inputs, nIn, outputs.data(), nOut);
    wall.push_back(std::chrono::duration<double, std::micro>(
                       std::chrono::steady_clock::now() - t0)
                       .count());
    for (hcc_tensor_t *t : outputs)
      hcc_tensor_release(t);
    if (status != HCC_OK) {
      error = hcc_runtime_last_error();
      return false;
    }
  }
  char tracePath[] = "/tmp/hcc-run-trace-XXXXXX";
  int fd = mkstemp(tracePath);
  if (fd < 0) {
    error = "cannot create a temporary file";
    return false;
  }
  close(fd);
  nlohmann::json trace;
  bool ok = hcc_session_write_trace(session, tracePath) == HCC_OK &&
            readJson(tracePath, trace, error);
  unlink(tracePath);
  if (!ok) {
    if (error.empty())
      error = hcc_runtime_last_error();
    return false;
  }
  std::map<std::string, std::vector<double>> measured;
  if (trace.is_object() && trace.contains("traceEvents") &&
      trace["traceEvents"].is_array())
    for (const auto &e : trace["traceEvents"])
      if (e.is_object() && e.value("ph", "") == "X" &&
          e.value("cat", "") == "kernel" && e.contains("args") &&
          e["args"].is_object() && e["args"].value("run", 0) > 0)
        measured[e.value("name", "")].push_back(e.value("dur", 0.0));
  std::printf("%-36s %-8s %14s %14s %8s\n", "partition (kernel)", "target",
              "predicted us", "measured us", "ratio");
  for (const PlacementPlan::Kernel &k : plan.kernels) {
    double got = median(measured[k.name]);
    char predicted[32] = "-", ratio[32] = "-";
    if (k.predictedUs >= 0)
      std::snprintf(predicted, sizeof(predicted), "%.1f", k.predictedUs);
    if (k.predictedUs > 0 && got > 0)
      std::snprintf(ratio, sizeof(ratio), "%.2f", got / k.predictedUs);
    std::printf("%-36s %-8s %14s %14.1f %8s\n", k.name.substr(0, 36).c_str(),
                k.target.c_str(), predicted, got, ratio);
  }
  char makespan[32] = "-";
  if (plan.makespanUs >= 0)
    std::snprintf(makespan, sizeof(makespan), "%.1f", plan.makespanUs);
  std::printf("whole run: predicted makespan %s us, measured median %.1f us "
              "over %d runs\n",
              makespan, median(wall), runs);
  return true;
}

} // namespace tools
} // namespace hcc
