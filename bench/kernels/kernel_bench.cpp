//===- kernel_bench.cpp - Google Benchmark over compiled bundles ----------===//
//
//   hcc-kernel-bench a.hccb b.hccb ... [--threads=N] [--benchmark_...]
//
// Registers one benchmark per bundle (typically a single-op model written by
// make_kernels.py: one Conv, one MatMul, ...) and times hcc_session_run on
// random inputs through the runtime's public C API, so per-kernel changes of
// the code generator show up as Google Benchmark numbers.
//
//===----------------------------------------------------------------------===//

#include "hcc/runtime.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

struct Runner {
  hcc_model_t *model = nullptr;
  hcc_session_t *session = nullptr;
  std::vector<hcc_tensor_t *> inputs, outputs;

  ~Runner() {
    for (hcc_tensor_t *t : inputs)
      hcc_tensor_release(t);
    for (hcc_tensor_t *t : outputs)
      hcc_tensor_release(t);
    hcc_session_release(session);
    hcc_model_release(model);
  }

  bool open(const std::string &path, int threads) {
    if (hcc_model_load_file(path.c_str(), &model) != HCC_OK)
      return false;
    hcc_session_options_t *options = nullptr;
    if (hcc_session_options_create(&options) != HCC_OK)
      return false;
    hcc_session_options_set_threads(options, threads);
    hcc_status_t st = hcc_session_create(model, options, &session);
    hcc_session_options_release(options);
    if (st != HCC_OK)
      return false;
    std::mt19937 rng(0);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (size_t i = 0, n = hcc_model_input_count(model); i < n; ++i) {
      hcc_value_info_t info;
      hcc_model_input_info(model, i, &info);
      hcc_tensor_t *t = nullptr;
      if (hcc_tensor_create(info.dtype, info.dims, info.rank, nullptr, &t) !=
          HCC_OK)
        return false;
      inputs.push_back(t);
      if (info.dtype == HCC_DTYPE_FLOAT32) {
        float *x = static_cast<float *>(hcc_tensor_data(t));
        for (size_t k = 0, e = hcc_tensor_size_bytes(t) / 4; k < e; ++k)
          x[k] = dist(rng);
      } else {
        std::memset(hcc_tensor_data(t), 0, hcc_tensor_size_bytes(t));
      }
    }
    outputs.assign(hcc_model_output_count(model), nullptr);
    return run();
  }

  bool run() {
    for (hcc_tensor_t *&t : outputs) {
      hcc_tensor_release(t);
      t = nullptr;
    }
    return hcc_session_run(session, inputs.data(), inputs.size(),
                           outputs.data(), outputs.size()) == HCC_OK;
  }
};

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  int threads = 1;
  std::vector<std::string> bundles;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--threads=", 10) == 0)
      threads = std::atoi(argv[i] + 10);
    else
      bundles.push_back(argv[i]);
  }
  if (bundles.empty()) {
    std::fprintf(stderr, "usage: hcc-kernel-bench BUNDLE.hccb... "
                         "[--threads=N] [--benchmark_...]\n");
    return 2;
  }
  std::vector<std::unique_ptr<Runner>> runners;
  for (const std::string &path : bundles) {
    auto runner = std::make_unique<Runner>();
    if (!runner->open(path, threads)) {
      std::fprintf(stderr, "hcc-kernel-bench: '%s': %s\n", path.c_str(),
                   hcc_runtime_last_error());
      return 1;
    }
    Runner *r = runner.get();
    benchmark::RegisterBenchmark(path.c_str(), [r](benchmark::State &state) {
      for (auto _ : state)
        if (!r->run())
          state.SkipWithError(hcc_runtime_last_error());
    })->Unit(benchmark::kMicrosecond);
    runners.push_back(std::move(runner));
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
