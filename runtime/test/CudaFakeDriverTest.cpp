//===- CudaFakeDriverTest.cpp - the cuda driver over a stand-in libcuda ---===//
//
// HCC_CUDA_LIBRARY points the driver at fake_cuda.cpp (host memory, launches
// recorded, no kernels run): these tests check the driver's own logic —
// device info, memory and subranges, pinned staging round trips, cubin vs
// PTX choice, launch geometry and arguments, and every error path (PTX for
// a newer GPU, JIT errors, missing entries, launch failures leaving the
// device unusable). Whether generated kernels compute the right thing is
// only checked on a real GPU (lit feature `cuda`).
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "device.h"
#include "drivers/cuda_code.h"
#include "thread_pool.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <dlfcn.h>
#include <future>

using namespace hcc::rt;
using nlohmann::json;

namespace {

// Before any test runs (the driver loads libcuda once per process).
const bool kConfigured = [] {
  setenv("HCC_CUDA_LIBRARY", HCC_FAKE_CUDA_LIBRARY, 1);
  return true;
}();

template <typename Fn> Fn fake(const char *name) {
  void *lib = dlopen(HCC_FAKE_CUDA_LIBRARY, RTLD_NOW | RTLD_NOLOAD);
  return lib ? reinterpret_cast<Fn>(dlsym(lib, name)) : nullptr;
}

json section(const std::string &ptx, const std::string &arch,
             json cubins = json::object()) {
  return {{"format", "hcc-cuda/1"},
          {"ptx", ptx},
          {"ptx_arch", arch},
          {"cubins", cubins},
          {"kernels",
           {{"hcc_k0",
             {{"num_args", 2},
              {"scratch", {64}},
              {"stages",
               {{{"entry", "k0_s0"},
                 {"global_size", 512},
                 {"local_size", 128},
                 {"args", {0, 2}}},
                {{"entry", "k0_s1"},
                 {"global_size", 64},
                 {"local_size", 64},
                 {"args", {2, 1}}}}}}}}}};
}

const char *kPtx =
    ".version 8.0\n.target sm_80\n.entry k0_s0(\n.entry k0_s1(\n";

class CudaFakeDriver : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(kConfigured);
    std::vector<DeviceInfo> infos;
    ASSERT_TRUE(cudaDriver().enumerate(infos).isOk());
    ASSERT_EQ(infos.size(), 1u) << "the stand-in libcuda did not load";
    configure = fake<void (*)(int, int)>("fake_cuda_configure");
    ASSERT_NE(configure, nullptr);
    configure(80, -1);
  }

  std::unique_ptr<Device> device() {
    std::unique_ptr<Device> d;
    EXPECT_TRUE(cudaDriver().createDevice(0, pool, d).isOk());
    return d;
  }

  std::unique_ptr<CodeModule> load(const json &j) {
    std::string text = j.dump();
    SectionView view;
    view.name = "cuda";
    view.data = reinterpret_cast<const uint8_t *>(text.data());
    view.size = text.size();
    std::unique_ptr<CodeModule> code;
    Status st = cudaDriver().loadCode(view, "fake.hccb", code);
    EXPECT_TRUE(st.isOk()) << st.message();
    return code;
  }

  /// Prepares the code of `section` on a fresh device: the status.
  Status prepare(const json &section) {
    auto code = load(section);
    auto dev = device();
    return dev->prepare(*code);
  }

  /// Waits for one queue operation's completion status.
  static Status wait(const std::function<void(Completion)> &enqueue) {
    std::promise<Status> done;
    enqueue(
        [&](const Status &st, const KernelTiming &) { done.set_value(st); });
    return done.get_future().get();
  }

  ThreadPool pool{1};
  void (*configure)(int, int) = nullptr;
};

TEST_F(CudaFakeDriver, DeviceInfo) {
  std::vector<DeviceInfo> infos;
  ASSERT_TRUE(cudaDriver().enumerate(infos).isOk());
  EXPECT_EQ(infos[0].driver, "cuda");
  EXPECT_EQ(infos[0].name, "Fake GPU");
  EXPECT_EQ(infos[0].computeUnits, 4u);
  EXPECT_NE(infos[0].version.find("CUDA driver 12.8, sm_80"), std::string::npos)
      << infos[0].version;
}

TEST_F(CudaFakeDriver, MemoryRoundTripThroughStaging) {
  auto dev = device();
  DeviceMemory base = nullptr, sub = nullptr, atBase = nullptr;
  ASSERT_TRUE(dev->allocate(1024, base).isOk());
  ASSERT_TRUE(dev->subrange(base, 256, 512, sub).isOk());
  ASSERT_TRUE(dev->subrange(base, 0, 256, atBase).isOk());
  EXPECT_FALSE(dev->subrange(base, 100, 4, sub).isOk());   // misaligned
  EXPECT_FALSE(dev->subrange(base, 768, 512, sub).isOk()); // past the end
  std::vector<float> in(128), out(128);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = float(i) * 0.5f;
  ASSERT_TRUE(wait([&](Completion c) {
                dev->upload(in.data(), sub, 512, std::move(c));
              }).isOk());
  ASSERT_TRUE(wait([&](Completion c) {
                dev->download(sub, out.data(), 512, std::move(c));
              }).isOk());
  EXPECT_EQ(in, out);
  // A subrange at the base's own address is not the base: freeing it
  // keeps the allocation.
  dev->deallocate(atBase);
  ASSERT_TRUE(wait([&](Completion c) {
                dev->download(sub, out.data(), 512, std::move(c));
              }).isOk());
  EXPECT_EQ(in, out);
  dev->deallocate(sub);
  dev->deallocate(base);
  auto live = fake<long (*)()>("fake_cuda_live_allocations");
  dev.reset();
  EXPECT_EQ(live(), 0) << "device memory leaked";
}

TEST_F(CudaFakeDriver, OutOfMemoryLeavesTheDeviceUsable) {
  auto dev = device();
  DeviceMemory huge = nullptr, small = nullptr;
  Status st = dev->allocate(uint64_t(4) << 30, huge);
  EXPECT_EQ(st.code(), HCC_ERROR_OUT_OF_MEMORY);
  EXPECT_NE(st.message().find("cuda device 'Fake GPU' (sm_80): cannot "
                              "allocate 4294967296 bytes: "
                              "CUDA_ERROR_OUT_OF_MEMORY (2)"),
            std::string::npos)
      << st.message();
  EXPECT_EQ(huge, nullptr);
  ASSERT_TRUE(dev->allocate(64, small).isOk());
  dev->deallocate(small);
}

TEST_F(CudaFakeDriver, LaunchesStagesWithGridBlockAndArguments) {
  auto code = load(section(kPtx, "sm_80"));
  auto dev = device();
  ASSERT_TRUE(dev->prepare(*code).isOk());
  EXPECT_STREQ(fake<const char *(*)()>("fake_cuda_last_image_kind")(), "ptx");
  KernelHandle k = nullptr;
  ASSERT_TRUE(code->resolve("hcc_k0", k).isOk());
  DeviceMemory x = nullptr, y = nullptr;
  ASSERT_TRUE(dev->allocate(64, x).isOk());
  ASSERT_TRUE(dev->allocate(64, y).isOk());
  DeviceMemory args[] = {x, y};
  ASSERT_TRUE(wait([&](Completion c) {
                dev->launch(k, args, 2, std::move(c));
              }).isOk());
  ASSERT_EQ(fake<int (*)()>("fake_cuda_launches")(), 2);
  auto launch = fake<const char *(*)(int, unsigned *, unsigned *, int *)>(
      "fake_cuda_launch");
  unsigned grid = 0, block = 0;
  int params = 0;
  EXPECT_STREQ(launch(0, &grid, &block, &params), "k0_s0");
  EXPECT_EQ(grid, 4u);
  EXPECT_EQ(block, 128u);
  EXPECT_EQ(params, 2);
  EXPECT_STREQ(launch(1, &grid, &block, &params), "k0_s1");
  EXPECT_EQ(grid, 1u);
  EXPECT_EQ(block, 64u);
  // Wrong argument count: an error through the completion, device intact.
  Status st =
      wait([&](Completion c) { dev->launch(k, args, 1, std::move(c)); });
  EXPECT_EQ(st.code(), HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(st.message().find("takes 2 arguments, got 1"), std::string::npos);
  dev->deallocate(x);
  dev->deallocate(y);
}

TEST_F(CudaFakeDriver, PrefersTheCubinOfTheGpu) {
  // "\x7f" "ELF..." in base64: f0VMRgI=.
  auto code = load(section(kPtx, "sm_80", {{"sm_80", "f0VMRgI="}}));
  auto dev = device();
  ASSERT_TRUE(dev->prepare(*code).isOk());
  EXPECT_STREQ(fake<const char *(*)()>("fake_cuda_last_image_kind")(), "cubin");
}

TEST_F(CudaFakeDriver, RejectsPtxForANewerGpu) {
  Status st = prepare(section(kPtx, "sm_90"));
  EXPECT_EQ(st.code(), HCC_ERROR_UNSUPPORTED);
  EXPECT_NE(st.message().find("cuda device 'Fake GPU' (sm_80): bundle "
                              "'fake.hccb' has PTX for sm_90, newer than "
                              "this GPU, and no cubin for it"),
            std::string::npos)
      << st.message();
}

TEST_F(CudaFakeDriver, JitErrorsCarryTheLog) {
  Status st = prepare(section("SYNTAX ERROR", "sm_80"));
  EXPECT_EQ(st.code(), HCC_ERROR_INVALID_BUNDLE);
  EXPECT_NE(st.message().find("cannot load the PTX (JIT) of bundle "
                              "'fake.hccb': ptxas fatal: syntax error: "
                              "CUDA_ERROR_INVALID_PTX (218)"),
            std::string::npos)
      << st.message();
}

TEST_F(CudaFakeDriver, MissingEntryIsNamed) {
  Status st = prepare(section(".version 8.0\n.entry k0_s0(\n", "sm_80"));
  EXPECT_NE(st.message().find("kernel 'hcc_k0': no entry 'k0_s1' in the "
                              "module: CUDA_ERROR_NOT_FOUND (500)"),
            std::string::npos)
      << st.message();
}

TEST_F(CudaFakeDriver, FailedLaunchMakesTheDeviceUnusable) {
  configure(80, 1); // the second launch fails
  auto code = load(section(kPtx, "sm_80"));
  auto dev = device();
  ASSERT_TRUE(dev->prepare(*code).isOk());
  KernelHandle k = nullptr;
  ASSERT_TRUE(code->resolve("hcc_k0", k).isOk());
  DeviceMemory x = nullptr, y = nullptr;
  ASSERT_TRUE(dev->allocate(64, x).isOk());
  ASSERT_TRUE(dev->allocate(64, y).isOk());
  DeviceMemory args[] = {x, y};
  Status st =
      wait([&](Completion c) { dev->launch(k, args, 2, std::move(c)); });
  EXPECT_EQ(st.code(), HCC_ERROR_INTERNAL);
  EXPECT_NE(st.message().find("kernel 'hcc_k0' stage 1 'k0_s1': "
                              "cuLaunchKernel: CUDA_ERROR_LAUNCH_FAILED"),
            std::string::npos)
      << st.message();
  // Everything after fails with the first error; nothing is leaked.
  std::vector<float> buf(16);
  Status later = wait(
      [&](Completion c) { dev->download(x, buf.data(), 64, std::move(c)); });
  EXPECT_NE(later.message().find("unusable for the rest of this session"),
            std::string::npos)
      << later.message();
  DeviceMemory z = nullptr;
  EXPECT_FALSE(dev->allocate(16, z).isOk());
  dev->deallocate(x);
  dev->deallocate(y);
  auto live = fake<long (*)()>("fake_cuda_live_allocations");
  dev.reset();
  EXPECT_EQ(live(), 0);
}

} // namespace
