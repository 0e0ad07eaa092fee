//===- MachineTest.cpp - machine descriptions: the shipped ones and bad ones //

#include "hcc/Planner/Machine.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace hcc::plan;

namespace {

std::string writeTemp(const std::string &text) {
  char path[] = "/tmp/hcc-machine-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

const char *kGood = R"({"schema": "hcc-machine", "version": 1, "name": "m",
  "devices": [
    {"name": "cpu", "kind": "cpu", "target": "cpu", "peak_gflops": 100,
     "memory_bandwidth_gbps": 20, "memory_bytes": 1e9,
     "launch_overhead_us": 2, "efficiency": {"compute": 0.5, "memory": 0.8}},
    {"name": "gpu", "kind": "gpu", "target": "cuda", "peak_gflops": 10000,
     "memory_bandwidth_gbps": 1000, "memory_bytes": 1e10,
     "launch_overhead_us": 5, "efficiency": {"compute": 0.5, "memory": 0.8}}],
  "links": [{"from": "cpu", "to": "gpu", "bandwidth_gbps": 10,
             "latency_us": 10}]})";

TEST(Machine, ShippedDescriptionsLoad) {
  for (const char *name : {"h200-pcie5-server", "u250-server", "phone-soc-npu",
                           "edge-cloud-100mbit", "this-machine-cpu-pocl"}) {
    MachineDesc m;
    std::string error;
    EXPECT_TRUE(loadMachine(
        std::string(HCC_SOURCE_DIR) + "/machines/" + name + ".json", m, error))
        << error;
    EXPECT_GE(m.devices.size(), 2u) << name;
  }
}

TEST(Machine, CostsFromFigures) {
  MachineDesc m;
  std::string error;
  ASSERT_TRUE(loadMachine(writeTemp(kGood), m, error)) << error;
  // 1e6 bytes over 10 GB/s after 10 us; both directions; none on-device.
  EXPECT_NEAR(m.transferSeconds(0, 1, 1e6), 110e-6, 1e-12);
  EXPECT_NEAR(m.transferSeconds(1, 0, 1e6), 110e-6, 1e-12);
  EXPECT_EQ(m.transferSeconds(1, 1, 1e6), 0);
  hcc::cost::KernelFeatures f;
  f.flops = 1e9; // compute-bound: 1e9 / (100e9 * 0.5) = 20 ms + 2 us
  f.bytesIn = 1e3;
  EXPECT_NEAR(m.kernelSeconds(f, 0), 20e-3 + 2e-6, 1e-12);
}

TEST(Machine, BadDescriptionsAreRejectedByName) {
  struct Case {
    std::string from, to, message;
  };
  std::vector<Case> cases = {
      {"\"version\": 1", "\"version\": 2", "version 2"},
      {"\"schema\": \"hcc-machine\"", "\"schema\": \"x\"", "not a machine"},
      {"\"peak_gflops\": 100", "\"peak_gflops\": -1",
       "device 'cpu': 'peak_gflops'"},
      {"\"memory_bandwidth_gbps\": 20,", "",
       "device 'cpu': 'memory_bandwidth_gbps'"},
      {"\"compute\": 0.5, \"memory\": 0.8}},\n    {\"name\": \"gpu\"",
       "\"compute\": 7, \"memory\": 0.8}},\n    {\"name\": \"gpu\"",
       "'compute'"},
      {"\"kind\": \"gpu\"", "\"kind\": \"tpu\"", "'kind' must be"},
      {"\"name\": \"gpu\"", "\"name\": \"cpu\"", "repeated 'name'"},
      {"\"to\": \"gpu\"", "\"to\": \"dsp\"", "link 0"},
      {"\"bandwidth_gbps\": 10", "\"bandwidth_gbps\": 0", "bandwidth_gbps"},
      {"\"links\": [", "\"nolinks\": [", "no link to and from the host"},
  };
  for (const Case &c : cases) {
    std::string text = kGood;
    size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    MachineDesc m;
    std::string error;
    EXPECT_FALSE(loadMachine(writeTemp(text), m, error)) << c.message;
    EXPECT_NE(error.find(c.message), std::string::npos)
        << "expected '" << c.message << "' in: " << error;
  }
  MachineDesc m;
  std::string error;
  EXPECT_FALSE(loadMachine("/nonexistent/m.json", m, error));
  EXPECT_FALSE(loadMachine(writeTemp("{not json"), m, error));
  EXPECT_NE(error.find("not JSON"), std::string::npos);
}

} // namespace
