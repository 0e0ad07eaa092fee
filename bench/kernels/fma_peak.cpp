//===- fma_peak.cpp - this core's measured f32 FMA peak -------------------===//
//
// hcc-fma-peak: the f32 multiply-add throughput one core reaches on
// independent register accumulators (no memory traffic), for the widest
// vectors the host has (AVX-512 and AVX2+FMA are both measured: some cores
// run 512-bit FMAs on one port only). bench/gemm.py divides kernel
// GFLOP/s by this figure. Prints "peak-gflops <best> <isa>" last.
//
//===----------------------------------------------------------------------===//

#include <chrono>
#include <cstdio>
#include <cstdlib>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

using Clock = std::chrono::steady_clock;

/// Accumulator chains: enough to cover the FMA latency (4-5 cycles) on two
/// ports, and few enough to stay in registers.
constexpr int kChains = 12;

#if defined(__x86_64__)
__attribute__((target("avx512f"))) float run512(long iters) {
  __m512 acc[kChains];
  for (int j = 0; j < kChains; ++j)
    acc[j] = _mm512_set1_ps(static_cast<float>(j));
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long i = 0; i < iters; ++i)
#pragma GCC unroll 12
    for (int j = 0; j < kChains; ++j)
      acc[j] = _mm512_fmadd_ps(acc[j], a, b);
  __m512 sum = acc[0];
  for (int j = 1; j < kChains; ++j)
    sum = _mm512_add_ps(sum, acc[j]);
  return _mm512_reduce_add_ps(sum);
}

__attribute__((target("avx2,fma"))) float run256(long iters) {
  __m256 acc[kChains];
  for (int j = 0; j < kChains; ++j)
    acc[j] = _mm256_set1_ps(static_cast<float>(j));
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long i = 0; i < iters; ++i)
#pragma GCC unroll 12
    for (int j = 0; j < kChains; ++j)
      acc[j] = _mm256_fmadd_ps(acc[j], a, b);
  __m256 sum = acc[0];
  for (int j = 1; j < kChains; ++j)
    sum = _mm256_add_ps(sum, acc[j]);
  float lanes[8];
  _mm256_storeu_ps(lanes, sum);
  float total = 0;
  for (float f : lanes)
    total += f;
  return total;
}
#endif

/// Best GFLOP/s of `repeats` timed runs of `iters` iterations.
template <typename Fn>
double measure(Fn fn, int lanes, long iters, int repeats) {
  double best = 0;
  volatile float sink = 0;
  for (int r = 0; r < repeats; ++r) {
    auto start = Clock::now();
    sink = sink + fn(iters);
    double seconds =
        std::chrono::duration<double>(Clock::now() - start).count();
    double gflops = 2.0 * lanes * kChains * iters / seconds * 1e-9;
    if (gflops > best)
      best = gflops;
  }
  return best;
}

} // namespace

int main(int argc, char **argv) {
  long iters = argc > 1 ? std::atol(argv[1]) : 4000000;
  if (iters <= 0) {
    std::fprintf(stderr, "hcc-fma-peak: iterations must be positive\n");
    return 1;
  }
#if defined(__x86_64__)
  __builtin_cpu_init();
  double best = 0;
  const char *isa = "none";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    double g = measure(run256, 8, iters, 15);
    std::printf("avx2-fma    %8.1f GFLOP/s\n", g);
    best = g;
    isa = "avx2";
  }
  if (__builtin_cpu_supports("avx512f")) {
    double g = measure(run512, 16, iters, 15);
    std::printf("avx512f     %8.1f GFLOP/s\n", g);
    if (g > best) {
      best = g;
      isa = "avx512";
    }
  }
  if (best == 0) {
    std::fprintf(stderr, "hcc-fma-peak: the host has no AVX2/FMA\n");
    return 1;
  }
  std::printf("peak-gflops %.1f %s\n", best, isa);
  return 0;
#else
  std::fprintf(stderr, "hcc-fma-peak: x86-64 only\n");
  return 1;
#endif
}
