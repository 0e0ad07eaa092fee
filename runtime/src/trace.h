//===- trace.h - Per-kernel timing, written as Chrome trace JSON -*- C++ -*-=//
#ifndef HCC_RUNTIME_TRACE_H
#define HCC_RUNTIME_TRACE_H

#include "device.h"
#include "manifest.h"

#include <mutex>
#include <vector>

namespace hcc {
namespace rt {

class TraceRecorder {
public:
  struct Event {
    size_t kernel, run;
    KernelTiming timing;
  };

  explicit TraceRecorder(int64_t originNs) : originNs(originNs) {}
  void record(size_t kernel, size_t run, const KernelTiming &t);
  /// Chrome trace ("traceEvents", ph "X", microseconds), written atomically.
  Status write(const std::string &path, const Manifest &m) const;
  /// The events from index `first` on, at most `max` of them (0: how many
  /// there are, in `total`, and none copied).
  std::vector<Event> events(size_t first, size_t max, size_t &total) const;
  /// Where the recorded times start (the session's creation).
  int64_t origin() const { return originNs; }

private:
  static constexpr size_t kMaxEvents = 1 << 20;
  int64_t originNs;
  mutable std::mutex mu;
  std::vector<Event> recorded;
};

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_TRACE_H
