//===- trace.cpp - Per-kernel timing, written as Chrome trace JSON -------===//

#include "trace.h"
#include "support/atomic_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace hcc {
namespace rt {

void TraceRecorder::record(size_t kernel, size_t run, const KernelTiming &t) {
  std::lock_guard<std::mutex> lock(mu);
  if (recorded.size() < kMaxEvents)
    recorded.push_back({kernel, run, t});
}

std::vector<TraceRecorder::Event>
TraceRecorder::events(size_t first, size_t max, size_t &total) const {
  std::lock_guard<std::mutex> lock(mu);
  total = first < recorded.size() ? recorded.size() - first : 0;
  size_t n = std::min(total, max);
  return std::vector<Event>(recorded.begin() + (total ? first : 0),
                            recorded.begin() + (total ? first : 0) + n);
}

Status TraceRecorder::write(const std::string &path, const Manifest &m) const {
  nlohmann::json list = nlohmann::json::array();
  for (size_t d = 0; d < m.devices.size(); ++d)
    list.push_back({{"ph", "M"},
                    {"name", "process_name"},
                    {"pid", d},
                    {"args",
                     {{"name", m.devices[d].kind + ":" + std::to_string(d) +
                                   " (" + m.devices[d].target + ")"}}}});
  {
    std::lock_guard<std::mutex> lock(mu);
    for (const Event &e : recorded) {
      const KernelDesc &k = m.kernels[e.kernel];
      nlohmann::json args = {{"kernel", e.kernel}, {"run", e.run}};
      if (k.isTransfer) {
        args["bytes"] = m.buffers[k.args[0]].bytes;
        args["from_device"] = k.fromDevice;
      } else {
        args["symbol"] = k.symbol;
      }
      if (e.timing.modelledNs >= 0) {
        args["modelled_us"] = e.timing.modelledNs / 1000.0;
        args["modelled"] = e.timing.modelNote;
      }
      list.push_back({{"name", k.name.empty() ? k.symbol : k.name},
                      {"cat", k.isTransfer ? "transfer" : "kernel"},
                      {"ph", "X"},
                      {"pid", k.device},
                      {"tid", e.timing.thread},
                      {"ts", (e.timing.startNs - originNs) / 1000.0},
                      {"dur", (e.timing.endNs - e.timing.startNs) / 1000.0},
                      {"args", std::move(args)}});
    }
  }
  nlohmann::json doc = {{"traceEvents", std::move(list)},
                        {"displayTimeUnit", "ms"}};
  std::string text = doc.dump();
  std::string error;
  if (!support::writeFileAtomically(path, text.data(), text.size(), &error))
    return Status(HCC_ERROR_IO, "trace: " + error);
  return Status::ok();
}

} // namespace rt
} // namespace hcc
