//===- opencl_code.cpp - The "opencl" CODE section, parsed ---------------===//

#include "drivers/opencl_code.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cctype>
#include <mutex>
#include <unordered_set>

namespace hcc {
namespace rt {
namespace opencl {

namespace {

// Bounds that no real bundle reaches; they keep hostile input from asking
// for absurd allocations or argument lists.
constexpr uint64_t kMaxArgs = 4096;
constexpr uint64_t kMaxStages = 4096;
constexpr uint64_t kMaxStageArgs = 1024;
constexpr uint64_t kMaxScratchBuffers = 4096;
constexpr uint64_t kMaxScratchBytes = uint64_t(1) << 40;
constexpr uint64_t kMaxGlobalSize = uint64_t(1) << 31;

/// Modules alive now. Leaked on purpose: modules may be destroyed during
/// static destruction.
std::mutex &liveModulesMutex() {
  static std::mutex *mu = new std::mutex;
  return *mu;
}
std::unordered_set<const rt::CodeModule *> &liveModules() {
  static auto *set = new std::unordered_set<const rt::CodeModule *>;
  return *set;
}

/// A JSON value for a message, cut short (the value may be huge).
std::string brief(const nlohmann::json &v) {
  std::string s = v.dump();
  return s.size() > 40 ? s.substr(0, 40) + "..." : s;
}

bool isIdentifier(const std::string &s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0])))
    return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

} // namespace

CodeModule::CodeModule() {
  static std::atomic<uint64_t> nextId{1};
  id = nextId++;
  std::lock_guard<std::mutex> lock(liveModulesMutex());
  liveModules().insert(this);
}

CodeModule::~CodeModule() {
  std::lock_guard<std::mutex> lock(liveModulesMutex());
  liveModules().erase(this);
}

CodeModule *CodeModule::from(rt::CodeModule &code) {
  std::lock_guard<std::mutex> lock(liveModulesMutex());
  return liveModules().count(&code) ? static_cast<CodeModule *>(&code)
                                    : nullptr;
}

Status CodeModule::parse(const SectionView &code, const std::string &origin) {
  this->origin = origin;
  try {
    return parseJson(nlohmann::json::parse(
        reinterpret_cast<const char *>(code.data),
        reinterpret_cast<const char *>(code.data) + code.size));
  } catch (const nlohmann::json::exception &e) {
    // The parser quotes the offending bytes, which need not be UTF-8.
    std::string why = e.what();
    for (char &c : why)
      if (static_cast<unsigned char>(c) < 0x20 ||
          static_cast<unsigned char>(c) > 0x7e)
        c = '?';
    return bad("not valid JSON: " + why);
  }
}

Status CodeModule::resolve(const std::string &symbol, KernelHandle &out) {
  auto it = kernels.find(symbol);
  if (it == kernels.end())
    return invalidBundle("bundle '" + origin + "': kernel symbol '" + symbol +
                         "' is not in the opencl code");
  out = &it->second;
  return Status::ok();
}

Status CodeModule::bad(const std::string &what) const {
  return invalidBundle("bundle '" + origin + "': opencl code: " + what);
}

Status CodeModule::parseJson(const nlohmann::json &doc) {
  if (!doc.is_object())
    return bad("not a JSON object");
  auto format = doc.find("format");
  if (format == doc.end() || !format->is_string())
    return bad("missing \"format\" string");
  if (format->get<std::string>() != kCodeFormat)
    return bad("format is '" + format->get<std::string>() + "', expected '" +
               kCodeFormat + "'");
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
  auto ks = doc.find("kernels");
  if (ks == doc.end() || !ks->is_object())
    return bad("missing \"kernels\" object");
  for (auto it = ks->begin(); it != ks->end(); ++it)
    HCC_RETURN_IF_ERROR(parseKernel(it.key(), it.value()));
  return Status::ok();
}

Status CodeModule::parseKernel(const std::string &symbol,
                               const nlohmann::json &k) {
  std::string where = "kernel '" + symbol + "'";
  if (symbol.empty())
    return bad("a kernel has an empty symbol");
  if (!k.is_object())
    return bad(where + " is not an object");
  Kernel kernel;
  kernel.moduleId = id;
  kernel.symbol = symbol;

  auto numArgs = k.find("num_args");
  if (numArgs == k.end() || !numArgs->is_number_unsigned() ||
      numArgs->get<uint64_t>() > kMaxArgs)
    return bad(where + ": \"num_args\" must be an integer in [0, " +
               std::to_string(kMaxArgs) + "]");
  kernel.numArgs = static_cast<uint32_t>(numArgs->get<uint64_t>());

  auto scratch = k.find("scratch");
  if (scratch != k.end()) {
    if (!scratch->is_array() || scratch->size() > kMaxScratchBuffers)
      return bad(where + ": \"scratch\" must be an array of at most " +
                 std::to_string(kMaxScratchBuffers) + " sizes");
    uint64_t total = 0;
    for (const auto &s : *scratch) {
      if (!s.is_number_unsigned() || s.get<uint64_t>() > kMaxScratchBytes)
        return bad(where + ": scratch size " + brief(s) +
                   " is not an integer in [0, 2^40]");
      total += s.get<uint64_t>(); // at most 2^12 * 2^40: cannot overflow
      kernel.scratch.push_back(s.get<uint64_t>());
    }
    if (total > kMaxScratchBytes)
      return bad(where + ": total scratch of " + std::to_string(total) +
                 " bytes exceeds 2^40");
  }

  auto stages = k.find("stages");
  if (stages == k.end() || !stages->is_array() || stages->empty() ||
      stages->size() > kMaxStages)
    return bad(where + ": \"stages\" must be a non-empty array of at most " +
               std::to_string(kMaxStages) + " stages");
  uint64_t numBuffers = kernel.numArgs + kernel.scratch.size();
  for (size_t i = 0; i < stages->size(); ++i) {
    const nlohmann::json &s = (*stages)[i];
    std::string at = where + " stage " + std::to_string(i);
    if (!s.is_object())
      return bad(at + " is not an object");
    auto entry = s.find("entry");
    if (entry == s.end() || !entry->is_string() ||
        !isIdentifier(entry->get<std::string>()))
      return bad(at + ": \"entry\" must be a non-empty OpenCL C identifier");
    Stage stage;
    stage.entry = entry->get<std::string>();
    auto global = s.find("global_size");
    if (global == s.end() || !global->is_number_unsigned() ||
        global->get<uint64_t>() < 1 ||
        global->get<uint64_t>() >= kMaxGlobalSize)
      return bad(at + " '" + stage.entry +
                 "': \"global_size\" must be an integer in [1, 2^31)");
    stage.globalSize = global->get<uint64_t>();
    auto args = s.find("args");
    if (args == s.end() || !args->is_array() || args->size() > kMaxStageArgs)
      return bad(at + " '" + stage.entry +
                 "': \"args\" must be an array of at most " +
                 std::to_string(kMaxStageArgs) + " buffer indices");
    for (const auto &a : *args) {
      if (!a.is_number_unsigned() || a.get<uint64_t>() >= numBuffers)
        return bad(at + " '" + stage.entry + "': argument " + brief(a) +
                   " is out of range (" + std::to_string(kernel.numArgs) +
                   " arguments + " + std::to_string(kernel.scratch.size()) +
                   " scratch buffers)");
      stage.args.push_back(static_cast<uint32_t>(a.get<uint64_t>()));
    }
    kernel.stages.push_back(std::move(stage));
  }
  kernels[symbol] = std::move(kernel);
  return Status::ok();
}
} // namespace opencl
} // namespace rt
} // namespace hcc
