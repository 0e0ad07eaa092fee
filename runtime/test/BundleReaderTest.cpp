//===- BundleReaderTest.cpp - Damaged bundles fail cleanly ---------------===//

#include "TestUtil.h"
#include "bundle_reader.h"
#include "hcc/runtime/bundle_format.h"
#include "hcc/runtime/bundle_writer.h"
#include "model.h"

#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <random>

using namespace hcc::rt;

namespace {

Status loadBytes(const std::vector<uint8_t> &bytes) {
  std::unique_ptr<BundleImage> image;
  HCC_RETURN_IF_ERROR(
      BundleImage::fromMemory(bytes.data(), bytes.size(), image));
  std::unique_ptr<Model> model;
  HCC_RETURN_IF_ERROR(Model::load(std::move(image), model));
  model.release()->release();
  return Status::ok();
}

uint64_t u64At(const std::vector<uint8_t> &b, size_t at) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | b[at + i];
  return v;
}

TEST(BundleReader, ValidBundleLoads) {
  std::vector<uint8_t> bytes = hcc::test::addReluBundle();
  ASSERT_FALSE(hcc::test::testKernels().empty());
  Status st = loadBytes(bytes);
  EXPECT_TRUE(st.isOk()) << st.message();
  EXPECT_EQ(bytes.size() % 1, 0u);
}

TEST(BundleReader, TruncatedAtEverySectionBoundaryFails) {
  std::vector<uint8_t> bytes = hcc::test::addReluBundle();
  std::vector<size_t> cuts = {0, 1, 7, 8, 63, 64};
  uint32_t count = bytes[HCC_BUNDLE_OFF_SECTION_COUNT];
  for (uint32_t i = 0; i < count; ++i) {
    size_t e = HCC_BUNDLE_HEADER_SIZE + i * HCC_BUNDLE_SECTION_ENTRY_SIZE;
    uint64_t off = u64At(bytes, e + HCC_BUNDLE_SEC_OFF_OFFSET);
    uint64_t size = u64At(bytes, e + HCC_BUNDLE_SEC_OFF_SIZE);
    for (uint64_t c : {e, e + 1, off, off + 1, off + size / 2, off + size - 1})
      if (c < bytes.size())
        cuts.push_back(c);
  }
  cuts.push_back(bytes.size() - 1);
  for (size_t cut : cuts) {
    std::vector<uint8_t> truncated(bytes.begin(), bytes.begin() + cut);
    Status st = loadBytes(truncated);
    EXPECT_FALSE(st.isOk()) << "truncated at " << cut;
    EXPECT_EQ(st.code(), HCC_ERROR_INVALID_BUNDLE) << st.message();
  }
}

TEST(BundleReader, EveryHeaderAndTableByteFlipFails) {
  std::vector<uint8_t> bytes = hcc::test::addReluBundle();
  uint32_t count = bytes[HCC_BUNDLE_OFF_SECTION_COUNT];
  size_t tableEnd =
      HCC_BUNDLE_HEADER_SIZE + count * HCC_BUNDLE_SECTION_ENTRY_SIZE;
  for (size_t pos = 0; pos < tableEnd; ++pos) {
    std::vector<uint8_t> damaged = bytes;
    damaged[pos] ^= 0x5a;
    EXPECT_FALSE(loadBytes(damaged).isOk()) << "flip at " << pos;
  }
}

TEST(BundleReader, RandomByteFlipsFail) {
  std::vector<uint8_t> bytes = hcc::test::addReluBundle();
  std::mt19937 rng(1234);
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> damaged = bytes;
    size_t pos = rng() % bytes.size();
    damaged[pos] ^= static_cast<uint8_t>(1 + rng() % 255);
    EXPECT_FALSE(loadBytes(damaged).isOk()) << "flip at " << pos;
  }
}

TEST(BundleReader, OtherFormatVersionIsNamed) {
  std::vector<uint8_t> bytes = hcc::test::addReluBundle();
  bytes[HCC_BUNDLE_OFF_VERSION] = 2;
  Status st = loadBytes(bytes);
  EXPECT_EQ(st.code(), HCC_ERROR_VERSION_MISMATCH);
  EXPECT_NE(st.message().find("bundle format version 2, this runtime reads 1"),
            std::string::npos)
      << st.message();
}

TEST(BundleReader, NotABundle) {
  std::vector<uint8_t> junk(200, 'x');
  Status st = loadBytes(junk);
  EXPECT_EQ(st.code(), HCC_ERROR_INVALID_BUNDLE);
  EXPECT_NE(st.message().find("bad magic"), std::string::npos);
}

TEST(BundleReader, MissingFileIsIoError) {
  std::unique_ptr<BundleImage> image;
  Status st = BundleImage::openFile("/nonexistent/m.hccb", image);
  EXPECT_EQ(st.code(), HCC_ERROR_IO);
  EXPECT_NE(st.message().find("/nonexistent/m.hccb"), std::string::npos);
}

TEST(BundleReader, WriterRoundTripsThroughFile) {
  hcc::bundle::Writer w;
  w.addManifest(hcc::test::addReluManifest().dump());
  w.addCode("cpu", hcc::test::testKernels());
  float weights[4] = {1, 2, 3, 4};
  EXPECT_EQ(w.addWeight(weights, sizeof(weights)), 0u);
  EXPECT_EQ(w.addWeight(weights, 3), 64u);
  std::string path = hcc::test::tempDir() + "/rt.hccb", error;
  ASSERT_TRUE(w.write(path, &error)) << error;
  std::unique_ptr<BundleImage> image;
  Status st = BundleImage::openFile(path, image);
  ASSERT_TRUE(st.isOk()) << st.message();
  EXPECT_EQ(image->weights().size, 67u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(image->weights().data) % 4096, 0u);
  EXPECT_FALSE(w.write("/nonexistent-dir/x.hccb", &error));
  EXPECT_NE(error.find("/nonexistent-dir/x.hccb"), std::string::npos);
}

TEST(BundleReader, ReleasedCodePagesReadBackTheSameBytes) {
  // A code section of several pages, from a file and from memory.
  std::vector<uint8_t> code(5 * 4096 + 123);
  for (size_t i = 0; i < code.size(); ++i)
    code[i] = static_cast<uint8_t>(i * 7 + 1);
  hcc::bundle::Writer w;
  w.addManifest(hcc::test::addReluManifest().dump());
  w.addCode("cpu", code);
  std::string path = hcc::test::tempDir() + "/release.hccb", error;
  ASSERT_TRUE(w.write(path, &error)) << error;
  auto bytesOf = [](const SectionView *s) {
    return std::vector<uint8_t>(s->data, s->data + s->size);
  };
  std::unique_ptr<BundleImage> mapped;
  ASSERT_TRUE(BundleImage::openFile(path, mapped).isOk());
  const SectionView *section = mapped->code("cpu");
  ASSERT_NE(section, nullptr);
  EXPECT_EQ(bytesOf(section), code);
  mapped->releasePages(*section); // read again from the file
  EXPECT_EQ(bytesOf(section), code);
  // An image copied into memory keeps its pages.
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> all((std::istreambuf_iterator<char>(in)),
                           std::istreambuf_iterator<char>());
  std::unique_ptr<BundleImage> held;
  ASSERT_TRUE(BundleImage::fromMemory(all.data(), all.size(), held).isOk());
  const SectionView *kept = held->code("cpu");
  held->releasePages(*kept);
  EXPECT_EQ(bytesOf(kept), code);
}

} // namespace
