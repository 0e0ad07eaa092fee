//===- manifest.cpp - The bundle manifest, parsed and validated ----------===//
//
// Hand-checks every field's JSON type instead of relying on nlohmann's
// throwing accessors, so each rejection says which field of which entry.
//
//===----------------------------------------------------------------------===//

#include "manifest.h"
#include "dtype.h"

#include <algorithm>
#include <nlohmann/json.hpp>

using nlohmann::json;

namespace hcc {
namespace rt {

namespace {

/// Collects the context prefix for messages ("bundle 'm.hccb': manifest").
class Parser {
public:
  explicit Parser(std::string prefix) : prefix(std::move(prefix)) {}

  Status fail(const std::string &where, const std::string &what) const {
    return invalidBundle(prefix + ": " + where + ": " + what);
  }

  Status getInt(const json &obj, const char *key, const std::string &where,
                int64_t &out, bool required = true) const {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required)
        return fail(where, std::string("missing '") + key + "'");
      return Status::ok();
    }
    if (!it->is_number_integer())
      return fail(where, std::string("'") + key + "' must be an integer");
    if (it->is_number_unsigned() && it->get<uint64_t>() > INT64_MAX)
      return fail(where, std::string("'") + key + "' is out of range");
    out = it->get<int64_t>();
    return Status::ok();
  }

  Status getIndex(const json &obj, const char *key, const std::string &where,
                  size_t limit, size_t &out) const {
    int64_t v = 0;
    HCC_RETURN_IF_ERROR(getInt(obj, key, where, v));
    if (v < 0 || static_cast<uint64_t>(v) >= limit)
      return fail(where, std::string("'") + key + "' = " + std::to_string(v) +
                             " is out of range [0, " + std::to_string(limit) +
                             ")");
    out = static_cast<size_t>(v);
    return Status::ok();
  }

  Status getString(const json &obj, const char *key, const std::string &where,
                   std::string &out, bool required = true) const {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required)
        return fail(where, std::string("missing '") + key + "'");
      return Status::ok();
    }
    if (!it->is_string())
      return fail(where, std::string("'") + key + "' must be a string");
    out = it->get<std::string>();
    return Status::ok();
  }

  Status getArray(const json &obj, const char *key, const std::string &where,
                  const json *&out) const {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_array())
      return fail(where, std::string("'") + key + "' must be an array");
    out = &*it;
    return Status::ok();
  }

  Status getIndexList(const json &obj, const char *key,
                      const std::string &where, size_t limit,
                      std::vector<size_t> &out) const {
    const json *arr = nullptr;
    HCC_RETURN_IF_ERROR(getArray(obj, key, where, arr));
    for (const json &v : *arr) {
      if (!v.is_number_integer() || v.get<int64_t>() < 0 ||
          static_cast<uint64_t>(v.get<int64_t>()) >= limit)
        return fail(where, std::string("'") + key +
                               "' holds an entry out of range [0, " +
                               std::to_string(limit) + ")");
      out.push_back(static_cast<size_t>(v.get<int64_t>()));
    }
    return Status::ok();
  }

  std::string prefix;
};

Status parseKind(const std::string &s, BufferKind &kind) {
  static const std::pair<const char *, BufferKind> table[] = {
      {"input", BufferKind::Input},
      {"output", BufferKind::Output},
      {"weight", BufferKind::Weight},
      {"intermediate", BufferKind::Intermediate},
      {"constant_output", BufferKind::ConstantOutput}};
  for (const auto &entry : table)
    if (s == entry.first) {
      kind = entry.second;
      return Status::ok();
    }
  return invalidBundle(s);
}

Status parseBuffers(const Parser &p, const json &root, uint64_t weightsSize,
                    const std::map<std::string, int64_t> &symbolic,
                    size_t numDevices, std::vector<BufferDesc> &buffers) {
  const json *arr = nullptr;
  HCC_RETURN_IF_ERROR(p.getArray(root, "buffers", "manifest", arr));
  for (size_t i = 0; i < arr->size(); ++i) {
    const json &b = (*arr)[i];
    std::string where = "buffer " + std::to_string(i);
    if (!b.is_object())
      return p.fail(where, "must be an object");
    int64_t id = -1, dtype = 0;
    HCC_RETURN_IF_ERROR(p.getInt(b, "id", where, id));
    if (id != static_cast<int64_t>(i))
      return p.fail(where, "ids must be 0, 1, 2, ... in order, found " +
                               std::to_string(id));
    BufferDesc desc;
    HCC_RETURN_IF_ERROR(p.getInt(b, "dtype", where, dtype));
    size_t elem = dtypeSize(dtype);
    if (elem == 0)
      return p.fail(where, "unsupported dtype " + std::to_string(dtype));
    desc.dtype = static_cast<hcc_dtype_t>(dtype);
    const json *shape = nullptr;
    HCC_RETURN_IF_ERROR(p.getArray(b, "shape", where, shape));
    for (const json &d : *shape) {
      if (!d.is_number_integer() || d.get<int64_t>() < 0)
        return p.fail(where, "shape entries must be non-negative integers");
      desc.shape.push_back(d.get<int64_t>());
    }
    if (!tensorBytes(desc.shape, elem, desc.bytes))
      return p.fail(where, "tensor size overflows");
    desc.dimNames.assign(desc.shape.size(), "");
    if (b.contains("dim_names")) {
      const json *names = nullptr;
      HCC_RETURN_IF_ERROR(p.getArray(b, "dim_names", where, names));
      if (names->size() != desc.shape.size())
        return p.fail(where, "'dim_names' has " +
                                 std::to_string(names->size()) +
                                 " entries for rank " +
                                 std::to_string(desc.shape.size()));
      for (size_t d = 0; d < names->size(); ++d) {
        if (!(*names)[d].is_string())
          return p.fail(where, "'dim_names' entries must be strings");
        desc.dimNames[d] = (*names)[d].get<std::string>();
        auto bound = symbolic.find(desc.dimNames[d]);
        if (bound != symbolic.end() && bound->second != desc.shape[d])
          return p.fail(where, "dimension '" + desc.dimNames[d] + "' is " +
                                   std::to_string(desc.shape[d]) +
                                   " but symbolic_dims binds it to " +
                                   std::to_string(bound->second));
      }
    }
    std::string kind;
    HCC_RETURN_IF_ERROR(p.getString(b, "kind", where, kind));
    if (!parseKind(kind, desc.kind).isOk())
      return p.fail(where, "unknown kind '" + kind + "'");
    if (b.contains("device"))
      HCC_RETURN_IF_ERROR(
          p.getIndex(b, "device", where, numDevices, desc.device));
    // The caller's tensors and the mapped weights are host memory.
    if (desc.kind != BufferKind::Intermediate && desc.device != 0)
      return p.fail(where, "graph inputs, outputs and weights live on "
                           "device 0, not device " +
                               std::to_string(desc.device));
    bool hasWeight = desc.kind == BufferKind::Weight ||
                     desc.kind == BufferKind::ConstantOutput;
    if (hasWeight) {
      int64_t off = -1;
      HCC_RETURN_IF_ERROR(p.getInt(b, "weight_offset", where, off));
      if (off < 0 || static_cast<uint64_t>(off) > weightsSize ||
          desc.bytes > weightsSize - static_cast<uint64_t>(off))
        return p.fail(where,
                      "weight bytes [" + std::to_string(off) + ", +" +
                          std::to_string(desc.bytes) + ") lie outside the " +
                          std::to_string(weightsSize) + "-byte weights blob");
      if (off % 64 != 0)
        return p.fail(where, "weight_offset is not 64-byte aligned");
      desc.weightOffset = static_cast<uint64_t>(off);
    } else if (b.contains("weight_offset")) {
      return p.fail(where, "only weights have a 'weight_offset'");
    }
    if (b.contains("view_of")) {
      const json &v = b["view_of"];
      if (!v.is_object())
        return p.fail(where, "'view_of' must be an object");
      if (desc.kind != BufferKind::Intermediate)
        return p.fail(where, "only intermediate buffers can be views");
      int64_t target = -1, off = -1;
      HCC_RETURN_IF_ERROR(p.getInt(v, "buffer", where + " view_of", target));
      HCC_RETURN_IF_ERROR(p.getInt(v, "offset", where + " view_of", off));
      if (target < 0 || target >= static_cast<int64_t>(arr->size()) ||
          target == id)
        return p.fail(where, "'view_of' names buffer " +
                                 std::to_string(target) +
                                 ", not another buffer");
      desc.isView = true;
      desc.viewOf = static_cast<size_t>(target);
      desc.viewOffset = static_cast<uint64_t>(off < 0 ? -1 : off);
      if (off < 0)
        return p.fail(where, "'view_of' offset must be non-negative");
    }
    buffers.push_back(std::move(desc));
  }
  // Views are checked once all sizes are known.
  for (size_t i = 0; i < buffers.size(); ++i) {
    const BufferDesc &b = buffers[i];
    if (!b.isView)
      continue;
    const BufferDesc &t = buffers[b.viewOf];
    std::string where = "buffer " + std::to_string(i);
    if (t.isView)
      return p.fail(where, "is a view of a view; point at the root buffer");
    if (t.device != b.device)
      return p.fail(where, "is a view of buffer " + std::to_string(b.viewOf) +
                               " on another device");
    if (b.viewOffset > t.bytes || b.bytes > t.bytes - b.viewOffset)
      return p.fail(where, "view bytes [" + std::to_string(b.viewOffset) +
                               ", +" + std::to_string(b.bytes) +
                               ") exceed buffer " + std::to_string(b.viewOf) +
                               " (" + std::to_string(t.bytes) + " bytes)");
  }
  // Weights must not overlap (a shared constant is expressed as a view).
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (const BufferDesc &b : buffers)
    if ((b.kind == BufferKind::Weight ||
         b.kind == BufferKind::ConstantOutput) &&
        b.bytes > 0)
      ranges.emplace_back(b.weightOffset, b.bytes);
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i)
    if (ranges[i - 1].first + ranges[i - 1].second > ranges[i].first)
      return p.fail("weights", "two weights overlap at blob offset " +
                                   std::to_string(ranges[i].first));
  return Status::ok();
}

Status parseValues(const Parser &p, const json &root, const char *key,
                   const std::vector<BufferDesc> &buffers,
                   std::vector<ValueDesc> &values) {
  const json *arr = nullptr;
  HCC_RETURN_IF_ERROR(p.getArray(root, key, "manifest", arr));
  bool isInput = std::string(key) == "inputs";
  for (size_t i = 0; i < arr->size(); ++i) {
    const json &v = (*arr)[i];
    std::string where = std::string(key) + "[" + std::to_string(i) + "]";
    if (!v.is_object())
      return p.fail(where, "must be an object");
    ValueDesc desc;
    HCC_RETURN_IF_ERROR(p.getString(v, "name", where, desc.name));
    if (desc.name.empty())
      return p.fail(where, "name is empty");
    HCC_RETURN_IF_ERROR(
        p.getIndex(v, "buffer", where, buffers.size(), desc.buffer));
    BufferKind k = buffers[desc.buffer].kind;
    bool ok =
        isInput ? k == BufferKind::Input
                : (k == BufferKind::Output || k == BufferKind::ConstantOutput);
    if (!ok)
      return p.fail(where, "buffer " + std::to_string(desc.buffer) +
                               " has the wrong kind");
    for (const ValueDesc &o : values) {
      if (o.name == desc.name)
        return p.fail(where, "duplicate name '" + desc.name + "'");
      if (o.buffer == desc.buffer)
        return p.fail(where, "buffer " + std::to_string(desc.buffer) +
                                 " is bound twice");
    }
    values.push_back(std::move(desc));
  }
  return Status::ok();
}

/// A transfer: args [src, dst], src on from_device, dst on device, the same
/// size, src already written.
Status parseTransfer(const Parser &p, const json &k, const std::string &where,
                     const Manifest &m, KernelDesc &desc) {
  desc.isTransfer = true;
  if (k.contains("code") || k.contains("symbol"))
    return p.fail(where, "a transfer has no code or symbol");
  HCC_RETURN_IF_ERROR(
      p.getIndex(k, "from_device", where, m.devices.size(), desc.fromDevice));
  if (desc.fromDevice == desc.device)
    return p.fail(where, "transfers from device " +
                             std::to_string(desc.device) + " to itself");
  HCC_RETURN_IF_ERROR(
      p.getIndexList(k, "args", where, m.buffers.size(), desc.args));
  int64_t numInputs = -1;
  HCC_RETURN_IF_ERROR(p.getInt(k, "num_inputs", where, numInputs));
  if (desc.args.size() != 2 || numInputs != 1)
    return p.fail(where, "a transfer has two args (source, destination) and "
                         "num_inputs 1");
  desc.numInputs = 1;
  HCC_RETURN_IF_ERROR(
      p.getIndexList(k, "deps", where, m.kernels.size(), desc.deps));
  const BufferDesc &src = m.buffers[desc.args[0]];
  const BufferDesc &dst = m.buffers[desc.args[1]];
  if (src.device != desc.fromDevice || dst.device != desc.device)
    return p.fail(where, "copies buffer " + std::to_string(desc.args[0]) +
                             " (device " + std::to_string(src.device) +
                             ") to buffer " + std::to_string(desc.args[1]) +
                             " (device " + std::to_string(dst.device) +
                             ") but says device " +
                             std::to_string(desc.fromDevice) + " to " +
                             std::to_string(desc.device));
  if (src.bytes != dst.bytes)
    return p.fail(where, "copies " + std::to_string(src.bytes) +
                             " bytes into a " + std::to_string(dst.bytes) +
                             "-byte buffer");
  BufferKind dk = m.buffers[m.root(desc.args[1])].kind;
  if (dk != BufferKind::Intermediate && dk != BufferKind::Output)
    return p.fail(where, "writes buffer " + std::to_string(desc.args[1]) +
                             ", which is read-only");
  return Status::ok();
}

Status parseKernels(const Parser &p, const json &root, Manifest &m,
                    const std::set<std::string> &codeTargets) {
  const json *arr = nullptr;
  HCC_RETURN_IF_ERROR(p.getArray(root, "kernels", "manifest", arr));
  // written[b]: some earlier kernel wrote (part of) root buffer b.
  std::vector<bool> written(m.buffers.size(), false);
  for (size_t i = 0; i < arr->size(); ++i) {
    const json &k = (*arr)[i];
    std::string where = "kernel " + std::to_string(i);
    if (!k.is_object())
      return p.fail(where, "must be an object");
    int64_t id = -1, numInputs = -1;
    HCC_RETURN_IF_ERROR(p.getInt(k, "id", where, id));
    if (id != static_cast<int64_t>(i))
      return p.fail(where, "ids must be 0, 1, 2, ... in order, found " +
                               std::to_string(id));
    KernelDesc desc;
    HCC_RETURN_IF_ERROR(p.getString(k, "name", where, desc.name, false));
    if (!desc.name.empty())
      where += " ('" + desc.name + "')";
    HCC_RETURN_IF_ERROR(
        p.getIndex(k, "device", where, m.devices.size(), desc.device));
    std::string kind;
    HCC_RETURN_IF_ERROR(p.getString(k, "kind", where, kind, false));
    if (kind == "transfer") {
      HCC_RETURN_IF_ERROR(parseTransfer(p, k, where, m, desc));
      size_t src = m.root(desc.args[0]);
      BufferKind sk = m.buffers[src].kind;
      if ((sk == BufferKind::Intermediate || sk == BufferKind::Output) &&
          !written[src])
        return p.fail(where, "reads buffer " + std::to_string(desc.args[0]) +
                                 " before any kernel writes it");
      written[m.root(desc.args[1])] = true;
      m.kernels.push_back(std::move(desc));
      continue;
    }
    if (!kind.empty() && kind != "kernel")
      return p.fail(where, "unknown kind '" + kind +
                               "' (expected kernel or transfer)");
    HCC_RETURN_IF_ERROR(p.getString(k, "code", where, desc.code));
    if (!codeTargets.count(desc.code))
      return p.fail(where, "no code section '" + desc.code + "'");
    // A device runs its target's code, with the driver of its kind (the
    // FPGA target's code on an OpenCL device).
    if (desc.code != m.devices[desc.device].target)
      return p.fail(where, "code '" + desc.code + "' cannot run on device " +
                               std::to_string(desc.device) + " (target '" +
                               m.devices[desc.device].target + "')");
    HCC_RETURN_IF_ERROR(p.getString(k, "symbol", where, desc.symbol));
    if (desc.symbol.empty())
      return p.fail(where, "symbol is empty");
    HCC_RETURN_IF_ERROR(
        p.getIndexList(k, "args", where, m.buffers.size(), desc.args));
    HCC_RETURN_IF_ERROR(p.getInt(k, "num_inputs", where, numInputs));
    if (numInputs < 0 || static_cast<size_t>(numInputs) > desc.args.size())
      return p.fail(where, "num_inputs " + std::to_string(numInputs) +
                               " does not fit " +
                               std::to_string(desc.args.size()) + " args");
    desc.numInputs = static_cast<size_t>(numInputs);
    // Kernels are listed in topological order, so every dependency comes
    // earlier: that alone makes the graph acyclic.
    HCC_RETURN_IF_ERROR(p.getIndexList(k, "deps", where, i, desc.deps));
    for (size_t a = 0; a < desc.args.size(); ++a) {
      size_t r = m.root(desc.args[a]);
      BufferKind kind = m.buffers[r].kind;
      if (m.buffers[r].device != desc.device)
        return p.fail(where, "argument buffer " + std::to_string(desc.args[a]) +
                                 " lives on device " +
                                 std::to_string(m.buffers[r].device) +
                                 ", not on the kernel's device " +
                                 std::to_string(desc.device));
      if (a < desc.numInputs) {
        if ((kind == BufferKind::Intermediate || kind == BufferKind::Output) &&
            !written[r])
          return p.fail(where, "reads buffer " + std::to_string(desc.args[a]) +
                                   " before any kernel writes it");
      } else {
        if (kind != BufferKind::Intermediate && kind != BufferKind::Output)
          return p.fail(where, "writes buffer " + std::to_string(desc.args[a]) +
                                   ", which is read-only");
      }
    }
    for (size_t a = desc.numInputs; a < desc.args.size(); ++a)
      written[m.root(desc.args[a])] = true;
    m.kernels.push_back(std::move(desc));
  }
  for (const ValueDesc &o : m.outputs)
    if (m.buffers[o.buffer].kind == BufferKind::Output && !written[o.buffer])
      return p.fail("output '" + o.name + "'", "no kernel writes it");
  return Status::ok();
}

} // namespace

Status parseManifest(const char *text, size_t size, uint64_t weightsSize,
                     const std::set<std::string> &codeTargets,
                     const std::string &origin, Manifest &m) {
  Parser p("bundle '" + origin + "': manifest");
  json root = json::parse(text, text + size, nullptr,
                          /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object())
    return invalidBundle(p.prefix + " is not a JSON object");
  int64_t version = -1;
  HCC_RETURN_IF_ERROR(p.getInt(root, "format_version", "manifest", version));
  if (version != 1)
    return Status(HCC_ERROR_VERSION_MISMATCH,
                  p.prefix + ": manifest format version " +
                      std::to_string(version) + ", this runtime reads 1");
  HCC_RETURN_IF_ERROR(
      p.getString(root, "producer", "manifest", m.producer, false));
  HCC_RETURN_IF_ERROR(
      p.getString(root, "model_name", "manifest", m.modelName, false));
  if (root.contains("symbolic_dims")) {
    const json &dims = root["symbolic_dims"];
    if (!dims.is_object())
      return p.fail("symbolic_dims", "must be an object");
    for (auto it = dims.begin(); it != dims.end(); ++it) {
      if (!it->is_number_integer() || it->get<int64_t>() < 0)
        return p.fail("symbolic_dims",
                      "'" + it.key() + "' must be a non-negative integer");
      m.symbolicDims[it.key()] = it->get<int64_t>();
    }
  }
  const json *devices = nullptr;
  HCC_RETURN_IF_ERROR(p.getArray(root, "devices", "manifest", devices));
  for (size_t i = 0; i < devices->size(); ++i) {
    const json &d = (*devices)[i];
    std::string where = "device " + std::to_string(i);
    if (!d.is_object())
      return p.fail(where, "must be an object");
    int64_t id = -1;
    HCC_RETURN_IF_ERROR(p.getInt(d, "id", where, id));
    if (id != static_cast<int64_t>(i))
      return p.fail(where, "ids must be 0, 1, 2, ... in order");
    DeviceDesc desc;
    HCC_RETURN_IF_ERROR(p.getString(d, "kind", where, desc.kind));
    HCC_RETURN_IF_ERROR(p.getString(d, "target", where, desc.target, false));
    if (desc.target.empty())
      desc.target = desc.kind;
    m.devices.push_back(desc);
  }
  HCC_RETURN_IF_ERROR(parseBuffers(p, root, weightsSize, m.symbolicDims,
                                   m.devices.size(), m.buffers));
  HCC_RETURN_IF_ERROR(parseValues(p, root, "inputs", m.buffers, m.inputs));
  HCC_RETURN_IF_ERROR(parseValues(p, root, "outputs", m.buffers, m.outputs));
  // Every input/output buffer must be bound to a name: otherwise the caller
  // could not supply it and a kernel would read garbage.
  std::vector<int> bound(m.buffers.size(), 0);
  for (const ValueDesc &v : m.inputs)
    bound[v.buffer]++;
  for (const ValueDesc &v : m.outputs)
    bound[v.buffer]++;
  for (size_t i = 0; i < m.buffers.size(); ++i) {
    BufferKind k = m.buffers[i].kind;
    if ((k == BufferKind::Input || k == BufferKind::Output ||
         k == BufferKind::ConstantOutput) &&
        bound[i] == 0)
      return p.fail("buffer " + std::to_string(i),
                    "is a graph input/output but not listed as one");
  }
  HCC_RETURN_IF_ERROR(parseKernels(p, root, m, codeTargets));
  // dimNamePtrs point into m.buffers: the Manifest must stay where it is.
  for (auto *list : {&m.inputs, &m.outputs})
    for (ValueDesc &v : *list)
      for (const std::string &n : m.buffers[v.buffer].dimNames)
        v.dimNamePtrs.push_back(n.c_str());
  return Status::ok();
}

} // namespace rt
} // namespace hcc
