//===- ManifestTest.cpp - Inconsistent manifests are rejected ------------===//

#include "manifest.h"
#include "TestUtil.h"

#include <functional>
#include <gtest/gtest.h>

using namespace hcc::rt;
using nlohmann::json;

namespace {

Status parse(const json &j, uint64_t weightsSize = 64) {
  std::string text = j.dump();
  Manifest m;
  return parseManifest(text.data(), text.size(), weightsSize, {"cpu"}, "t", m);
}

struct Case {
  const char *what;
  std::function<void(json &)> edit;
  const char *expect; // substring of the message
};

TEST(Manifest, ValidParses) {
  Status st = parse(hcc::test::addReluManifest());
  EXPECT_TRUE(st.isOk()) << st.message();
}

TEST(Manifest, RejectsInconsistencies) {
  std::vector<Case> cases = {
      {"not json", [](json &j) { j = "oops"; }, "not a JSON object"},
      {"version", [](json &j) { j["format_version"] = 7; }, "version 7"},
      {"buffer id order", [](json &j) { j["buffers"][1]["id"] = 5; }, "ids"},
      {"dtype", [](json &j) { j["buffers"][0]["dtype"] = 8; }, "dtype 8"},
      {"negative dim", [](json &j) { j["buffers"][0]["shape"] = {-1}; },
       "non-negative"},
      {"dim names rank",
       [](json &j) {
         j["buffers"][0]["dim_names"] = {"a", "b"};
       },
       "dim_names"},
      {"symbolic binding", [](json &j) { j["symbolic_dims"]["N"] = 3; },
       "binds it to 3"},
      {"kind", [](json &j) { j["buffers"][2]["kind"] = "scratch"; },
       "unknown kind"},
      {"weight outside blob",
       [](json &j) { j["buffers"][1]["weight_offset"] = 64; }, "outside"},
      {"weight misaligned",
       [](json &j) { j["buffers"][1]["weight_offset"] = 4; }, "aligned"},
      {"input kind", [](json &j) { j["inputs"][0]["buffer"] = 2; },
       "wrong kind"},
      {"input out of range", [](json &j) { j["inputs"][0]["buffer"] = 99; },
       "out of range"},
      {"kernel arg range",
       [](json &j) {
         j["kernels"][0]["args"] = {0, 1, 9};
       },
       "out of range"},
      {"num_inputs", [](json &j) { j["kernels"][0]["num_inputs"] = 4; },
       "num_inputs"},
      {"forward dep", [](json &j) { j["kernels"][0]["deps"] = {1}; },
       "out of range"},
      {"self dep", [](json &j) { j["kernels"][1]["deps"] = {1}; },
       "out of range"},
      {"read before write",
       [](json &j) { std::swap(j["kernels"][0], j["kernels"][1]); }, "ids"},
      {"read before write 2",
       [](json &j) {
         j["kernels"][0]["args"] = {0, 2, 3};
         j["kernels"][1]["args"] = {1, 2};
       },
       "before any kernel writes"},
      {"writes weight",
       [](json &j) {
         j["kernels"][1]["args"] = {2, 1};
       },
       "read-only"},
      {"unknown code", [](json &j) { j["kernels"][0]["code"] = "cuda"; },
       "no code section"},
      {"device", [](json &j) { j["kernels"][0]["device"] = 3; },
       "out of range"},
      {"code of another target",
       [](json &j) { j["devices"][0]["target"] = "fpga"; },
       "code 'cpu' cannot run on device 0 (target 'fpga')"},
      {"output unwritten",
       [](json &j) {
         j["kernels"][1]["args"] = {2, 2};
       },
       "no kernel writes"},
      {"view too big",
       [](json &j) {
         j["buffers"][2]["view_of"] = {{"buffer", 3}, {"offset", 8}};
       },
       "exceed"},
      {"string id", [](json &j) { j["buffers"][0]["id"] = "0"; },
       "must be an integer"},
      {"duplicate name",
       [](json &j) {
         j["outputs"][0]["name"] = "x";
         j["inputs"].push_back(j["inputs"][0]);
       },
       "duplicate name"},
  };
  for (Case &c : cases) {
    json j = hcc::test::addReluManifest();
    c.edit(j);
    Status st = parse(j);
    EXPECT_FALSE(st.isOk()) << c.what;
    EXPECT_NE(st.message().find(c.expect), std::string::npos)
        << c.what << ": " << st.message();
  }
}

// A device runs its target's code with the driver of its kind, which need
// not be the target's name (here: target 'fpga' on a cpu device).
TEST(Manifest, DeviceRunsItsTargetsCodeWithItsKindsDriver) {
  json j = hcc::test::addReluManifest();
  j["devices"][0]["target"] = "fpga";
  for (json &k : j["kernels"])
    k["code"] = "fpga";
  std::string text = j.dump();
  Manifest m;
  Status st = parseManifest(text.data(), text.size(), 64, {"fpga"}, "t", m);
  ASSERT_TRUE(st.isOk()) << st.message();
  EXPECT_EQ(m.devices[0].kind, "cpu");
  EXPECT_EQ(m.devices[0].target, "fpga");
}

TEST(Manifest, RankZeroAndZeroSizeBuffers) {
  json j = hcc::test::addReluManifest();
  j["buffers"].push_back({{"id", 4},
                          {"dtype", 7},
                          {"shape", json::array()},
                          {"kind", "intermediate"}});
  j["buffers"].push_back(
      {{"id", 5}, {"dtype", 7}, {"shape", {0, 3}}, {"kind", "intermediate"}});
  Status st = parse(j);
  EXPECT_TRUE(st.isOk()) << st.message();
}

} // namespace
