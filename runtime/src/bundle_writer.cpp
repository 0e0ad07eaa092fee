//===- bundle_writer.cpp - Writes .hccb bundles ---------------------------===//

#include "hcc/runtime/bundle_writer.h"
#include "hcc/runtime/bundle_format.h"
#include "support/atomic_file.h"

#include <algorithm>
#include <cstring>
#include <zlib.h>

namespace hcc {
namespace bundle {

namespace {
void putU32(std::vector<uint8_t> &out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void putU64(std::vector<uint8_t> &out, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
uint64_t alignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }
uint32_t crc(const uint8_t *data, size_t size) {
  uLong c = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths; feed large sections in pieces.
  while (size > 0) {
    uInt chunk = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
    c = crc32(c, data, chunk);
    data += chunk;
    size -= chunk;
  }
  return static_cast<uint32_t>(c);
}

struct Section {
  uint32_t kind;
  std::string name;
  const uint8_t *data;
  size_t size;
  uint64_t align;
};
} // namespace

void Writer::addManifest(std::string json) { manifest = std::move(json); }

void Writer::addCode(std::string target, std::vector<uint8_t> bytes) {
  for (auto &entry : code)
    if (entry.first == target) {
      entry.second = std::move(bytes);
      return;
    }
  code.emplace_back(std::move(target), std::move(bytes));
}

void Writer::addCode(std::string target, const void *data, size_t size) {
  const uint8_t *p = static_cast<const uint8_t *>(data);
  addCode(std::move(target), std::vector<uint8_t>(p, p + size));
}

uint64_t Writer::addWeight(const void *data, size_t size, size_t align) {
  align = std::max<size_t>(align, HCC_BUNDLE_WEIGHT_ALIGNMENT);
  uint64_t offset = alignUp(weights.size(), align);
  weights.resize(offset + size, 0);
  if (size > 0)
    std::memcpy(weights.data() + offset, data, size);
  return offset;
}

std::vector<uint8_t> Writer::serialize() const {
  std::vector<Section> sections;
  sections.push_back({HCC_BUNDLE_SECTION_MANIFEST, "manifest",
                      reinterpret_cast<const uint8_t *>(manifest.data()),
                      manifest.size(), 8});
  for (const auto &entry : code)
    sections.push_back({HCC_BUNDLE_SECTION_CODE, entry.first,
                        entry.second.data(), entry.second.size(), 64});
  // Weights always exist (possibly empty) so offsets in the manifest have a
  // blob to refer to; they go last so the page alignment wastes one gap.
  sections.push_back({HCC_BUNDLE_SECTION_WEIGHTS, "weights", weights.data(),
                      weights.size(), HCC_BUNDLE_WEIGHTS_ALIGNMENT});

  uint64_t tableEnd =
      HCC_BUNDLE_HEADER_SIZE + sections.size() * HCC_BUNDLE_SECTION_ENTRY_SIZE;
  std::vector<uint64_t> offsets;
  uint64_t cursor = tableEnd;
  for (const Section &s : sections) {
    cursor = alignUp(cursor, s.align);
    offsets.push_back(cursor);
    cursor += s.size;
  }
  std::vector<uint8_t> out(cursor, 0);
  std::memcpy(out.data(), HCC_BUNDLE_MAGIC, HCC_BUNDLE_MAGIC_SIZE);
  putU32(out, HCC_BUNDLE_OFF_VERSION, HCC_BUNDLE_FORMAT_VERSION);
  putU32(out, HCC_BUNDLE_OFF_SECTION_COUNT,
         static_cast<uint32_t>(sections.size()));
  putU64(out, HCC_BUNDLE_OFF_FILE_SIZE, out.size());
  for (size_t i = 0; i < sections.size(); ++i) {
    const Section &s = sections[i];
    size_t e = HCC_BUNDLE_HEADER_SIZE + i * HCC_BUNDLE_SECTION_ENTRY_SIZE;
    putU32(out, e + HCC_BUNDLE_SEC_OFF_KIND, s.kind);
    putU64(out, e + HCC_BUNDLE_SEC_OFF_OFFSET, offsets[i]);
    putU64(out, e + HCC_BUNDLE_SEC_OFF_SIZE, s.size);
    putU32(out, e + HCC_BUNDLE_SEC_OFF_CRC, crc(s.data, s.size));
    std::memcpy(
        &out[e + HCC_BUNDLE_SEC_OFF_NAME], s.name.data(),
        std::min<size_t>(s.name.size(), HCC_BUNDLE_SECTION_NAME_SIZE - 1));
    if (s.size > 0)
      std::memcpy(&out[offsets[i]], s.data, s.size);
  }
  putU32(out, HCC_BUNDLE_OFF_HEADER_CRC,
         crc(out.data() + HCC_BUNDLE_HEADER_SIZE,
             tableEnd - HCC_BUNDLE_HEADER_SIZE));
  return out;
}

bool Writer::write(const std::string &path, std::string *error) const {
  std::vector<uint8_t> bytes = serialize();
  return support::writeFileAtomically(path, bytes.data(), bytes.size(), error);
}

} // namespace bundle
} // namespace hcc
