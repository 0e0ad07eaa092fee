//===- DeviceSessionTest.cpp - Sessions across devices, and their faults --===//
//
// A bundle whose kernels run on the cpu and on an OpenCL device, with the
// transfers between them, run through the public API; then every kind of
// device failure injected with HCC_FAULT_INJECT. Skipped (reported as such)
// on machines without an OpenCL device.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "hcc/runtime.h"
#include "hcc/runtime/bundle_writer.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

using nlohmann::json;

namespace {

bool haveOpenCL() {
  size_t n = 0;
  if (hcc_device_count(&n) != HCC_OK)
    return false;
  for (size_t i = 0; i < n; ++i) {
    hcc_device_info_t d;
    if (hcc_device_info(i, &d) == HCC_OK && std::string(d.driver) == "opencl")
      return true;
  }
  return false;
}

/// A float32[4] buffer of the manifests below.
json f32(int id, const char *kind, int device) {
  return json{{"id", id},
              {"dtype", 1},
              {"shape", {4}},
              {"kind", kind},
              {"device", device}};
}

/// Transfer `id`: buffer src (device from) -> buffer dst (device to).
json copy(int id, int src, int dst, int from, int to, json deps) {
  return json{{"id", id},
              {"name", "transfer_" + std::to_string(id)},
              {"kind", "transfer"},
              {"device", to},
              {"from_device", from},
              {"args", {src, dst}},
              {"num_inputs", 1},
              {"deps", deps}};
}

/// relu_mul(a, w) -> o = relu(a) * w, one stage of 4 work-items.
json openclSection() {
  return {{"format", "hcc-opencl-c/2"},
          {"source",
           "__kernel void relu_mul_s0(__global const float *a, ulong ao, "
           "__global const float *w, ulong wo, __global float *o, ulong oo) "
           "{\n  size_t i = get_global_id(0);\n  a += ao / 4;\n  w += wo / "
           "4;\n  o += oo / 4;\n  o[i] = (a[i] > 0 ? a[i] : 0) * w[i];\n}\n"},
          {"options", "-cl-std=CL1.2"},
          {"kernels",
           {{"hcc_relu_mul",
             {{"num_args", 3},
              {"scratch", json::array()},
              {"stages",
               {{{"entry", "relu_mul_s0"},
                 {"global_size", 4},
                 {"args", {0, 1, 2}}}}}}}}}};
}

/// y = relu(x + w) * w: `add` on the cpu, `relu_mul` on OpenCL; w is copied
/// to the device once per session, t there and y back each run.
std::vector<uint8_t> mixedBundle() {
  json w = f32(1, "weight", 0);
  w["weight_offset"] = 0;
  json manifest = {
      {"format_version", 1},
      {"producer", "hcc-test"},
      {"model_name", "mixed"},
      {"devices",
       {{{"id", 0}, {"kind", "cpu"}}, {{"id", 1}, {"kind", "opencl"}}}},
      {"buffers",
       {f32(0, "input", 0), w, f32(2, "intermediate", 0),
        f32(3, "intermediate", 1), f32(4, "intermediate", 1),
        f32(5, "intermediate", 1), f32(6, "output", 0)}},
      {"inputs", {{{"name", "x"}, {"buffer", 0}}}},
      {"outputs", {{{"name", "y"}, {"buffer", 6}}}},
      {"kernels",
       {{{"id", 0},
         {"name", "add"},
         {"device", 0},
         {"code", "cpu"},
         {"symbol", "add_f32"},
         {"args", {0, 1, 2}},
         {"num_inputs", 2},
         {"deps", json::array()}},
        copy(1, 2, 3, 0, 1, {0}),
        copy(2, 1, 4, 0, 1, json::array()),
        {{"id", 3},
         {"name", "relu_mul"},
         {"device", 1},
         {"code", "opencl"},
         {"symbol", "hcc_relu_mul"},
         {"args", {3, 4, 5}},
         {"num_inputs", 2},
         {"deps", {1, 2}}},
        copy(4, 5, 6, 1, 0, {3})}}};
  hcc::bundle::Writer writer;
  writer.addManifest(manifest.dump());
  writer.addCode("cpu", hcc::test::testKernels());
  std::string text = openclSection().dump();
  writer.addCode("opencl", std::vector<uint8_t>(text.begin(), text.end()));
  const float weights[4] = {1, -2, 3, -4};
  writer.addWeight(weights, sizeof(weights));
  return writer.serialize();
}

/// y = relu(x) * w with every op on OpenCL: x goes to the device through a
/// transfer, y comes back through one (device tensors replace both).
std::vector<uint8_t> openclBundle() {
  json w = f32(1, "weight", 0);
  w["weight_offset"] = 0;
  json manifest = {
      {"format_version", 1},
      {"model_name", "ocl"},
      {"devices",
       {{{"id", 0}, {"kind", "cpu"}}, {{"id", 1}, {"kind", "opencl"}}}},
      {"buffers",
       {f32(0, "input", 0), w, f32(2, "intermediate", 1),
        f32(3, "intermediate", 1), f32(4, "intermediate", 1),
        f32(5, "output", 0)}},
      {"inputs", {{{"name", "x"}, {"buffer", 0}}}},
      {"outputs", {{{"name", "y"}, {"buffer", 5}}}},
      {"kernels",
       {copy(0, 0, 2, 0, 1, json::array()),
        copy(1, 1, 3, 0, 1, json::array()),
        {{"id", 2},
         {"name", "relu_mul"},
         {"device", 1},
         {"code", "opencl"},
         {"symbol", "hcc_relu_mul"},
         {"args", {2, 3, 4}},
         {"num_inputs", 2},
         {"deps", {0, 1}}},
        copy(3, 4, 5, 1, 0, {2})}}};
  hcc::bundle::Writer writer;
  writer.addManifest(manifest.dump());
  std::string text = openclSection().dump();
  writer.addCode("opencl", std::vector<uint8_t>(text.begin(), text.end()));
  const float weights[4] = {1, -2, 3, -4};
  writer.addWeight(weights, sizeof(weights));
  return writer.serialize();
}

/// Sets HCC_FAULT_INJECT for one scope.
struct FaultScope {
  explicit FaultScope(const char *spec) { setenv("HCC_FAULT_INJECT", spec, 1); }
  ~FaultScope() { unsetenv("HCC_FAULT_INJECT"); }
};

class DeviceSession : public ::testing::Test {
protected:
  void SetUp() override {
    if (!haveOpenCL())
      GTEST_SKIP() << "no OpenCL device on this machine";
    std::vector<uint8_t> bytes = mixedBundle();
    ASSERT_EQ(hcc_model_load_memory(bytes.data(), bytes.size(), &model), HCC_OK)
        << hcc_runtime_last_error();
    int64_t dims[1] = {4};
    ASSERT_EQ(hcc_tensor_wrap(HCC_DTYPE_FLOAT32, dims, 1, x, sizeof(x), &in),
              HCC_OK);
    ASSERT_EQ(hcc_tensor_wrap(HCC_DTYPE_FLOAT32, dims, 1, y, sizeof(y), &out),
              HCC_OK);
  }
  void TearDown() override {
    hcc_session_release(session);
    hcc_tensor_release(in);
    hcc_tensor_release(out);
    hcc_model_release(model);
  }
  hcc_status_t create() { return hcc_session_create(model, nullptr, &session); }
  hcc_status_t run() {
    for (float &v : y)
      v = 7;
    return hcc_session_run(session, &in, 1, &out, 1);
  }
  void expectResult() {
    // t = x + w = {2, 0, 6, 0}; relu(t) * w = {2, 0, 18, 0}.
    const float want[4] = {2, 0, 18, 0};
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(y[i], want[i]) << i;
  }
  void expectZeros() {
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(y[i], 0) << "output element " << i << " is half-written";
  }

  hcc_model_t *model = nullptr;
  hcc_session_t *session = nullptr;
  hcc_tensor_t *in = nullptr, *out = nullptr;
  float x[4] = {1, 2, 3, 4}, y[4] = {};
};

TEST(Devices, Enumerate) {
  size_t n = 0;
  ASSERT_EQ(hcc_device_count(&n), HCC_OK);
  ASSERT_GE(n, 1u);
  hcc_device_info_t d;
  ASSERT_EQ(hcc_device_info(0, &d), HCC_OK);
  EXPECT_STREQ(d.driver, "cpu");
  EXPECT_GE(d.compute_units, 1u);
  EXPECT_EQ(hcc_device_info(n, &d), HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("does not exist"),
            std::string::npos);
  EXPECT_EQ(hcc_device_count(nullptr), HCC_ERROR_INVALID_ARGUMENT);
  hcc_session_options_t *opts = nullptr;
  ASSERT_EQ(hcc_session_options_create(&opts), HCC_OK);
  EXPECT_EQ(hcc_session_options_set_device(opts, "tpu", "x"),
            HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("drivers: cpu"),
            std::string::npos);
  hcc_session_options_release(opts);
}

TEST_F(DeviceSession, RunsAcrossDevicesWithTransfers) {
  std::string trace = hcc::test::tempDir() + "/mixed-trace.json";
  hcc_session_options_t *opts = nullptr;
  ASSERT_EQ(hcc_session_options_create(&opts), HCC_OK);
  ASSERT_EQ(hcc_session_options_set_trace_path(opts, trace.c_str()), HCC_OK);
  ASSERT_EQ(hcc_session_create(model, opts, &session), HCC_OK)
      << hcc_runtime_last_error();
  hcc_session_options_release(opts);
  for (int r = 0; r < 3; ++r) {
    ASSERT_EQ(run(), HCC_OK) << hcc_runtime_last_error();
    expectResult();
  }
  hcc_session_release(session);
  session = nullptr;
  std::ifstream f(trace);
  std::stringstream text;
  text << f.rdbuf();
  json doc = json::parse(text.str());
  int transfers = 0, kernels = 0;
  for (const json &e : doc["traceEvents"]) {
    if (e.value("cat", "") == "transfer") {
      ++transfers;
      EXPECT_EQ(e["args"]["bytes"], 16);
    }
    kernels += e.value("cat", "") == "kernel";
  }
  // Per run: t to the device, y back; w was copied once, at creation.
  EXPECT_EQ(transfers, 6);
  EXPECT_EQ(kernels, 6);
}

TEST_F(DeviceSession, NoDeviceMatchesTheRequestedName) {
  hcc_session_options_t *opts = nullptr;
  ASSERT_EQ(hcc_session_options_create(&opts), HCC_OK);
  ASSERT_EQ(hcc_session_options_set_device(opts, "opencl", "no-such-device"),
            HCC_OK);
  EXPECT_EQ(hcc_session_create(model, opts, &session),
            HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("devices present"),
            std::string::npos);
  hcc_session_options_release(opts);
}

TEST_F(DeviceSession, LaunchFailureNamesKernelAndDeviceThenRecovers) {
  FaultScope fault("launch:1:opencl");
  ASSERT_EQ(create(), HCC_OK) << hcc_runtime_last_error();
  EXPECT_EQ(run(), HCC_ERROR_DEVICE);
  std::string msg = hcc_runtime_last_error();
  EXPECT_NE(msg.find("kernel 'relu_mul' on opencl device"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("injected launch failure"), std::string::npos) << msg;
  expectZeros();
  // Only the first launch fails: the session stays usable.
  ASSERT_EQ(run(), HCC_OK) << hcc_runtime_last_error();
  expectResult();
}

TEST_F(DeviceSession, CopyFailureAtCreationFailsTheSession) {
  FaultScope fault("copy:1:opencl"); // the weights' one-time copy
  EXPECT_EQ(create(), HCC_ERROR_DEVICE);
  EXPECT_EQ(session, nullptr);
  std::string msg = hcc_runtime_last_error();
  EXPECT_NE(msg.find("copying weights for 'transfer_2' to opencl device"),
            std::string::npos)
      << msg;
}

TEST_F(DeviceSession, CopyFailureDuringARun) {
  FaultScope fault("copy:2:opencl");
  ASSERT_EQ(create(), HCC_OK) << hcc_runtime_last_error();
  EXPECT_EQ(run(), HCC_ERROR_DEVICE);
  std::string msg = hcc_runtime_last_error();
  EXPECT_NE(msg.find("transfer 'transfer_1'"), std::string::npos) << msg;
  expectZeros();
  ASSERT_EQ(run(), HCC_OK) << hcc_runtime_last_error();
  expectResult();
}

TEST_F(DeviceSession, AllocationFailureNamesTheDevice) {
  FaultScope fault("allocate:1:opencl");
  EXPECT_EQ(create(), HCC_ERROR_DEVICE);
  std::string msg = hcc_runtime_last_error();
  EXPECT_NE(msg.find("allocating"), std::string::npos) << msg;
  EXPECT_NE(msg.find("on opencl device"), std::string::npos) << msg;
}

TEST_F(DeviceSession, WaitFailure) {
  FaultScope fault("wait:3:opencl"); // weights, t, then the kernel
  ASSERT_EQ(create(), HCC_OK) << hcc_runtime_last_error();
  EXPECT_EQ(run(), HCC_ERROR_DEVICE);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("relu_mul"),
            std::string::npos);
  expectZeros();
  ASSERT_EQ(run(), HCC_OK);
  expectResult();
}

TEST_F(DeviceSession, LostDeviceFailsEveryLaterRun) {
  FaultScope fault("lost:5:opencl"); // 2 allocations, 3 copies: the launch
  ASSERT_EQ(create(), HCC_OK) << hcc_runtime_last_error();
  for (int r = 0; r < 2; ++r) {
    EXPECT_EQ(run(), HCC_ERROR_DEVICE_LOST);
    std::string msg = hcc_runtime_last_error();
    EXPECT_NE(msg.find("create a new session"), std::string::npos) << msg;
    expectZeros();
  }
}

TEST_F(DeviceSession, MalformedFaultSpecIsRejected) {
  FaultScope fault("explode:1");
  EXPECT_EQ(create(), HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("HCC_FAULT_INJECT"),
            std::string::npos);
}

TEST(DeviceTensors, SkipTheCopiesThroughHostMemory) {
  if (!haveOpenCL())
    GTEST_SKIP() << "no OpenCL device on this machine";
  std::vector<uint8_t> bytes = openclBundle();
  hcc_model_t *model = nullptr;
  ASSERT_EQ(hcc_model_load_memory(bytes.data(), bytes.size(), &model), HCC_OK)
      << hcc_runtime_last_error();
  hcc_session_t *session = nullptr;
  ASSERT_EQ(hcc_session_create(model, nullptr, &session), HCC_OK);
  int64_t dims[1] = {4};
  hcc_tensor_t *x = nullptr, *y = nullptr, *host = nullptr;
  ASSERT_EQ(hcc_session_create_device_tensor(session, "opencl",
                                             HCC_DTYPE_FLOAT32, dims, 1, &x),
            HCC_OK)
      << hcc_runtime_last_error();
  ASSERT_EQ(hcc_session_create_device_tensor(session, "opencl",
                                             HCC_DTYPE_FLOAT32, dims, 1, &y),
            HCC_OK);
  EXPECT_STREQ(hcc_tensor_device(x), "opencl");
  EXPECT_EQ(hcc_tensor_data(x), nullptr);
  const float in[4] = {1, -2, 3, 4};
  ASSERT_EQ(hcc_tensor_write(x, in, sizeof(in)), HCC_OK);
  EXPECT_EQ(hcc_tensor_write(x, in, 8), HCC_ERROR_INVALID_ARGUMENT);
  ASSERT_EQ(hcc_session_run(session, &x, 1, &y, 1), HCC_OK)
      << hcc_runtime_last_error();
  float out[4] = {};
  ASSERT_EQ(hcc_tensor_read(y, out, sizeof(out)), HCC_OK);
  const float want[4] = {1, 0, 9, -16}; // relu(x) * w
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(out[i], want[i]) << i;
  // A host output next to a device input, and the other way round.
  ASSERT_EQ(hcc_session_run(session, &x, 1, &host, 1), HCC_OK);
  EXPECT_EQ(static_cast<float *>(hcc_tensor_data(host))[2], 9);
  EXPECT_STREQ(hcc_tensor_device(host), "cpu");
  ASSERT_EQ(hcc_session_run(session, &host, 1, &y, 1), HCC_OK);
  // The tensors keep the device alive past the session.
  hcc_session_release(session);
  ASSERT_EQ(hcc_tensor_read(y, out, sizeof(out)), HCC_OK);
  EXPECT_EQ(out[2], 27); // relu(9) * w[2] = 9 * 3
  hcc_tensor_release(x);
  hcc_tensor_release(y);
  hcc_tensor_release(host);
  hcc_model_release(model);
}

TEST_F(DeviceSession, DeviceTensorsWhereTheModelNeedsHostMemory) {
  ASSERT_EQ(create(), HCC_OK);
  int64_t dims[1] = {4};
  hcc_tensor_t *t = nullptr;
  EXPECT_EQ(hcc_session_create_device_tensor(session, "cuda", HCC_DTYPE_FLOAT32,
                                             dims, 1, &t),
            HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("no 'cuda' device"),
            std::string::npos);
  ASSERT_EQ(hcc_session_create_device_tensor(session, "opencl",
                                             HCC_DTYPE_FLOAT32, dims, 1, &t),
            HCC_OK);
  // x is read by the cpu kernel 'add' first: it must be host memory.
  EXPECT_EQ(hcc_session_run(session, &t, 1, &out, 1),
            HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(hcc_runtime_last_error())
                .find("input 'x' is a opencl device tensor, but kernel 'add' "
                      "reads it on cpu"),
            std::string::npos)
      << hcc_runtime_last_error();
  // y comes back from OpenCL: a device tensor output works.
  ASSERT_EQ(hcc_session_run(session, &in, 1, &t, 1), HCC_OK)
      << hcc_runtime_last_error();
  float got[4] = {};
  ASSERT_EQ(hcc_tensor_read(t, got, sizeof(got)), HCC_OK);
  EXPECT_EQ(got[2], 18);
  hcc_tensor_release(t);
}

TEST(Devices, UnknownDeviceKindIsRejectedAtLoad) {
  hcc::bundle::Writer writer;
  json manifest = hcc::test::addReluManifest();
  manifest["devices"][0]["kind"] = "tpu";
  manifest["kernels"][0]["code"] = "tpu";
  manifest["kernels"][1]["code"] = "tpu";
  writer.addManifest(manifest.dump());
  writer.addCode("tpu", hcc::test::testKernels());
  const float weights[4] = {1, -2, 3, -4};
  writer.addWeight(weights, sizeof(weights));
  std::vector<uint8_t> b = writer.serialize();
  hcc_model_t *m = nullptr;
  EXPECT_EQ(hcc_model_load_memory(b.data(), b.size(), &m),
            HCC_ERROR_UNSUPPORTED);
  EXPECT_NE(std::string(hcc_runtime_last_error()).find("device kind 'tpu'"),
            std::string::npos);
  hcc_model_release(m);
}

} // namespace
