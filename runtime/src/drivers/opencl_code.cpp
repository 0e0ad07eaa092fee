//===- opencl_code.cpp - The "opencl" CODE section, parsed ---------------===//

#include "drivers/opencl_code.h"

#include <nlohmann/json.hpp>

namespace hcc {
namespace rt {
namespace opencl {

CodeModule *CodeModule::from(rt::CodeModule &code) {
  return static_cast<CodeModule *>(StagedCodeModule::from(code, "opencl"));
}

Status CodeModule::parseSection(const nlohmann::json &doc) {
  HCC_RETURN_IF_ERROR(checkFormat(doc, kCodeFormat));
  auto src = doc.find("source");
  if (src == doc.end() || !src->is_string() || src->get<std::string>().empty())
    return bad("missing or empty \"source\" string");
  source = src->get<std::string>();
  auto opts = doc.find("options");
  if (opts != doc.end()) {
    if (!opts->is_string())
      return bad("\"options\" is not a string");
    options = opts->get<std::string>();
  }
  return parseKernels(doc);
}

} // namespace opencl
} // namespace rt
} // namespace hcc
