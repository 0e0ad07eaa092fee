//===- SessionTest.cpp - The C API end to end ----------------------------===//
//
// Kernels are compiled from C at test time, packed with the Writer and run
// through the public API only (this binary links the shared library).
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "hcc/runtime.h"
#include "hcc/runtime/bundle_writer.h"

#include <atomic>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

using nlohmann::json;

namespace {

struct ModelPtr {
  hcc_model_t *m = nullptr;
  ~ModelPtr() { hcc_model_release(m); }
};
struct SessionPtr {
  hcc_session_t *s = nullptr;
  ~SessionPtr() { hcc_session_release(s); }
};
struct TensorPtr {
  hcc_tensor_t *t = nullptr;
  ~TensorPtr() { hcc_tensor_release(t); }
};

hcc_model_t *load(const std::vector<uint8_t> &bytes) {
  hcc_model_t *m = nullptr;
  EXPECT_EQ(hcc_model_load_memory(bytes.data(), bytes.size(), &m), HCC_OK)
      << hcc_runtime_last_error();
  return m;
}

TEST(Session, AddReluEndToEnd) {
  ModelPtr model{load(hcc::test::addReluBundle())};
  ASSERT_NE(model.m, nullptr);
  EXPECT_STREQ(hcc_model_name(model.m), "add_relu");
  const char *manifest = nullptr;
  size_t manifestSize = 0;
  ASSERT_EQ(hcc_model_manifest(model.m, &manifest, &manifestSize), HCC_OK);
  json parsed = json::parse(manifest, manifest + manifestSize, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded());
  EXPECT_FALSE(parsed["kernels"].empty());
  EXPECT_EQ(hcc_model_manifest(nullptr, &manifest, &manifestSize),
            HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(hcc_model_manifest(model.m, nullptr, &manifestSize),
            HCC_ERROR_INVALID_ARGUMENT);
  ASSERT_EQ(hcc_model_input_count(model.m), 1u);
  hcc_value_info_t info;
  ASSERT_EQ(hcc_model_input_info(model.m, 0, &info), HCC_OK);
  EXPECT_STREQ(info.name, "x");
  EXPECT_EQ(info.dtype, HCC_DTYPE_FLOAT32);
  ASSERT_EQ(info.rank, 1u);
  EXPECT_EQ(info.dims[0], 4);
  EXPECT_STREQ(info.dim_names[0], "N");
  EXPECT_NE(hcc_model_output_info(model.m, 1, &info), HCC_OK);

  for (int threads : {1, 2, 4}) {
    hcc_session_options_t *opts = nullptr;
    ASSERT_EQ(hcc_session_options_create(&opts), HCC_OK);
    ASSERT_EQ(hcc_session_options_set_threads(opts, threads), HCC_OK);
    SessionPtr session;
    ASSERT_EQ(hcc_session_create(model.m, opts, &session.s), HCC_OK)
        << hcc_runtime_last_error();
    hcc_session_options_release(opts);

    float x[4] = {1, 1, -10, 10};
    int64_t dims[1] = {4};
    TensorPtr in;
    ASSERT_EQ(hcc_tensor_wrap(HCC_DTYPE_FLOAT32, dims, 1, x, sizeof(x), &in.t),
              HCC_OK);
    for (int rep = 0; rep < 3; ++rep) {
      TensorPtr out;
      ASSERT_EQ(hcc_session_run(session.s, &in.t, 1, &out.t, 1), HCC_OK)
          << hcc_runtime_last_error();
      const float *y = static_cast<const float *>(hcc_tensor_data(out.t));
      EXPECT_EQ(y[0], 2);
      EXPECT_EQ(y[1], 0);
      EXPECT_EQ(y[2], 0);
      EXPECT_EQ(y[3], 6);
    }
    hcc_memory_stats_t stats;
    ASSERT_EQ(hcc_session_memory_stats(session.s, &stats), HCC_OK);
    EXPECT_EQ(stats.arena_bytes, 64u);
    EXPECT_EQ(stats.live_peak_bytes, 64u);
  }
}

TEST(Session, InputValidationNamesTheInput) {
  ModelPtr model{load(hcc::test::addReluBundle())};
  SessionPtr session;
  ASSERT_EQ(hcc_session_create(model.m, nullptr, &session.s), HCC_OK);
  int64_t wrongDims[2] = {1, 3};
  TensorPtr wrongType, wrongShape, out;
  ASSERT_EQ(
      hcc_tensor_create(HCC_DTYPE_INT64, wrongDims, 2, nullptr, &wrongType.t),
      HCC_OK);
  EXPECT_EQ(hcc_session_run(session.s, &wrongType.t, 1, &out.t, 1),
            HCC_ERROR_DTYPE_MISMATCH);
  EXPECT_STREQ(hcc_runtime_last_error(),
               "input 'x': expected float32[4], got int64[1,3]");
  EXPECT_EQ(out.t, nullptr); // nothing half-created
  ASSERT_EQ(hcc_tensor_create(HCC_DTYPE_FLOAT32, wrongDims, 2, nullptr,
                              &wrongShape.t),
            HCC_OK);
  EXPECT_EQ(hcc_session_run(session.s, &wrongShape.t, 1, &out.t, 1),
            HCC_ERROR_SHAPE_MISMATCH);
  EXPECT_EQ(hcc_session_run(session.s, nullptr, 0, &out.t, 1),
            HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("takes 1 inputs, got 0"),
            std::string::npos);
  hcc_tensor_t *nullInput = nullptr;
  EXPECT_EQ(hcc_session_run(session.s, &nullInput, 1, &out.t, 1),
            HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(hcc_runtime_last_error(), "input 'x' is NULL");
  // Wrapping memory of the wrong size is refused up front.
  float small[2];
  int64_t four[1] = {4};
  hcc_tensor_t *t = nullptr;
  EXPECT_EQ(
      hcc_tensor_wrap(HCC_DTYPE_FLOAT32, four, 1, small, sizeof(small), &t),
      HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(t, nullptr);
}

TEST(Session, OutputSharingMemoryWithAnInputIsRefused) {
  // Kernels write the output while others still read the input: shared
  // bytes would give a wrong result silently.
  ModelPtr model{load(hcc::test::addReluBundle())};
  SessionPtr session;
  ASSERT_EQ(hcc_session_create(model.m, nullptr, &session.s), HCC_OK);
  float x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  int64_t dims[1] = {4};
  TensorPtr in, same, shifted, apart;
  ASSERT_EQ(hcc_tensor_wrap(HCC_DTYPE_FLOAT32, dims, 1, x, 16, &in.t), HCC_OK);
  ASSERT_EQ(hcc_tensor_wrap(HCC_DTYPE_FLOAT32, dims, 1, x, 16, &same.t),
            HCC_OK);
  ASSERT_EQ(hcc_tensor_wrap(HCC_DTYPE_FLOAT32, dims, 1, x + 3, 16, &shifted.t),
            HCC_OK);
  for (hcc_tensor_t *out : {same.t, shifted.t}) {
    EXPECT_EQ(hcc_session_run(session.s, &in.t, 1, &out, 1),
              HCC_ERROR_INVALID_ARGUMENT);
    EXPECT_STREQ(hcc_runtime_last_error(),
                 "output 'y' shares memory with input 'x'");
  }
  EXPECT_EQ(x[3], 4); // nothing ran
  // Adjacent memory is not shared.
  ASSERT_EQ(hcc_tensor_wrap(HCC_DTYPE_FLOAT32, dims, 1, x + 4, 16, &apart.t),
            HCC_OK);
  EXPECT_EQ(hcc_session_run(session.s, &in.t, 1, &apart.t, 1), HCC_OK)
      << hcc_runtime_last_error();
}

TEST(Session, LoadErrorsAreReported) {
  hcc_model_t *m = nullptr;
  EXPECT_EQ(hcc_model_load_file("/nonexistent.hccb", &m), HCC_ERROR_IO);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("/nonexistent.hccb"),
            std::string::npos);
  // A kernel symbol that the code does not define.
  json j = hcc::test::addReluManifest();
  j["kernels"][1]["symbol"] = "missing_kernel";
  hcc::bundle::Writer w;
  w.addManifest(j.dump());
  w.addCode("cpu", hcc::test::testKernels());
  float weights[4] = {};
  w.addWeight(weights, sizeof(weights));
  std::vector<uint8_t> bytes = w.serialize();
  EXPECT_EQ(hcc_model_load_memory(bytes.data(), bytes.size(), &m),
            HCC_ERROR_INVALID_BUNDLE);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("'missing_kernel'"),
            std::string::npos);
  // Code that is not an ELF object.
  hcc::bundle::Writer w2;
  w2.addManifest(hcc::test::addReluManifest().dump());
  w2.addCode("cpu", "not elf", 7);
  w2.addWeight(weights, sizeof(weights));
  bytes = w2.serialize();
  EXPECT_EQ(hcc_model_load_memory(bytes.data(), bytes.size(), &m),
            HCC_ERROR_INVALID_BUNDLE);
  EXPECT_EQ(m, nullptr);
}

/// Four independent par_scale kernels (each a parallel-for through the
/// async runtime) plus constant outputs and a view.
std::vector<uint8_t> wideBundle(float constant[4]) {
  json buffers = json::array(), kernels = json::array(),
       outputs = json::array();
  buffers.push_back(
      {{"id", 0}, {"dtype", 1}, {"shape", {4}}, {"kind", "input"}});
  for (int k = 0; k < 4; ++k) {
    buffers.push_back(
        {{"id", 1 + k}, {"dtype", 1}, {"shape", {4}}, {"kind", "output"}});
    outputs.push_back({{"name", "y" + std::to_string(k)}, {"buffer", 1 + k}});
    kernels.push_back({{"id", k},
                       {"name", "scale" + std::to_string(k)},
                       {"device", 0},
                       {"code", "cpu"},
                       {"symbol", "par_scale"},
                       {"args", {0, 1 + k}},
                       {"num_inputs", 1},
                       {"deps", json::array()}});
  }
  buffers.push_back({{"id", 5},
                     {"dtype", 1},
                     {"shape", {4}},
                     {"kind", "constant_output"},
                     {"weight_offset", 0}});
  outputs.push_back({{"name", "c"}, {"buffer", 5}});
  json m = {{"format_version", 1},
            {"model_name", "wide"},
            {"devices", {{{"id", 0}, {"kind", "cpu"}}}},
            {"buffers", buffers},
            {"inputs", {{{"name", "x"}, {"buffer", 0}}}},
            {"outputs", outputs},
            {"kernels", kernels}};
  hcc::bundle::Writer w;
  w.addManifest(m.dump());
  w.addCode("cpu", hcc::test::testKernels());
  w.addWeight(constant, 4 * sizeof(float));
  return w.serialize();
}

TEST(Session, ParallelKernelsAsyncFenceAndTrace) {
  float constant[4] = {7, 8, 9, 10};
  ModelPtr model{load(wideBundle(constant))};
  ASSERT_NE(model.m, nullptr);
  std::atomic<int> allocs{0};
  hcc_allocator_t counting = {
      &allocs,
      [](void *ctx, size_t size, size_t align) -> void * {
        ++*static_cast<std::atomic<int> *>(ctx);
        return aligned_alloc(align, (size + align - 1) / align * align);
      },
      [](void *, void *p) { free(p); }};
  hcc_session_options_t *opts = nullptr;
  ASSERT_EQ(hcc_session_options_create(&opts), HCC_OK);
  hcc_session_options_set_threads(opts, 2);
  hcc_session_options_set_allocator(opts, &counting);
  SessionPtr session;
  ASSERT_EQ(hcc_session_create(model.m, opts, &session.s), HCC_OK)
      << hcc_runtime_last_error();
  hcc_session_options_release(opts);
  int allocsAfterCreate = allocs.load();
  EXPECT_GE(allocsAfterCreate, 1); // the arena

  float x[4] = {1, 2, 3, 4};
  int64_t dims[1] = {4};
  TensorPtr in;
  ASSERT_EQ(hcc_tensor_wrap(HCC_DTYPE_FLOAT32, dims, 1, x, sizeof(x), &in.t),
            HCC_OK);
  hcc_tensor_t *outs[5] = {};
  hcc_fence_t *fence = nullptr;
  ASSERT_EQ(hcc_session_run_async(session.s, &in.t, 1, outs, 5, &fence), HCC_OK)
      << hcc_runtime_last_error();
  EXPECT_EQ(allocs.load(), allocsAfterCreate + 5); // outputs use it too
  EXPECT_EQ(hcc_fence_wait(fence), HCC_OK);
  EXPECT_EQ(hcc_fence_is_done(fence), 1);
  hcc_fence_release(fence);
  for (int k = 0; k < 4; ++k) {
    const float *y = static_cast<const float *>(hcc_tensor_data(outs[k]));
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(y[i], 2 * x[i]);
  }
  const float *c = static_cast<const float *>(hcc_tensor_data(outs[4]));
  EXPECT_EQ(c[3], 10);
  for (hcc_tensor_t *t : outs)
    hcc_tensor_release(t);

  std::string path = hcc::test::tempDir() + "/trace.json";
  ASSERT_EQ(hcc_session_write_trace(session.s, path.c_str()), HCC_OK);
  std::ifstream in2(path);
  json trace = json::parse(in2, nullptr, false);
  ASSERT_FALSE(trace.is_discarded());
  int kernelEvents = 0;
  for (const json &e : trace["traceEvents"])
    if (e["ph"] == "X") {
      ++kernelEvents;
      EXPECT_TRUE(e["dur"].is_number());
      EXPECT_TRUE(e["ts"].is_number());
      EXPECT_GE(e["tid"].get<int>(), 0);
    }
  EXPECT_EQ(kernelEvents, 4);
  EXPECT_EQ(hcc_session_write_trace(session.s, "/nonexistent/dir/t.json"),
            HCC_ERROR_IO);

  // The same events through the C ABI: counted, then copied in two parts.
  size_t count = 0;
  ASSERT_EQ(hcc_session_kernel_events(session.s, 0, nullptr, 0, &count),
            HCC_OK);
  EXPECT_EQ(count, 4u);
  hcc_kernel_event_t events[4] = {};
  size_t got = 0;
  ASSERT_EQ(hcc_session_kernel_events(session.s, 1, events, 4, &got), HCC_OK);
  EXPECT_EQ(got, 3u);
  ASSERT_EQ(hcc_session_kernel_events(session.s, 0, events, 1, &got), HCC_OK);
  EXPECT_EQ(got, 1u);
  EXPECT_STREQ(events[0].device, "cpu");
  EXPECT_NE(std::string(events[0].name), "");
  EXPECT_EQ(events[0].is_transfer, 0);
  EXPECT_EQ(events[0].run, 0u);
  EXPECT_GE(events[0].duration_ns, 0);
  EXPECT_GE(events[0].start_ns, 0);
  EXPECT_EQ(events[0].modelled_ns, -1);
  ASSERT_EQ(hcc_session_kernel_events(session.s, 9, events, 4, &got), HCC_OK);
  EXPECT_EQ(got, 0u);
  EXPECT_EQ(hcc_session_kernel_events(session.s, 0, nullptr, 4, &got),
            HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(hcc_session_kernel_events(nullptr, 0, nullptr, 0, &got),
            HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(hcc_session_kernel_events(session.s, 0, nullptr, 0, nullptr),
            HCC_ERROR_INVALID_ARGUMENT);
}

TEST(Session, TraceEnvVarWritesOnRelease) {
  std::string path = hcc::test::tempDir() + "/env-trace.json";
  setenv("HCC_TRACE", path.c_str(), 1);
  {
    ModelPtr model{load(hcc::test::addReluBundle())};
    SessionPtr session;
    ASSERT_EQ(hcc_session_create(model.m, nullptr, &session.s), HCC_OK);
    float x[4] = {};
    int64_t dims[1] = {4};
    TensorPtr in, out;
    hcc_tensor_wrap(HCC_DTYPE_FLOAT32, dims, 1, x, sizeof(x), &in.t);
    ASSERT_EQ(hcc_session_run(session.s, &in.t, 1, &out.t, 1), HCC_OK);
  }
  unsetenv("HCC_TRACE");
  std::ifstream in(path);
  json trace = json::parse(in, nullptr, false);
  ASSERT_FALSE(trace.is_discarded());
  EXPECT_EQ(trace["traceEvents"].size(), 3u); // process name + 2 kernels
}

TEST(Session, GarbageRankIsAStatus) {
  // A rank no tensor has: refused before dims is read (no exception, no
  // read past the one dimension given).
  int64_t dims[1] = {4};
  float x[4] = {};
  hcc_tensor_t *t = nullptr;
  EXPECT_EQ(
      hcc_tensor_create(HCC_DTYPE_FLOAT32, dims, size_t(1) << 60, nullptr, &t),
      HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(hcc_runtime_last_error(),
               "rank 1152921504606846976 exceeds HCC_MAX_TENSOR_RANK (64)");
  EXPECT_EQ(hcc_tensor_wrap(HCC_DTYPE_FLOAT32, dims, HCC_MAX_TENSOR_RANK + 1, x,
                            sizeof(x), &t),
            HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(t, nullptr);
}

TEST(Session, TensorLargerThanHostMemoryIsAStatus) {
  // As many bytes as the machine has: Linux would overcommit the
  // allocation and kill the process on first touch; the runtime refuses.
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  ASSERT_GT(pages, 0);
  int64_t dims[1] = {int64_t(pages) * page / 4};
  hcc_tensor_t *t = nullptr;
  EXPECT_EQ(hcc_tensor_create(HCC_DTYPE_FLOAT32, dims, 1, nullptr, &t),
            HCC_ERROR_OUT_OF_MEMORY);
  EXPECT_EQ(t, nullptr);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("cannot allocate"),
            std::string::npos);
  // Small tensors are not slowed by the question.
  int64_t small[1] = {1024};
  ASSERT_EQ(hcc_tensor_create(HCC_DTYPE_FLOAT32, small, 1, nullptr, &t),
            HCC_OK);
  hcc_tensor_release(t);
}

TEST(Session, UnwritableTraceFailsCreation) {
  ModelPtr model{load(hcc::test::addReluBundle())};
  hcc_session_options_t *options = nullptr;
  ASSERT_EQ(hcc_session_options_create(&options), HCC_OK);
  std::string path = hcc::test::tempDir() + "/no/such/dir/trace.json";
  ASSERT_EQ(hcc_session_options_set_trace_path(options, path.c_str()), HCC_OK);
  SessionPtr session;
  EXPECT_EQ(hcc_session_create(model.m, options, &session.s), HCC_ERROR_IO);
  EXPECT_EQ(session.s, nullptr);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("trace (options)"),
            std::string::npos)
      << hcc_runtime_last_error();
  hcc_session_options_release(options);
}

TEST(Session, StatusStrings) {
  EXPECT_STREQ(hcc_status_string(HCC_ERROR_VERSION_MISMATCH),
               "HCC_ERROR_VERSION_MISMATCH");
  EXPECT_EQ(hcc_dtype_size(HCC_DTYPE_BFLOAT16), 2u);
  // Narrow types take one byte per element in memory.
  EXPECT_EQ(hcc_dtype_size(HCC_DTYPE_INT4), 1u);
  EXPECT_EQ(hcc_dtype_size(HCC_DTYPE_FLOAT8E4M3FN), 1u);
  EXPECT_STREQ(hcc_dtype_name(HCC_DTYPE_FLOAT4E2M1), "float4e2m1");
  EXPECT_EQ(hcc_dtype_size(static_cast<hcc_dtype_t>(27)), 0u);
  EXPECT_EQ(hcc_runtime_bundle_format_version(), 1u);
}

} // namespace
