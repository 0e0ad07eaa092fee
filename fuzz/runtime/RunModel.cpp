//===- RunModel.cpp - what the runtime fuzzers do with a model ------------===//

#include "RunModel.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace hcc::fuzz {

Progress &progress() {
  static Progress *p = [] {
    auto *made = new Progress;
    if (std::getenv("HCC_FUZZ_STATS"))
      std::atexit([] {
        std::fprintf(stderr,
                     "hcc-fuzz: %llu models loaded, %llu sessions, %llu runs "
                     "completed\n",
                     (unsigned long long)progress().loaded,
                     (unsigned long long)progress().sessions,
                     (unsigned long long)progress().runs);
      });
    return made;
  }();
  return *p;
}

void requireMessage(hcc_status_t status) {
  const char *message = hcc_runtime_last_error();
  if (status != HCC_OK && (!message || !*message))
    std::abort(); // every failure says why
}

void runModelOnce(hcc_model_t *model) {
  ++progress().loaded;
  constexpr uint64_t kMaxInputBytes = uint64_t(64) << 20;
  std::vector<hcc_tensor_t *> inputs;
  uint64_t total = 0;
  bool ok = true;
  for (size_t i = 0, n = hcc_model_input_count(model); ok && i < n; ++i) {
    hcc_value_info_t info;
    hcc_status_t status = hcc_model_input_info(model, i, &info);
    requireMessage(status);
    if (status != HCC_OK)
      return (void)(ok = false);
    std::vector<int64_t> dims(info.dims, info.dims + info.rank);
    uint64_t elements = 1;
    for (int64_t &d : dims) {
      d = d < 0 ? 1 : d;
      elements = d && elements > kMaxInputBytes / uint64_t(d)
                     ? kMaxInputBytes + 1
                     : elements * uint64_t(d);
    }
    total += elements * hcc_dtype_size(info.dtype);
    hcc_tensor_t *t = nullptr;
    if (total > kMaxInputBytes ||
        hcc_tensor_create(info.dtype, dims.data(), dims.size(), nullptr, &t) !=
            HCC_OK) {
      ok = false;
      break;
    }
    std::memset(hcc_tensor_data(t), 0, hcc_tensor_size_bytes(t));
    inputs.push_back(t);
  }
  if (ok) {
    hcc_session_options_t *options = nullptr;
    hcc_session_t *session = nullptr;
    if (hcc_session_options_create(&options) == HCC_OK &&
        hcc_session_options_set_threads(options, 1) == HCC_OK) {
      hcc_status_t status = hcc_session_create(model, options, &session);
      requireMessage(status);
    }
    hcc_session_options_release(options);
    if (session) {
      ++progress().sessions;
      std::vector<hcc_tensor_t *> outputs(hcc_model_output_count(model));
      hcc_status_t status =
          hcc_session_run(session, inputs.data(), inputs.size(), outputs.data(),
                          outputs.size());
      requireMessage(status);
      progress().runs += status == HCC_OK;
      for (hcc_tensor_t *t : outputs)
        hcc_tensor_release(t);
      hcc_session_release(session);
    }
  }
  for (hcc_tensor_t *t : inputs)
    hcc_tensor_release(t);
}

} // namespace hcc::fuzz
