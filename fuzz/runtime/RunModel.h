//===- RunModel.h - what the runtime fuzzers do with a model ----*- C++ -*-===//
#ifndef HCC_FUZZ_RUNTIME_RUNMODEL_H
#define HCC_FUZZ_RUNTIME_RUNMODEL_H

#include "hcc/runtime.h"

#include <cstdint>

namespace hcc::fuzz {
/// Creates a one-thread session for `model`, runs it once on zero-filled
/// inputs of its declared shapes (symbolic dimensions 1; skipped above
/// 64 MiB of inputs) and releases everything. Every failure must come with
/// a message (hcc_runtime_last_error); otherwise the process aborts.
void runModelOnce(hcc_model_t *model);
/// How far the inputs got: printed at exit when HCC_FUZZ_STATS is set.
struct Progress {
  uint64_t loaded = 0, sessions = 0, runs = 0;
};
Progress &progress();
/// Aborts unless the last failed call left a message.
void requireMessage(hcc_status_t status);
} // namespace hcc::fuzz

#endif // HCC_FUZZ_RUNTIME_RUNMODEL_H
