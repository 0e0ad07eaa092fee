//===- staged_code.cpp - kernel tables of staged CODE sections ------------===//

#include "drivers/staged_code.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cctype>
#include <mutex>
#include <unordered_map>

namespace hcc {
namespace rt {

namespace {

// Bounds that no real bundle reaches; they keep hostile input from asking
// for absurd allocations or argument lists.
constexpr uint64_t kMaxArgs = 4096;
constexpr uint64_t kMaxStages = 4096;
constexpr uint64_t kMaxStageArgs = 1024;
constexpr uint64_t kMaxScratchBuffers = 4096;
constexpr uint64_t kMaxScratchBytes = uint64_t(1) << 40;
constexpr uint64_t kMaxGlobalSize = uint64_t(1) << 31;
constexpr uint64_t kMaxLocalSize = 1024;

/// Modules alive now and their kinds. Leaked on purpose: modules may be
/// destroyed during static destruction.
std::mutex &liveModulesMutex() {
  static std::mutex *mu = new std::mutex;
  return *mu;
}
std::unordered_map<const rt::CodeModule *, const char *> &liveModules() {
  static auto *map =
      new std::unordered_map<const rt::CodeModule *, const char *>;
  return *map;
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

StagedCodeModule::StagedCodeModule(const char *kind) : kind(kind) {
  static std::atomic<uint64_t> nextId{1};
  id = nextId++;
  std::lock_guard<std::mutex> lock(liveModulesMutex());
  liveModules()[this] = kind;
}

StagedCodeModule::~StagedCodeModule() {
  std::lock_guard<std::mutex> lock(liveModulesMutex());
  liveModules().erase(this);
}

StagedCodeModule *StagedCodeModule::from(rt::CodeModule &code,
                                         const char *kind) {
  std::lock_guard<std::mutex> lock(liveModulesMutex());
  auto it = liveModules().find(&code);
  return it != liveModules().end() && std::string(it->second) == kind
             ? static_cast<StagedCodeModule *>(&code)
             : nullptr;
}

std::string StagedCodeModule::brief(const nlohmann::json &v) {
  std::string s = v.dump();
  return s.size() > 40 ? s.substr(0, 40) + "..." : s;
}

Status StagedCodeModule::parse(const SectionView &code,
                               const std::string &origin) {
  this->origin = origin;
  try {
    return parseSection(nlohmann::json::parse(
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

Status StagedCodeModule::resolve(const std::string &symbol, KernelHandle &out) {
  auto it = kernels.find(symbol);
  if (it == kernels.end())
    return invalidBundle("bundle '" + origin + "': kernel symbol '" + symbol +
                         "' is not in the " + kind + " code");
  out = &it->second;
  return Status::ok();
}

Status StagedCodeModule::bad(const std::string &what) const {
  return invalidBundle("bundle '" + origin + "': " + kind + " code: " + what);
}

Status checkLaunch(const std::string &device, const StagedKernel *kernel,
                   bool prepared, size_t numArgs) {
  if (!kernel || !prepared)
    return invalidArgument(device + ": kernel '" +
                           (kernel ? kernel->symbol : "<null>") +
                           "' was not prepared on this device");
  if (numArgs != kernel->numArgs)
    return invalidArgument(device + ": kernel '" + kernel->symbol + "' takes " +
                           std::to_string(kernel->numArgs) +
                           " arguments, got " + std::to_string(numArgs));
  return Status::ok();
}

Status StagedCodeModule::checkFormat(const nlohmann::json &doc,
                                     const char *expected) const {
  if (!doc.is_object())
    return bad("not a JSON object");
  auto format = doc.find("format");
  if (format == doc.end() || !format->is_string())
    return bad("missing \"format\" string");
  if (format->get<std::string>() != expected)
    return bad("format is '" + format->get<std::string>() + "', expected '" +
               expected + "'");
  return Status::ok();
}

Status StagedCodeModule::parseKernels(const nlohmann::json &doc) {
  auto ks = doc.find("kernels");
  if (ks == doc.end() || !ks->is_object())
    return bad("missing \"kernels\" object");
  for (auto it = ks->begin(); it != ks->end(); ++it)
    HCC_RETURN_IF_ERROR(parseKernel(it.key(), it.value()));
  return Status::ok();
}

Status StagedCodeModule::parseKernel(const std::string &symbol,
                                     const nlohmann::json &k) {
  std::string where = "kernel '" + symbol + "'";
  if (symbol.empty())
    return bad("a kernel has an empty symbol");
  if (!k.is_object())
    return bad(where + " is not an object");
  StagedKernel kernel;
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
    auto local = s.find("local_size");
    if (local != s.end()) {
      if (!local->is_number_unsigned() || local->get<uint64_t>() < 1 ||
          local->get<uint64_t>() > kMaxLocalSize ||
          stage.globalSize % local->get<uint64_t>() != 0)
        return bad(at + " '" + stage.entry +
                   "': \"local_size\" must be an integer in [1, " +
                   std::to_string(kMaxLocalSize) +
                   "] that divides \"global_size\"");
      stage.localSize = local->get<uint64_t>();
    }
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

} // namespace rt
} // namespace hcc
