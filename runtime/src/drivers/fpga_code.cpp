//===- fpga_code.cpp - The "fpga" CODE section, parsed --------------------===//

#include "drivers/fpga_code.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <mutex>
#include <unordered_map>

namespace hcc {
namespace rt {
namespace fpga {

namespace {
/// FPGA modules alive now. Leaked on purpose (static destruction order).
std::mutex &liveMutex() {
  static std::mutex *mu = new std::mutex;
  return *mu;
}
/// Keyed by the OpenCL module each is, so a lookup never casts a module
/// that is not one.
std::unordered_map<const opencl::CodeModule *, const CodeModule *> &live() {
  static auto *map =
      new std::unordered_map<const opencl::CodeModule *, const CodeModule *>;
  return *map;
}
} // namespace

CodeModule::CodeModule() {
  std::lock_guard<std::mutex> lock(liveMutex());
  live()[this] = this;
}

CodeModule::~CodeModule() {
  std::lock_guard<std::mutex> lock(liveMutex());
  live().erase(this);
}

const CodeModule *CodeModule::from(rt::CodeModule &code) {
  opencl::CodeModule *module = opencl::CodeModule::from(code);
  if (!module)
    return nullptr;
  std::lock_guard<std::mutex> lock(liveMutex());
  auto it = live().find(module);
  return it == live().end() ? nullptr : it->second;
}

double CodeModule::modelledNs(const std::string &symbol) const {
  auto it = cycles.find(symbol);
  if (it == cycles.end())
    return -1;
  return it->second * 1e3 / clockMHz;
}

Status CodeModule::parseSection(const nlohmann::json &doc) {
  HCC_RETURN_IF_ERROR(opencl::CodeModule::parseSection(doc));
  auto f = doc.find("fpga");
  if (f == doc.end() || !f->is_object())
    return bad("missing \"fpga\" object (board and modelled cycles)");
  auto text = [&](const char *key, std::string &out) -> Status {
    auto v = f->find(key);
    if (v == f->end() || !v->is_string())
      return bad(std::string("\"fpga\": missing or non-string \"") + key +
                 "\"");
    out = v->get<std::string>();
    return Status::ok();
  };
  HCC_RETURN_IF_ERROR(text("board", board));
  HCC_RETURN_IF_ERROR(text("opencl_platform", platform));
  if (board.empty())
    return bad("\"fpga\": empty \"board\"");
  auto clock = f->find("clock_mhz");
  if (clock == f->end() || !clock->is_number() ||
      !std::isfinite(clock->get<double>()) || clock->get<double>() <= 0 ||
      clock->get<double>() > 1e5)
    return bad("\"fpga\": \"clock_mhz\" is not a clock in (0, 100000] MHz: " +
               brief(clock == f->end() ? nlohmann::json() : *clock));
  clockMHz = clock->get<double>();
  auto list = f->find("kernels");
  if (list == f->end() || !list->is_object())
    return bad("\"fpga\": missing \"kernels\" object");
  for (auto it = list->begin(); it != list->end(); ++it) {
    if (!kernels.count(it.key()))
      return bad("\"fpga\": modelled kernel '" + it.key() +
                 "' is not in the kernel table");
    auto c = it->is_object() ? it->find("cycles") : it->end();
    if (c == it->end() || !c->is_number() || !std::isfinite(c->get<double>()) ||
        c->get<double>() < 0)
      return bad("\"fpga\": kernel '" + it.key() +
                 "' has no non-negative \"cycles\": " + brief(*it));
    cycles[it.key()] = c->get<double>();
  }
  for (const auto &k : kernels)
    if (!cycles.count(k.first))
      return bad("\"fpga\": kernel '" + k.first + "' has no modelled cycles");
  return Status::ok();
}

} // namespace fpga
} // namespace rt
} // namespace hcc
