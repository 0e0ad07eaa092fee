//===- CudaDriverTest.cpp - The cuda driver, with or without a GPU --------===//
//
// Section parsing and the no-GPU behaviour are checked everywhere; tests
// that launch kernels need an NVIDIA GPU and are skipped without one.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "device.h"
#include "drivers/cuda_code.h"
#include "thread_pool.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>

using namespace hcc::rt;
using nlohmann::json;

namespace {

// "SGVsbG8=" is base64 for "Hello": a stand-in cubin (parsing only).
json oneStageSection() {
  return {{"format", "hcc-cuda/1"},
          {"ptx", ".version 8.0\n.target sm_80\n.address_size 64\n"},
          {"ptx_arch", "sm_80"},
          {"cubins", {{"sm_90", "SGVsbG8="}}},
          {"kernels",
           {{"hcc_k0",
             {{"num_args", 2},
              {"scratch", json::array()},
              {"stages",
               {{{"entry", "k0_s0"},
                 {"global_size", 256},
                 {"local_size", 128},
                 {"args", {0, 1}}}}}}}}}};
}

Status load(const std::string &text, std::unique_ptr<CodeModule> &out) {
  SectionView view;
  view.name = "cuda";
  view.data = reinterpret_cast<const uint8_t *>(text.data());
  view.size = text.size();
  return cudaDriver().loadCode(view, "test.hccb", out);
}

TEST(CudaCode, ParsesSection) {
  std::unique_ptr<CodeModule> code;
  ASSERT_TRUE(load(oneStageSection().dump(), code).isOk());
  auto *module = cuda::CodeModule::from(*code);
  ASSERT_NE(module, nullptr);
  EXPECT_EQ(module->ptxArch, 80);
  ASSERT_EQ(module->cubins.count(90), 1u);
  EXPECT_EQ(module->cubins[90], "Hello");
  KernelHandle handle = nullptr;
  ASSERT_TRUE(code->resolve("hcc_k0", handle).isOk());
  const auto *kernel = static_cast<const StagedKernel *>(handle);
  ASSERT_EQ(kernel->stages.size(), 1u);
  EXPECT_EQ(kernel->stages[0].localSize, 128u);
}

TEST(CudaCode, Base64) {
  std::string out;
  EXPECT_TRUE(cuda::decodeBase64("", out) && out.empty());
  EXPECT_TRUE(cuda::decodeBase64("YQ==", out) && out == "a");
  EXPECT_TRUE(cuda::decodeBase64("YWI=", out) && out == "ab");
  EXPECT_TRUE(cuda::decodeBase64("YWJj", out) && out == "abc");
  EXPECT_FALSE(cuda::decodeBase64("YWJ", out));
  EXPECT_FALSE(cuda::decodeBase64("Y=Jj", out));
  EXPECT_FALSE(cuda::decodeBase64("YW!j", out));
  EXPECT_EQ(cuda::parseArch("sm_90"), 90);
  EXPECT_EQ(cuda::parseArch("sm_"), -1);
  EXPECT_EQ(cuda::parseArch("compute_80"), -1);
}

TEST(CudaCode, RejectsMalformedSections) {
  json good = oneStageSection();
  auto with = [&](const std::function<void(json &)> &edit) {
    json j = good;
    edit(j);
    return j.dump();
  };
  struct Case {
    std::string text;
    std::string expect;
  } cases[] = {
      {"{not json", "not valid JSON"},
      {with([](json &j) { j["format"] = "hcc-opencl-c/1"; }),
       "format is 'hcc-opencl-c/1', expected 'hcc-cuda/1'"},
      {with([](json &j) { j.erase("ptx"); }), "\"ptx\""},
      {with([](json &j) { j["ptx_arch"] = "compute_80"; }), "\"ptx_arch\""},
      {with([](json &j) { j["cubins"] = json::array(); }),
       "\"cubins\" is not an object"},
      {with([](json &j) {
         j["cubins"] = {{"gfx90a", "SGVsbG8="}};
       }),
       "cubin architecture 'gfx90a'"},
      {with([](json &j) {
         j["cubins"] = {{"sm_90", "not base64!"}};
       }),
       "cubin for sm_90 is not non-empty base64"},
      {with([](json &j) {
         j["kernels"]["hcc_k0"]["stages"][0]["local_size"] = 100;
       }),
       "\"local_size\" must be an integer in [1, 1024] that divides"},
      {with([](json &j) {
         j["kernels"]["hcc_k0"]["stages"][0]["local_size"] = 2048;
       }),
       "\"local_size\""},
      {with([](json &j) { j.erase("kernels"); }), "\"kernels\""},
  };
  for (const Case &c : cases) {
    std::unique_ptr<CodeModule> code;
    Status st = load(c.text, code);
    EXPECT_EQ(st.code(), HCC_ERROR_INVALID_BUNDLE) << c.text;
    EXPECT_EQ(st.message().rfind("bundle 'test.hccb': cuda code: ", 0), 0u)
        << st.message();
    EXPECT_NE(st.message().find(c.expect), std::string::npos)
        << st.message() << "\n  expected: " << c.expect;
    EXPECT_FALSE(code);
  }
}

// Without libcuda (or a GPU) the driver lists no devices and says why a
// device cannot be created; with HCC_CUDA_LIBRARY naming a library that is
// not there, this runs the same way on a GPU machine.
TEST(CudaDriver, NoDriverMeansNoDevices) {
  std::vector<DeviceInfo> devices;
  ASSERT_TRUE(cudaDriver().enumerate(devices).isOk());
  if (!devices.empty())
    GTEST_SKIP() << "a CUDA device is present";
  ThreadPool pool(1);
  std::unique_ptr<Device> device;
  Status st = cudaDriver().createDevice(0, pool, device);
  EXPECT_EQ(st.code(), HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(st.message().find("cuda device 0 does not exist (0 found"),
            std::string::npos)
      << st.message();
  EXPECT_FALSE(device);
}

} // namespace
