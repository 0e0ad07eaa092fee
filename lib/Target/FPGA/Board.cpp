//===- Board.cpp - FPGA board descriptions --------------------------------===//

#include "hcc/Target/FPGA/Board.h"

#include "hcc/Support/Files.h"
#include "hcc/Support/JSON.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/xxhash.h"

using namespace llvm;

namespace hcc::fpga {

namespace {

/// The built-in boards: boards/*.json, embedded at build time.
struct BuiltinBoard {
  const char *name;
  const char *json;
};
#include "hcc/Target/FPGA/BoardsData.inc"

/// Reads the fields of one JSON object, recording the first error with the
/// path of the field ("dsp.count").
class Reader {
public:
  Reader(StringRef origin) : origin(origin) {}

  const json::Object *object(const json::Object &in, StringRef key,
                             StringRef path) {
    const json::Value *v = in.get(key);
    if (!v)
      return missing(path, key), nullptr;
    const json::Object *o = v->getAsObject();
    if (!o)
      fail(join(path, key), "is not an object");
    return o;
  }

  /// Calls `each` on every object of the non-empty array `key` with its
  /// path ("ram[0]").
  void objects(const json::Object &in, StringRef key,
               function_ref<void(const json::Object &, StringRef)> each) {
    const json::Value *v = in.get(key);
    if (!v)
      return missing("", key);
    const json::Array *a = v->getAsArray();
    if (!a || a->empty())
      return fail(key, "is not a non-empty array");
    for (auto [i, entry] : llvm::enumerate(*a)) {
      std::string path = (key + "[" + Twine(i) + "]").str();
      const json::Object *o = entry.getAsObject();
      if (!o)
        return fail(path, "is not an object");
      each(*o, path);
    }
  }

  void string(const json::Object &in, StringRef key, StringRef path,
              std::string &out) {
    const json::Value *v = in.get(key);
    if (!v)
      return missing(path, key);
    std::optional<StringRef> s = v->getAsString();
    if (!s || s->empty())
      return fail(join(path, key), "is not a non-empty string");
    out = s->str();
  }

  /// A number > 0 (>= 0 with `allowZero`).
  void number(const json::Object &in, StringRef key, StringRef path,
              double &out, bool allowZero = false) {
    const json::Value *v = in.get(key);
    if (!v)
      return missing(path, key);
    std::optional<double> d = v->getAsNumber();
    if (!d || !std::isfinite(*d) || *d < 0 || (*d == 0 && !allowZero))
      return fail(join(path, key),
                  allowZero ? "is not a number >= 0" : "is not a number > 0");
    out = *d;
  }

  void integer(const json::Object &in, StringRef key, StringRef path,
               int64_t &out) {
    const json::Value *v = in.get(key);
    if (!v)
      return missing(path, key);
    std::optional<int64_t> i = v->getAsInteger();
    if (!i || *i <= 0)
      return fail(join(path, key), "is not an integer > 0");
    out = *i;
  }

  void fail(StringRef field, StringRef problem) {
    if (!error.empty())
      return;
    error =
        ("board description " + origin + ": field '" + field + "' " + problem)
            .str();
  }

  std::string error;

private:
  void missing(StringRef path, StringRef key) {
    fail(join(path, key), "is missing");
  }
  static std::string join(StringRef path, StringRef key) {
    return path.empty() ? key.str() : (path + "." + key).str();
  }
  std::string origin;
};

void readMac(Reader &r, const json::Object &ops, StringRef key, MacCost &cost) {
  const json::Object *o = r.object(ops, key, "ops");
  if (!o)
    return;
  std::string path = ("ops." + key).str();
  r.number(*o, "dsp", path, cost.dsp, /*allowZero=*/true);
  r.number(*o, "logic", path, cost.logic, /*allowZero=*/true);
  r.integer(*o, "latency", path, cost.latency);
  if (r.error.empty() && cost.dsp == 0 && cost.logic == 0)
    r.fail(path, "costs neither DSPs nor logic");
}

} // namespace

int64_t Board::ramBits() const {
  int64_t bits = 0;
  for (const RamKind &k : ram)
    bits += k.blocks * k.bitsPerBlock;
  return bits;
}

std::vector<std::string> builtinBoardNames() {
  std::vector<std::string> names;
  for (const BuiltinBoard &b : kBuiltinBoards)
    names.push_back(b.name);
  return names;
}

/// Largest board description read from a file.
constexpr uint64_t kMaxBoardBytes = 1 << 20;

Expected<Board> parseBoard(StringRef text, StringRef origin) {
  Expected<json::Value> parsed = hcc::parseJSON(text);
  if (!parsed)
    return createStringError(
        inconvertibleErrorCode(), "board description %s: not JSON: %s",
        origin.str().c_str(), toString(parsed.takeError()).c_str());
  const json::Object *root = parsed->getAsObject();
  if (!root)
    return createStringError(inconvertibleErrorCode(),
                             "board description %s: not a JSON object",
                             origin.str().c_str());
  Board board;
  board.origin = origin.str();
  Reader r(origin);
  r.string(*root, "name", "", board.name);
  r.string(*root, "title", "", board.title);
  r.string(*root, "vendor", "", board.vendor);
  if (r.error.empty() && board.vendor != "amd" && board.vendor != "intel")
    r.fail("vendor", "is not \"amd\" or \"intel\"");
  r.string(*root, "device", "", board.device);
  r.string(*root, "family", "", board.family);
  r.number(*root, "clock_mhz", "", board.clockMHz);
  if (const json::Object *logic = r.object(*root, "logic", "")) {
    r.string(*logic, "kind", "logic", board.logicKind);
    r.integer(*logic, "count", "logic", board.logic);
  }
  if (const json::Object *dsp = r.object(*root, "dsp", "")) {
    r.string(*dsp, "kind", "dsp", board.dspKind);
    r.integer(*dsp, "count", "dsp", board.dsp);
  }
  r.objects(*root, "ram", [&](const json::Object &o, StringRef path) {
    RamKind kind;
    r.string(o, "kind", path, kind.kind);
    r.integer(o, "blocks", path, kind.blocks);
    r.integer(o, "bits_per_block", path, kind.bitsPerBlock);
    board.ram.push_back(kind);
  });
  if (const json::Object *mem = r.object(*root, "global_memory", "")) {
    r.string(*mem, "kind", "global_memory", board.memoryKind);
    r.integer(*mem, "channels", "global_memory", board.memoryChannels);
    r.number(*mem, "capacity_gib", "global_memory", board.memoryGiB);
    r.number(*mem, "bandwidth_gbps", "global_memory", board.memoryGBps);
  }
  if (const json::Object *link = r.object(*root, "host_link", "")) {
    r.string(*link, "kind", "host_link", board.hostLinkKind);
    r.number(*link, "bandwidth_gbps", "host_link", board.hostLinkGBps);
  }
  if (const json::Object *ops = r.object(*root, "ops", "")) {
    readMac(r, *ops, "f32_mac", board.f32Mac);
    readMac(r, *ops, "f16_mac", board.f16Mac);
    readMac(r, *ops, "int8_mac", board.int8Mac);
  }
  r.string(*root, "opencl_platform", "", board.openclPlatform);
  r.objects(*root, "sources", [&](const json::Object &o, StringRef path) {
    std::string source;
    r.string(o, "source", path, source);
  });
  if (!r.error.empty())
    return createStringError(inconvertibleErrorCode(), r.error);
  return board;
}

namespace {
bool isBoardPath(StringRef nameOrPath) {
  return nameOrPath.contains('/') || nameOrPath.ends_with(".json");
}
} // namespace

std::string boardIdentity(StringRef nameOrPath) {
  Expected<Board> board = loadBoard(nameOrPath);
  if (!board) {
    consumeError(board.takeError());
    return "";
  }
  // Workload keys are ':'-separated: names keep to a safe alphabet.
  std::string id = board->name;
  for (char &c : id)
    if (!isAlnum(c) && c != '-' && c != '_' && c != '.')
      c = '_';
  if (!isBoardPath(nameOrPath))
    return id;
  auto file = readInputFile(nameOrPath, /*isText=*/true, kMaxBoardBytes);
  if (!file) {
    consumeError(file.takeError());
    return "";
  }
  return id + "-" + utohexstr(xxh3_64bits((*file)->getBuffer()) >> 32, true);
}

Expected<Board> loadBoard(StringRef nameOrPath) {
  bool isPath = isBoardPath(nameOrPath);
  if (!isPath) {
    for (const BuiltinBoard &b : kBuiltinBoards)
      if (nameOrPath == b.name)
        return parseBoard(b.json, ("'" + nameOrPath + "' (built-in)").str());
    return createStringError(inconvertibleErrorCode(),
                             "unknown board '%s' (built-in boards: %s; or "
                             "the path of a board description .json)",
                             nameOrPath.str().c_str(),
                             join(builtinBoardNames(), ", ").c_str());
  }
  auto file = readInputFile(nameOrPath, /*isText=*/true, kMaxBoardBytes);
  if (!file)
    return createStringError(
        std::errc::invalid_argument, "board description %s: cannot read: %s",
        nameOrPath.str().c_str(), toString(file.takeError()).c_str());
  return parseBoard((*file)->getBuffer(), nameOrPath);
}

} // namespace hcc::fpga
