//===- Dataset.cpp - hcc-profile's measurements, versioned ----------------===//

#include "hcc/CostModel/Dataset.h"

#include "hcc/Support/Files.h"
#include "hcc/Support/JSON.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace hcc {
namespace cost {

std::string Row::config() const {
  std::string c = target;
  if (features.threads > 0)
    c += "/t" + std::to_string(static_cast<int>(features.threads));
  return c;
}

std::string sha256Hex(const std::string &bytes) {
  auto digest = llvm::SHA256::hash(llvm::arrayRefFromStringRef(bytes));
  return llvm::toHex(digest, /*LowerCase=*/true);
}

namespace {

/// The numeric fields of KernelFeatures by name: one table for reading and
/// writing.
struct Field {
  const char *name;
  double KernelFeatures::*member;
};
const Field kFields[] = {
    {"flops", &KernelFeatures::flops},
    {"bytes_in", &KernelFeatures::bytesIn},
    {"bytes_out", &KernelFeatures::bytesOut},
    {"weight_bytes", &KernelFeatures::weightBytes},
    {"out_elements", &KernelFeatures::outElements},
    {"m", &KernelFeatures::m},
    {"n", &KernelFeatures::n},
    {"k", &KernelFeatures::k},
    {"batch", &KernelFeatures::batch},
    {"window", &KernelFeatures::window},
    {"stride", &KernelFeatures::stride},
    {"groups", &KernelFeatures::groups},
    {"num_ops", &KernelFeatures::numOps},
    {"fused_ops", &KernelFeatures::fusedOps},
    {"transcendentals", &KernelFeatures::transcendentals},
    {"dtype_bits", &KernelFeatures::dtypeBits},
    {"rank", &KernelFeatures::rank},
    {"threads", &KernelFeatures::threads},
};

llvm::json::Object header() {
  llvm::json::Array fields;
  for (const Field &f : kFields)
    fields.push_back(f.name);
  return llvm::json::Object{{"schema", kDatasetSchema},
                            {"version", kDatasetVersion},
                            {"fields", std::move(fields)}};
}

llvm::json::Object rowJson(const Row &r) {
  llvm::json::Object o{{"kind", r.kind == Row::Kernel ? "kernel" : "transfer"},
                       {"model", r.model},
                       {"target", r.target},
                       {"seconds", r.seconds},
                       {"spread", r.spread},
                       {"runs", r.runs},
                       {"machine", r.provenance.machine},
                       {"device", r.provenance.device},
                       {"driver", r.provenance.driver},
                       {"date", r.provenance.date}};
  if (r.kind == Row::Transfer) {
    o["from"] = r.from;
    o["to"] = r.to;
    o["bytes"] = r.bytes;
    return o;
  }
  o["kernel"] = r.kernel;
  o["op"] = r.features.opType;
  o["family"] = familyName(r.features.family);
  llvm::json::Object features = featuresToJson(r.features);
  features.erase("op");
  features.erase("family");
  o["features"] = std::move(features);
  return o;
}

bool finiteNonNegative(double v) { return std::isfinite(v) && v >= 0; }

/// Reads one row; "" on success, else what is wrong.
std::string parseRow(const llvm::json::Object &o, Row &r) {
  auto str = [&](const char *key, std::string &out) -> bool {
    auto v = o.getString(key);
    if (!v)
      return false;
    out = v->str();
    return true;
  };
  std::string kind;
  if (!str("kind", kind) || (kind != "kernel" && kind != "transfer"))
    return "'kind' must be \"kernel\" or \"transfer\"";
  r.kind = kind == "kernel" ? Row::Kernel : Row::Transfer;
  if (!str("model", r.model) || !str("target", r.target) ||
      !str("machine", r.provenance.machine) ||
      !str("device", r.provenance.device) ||
      !str("driver", r.provenance.driver) || !str("date", r.provenance.date))
    return "missing one of the string fields model, target, machine, device, "
           "driver, date";
  auto seconds = o.getNumber("seconds");
  auto spread = o.getNumber("spread");
  auto runs = o.getInteger("runs");
  if (!seconds || !(*seconds > 0) || !std::isfinite(*seconds) ||
      *seconds > 3600)
    return "'seconds' must be a number in (0, 3600]";
  if (!spread || !finiteNonNegative(*spread) || !runs || *runs < 1)
    return "'spread' must be >= 0 and 'runs' >= 1";
  r.seconds = *seconds;
  r.spread = *spread;
  r.runs = static_cast<int>(*runs);
  if (r.kind == Row::Transfer) {
    auto bytes = o.getNumber("bytes");
    if (!str("from", r.from) || !str("to", r.to) || !bytes ||
        !finiteNonNegative(*bytes))
      return "a transfer needs 'from', 'to' and 'bytes' >= 0";
    r.bytes = *bytes;
    return "";
  }
  std::string family;
  if (!str("kernel", r.kernel) || !str("op", r.features.opType))
    return "a kernel row needs 'kernel' and 'op'";
  r.features.family = familyOf(r.features.opType);
  const llvm::json::Object *features = o.getObject("features");
  if (!features)
    return "a kernel row needs a 'features' object";
  std::string problem;
  std::string op = r.features.opType;
  if (!featuresFromJson(*features, r.features, problem))
    return problem;
  r.features.opType = op;
  r.features.family = familyOf(op);
  return "";
}

} // namespace

llvm::json::Object featuresToJson(const KernelFeatures &f) {
  llvm::json::Object o{{"op", f.opType}, {"family", familyName(f.family)}};
  for (const Field &field : kFields)
    o[field.name] = f.*field.member;
  return o;
}

bool featuresFromJson(const llvm::json::Object &o, KernelFeatures &f,
                      std::string &error) {
  if (auto op = o.getString("op")) {
    f.opType = op->str();
    f.family = familyOf(f.opType);
  }
  for (const Field &field : kFields) {
    auto v = o.getNumber(field.name);
    if (!v || !finiteNonNegative(*v) || *v > 1e18) {
      error = std::string("feature '") + field.name +
              "' is missing or not a number in [0, 1e18]";
      return false;
    }
    f.*field.member = *v;
  }
  return true;
}

bool readDataset(const std::string &path, Dataset &data, std::string &error) {
  auto buffer = readInputFile(path);
  if (!buffer) {
    error = "cannot read dataset '" + path +
            "': " + llvm::toString(buffer.takeError());
    return false;
  }
  llvm::StringRef text = (*buffer)->getBuffer();
  std::vector<Row> rows;
  unsigned lineNo = 0;
  bool sawHeader = false;
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    text = rest;
    ++lineNo;
    if (line.trim().empty())
      continue;
    std::string where = path + ":" + std::to_string(lineNo) + ": ";
    llvm::Expected<llvm::json::Value> value = hcc::parseJSON(line);
    if (!value) {
      error = where + "not JSON: " + llvm::toString(value.takeError());
      return false;
    }
    const llvm::json::Object *o = value->getAsObject();
    if (!o) {
      error = where + "expected a JSON object";
      return false;
    }
    if (!sawHeader) {
      auto schema = o->getString("schema");
      auto version = o->getInteger("version");
      if (!schema || *schema != kDatasetSchema) {
        error = where +
                "not an hcc-profile dataset (the first line must "
                "name schema \"" +
                std::string(kDatasetSchema) + "\")";
        return false;
      }
      if (!version || *version != kDatasetVersion) {
        error = where + "dataset version " +
                (version ? std::to_string(*version) : std::string("?")) +
                ", this hcc reads version " + std::to_string(kDatasetVersion) +
                " (re-measure with hcc-profile)";
        return false;
      }
      sawHeader = true;
      continue;
    }
    Row row;
    std::string problem = parseRow(*o, row);
    if (!problem.empty()) {
      error = where + problem;
      return false;
    }
    rows.push_back(std::move(row));
  }
  if (!sawHeader) {
    error = path + ": empty file, not an hcc-profile dataset";
    return false;
  }
  data.rows.insert(data.rows.end(), rows.begin(), rows.end());
  data.hash = sha256Hex(data.hash + (*buffer)->getBuffer().str());
  return true;
}

bool writeDataset(const std::string &path, const std::vector<Row> &rows,
                  std::string &error) {
  llvm::Error e = writeOutputFile(path, [&](llvm::raw_ostream &os) {
    os << llvm::json::Value(header()) << "\n";
    for (const Row &r : rows)
      os << llvm::json::Value(rowJson(r)) << "\n";
    return llvm::Error::success();
  });
  if (e) {
    error = llvm::toString(std::move(e));
    return false;
  }
  return true;
}

} // namespace cost
} // namespace hcc
