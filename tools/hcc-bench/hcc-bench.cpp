//===- hcc-bench.cpp - Latency and throughput of a compiled bundle -------===//
//
// Random inputs, warm-up runs, then per-run wall time of hcc_session_run.
// Uses the public runtime API only.
//
//===----------------------------------------------------------------------===//

#include "hcc/runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

const char *kUsage = R"(usage: hcc-bench MODEL.hccb [options]

Runs a compiled hcc bundle on random inputs and reports latency percentiles
(p50/p90/p99/min, milliseconds) and throughput (runs per second).

options:
  --threads N      worker threads (default: one per hardware thread)
  --iterations K   timed runs (default 100)
  --warmup W       untimed runs first (default 10)
  -h, --help       show this help
)";

int die(const std::string &message) {
  std::fprintf(stderr, "hcc-bench: %s\n", message.c_str());
  return 1;
}

bool parseInt(const char *s, long lo, long hi, long &out) {
  char *end = nullptr;
  out = s ? std::strtol(s, &end, 10) : lo - 1;
  return s && *s && *end == '\0' && out >= lo && out <= hi;
}

/// Fills a tensor with values every dtype can hold: small integers, 0/1
/// for bool, uniform [-1, 1) for floats.
void fillRandom(hcc_tensor_t *t, std::mt19937 &rng) {
  size_t bytes = hcc_tensor_size_bytes(t);
  uint8_t *p = static_cast<uint8_t *>(hcc_tensor_data(t));
  hcc_dtype_t dt = hcc_tensor_dtype(t);
  size_t elem = hcc_dtype_size(dt), n = elem ? bytes / elem : 0;
  std::uniform_real_distribution<float> uf(-1.f, 1.f);
  for (size_t i = 0; i < n; ++i) {
    if (dt == HCC_DTYPE_FLOAT32) {
      float v = uf(rng);
      std::memcpy(p + 4 * i, &v, 4);
    } else if (dt == HCC_DTYPE_FLOAT64) {
      double v = uf(rng);
      std::memcpy(p + 8 * i, &v, 8);
    } else if (dt == HCC_DTYPE_BOOL) {
      p[i] = rng() & 1;
    } else if (dt == HCC_DTYPE_FLOAT16 || dt == HCC_DTYPE_BFLOAT16) {
      uint16_t v = dt == HCC_DTYPE_FLOAT16 ? 0x3800 : 0x3f00; // 0.5
      std::memcpy(p + 2 * i, &v, 2);
    } else {
      // Little-endian small non-negative integer of any width.
      std::memset(p + elem * i, 0, elem);
      p[elem * i] = static_cast<uint8_t>(rng() % 8);
    }
  }
}

/// This process's peak resident set in bytes (VmHWM: reset by exec, unlike
/// getrusage's ru_maxrss, which keeps the forking parent's peak); 0 where
/// /proc is not there.
unsigned long long peakResidentBytes() {
  std::FILE *f = std::fopen("/proc/self/status", "r");
  if (!f)
    return 0;
  char line[256];
  unsigned long long kib = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmHWM: %llu kB", &kib) == 1)
      break;
  std::fclose(f);
  return kib * 1024;
}

double percentile(const std::vector<double> &sorted, double q) {
  size_t idx = static_cast<size_t>(q * (sorted.size() - 1) + 0.5);
  return sorted[std::min(idx, sorted.size() - 1)];
}

} // namespace

int main(int argc, char **argv) {
  std::string modelPath;
  long threads = 0, iterations = 100, warmup = 10;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--threads") {
      if (!parseInt(v, 0, 4096, threads))
        return die("--threads needs a number in [0, 4096]");
      ++i;
    } else if (a == "--iterations") {
      if (!parseInt(v, 1, 100000000, iterations))
        return die("--iterations needs a positive number");
      ++i;
    } else if (a == "--warmup") {
      if (!parseInt(v, 0, 100000000, warmup))
        return die("--warmup needs a non-negative number");
      ++i;
    } else if (a.size() > 1 && a[0] == '-') {
      return die("unknown option '" + a + "' (see --help)");
    } else if (modelPath.empty()) {
      modelPath = a;
    } else {
      return die("unexpected argument '" + a + "' (see --help)");
    }
  }
  if (modelPath.empty())
    return die("no model given (see --help)");

  hcc_model_t *model = nullptr;
  if (hcc_model_load_file(modelPath.c_str(), &model) != HCC_OK)
    return die(hcc_runtime_last_error());
  hcc_session_options_t *opts = nullptr;
  hcc_session_options_create(&opts);
  hcc_session_options_set_threads(opts, static_cast<int>(threads));
  hcc_session_t *session = nullptr;
  hcc_status_t st = hcc_session_create(model, opts, &session);
  hcc_session_options_release(opts);
  if (st != HCC_OK) {
    hcc_model_release(model);
    return die(hcc_runtime_last_error());
  }

  std::mt19937 rng(0);
  size_t nIn = hcc_model_input_count(model),
         nOut = hcc_model_output_count(model);
  std::vector<hcc_tensor_t *> inputs(nIn, nullptr), outputs(nOut, nullptr);
  int rc = 0;
  for (size_t i = 0; i < nIn && rc == 0; ++i) {
    hcc_value_info_t info;
    hcc_model_input_info(model, i, &info);
    if (hcc_tensor_create(info.dtype, info.dims, info.rank, nullptr,
                          &inputs[i]) != HCC_OK)
      rc = die(hcc_runtime_last_error());
    else
      fillRandom(inputs[i], rng);
  }
  std::vector<double> ms;
  for (long it = 0; rc == 0 && it < warmup + iterations; ++it) {
    auto t0 = std::chrono::steady_clock::now();
    // Outputs are reused after the first run, as a serving loop would.
    if (hcc_session_run(session, inputs.data(), nIn, outputs.data(), nOut) !=
        HCC_OK) {
      rc = die(hcc_runtime_last_error());
      break;
    }
    auto t1 = std::chrono::steady_clock::now();
    if (it >= warmup)
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  if (rc == 0) {
    double total = 0;
    for (double v : ms)
      total += v;
    std::sort(ms.begin(), ms.end());
    hcc_memory_stats_t mem{};
    hcc_session_memory_stats(session, &mem);
    std::printf("model: %s (%s)\n", hcc_model_name(model), modelPath.c_str());
    std::printf("threads: %ld  iterations: %ld  warmup: %ld\n", threads,
                iterations, warmup);
    std::printf("latency ms: p50 %.4f  p90 %.4f  p99 %.4f  min %.4f  mean "
                "%.4f\n",
                percentile(ms, 0.5), percentile(ms, 0.9), percentile(ms, 0.99),
                ms.front(), total / ms.size());
    std::printf("throughput: %.1f runs/s\n", 1000.0 * ms.size() / total);
    std::printf("memory: arena %llu B, live peak %llu B, weights %llu B, "
                "process peak resident %llu B\n",
                static_cast<unsigned long long>(mem.arena_bytes),
                static_cast<unsigned long long>(mem.live_peak_bytes),
                static_cast<unsigned long long>(mem.weights_bytes),
                peakResidentBytes());
  }
  for (hcc_tensor_t *t : inputs)
    hcc_tensor_release(t);
  for (hcc_tensor_t *t : outputs)
    hcc_tensor_release(t);
  hcc_session_release(session);
  hcc_model_release(model);
  return rc;
}
