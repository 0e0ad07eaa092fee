//===- FPGADriverTest.cpp - The fpga driver -------------------------------===//
//
// Section parsing is checked everywhere; running needs an OpenCL device
// (PoCL in CI: it emulates the board) and is skipped without one.
//
//===----------------------------------------------------------------------===//

#include "CompletionUtil.h"
#include "TestUtil.h"
#include "device.h"
#include "thread_pool.h"

#include <gtest/gtest.h>

#include <future>

using namespace hcc::rt;
using nlohmann::json;

namespace {

// y = x + 1 over 8 floats, one work-item (the FPGA kernels' form).
const char *kSource = R"CL(
__kernel void k_inc(__global const float *x, ulong xo, __global float *y,
                    ulong yo) {
  x += xo / 4;
  y += yo / 4;
  for (int i = 0; i < 8; ++i)
    y[i] = x[i] + 1.0f;
}
)CL";

json section() {
  return {{"format", "hcc-opencl-c/2"},
          {"source", kSource},
          {"options", "-cl-std=CL1.2"},
          {"kernels",
           {{"hcc_k0",
             {{"num_args", 2},
              {"scratch", json::array()},
              {"stages",
               {{{"entry", "k_inc"},
                 {"global_size", 1},
                 {"local_size", 1},
                 {"args", {0, 1}}}}}}}}},
          {"fpga",
           {{"board", "u250"},
            {"clock_mhz", 300},
            {"opencl_platform", "Xilinx"},
            {"kernels", {{"hcc_k0", {{"cycles", 3000}}}}}}}};
}

Status load(Driver &driver, const std::string &text,
            std::unique_ptr<CodeModule> &out) {
  SectionView view;
  view.name = "fpga";
  view.data = reinterpret_cast<const uint8_t *>(text.data());
  view.size = text.size();
  return driver.loadCode(view, "test.hccb", out);
}

TEST(FPGACode, RejectsMalformedSections) {
  json good = section();
  auto with = [&](const std::function<void(json &)> &edit) {
    json j = good;
    edit(j);
    return j.dump();
  };
  struct Case {
    std::string text;
    std::string expect;
  } cases[] = {
      {with([](json &j) { j.erase("fpga"); }), "missing \"fpga\" object"},
      {with([](json &j) { j["fpga"]["board"] = 7; }), "\"board\""},
      {with([](json &j) { j["fpga"]["board"] = ""; }), "empty \"board\""},
      {with([](json &j) { j["fpga"].erase("opencl_platform"); }),
       "\"opencl_platform\""},
      {with([](json &j) { j["fpga"]["clock_mhz"] = 0; }), "\"clock_mhz\""},
      {with([](json &j) { j["fpga"]["clock_mhz"] = "fast"; }), "\"clock_mhz\""},
      {with([](json &j) { j["fpga"]["kernels"] = json::array(); }),
       "\"kernels\" object"},
      {with([](json &j) {
         j["fpga"]["kernels"]["hcc_zz"] = {{"cycles", 1}};
       }),
       "modelled kernel 'hcc_zz' is not in the kernel table"},
      {with([](json &j) { j["fpga"]["kernels"]["hcc_k0"]["cycles"] = -1; }),
       "kernel 'hcc_k0' has no non-negative \"cycles\""},
      {with([](json &j) { j["fpga"]["kernels"] = json::object(); }),
       "kernel 'hcc_k0' has no modelled cycles"},
      {with([](json &j) { j.erase("source"); }), "\"source\""},
  };
  for (const Case &c : cases) {
    std::unique_ptr<CodeModule> code;
    Status st = load(fpgaDriver(), c.text, code);
    EXPECT_EQ(st.code(), HCC_ERROR_INVALID_BUNDLE) << c.text;
    EXPECT_EQ(st.message().rfind("bundle 'test.hccb': ", 0), 0u)
        << st.message();
    EXPECT_NE(st.message().find(c.expect), std::string::npos)
        << st.message() << "\n  expected: " << c.expect;
    EXPECT_FALSE(code);
  }
}

using hcc::test::completion;
using hcc::test::Result;
using hcc::test::wait;

TEST(FPGADriver, RunsOnAnOpenCLDeviceAndReportsTheModelledTime) {
  std::vector<DeviceInfo> devices;
  ASSERT_TRUE(fpgaDriver().enumerate(devices).isOk());
  std::vector<DeviceInfo> opencl;
  ASSERT_TRUE(openclDriver().enumerate(opencl).isOk());
  ASSERT_EQ(devices.size(), opencl.size()); // Every OpenCL device can.
  if (devices.empty())
    GTEST_SKIP() << "no OpenCL device found (libOpenCL or an ICD missing)";
  EXPECT_EQ(devices[0].driver, "fpga");
  bool board = devices[0].platform.find("Xilinx") != std::string::npos ||
               devices[0].platform.find("FPGA") != std::string::npos;
  if (!board)
    EXPECT_NE(devices[0].name.find("(emulating FPGA boards)"),
              std::string::npos)
        << devices[0].name;

  ThreadPool pool{1};
  std::unique_ptr<Device> device;
  ASSERT_TRUE(fpgaDriver().createDevice(0, pool, device).isOk());
  EXPECT_STREQ(device->kind(), "fpga");

  // A plain OpenCL module is not FPGA code.
  std::unique_ptr<CodeModule> plain;
  json noFpga = section();
  noFpga.erase("fpga");
  ASSERT_TRUE(load(openclDriver(), noFpga.dump(), plain).isOk());
  Status st = device->prepare(*plain);
  EXPECT_EQ(st.code(), HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(st.message().find("not an FPGA section"), std::string::npos);

  std::unique_ptr<CodeModule> code;
  ASSERT_TRUE(load(fpgaDriver(), section().dump(), code).isOk());
  ASSERT_TRUE(device->prepare(*code).isOk());
  KernelHandle kernel = nullptr;
  ASSERT_TRUE(code->resolve("hcc_k0", kernel).isOk());
  DeviceMemory x = nullptr, y = nullptr;
  ASSERT_TRUE(device->allocate(32, x).isOk());
  ASSERT_TRUE(device->allocate(32, y).isOk());
  float in[8], out[8] = {};
  for (int i = 0; i < 8; ++i)
    in[i] = static_cast<float>(i) * 0.5f;
  auto up = completion(), run = completion(), down = completion();
  device->upload(in, x, sizeof(in), up.first);
  DeviceMemory args[2] = {x, y};
  device->launch(kernel, args, 2, run.first);
  device->download(y, out, sizeof(out), down.first);
  Result r1 = wait(up.second), r2 = wait(run.second), r3 = wait(down.second);
  ASSERT_TRUE(r1.status.isOk()) << r1.status.message();
  ASSERT_TRUE(r2.status.isOk()) << r2.status.message();
  ASSERT_TRUE(r3.status.isOk()) << r3.status.message();
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(out[i], in[i] + 1) << i;
  // 3000 cycles at 300 MHz: 10 us, beside the wall time, marked modelled.
  EXPECT_DOUBLE_EQ(r2.timing.modelledNs, 10000.0);
  EXPECT_LE(r2.timing.startNs, r2.timing.endNs);
  EXPECT_NE(r2.timing.modelNote.find("modelled on board 'u250' at 300 MHz"),
            std::string::npos)
      << r2.timing.modelNote;
  if (!board)
    EXPECT_NE(r2.timing.modelNote.find("emulated on"), std::string::npos)
        << r2.timing.modelNote;
  // Copies are not modelled.
  EXPECT_LT(r1.timing.modelledNs, 0);
  device->deallocate(y);
  device->deallocate(x);
}

} // namespace
