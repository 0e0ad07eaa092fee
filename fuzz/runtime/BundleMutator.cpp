//===- BundleMutator.cpp - structure-aware mutation of bundles ------------===//

#include "BundleMutator.h"

#include "bundle_reader.h"
#include "hcc/runtime/bundle_format.h"
#include "hcc/runtime/bundle_writer.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace hcc::fuzz {
namespace {
using json = nlohmann::json;

void collect(json &node, std::vector<json *> &all) {
  all.push_back(&node);
  if (node.is_structured())
    for (json &child : node)
      collect(child, all);
}

/// Values that break assumptions: sizes at the limits, negative counts,
/// wrong types, names of other things.
json interestingValue(std::mt19937 &rng, const json &old,
                      const std::vector<std::string> &strings) {
  static const int64_t ints[] = {0,
                                 -1,
                                 1,
                                 2,
                                 3,
                                 7,
                                 64,
                                 4096,
                                 65536,
                                 int64_t(1) << 31,
                                 (int64_t(1) << 32) + 1,
                                 int64_t(1) << 40,
                                 std::numeric_limits<int64_t>::max(),
                                 std::numeric_limits<int64_t>::min()};
  switch (rng() % 8) {
  case 0:
  case 1:
    return ints[rng() % (sizeof(ints) / sizeof(ints[0]))];
  case 2:
    if (old.is_number_integer())
      return static_cast<int64_t>(static_cast<uint64_t>(old.get<int64_t>()) +
                                  rng() % 5 -
                                  2); // wraps, as a bad writer would
    return 1.5;
  case 3:
    return strings.empty() ? json("") : json(strings[rng() % strings.size()]);
  case 4:
    return json::array({old, old});
  case 5:
    return nullptr;
  case 6:
    return old.is_boolean() ? json(!old.get<bool>()) : json(true);
  default:
    return json::object();
  }
}

bool mutateManifestJson(std::string &text, std::mt19937 &rng) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    return false;
  std::vector<json *> nodes;
  collect(doc, nodes);
  std::vector<std::string> strings;
  for (json *n : nodes)
    if (n->is_string())
      strings.push_back(n->get<std::string>());
  json &target = *nodes[rng() % nodes.size()];
  unsigned what = rng() % 4;
  if (what == 0 && target.is_object() && !target.empty()) {
    auto it = target.begin();
    std::advance(it, rng() % target.size());
    target.erase(it.key()); // a key an older or newer writer lacks
  } else if (what == 1 && target.is_array() && !target.empty()) {
    size_t i = rng() % target.size();
    if (rng() % 2)
      target.push_back(target[i]); // one too many
    else
      target.erase(i); // one too few
  } else {
    target = interestingValue(rng, target, strings);
  }
  text = doc.dump();
  return true;
}
} // namespace

size_t mutateBundle(uint8_t *data, size_t size, size_t maxSize, unsigned seed) {
  std::unique_ptr<rt::BundleImage> image;
  if (!rt::BundleImage::fromMemory(data, size, image).isOk())
    return LLVMFuzzerMutate(data, size, maxSize);
  std::mt19937 rng(seed);
  std::string manifest(reinterpret_cast<const char *>(image->manifest().data),
                       image->manifest().size);
  std::vector<uint8_t> weights(image->weights().data,
                               image->weights().data + image->weights().size);
  unsigned what = rng() % 8;
  if (what < 5) {
    if (!mutateManifestJson(manifest, rng))
      what = 5;
  }
  if (what == 5 || what == 6) {
    // The manifest's text itself: truncated, spliced, a digit changed.
    size_t capacity = manifest.size() * 2 + 64;
    std::vector<uint8_t> bytes(manifest.begin(), manifest.end());
    bytes.resize(capacity);
    bytes.resize(LLVMFuzzerMutate(bytes.data(), manifest.size(), capacity));
    manifest.assign(bytes.begin(), bytes.end());
  } else if (what == 7 && !weights.empty()) {
    weights.resize(
        LLVMFuzzerMutate(weights.data(), weights.size(), weights.size()));
  }
  bundle::Writer writer;
  writer.addManifest(manifest);
  for (const rt::SectionView &s : image->sections())
    if (s.kind == HCC_BUNDLE_SECTION_CODE)
      writer.addCode(s.name, s.data, s.size);
  if (!weights.empty())
    writer.addWeight(weights.data(), weights.size());
  std::vector<uint8_t> out = writer.serialize();
  if (out.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

} // namespace hcc::fuzz
