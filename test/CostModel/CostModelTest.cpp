//===- CostModelTest.cpp - datasets, the XGBoost model, transfer fits -----===//

#include "hcc/CostModel/CostModel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <unistd.h>

using namespace hcc::cost;

namespace {

std::string tempPath(const char *suffix) {
  char path[] = "/tmp/hcc-costmodel-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  return std::string(path) + suffix;
}

/// Synthetic kernels whose time follows a roofline per target, so a model
/// has something to learn: target b is 4x faster at compute, 2x slower to
/// launch.
std::vector<Row> syntheticRows(int models, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> logFlops(3, 10), logBytes(3, 8);
  std::vector<Row> rows;
  for (int m = 0; m < models; ++m)
    for (int k = 0; k < 12; ++k) {
      KernelFeatures f;
      f.opType = k % 2 ? "Conv" : "Add";
      f.family = familyOf(f.opType);
      f.flops = std::pow(10, logFlops(rng));
      f.bytesIn = std::pow(10, logBytes(rng));
      f.bytesOut = f.bytesIn / 2;
      for (const char *target : {"a", "b"}) {
        Row r;
        r.model = "model" + std::to_string(m);
        r.kernel = "k" + std::to_string(k);
        r.target = target;
        r.features = f;
        RooflineSpec spec;
        spec.peakFlops = target[0] == 'a' ? 1e10 : 4e10;
        spec.bytesPerSecond = 1e10;
        spec.launchSeconds = target[0] == 'a' ? 5e-6 : 1e-5;
        r.seconds = rooflineSeconds(f, spec);
        r.runs = 5;
        r.provenance = {"test machine", "dev", "drv", "2026-12-01T00:00:00Z"};
        rows.push_back(r);
      }
    }
  return rows;
}

TEST(Dataset, RoundTripAndHash) {
  std::vector<Row> rows = syntheticRows(2, 1);
  Row t;
  t.kind = Row::Transfer;
  t.model = "sweep";
  t.target = "b";
  t.from = "cpu";
  t.to = "b";
  t.bytes = 4096;
  t.seconds = 2e-5;
  t.runs = 3;
  t.provenance = rows[0].provenance;
  rows.push_back(t);
  std::string path = tempPath(".jsonl"), error;
  ASSERT_TRUE(writeDataset(path, rows, error)) << error;
  Dataset data;
  ASSERT_TRUE(readDataset(path, data, error)) << error;
  ASSERT_EQ(data.rows.size(), rows.size());
  EXPECT_EQ(data.rows[0].features.flops, rows[0].features.flops);
  EXPECT_EQ(data.rows[0].features.opType, rows[0].features.opType);
  EXPECT_EQ(data.rows.back().kind, Row::Transfer);
  EXPECT_EQ(data.hash.size(), 64u);
}

TEST(Dataset, OtherSchemaVersionOrBadRowsAreRejected) {
  std::string error;
  auto read = [&](const std::string &text) {
    std::string path = tempPath(".jsonl");
    std::ofstream(path) << text;
    Dataset data;
    bool ok = readDataset(path, data, error);
    EXPECT_TRUE(data.rows.empty() || ok);
    return ok;
  };
  EXPECT_FALSE(read("{\"schema\":\"hcc-profile-dataset\",\"version\":9}\n"));
  EXPECT_NE(error.find("dataset version 9"), std::string::npos) << error;
  EXPECT_FALSE(read("{\"schema\":\"other\",\"version\":1}\n"));
  EXPECT_NE(error.find("not an hcc-profile dataset"), std::string::npos);
  EXPECT_FALSE(read(""));
  std::string header = "{\"schema\":\"hcc-profile-dataset\",\"version\":2}\n";
  EXPECT_FALSE(read(header + "{\"kind\":\"kernel\"}\n"));
  EXPECT_NE(error.find(":2: "), std::string::npos) << error; // names the line
  EXPECT_FALSE(read(header + "not json\n"));
  std::string path = tempPath(".jsonl");
  std::vector<Row> rows = syntheticRows(1, 2);
  ASSERT_TRUE(writeDataset(path, rows, error));
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  size_t at = text.find("\"seconds\":");
  text.replace(at, 10, "\"seconds\":-");
  EXPECT_FALSE(read(text));
  EXPECT_NE(error.find("'seconds'"), std::string::npos) << error;
}

TEST(CostModel, LearnsRankingHeldOutByModel) {
  Dataset data;
  data.rows = syntheticRows(12, 3);
  TrainOptions opts;
  opts.rounds = 100;
  opts.threads = 1;
  std::vector<double> predicted;
  std::string error;
  ASSERT_TRUE(crossValidate(data, opts, 4, predicted, error)) << error;
  Metrics m = evaluate(data, predicted);
  EXPECT_GE(m.targets["a"].pairwise, 0.9);
  EXPECT_GE(m.targets["b"].pairwise, 0.9);
  EXPECT_GE(m.top1Within5, 0.8);
  EXPECT_EQ(m.kernels, 12u * 12u);
}

TEST(CostModel, SaveLoadPredictsTheSame) {
  Dataset data;
  data.rows = syntheticRows(4, 4);
  data.hash = "abc";
  CostModel model;
  TrainOptions opts;
  opts.rounds = 30;
  opts.threads = 1;
  std::string error;
  ASSERT_TRUE(model.train(data, opts, error)) << error;
  std::string path = tempPath(".json");
  ASSERT_TRUE(model.save(path, error)) << error;
  CostModel loaded;
  ASSERT_TRUE(loaded.load(path, error)) << error;
  EXPECT_EQ(loaded.datasetHash, "abc");
  EXPECT_TRUE(loaded.hasTarget("a"));
  EXPECT_FALSE(loaded.hasTarget("c"));
  std::vector<KernelFeatures> f = {data.rows[0].features};
  std::vector<double> x, y;
  ASSERT_TRUE(model.predict("a", f, x, error));
  ASSERT_TRUE(loaded.predict("a", f, y, error));
  EXPECT_DOUBLE_EQ(x[0], y[0]);
  EXPECT_FALSE(loaded.predict("c", f, y, error));
  // Another schema, another feature list, a damaged booster.
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\"version\":1", "\"version\":9"},
           {"\"log2_flops\"", "\"flops\""},
           {"\"booster\":\"{", "\"booster\":\"{x"}}) {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::string bad = tempPath(".json");
    std::ofstream(bad) << text;
    CostModel m;
    EXPECT_FALSE(m.load(bad, error)) << from;
    EXPECT_NE(error.find(bad), std::string::npos) << error;
  }
}

TEST(CostModel, RelativeTargetsAndThreadScaling) {
  // Host "a" measured at 1 and 2 threads (2 threads: 1.8x faster), "b"
  // learned relative to "a" at 2 threads.
  Dataset data;
  for (Row r : syntheticRows(6, 5)) {
    if (r.target == "a") {
      r.features.threads = 2;
      data.rows.push_back(r);
      r.features.threads = 1;
      r.seconds *= 1.8;
    }
    data.rows.push_back(r);
  }
  TrainOptions opts;
  opts.reference = "a";
  opts.rounds = 60;
  opts.threads = 1;
  CostModel model;
  std::string error;
  ASSERT_TRUE(model.train(data, opts, error)) << error;
  ASSERT_NE(model.reference("b"), nullptr);
  EXPECT_EQ(model.reference("b")->first, "a");
  EXPECT_EQ(model.reference("b")->second, 2);
  EXPECT_EQ(model.reference("a"), nullptr);
  KernelFeatures f = data.rows[0].features;
  std::vector<double> one, two;
  f.threads = 1;
  ASSERT_TRUE(model.predict("a", {f}, one, error)) << error;
  f.threads = 2;
  ASSERT_TRUE(model.predict("a", {f}, two, error)) << error;
  EXPECT_NEAR(one[0] / two[0], 1.8, 0.2);
  std::string path = tempPath(".json");
  ASSERT_TRUE(model.save(path, error)) << error;
  CostModel loaded;
  ASSERT_TRUE(loaded.load(path, error)) << error;
  f.threads = 0;
  std::vector<double> x, y;
  ASSERT_TRUE(model.predict("b", {f}, x, error));
  ASSERT_TRUE(loaded.predict("b", {f}, y, error));
  EXPECT_DOUBLE_EQ(x[0], y[0]);
  // A relative target whose reference is missing is refused.
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::string from = "\"relative_to\":\"a\"";
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), "\"relative_to\":\"z\"");
  std::string bad = tempPath(".json");
  std::ofstream(bad) << text;
  CostModel broken;
  EXPECT_FALSE(broken.load(bad, error));
  EXPECT_NE(error.find("relative to 'z'"), std::string::npos) << error;
}

TEST(TransferFit, RecoversLatencyAndBandwidth) {
  std::vector<Row> rows;
  for (double bytes = 256; bytes <= (64 << 20); bytes *= 4) {
    Row r;
    r.kind = Row::Transfer;
    r.from = "cpu";
    r.to = "gpu";
    r.bytes = bytes;
    r.seconds = 10e-6 + bytes / 12e9;
    rows.push_back(r);
  }
  TransferFit fit = fitTransfer(rows, "cpu", "gpu");
  EXPECT_NEAR(fit.latency, 10e-6, 1e-7);
  EXPECT_NEAR(fit.bytesPerSecond / 12e9, 1, 1e-3);
  EXPECT_EQ(fitTransfer(rows, "gpu", "cpu").samples, 0);
}

} // namespace
