//===- cuda_code.cpp - The "cuda" CODE section, parsed -------------------===//

#include "drivers/cuda_code.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace hcc {
namespace rt {
namespace cuda {

namespace {
/// Bound no real bundle reaches (a PTX or cubin of 1 GiB).
constexpr size_t kMaxCodeBytes = size_t(1) << 30;
} // namespace

int parseArch(const std::string &name) {
  if (name.size() < 4 || name.size() > 7 || name.compare(0, 3, "sm_") != 0)
    return -1;
  int value = 0;
  for (size_t i = 3; i < name.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(name[i])))
      return -1;
    value = value * 10 + (name[i] - '0');
  }
  return value;
}

bool decodeBase64(const std::string &text, std::string &out) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z')
      return c - 'A';
    if (c >= 'a' && c <= 'z')
      return c - 'a' + 26;
    if (c >= '0' && c <= '9')
      return c - '0' + 52;
    if (c == '+')
      return 62;
    if (c == '/')
      return 63;
    return -1;
  };
  out.clear();
  if (text.size() % 4 != 0)
    return false;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      char c = text[i + j];
      if (c == '=' && i + 4 == text.size() && j >= 2) {
        v[j] = 0;
        ++pad;
        continue;
      }
      if (pad || (v[j] = value(c)) < 0)
        return false;
    }
    uint32_t bits = (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) |
                    (uint32_t(v[2]) << 6) | uint32_t(v[3]);
    out.push_back(static_cast<char>(bits >> 16));
    if (pad < 2)
      out.push_back(static_cast<char>((bits >> 8) & 0xff));
    if (pad < 1)
      out.push_back(static_cast<char>(bits & 0xff));
  }
  return true;
}

CodeModule *CodeModule::from(rt::CodeModule &code) {
  return static_cast<CodeModule *>(StagedCodeModule::from(code, "cuda"));
}

Status CodeModule::parseSection(const nlohmann::json &doc) {
  HCC_RETURN_IF_ERROR(checkFormat(doc, kCodeFormat));
  auto text = doc.find("ptx");
  if (text == doc.end() || !text->is_string() ||
      text->get<std::string>().empty() ||
      text->get<std::string>().size() > kMaxCodeBytes)
    return bad("missing or empty \"ptx\" string");
  ptx = text->get<std::string>();
  auto arch = doc.find("ptx_arch");
  if (arch == doc.end() || !arch->is_string() ||
      (ptxArch = parseArch(arch->get<std::string>())) < 0)
    return bad("\"ptx_arch\" must be an architecture such as \"sm_80\"");
  auto bins = doc.find("cubins");
  if (bins != doc.end()) {
    if (!bins->is_object())
      return bad("\"cubins\" is not an object");
    for (auto it = bins->begin(); it != bins->end(); ++it) {
      int sm = parseArch(it.key());
      std::string bytes;
      if (sm < 0)
        return bad("cubin architecture '" + it.key() +
                   "' is not of the form sm_XX");
      if (!it.value().is_string() ||
          it.value().get<std::string>().size() > kMaxCodeBytes ||
          !decodeBase64(it.value().get<std::string>(), bytes) || bytes.empty())
        return bad("cubin for " + it.key() + " is not non-empty base64");
      cubins[sm] = std::move(bytes);
    }
  }
  return parseKernels(doc);
}

} // namespace cuda
} // namespace rt
} // namespace hcc
