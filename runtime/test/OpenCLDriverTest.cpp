//===- OpenCLDriverTest.cpp - The opencl driver on a real OpenCL device --===//
//
// Runs on whatever OpenCL device the machine has (PoCL in CI); skipped when
// none is found. Section parsing is checked either way.
//
//===----------------------------------------------------------------------===//

#include "CompletionUtil.h"
#include "TestUtil.h"
#include "device.h"
#include "drivers/opencl_api.h"
#include "thread_pool.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <future>
#include <sys/stat.h>
#include <thread>

using namespace hcc::rt;
using nlohmann::json;

namespace {

// x -> scratch = 2x -> y = scratch + 1, over 10 floats with 4 work-items.
// Every buffer parameter is followed by its byte offset, as hcc emits them.
const char *kSource = R"CL(
__kernel void k_double(__global const float *x, ulong xo, __global float *t,
                       ulong to) {
  x += xo / 4;
  t += to / 4;
  for (size_t i = get_global_id(0); i < 10; i += get_global_size(0))
    t[i] = x[i] * 2.0f;
}
__kernel void k_inc(__global const float *t, ulong to, __global float *y,
                    ulong yo) {
  t += to / 4;
  y += yo / 4;
  for (size_t i = get_global_id(0); i < 10; i += get_global_size(0))
    y[i] = t[i] + 1.0f;
}
)CL";

json twoStageSection(const std::string &source = kSource) {
  return {
      {"format", "hcc-opencl-c/2"},
      {"source", source},
      {"options", "-cl-std=CL1.2"},
      {"kernels",
       {{"hcc_k0",
         {{"num_args", 2},
          {"scratch", {40}},
          {"stages",
           {{{"entry", "k_double"}, {"global_size", 4}, {"args", {0, 2}}},
            {{"entry", "k_inc"}, {"global_size", 4}, {"args", {2, 1}}}}}}}}}};
}

Status load(const std::string &text, std::unique_ptr<CodeModule> &out) {
  SectionView view;
  view.name = "opencl";
  view.data = reinterpret_cast<const uint8_t *>(text.data());
  view.size = text.size();
  return openclDriver().loadCode(view, "test.hccb", out);
}

using hcc::test::completion;
using hcc::test::Result;
using hcc::test::wait;

std::vector<std::string> listDir(const std::string &dir) {
  std::vector<std::string> names;
  if (DIR *d = ::opendir(dir.c_str())) {
    while (dirent *e = ::readdir(d))
      if (e->d_name[0] != '.')
        names.push_back(e->d_name);
    ::closedir(d);
  }
  return names;
}

class OpenCLDriver : public ::testing::Test {
protected:
  void SetUp() override {
    // Keep test builds out of the user's cache.
    cacheDir = hcc::test::tempDir() + "/cl-cache-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ::setenv("HCC_CACHE_DIR", cacheDir.c_str(), 1);
    ASSERT_TRUE(openclDriver().enumerate(devices).isOk());
    if (devices.empty())
      GTEST_SKIP() << "no OpenCL device found (libOpenCL or an ICD missing)";
  }
  void TearDown() override { ::unsetenv("HCC_CACHE_DIR"); }

  std::unique_ptr<Device> makeDevice() {
    std::unique_ptr<Device> device;
    Status st = openclDriver().createDevice(0, pool, device);
    EXPECT_TRUE(st.isOk()) << st.message();
    return device;
  }

  /// Uploads x, runs hcc_k0 of `code` and checks y = 2x + 1.
  void runTwoStage(Device &device, CodeModule &code) {
    KernelHandle kernel = nullptr;
    ASSERT_TRUE(code.resolve("hcc_k0", kernel).isOk());
    uint64_t align = device.alignment();
    DeviceMemory arena = nullptr, x = nullptr, y = nullptr;
    ASSERT_TRUE(device.allocate(2 * align, arena).isOk());
    ASSERT_TRUE(device.subrange(arena, 0, 40, x).isOk());
    ASSERT_TRUE(device.subrange(arena, align, 40, y).isOk());
    float in[10], out[10] = {};
    for (int i = 0; i < 10; ++i)
      in[i] = static_cast<float>(i) - 3.5f;
    auto up = completion(), run = completion(), down = completion();
    device.upload(in, x, sizeof(in), up.first);
    DeviceMemory args[2] = {x, y};
    device.launch(kernel, args, 2, run.first);
    device.download(y, out, sizeof(out), down.first);
    Result r1 = wait(up.second), r2 = wait(run.second), r3 = wait(down.second);
    EXPECT_TRUE(r1.status.isOk()) << r1.status.message();
    EXPECT_TRUE(r2.status.isOk()) << r2.status.message();
    EXPECT_TRUE(r3.status.isOk()) << r3.status.message();
    for (int i = 0; i < 10; ++i)
      EXPECT_EQ(out[i], 2 * in[i] + 1) << i;
    // In-order queue: timings are ordered and well formed.
    EXPECT_LE(r1.timing.startNs, r1.timing.endNs);
    EXPECT_LE(r1.timing.endNs, r2.timing.startNs);
    EXPECT_LE(r2.timing.startNs, r2.timing.endNs);
    EXPECT_LE(r2.timing.endNs, r3.timing.startNs);
    EXPECT_LE(r3.timing.endNs, nowNs());
    device.deallocate(y);
    device.deallocate(x);
    device.deallocate(arena);
  }

  /// Whether device 0 (the driver's first: platforms, then their devices,
  /// in the ICD's order) offers correctly rounded division and sqrt.
  bool firstDeviceRoundsDivisionCorrectly() {
    const OpenCLApi *cl = openclApi();
    cl_uint numPlatforms = 0;
    if (!cl || cl->clGetPlatformIDs(0, nullptr, &numPlatforms) != CL_SUCCESS)
      return false;
    std::vector<cl_platform_id> platforms(numPlatforms);
    cl->clGetPlatformIDs(numPlatforms, platforms.data(), nullptr);
    for (cl_platform_id p : platforms) {
      cl_device_id dev = nullptr;
      cl_uint n = 0;
      if (cl->clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 1, &dev, &n) !=
              CL_SUCCESS ||
          n == 0)
        continue;
      cl_device_fp_config fp = 0;
      cl->clGetDeviceInfo(dev, CL_DEVICE_SINGLE_FP_CONFIG, sizeof(fp), &fp,
                          nullptr);
      return (fp & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
    }
    return false;
  }

  ThreadPool pool{1};
  std::vector<DeviceInfo> devices;
  std::string cacheDir;
};

TEST_F(OpenCLDriver, EnumerateFillsInfo) {
  for (const DeviceInfo &d : devices) {
    EXPECT_EQ(d.driver, "opencl");
    EXPECT_FALSE(d.name.empty());
    EXPECT_FALSE(d.version.empty());
    EXPECT_GT(d.computeUnits, 0u);
    EXPECT_GT(d.memoryBytes, 0u);
  }
  EXPECT_STREQ(openclDriver().name(), "opencl");
  std::unique_ptr<Device> device;
  EXPECT_EQ(openclDriver().createDevice(devices.size(), pool, device).code(),
            HCC_ERROR_INVALID_ARGUMENT);
}

TEST_F(OpenCLDriver, TwoStageKernel) {
  std::unique_ptr<CodeModule> code;
  Status st = load(twoStageSection().dump(), code);
  ASSERT_TRUE(st.isOk()) << st.message();
  auto device = makeDevice();
  ASSERT_TRUE(device);
  EXPECT_FALSE(device->usesHostMemory());
  EXPECT_GE(device->alignment(), 64u);
  EXPECT_STREQ(device->kind(), "opencl");
  st = device->prepare(*code);
  ASSERT_TRUE(st.isOk()) << st.message();
  EXPECT_TRUE(device->prepare(*code).isOk()); // idempotent
  runTwoStage(*device, *code);
  runTwoStage(*device, *code); // kernels and scratch are reusable
}

TEST_F(OpenCLDriver, ZeroByteMemory) {
  auto device = makeDevice();
  ASSERT_TRUE(device);
  DeviceMemory a = nullptr, b = nullptr, base = nullptr, s0 = nullptr,
               s1 = nullptr;
  ASSERT_TRUE(device->allocate(0, a).isOk());
  ASSERT_TRUE(device->allocate(0, b).isOk());
  EXPECT_NE(a, nullptr);
  EXPECT_NE(a, b);
  uint64_t align = device->alignment();
  ASSERT_TRUE(device->allocate(align, base).isOk());
  ASSERT_TRUE(device->subrange(base, 0, 0, s0).isOk());
  ASSERT_TRUE(device->subrange(base, align, 0, s1).isOk()); // at the very end
  EXPECT_NE(s0, nullptr);
  EXPECT_NE(s1, nullptr);
  EXPECT_NE(s0, s1);
  DeviceMemory bad = nullptr;
  EXPECT_EQ(device->subrange(base, 1, 4, bad).code(),
            HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(device->subrange(base, 0, align + 1, bad).code(),
            HCC_ERROR_INVALID_ARGUMENT);
  auto up = completion();
  device->upload(nullptr, s0, 0, up.first);
  EXPECT_TRUE(wait(up.second).status.isOk());
  for (DeviceMemory m : {s1, s0, base, b, a})
    device->deallocate(m);
}

TEST_F(OpenCLDriver, SubrangeOfSubrange) {
  auto device = makeDevice();
  ASSERT_TRUE(device);
  uint64_t align = device->alignment();
  DeviceMemory base = nullptr, outer = nullptr, inner = nullptr;
  ASSERT_TRUE(device->allocate(4 * align, base).isOk());
  ASSERT_TRUE(device->subrange(base, align, 3 * align, outer).isOk());
  ASSERT_TRUE(device->subrange(outer, align, 4, inner).isOk());
  // 4 * align bytes (NVIDIA's alignment is 512).
  uint32_t value = 0xdeadbeef;
  std::vector<uint32_t> all(align);
  auto up = completion(), down = completion();
  device->upload(&value, inner, 4, up.first);
  device->download(base, all.data(), 4 * align, down.first);
  EXPECT_TRUE(wait(up.second).status.isOk());
  EXPECT_TRUE(wait(down.second).status.isOk());
  EXPECT_EQ(all[2 * align / 4], value);
  for (DeviceMemory m : {inner, outer, base})
    device->deallocate(m);
}

// The memory plan reuses arena bytes, so ranges overlap and are released in
// any order, the arena first included (NVIDIA's driver crashed releasing
// overlapping sub-buffers; ranges are now offsets into the root buffer).
TEST_F(OpenCLDriver, OverlappingRangesReleaseInAnyOrder) {
  auto device = makeDevice();
  ASSERT_TRUE(device);
  uint64_t align = device->alignment();
  DeviceMemory base = nullptr, wide = nullptr, low = nullptr, high = nullptr;
  ASSERT_TRUE(device->allocate(3 * align, base).isOk());
  ASSERT_TRUE(device->subrange(base, 0, 3 * align, wide).isOk());
  ASSERT_TRUE(device->subrange(base, 0, 2 * align, low).isOk());
  ASSERT_TRUE(device->subrange(base, align, 2 * align, high).isOk());
  device->deallocate(base);
  uint32_t value = 0x12345678, back = 0;
  auto up = completion(), down = completion();
  device->upload(&value, high, 4, up.first);
  device->download(low, &back, 0, down.first);
  EXPECT_TRUE(wait(up.second).status.isOk());
  EXPECT_TRUE(wait(down.second).status.isOk());
  std::vector<uint32_t> all(3 * align / 4);
  auto whole = completion();
  device->download(wide, all.data(), 3 * align, whole.first);
  EXPECT_TRUE(wait(whole.second).status.isOk());
  EXPECT_EQ(all[align / 4], value);
  auto over = completion();
  device->upload(all.data(), high, 3 * align, over.first);
  EXPECT_EQ(wait(over.second).status.code(), HCC_ERROR_INVALID_ARGUMENT);
  for (DeviceMemory m : {low, wide, high})
    device->deallocate(m);
}

// Needs no device.
TEST(OpenCLCode, RejectsMalformedSections) {
  json good = twoStageSection();
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
      {"[1, 2]", "not a JSON object"},
      {with([](json &j) { j["format"] = "hcc-opencl-c/1"; }),
       "format is 'hcc-opencl-c/1', expected 'hcc-opencl-c/2'"},
      {with([](json &j) { j.erase("source"); }), "\"source\""},
      {with([](json &j) { j["options"] = 3; }), "\"options\""},
      {with([](json &j) { j["kernels"] = json::array(); }), "\"kernels\""},
      {with([](json &j) { j["kernels"]["hcc_k0"]["num_args"] = -1; }),
       "kernel 'hcc_k0': \"num_args\""},
      {with([](json &j) { j["kernels"]["hcc_k0"]["scratch"] = {1.5}; }),
       "kernel 'hcc_k0': scratch size 1.5"},
      {with([](json &j) {
         j["kernels"]["hcc_k0"]["scratch"] = {uint64_t(1) << 40, 1};
       }),
       "total scratch"},
      {with([](json &j) { j["kernels"]["hcc_k0"]["stages"] = json::array(); }),
       "kernel 'hcc_k0': \"stages\""},
      {with([](json &j) {
         j["kernels"]["hcc_k0"]["stages"][1]["args"] = {2, 3};
       }),
       "kernel 'hcc_k0' stage 1 'k_inc': argument 3 is out of range"},
      {with([](json &j) {
         j["kernels"]["hcc_k0"]["stages"][0]["global_size"] = 0;
       }),
       "kernel 'hcc_k0' stage 0 'k_double': \"global_size\""},
      {with([](json &j) {
         j["kernels"]["hcc_k0"]["stages"][0]["global_size"] = uint64_t(1) << 31;
       }),
       "\"global_size\""},
      {with(
           [](json &j) { j["kernels"]["hcc_k0"]["stages"][0].erase("entry"); }),
       "kernel 'hcc_k0' stage 0: \"entry\""},
      {with([](json &j) {
         j["kernels"]["hcc_k0"]["stages"][0]["entry"] = "a b";
       }),
       "stage 0: \"entry\""},
  };
  for (const Case &c : cases) {
    std::unique_ptr<CodeModule> code;
    Status st = load(c.text, code);
    EXPECT_EQ(st.code(), HCC_ERROR_INVALID_BUNDLE) << c.text;
    EXPECT_EQ(st.message().rfind("bundle 'test.hccb': opencl code: ", 0), 0u)
        << st.message();
    EXPECT_NE(st.message().find(c.expect), std::string::npos)
        << st.message() << "\n  expected: " << c.expect;
    EXPECT_FALSE(code);
  }

  std::unique_ptr<CodeModule> code;
  ASSERT_TRUE(load(good.dump(), code).isOk());
  KernelHandle handle = nullptr;
  Status st = code->resolve("hcc_missing", handle);
  EXPECT_EQ(st.code(), HCC_ERROR_INVALID_BUNDLE);
  EXPECT_NE(st.message().find("'hcc_missing'"), std::string::npos);
}

TEST_F(OpenCLDriver, PrepareNamesMissingEntry) {
  json section = twoStageSection();
  section["kernels"]["hcc_k0"]["stages"][1]["entry"] = "k_absent";
  std::unique_ptr<CodeModule> code;
  ASSERT_TRUE(load(section.dump(), code).isOk());
  auto device = makeDevice();
  ASSERT_TRUE(device);
  Status st = device->prepare(*code);
  EXPECT_EQ(st.code(), HCC_ERROR_INVALID_BUNDLE);
  EXPECT_NE(st.message().find("'k_absent'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find(devices[0].name), std::string::npos)
      << st.message();
}

TEST_F(OpenCLDriver, PrepareChecksParameterCount) {
  json section = twoStageSection();
  section["kernels"]["hcc_k0"]["stages"][1]["args"] = {2, 1, 0};
  std::unique_ptr<CodeModule> code;
  ASSERT_TRUE(load(section.dump(), code).isOk());
  auto device = makeDevice();
  ASSERT_TRUE(device);
  Status st = device->prepare(*code);
  EXPECT_EQ(st.code(), HCC_ERROR_INVALID_BUNDLE);
  EXPECT_NE(st.message().find("takes 4 parameters but the stage passes 6"),
            std::string::npos)
      << st.message();
}

TEST_F(OpenCLDriver, BuildErrorCarriesLog) {
  std::string source = std::string(kSource) +
                       "\n__kernel void broken(__global float *p) { p[0] = "
                       "undeclared_thing; }\n";
  std::unique_ptr<CodeModule> code;
  ASSERT_TRUE(load(twoStageSection(source).dump(), code).isOk());
  auto device = makeDevice();
  ASSERT_TRUE(device);
  Status st = device->prepare(*code);
  EXPECT_EQ(st.code(), HCC_ERROR_INVALID_BUNDLE);
  EXPECT_NE(st.message().find("CL_BUILD_PROGRAM_FAILURE"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("undeclared_thing"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find(devices[0].name), std::string::npos);
  // The options it was built with: the bundle's, and IEEE division where
  // the device offers it (what the CPU and CUDA targets compute).
  EXPECT_NE(st.message().find("-cl-std=CL1.2"), std::string::npos);
  EXPECT_EQ(st.message().find("-cl-fp32-correctly-rounded-divide-sqrt") !=
                std::string::npos,
            firstDeviceRoundsDivisionCorrectly())
      << st.message();
  // A failed build leaves nothing in the cache.
  EXPECT_TRUE(listDir(cacheDir + "/opencl").empty());
}

TEST_F(OpenCLDriver, ProgramCache) {
  std::unique_ptr<CodeModule> code;
  ASSERT_TRUE(load(twoStageSection().dump(), code).isOk());
  std::string dir = cacheDir + "/opencl";
  {
    auto device = makeDevice();
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->prepare(*code).isOk());
  }
  std::vector<std::string> entries = listDir(dir);
  ASSERT_EQ(entries.size(), 1u);
  std::string path = dir + "/" + entries[0];
  struct stat first;
  ASSERT_EQ(::stat(path.c_str(), &first), 0);

  // A hit loads the entry and leaves it alone (a miss would replace it).
  {
    auto device = makeDevice();
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->prepare(*code).isOk());
    runTwoStage(*device, *code);
  }
  struct stat second;
  ASSERT_EQ(::stat(path.c_str(), &second), 0);
  EXPECT_EQ(first.st_ino, second.st_ino);
  EXPECT_EQ(listDir(dir).size(), 1u);

  // A corrupt entry is ignored, rebuilt and replaced.
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "HCCCLB01 garbage that is not a program binary";
  }
  {
    auto device = makeDevice();
    ASSERT_TRUE(device);
    Status st = device->prepare(*code);
    ASSERT_TRUE(st.isOk()) << st.message();
    runTwoStage(*device, *code);
  }
  struct stat third;
  ASSERT_EQ(::stat(path.c_str(), &third), 0);
  EXPECT_GT(third.st_size, 64);
  EXPECT_EQ(listDir(dir).size(), 1u);
}

TEST_F(OpenCLDriver, UnwritableCacheDisablesCaching) {
  ::setenv("HCC_CACHE_DIR", "/proc/hcc-no-such-dir", 1);
  std::unique_ptr<CodeModule> code;
  ASSERT_TRUE(load(twoStageSection().dump(), code).isOk());
  auto device = makeDevice();
  ASSERT_TRUE(device);
  Status st = device->prepare(*code);
  ASSERT_TRUE(st.isOk()) << st.message();
  runTwoStage(*device, *code);
}

TEST_F(OpenCLDriver, ErrorsArriveThroughCompletion) {
  std::unique_ptr<CodeModule> code, other;
  ASSERT_TRUE(load(twoStageSection().dump(), code).isOk());
  ASSERT_TRUE(load(twoStageSection().dump(), other).isOk());
  auto device = makeDevice();
  ASSERT_TRUE(device);
  ASSERT_TRUE(device->prepare(*code).isOk());
  KernelHandle kernel = nullptr, unprepared = nullptr;
  ASSERT_TRUE(code->resolve("hcc_k0", kernel).isOk());
  ASSERT_TRUE(other->resolve("hcc_k0", unprepared).isOk());
  DeviceMemory buf = nullptr;
  ASSERT_TRUE(device->allocate(64, buf).isOk());
  DeviceMemory args[2] = {buf, buf};

  auto wrongCount = completion(), notPrepared = completion(),
       tooLong = completion(), after = completion();
  device->launch(kernel, args, 1, wrongCount.first);
  device->launch(unprepared, args, 2, notPrepared.first);
  std::vector<uint8_t> host(128);
  device->download(buf, host.data(), 128, tooLong.first); // past the end
  device->upload(host.data(), buf, 64, after.first);

  Status st = wait(wrongCount.second).status;
  EXPECT_EQ(st.code(), HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(st.message().find("kernel 'hcc_k0' takes 2 arguments, got 1"),
            std::string::npos)
      << st.message();
  st = wait(notPrepared.second).status;
  EXPECT_NE(st.message().find("not prepared"), std::string::npos)
      << st.message();
  st = wait(tooLong.second).status;
  EXPECT_FALSE(st.isOk());
  EXPECT_EQ(st.code(), HCC_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(st.message().find("download of 128 bytes exceeds its 64-byte"),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find(devices[0].name), std::string::npos);
  // The queue keeps working after errors.
  EXPECT_TRUE(wait(after.second).status.isOk());
  device->deallocate(buf);
}

TEST_F(OpenCLDriver, RejectsForeignModule) {
  struct Foreign : CodeModule {
    Status resolve(const std::string &, KernelHandle &) override {
      return Status::ok();
    }
  } foreign;
  auto device = makeDevice();
  ASSERT_TRUE(device);
  EXPECT_EQ(device->prepare(foreign).code(), HCC_ERROR_INVALID_ARGUMENT);
}

TEST_F(OpenCLDriver, DestructorDrainsQueue) {
  std::unique_ptr<CodeModule> code;
  ASSERT_TRUE(load(twoStageSection().dump(), code).isOk());
  KernelHandle kernel = nullptr;
  ASSERT_TRUE(code->resolve("hcc_k0", kernel).isOk());
  std::atomic<int> done{0};
  std::vector<float> in(10, 1.0f);
  {
    auto device = makeDevice();
    ASSERT_TRUE(device);
    ASSERT_TRUE(device->prepare(*code).isOk());
    DeviceMemory x = nullptr, y = nullptr;
    ASSERT_TRUE(device->allocate(40, x).isOk());
    ASSERT_TRUE(device->allocate(40, y).isOk());
    DeviceMemory args[2] = {x, y};
    auto count = [&](const Status &s, const KernelTiming &) {
      EXPECT_TRUE(s.isOk()) << s.message();
      ++done;
    };
    device->upload(in.data(), x, 40, count);
    for (int i = 0; i < 20; ++i)
      device->launch(kernel, args, 2, count);
    device->deallocate(x);
    device->deallocate(y);
  } // buffers released early: OpenCL keeps them alive for queued commands
  EXPECT_EQ(done.load(), 21);
}

TEST_F(OpenCLDriver, ConcurrentLaunches) {
  std::unique_ptr<CodeModule> code;
  ASSERT_TRUE(load(twoStageSection().dump(), code).isOk());
  KernelHandle kernel = nullptr;
  ASSERT_TRUE(code->resolve("hcc_k0", kernel).isOk());
  auto device = makeDevice();
  ASSERT_TRUE(device);
  ASSERT_TRUE(device->prepare(*code).isOk());
  constexpr int kThreads = 4, kRuns = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      DeviceMemory x = nullptr, y = nullptr;
      ASSERT_TRUE(device->allocate(40, x).isOk());
      ASSERT_TRUE(device->allocate(40, y).isOk());
      DeviceMemory args[2] = {x, y};
      for (int r = 0; r < kRuns; ++r) {
        float in[10], out[10] = {};
        for (int i = 0; i < 10; ++i)
          in[i] = static_cast<float>(t * 100 + r * 10 + i);
        auto up = completion(), run = completion(), down = completion();
        device->upload(in, x, sizeof(in), up.first);
        device->launch(kernel, args, 2, run.first);
        device->download(y, out, sizeof(out), down.first);
        EXPECT_TRUE(wait(up.second).status.isOk());
        EXPECT_TRUE(wait(run.second).status.isOk());
        EXPECT_TRUE(wait(down.second).status.isOk());
        for (int i = 0; i < 10; ++i)
          EXPECT_EQ(out[i], 2 * in[i] + 1);
      }
      device->deallocate(x);
      device->deallocate(y);
    });
  for (std::thread &t : threads)
    t.join();
}

} // namespace
