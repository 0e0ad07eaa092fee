//===- MachineDescription.cpp - descriptions of machines we do not have ---===//

#include "hcc/Planner/Machine.h"

#include "hcc/Support/Files.h"
#include "hcc/Support/JSON.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>
#include <set>

namespace hcc {
namespace plan {

namespace {
const LinkDesc *findLink(const MachineDesc &m, int a, int b) {
  for (const LinkDesc &l : m.links)
    if ((l.from == a && l.to == b) ||
        (l.bidirectional && l.from == b && l.to == a))
      return &l;
  return nullptr;
}
} // namespace

double MachineDesc::transferSeconds(int a, int b, double bytes) const {
  if (a == b)
    return 0;
  if (const LinkDesc *l = findLink(*this, a, b))
    return l->latency + bytes / l->bytesPerSecond;
  return transferSeconds(a, 0, bytes) + transferSeconds(0, b, bytes);
}

Machine MachineDesc::planMachine() const {
  Machine m;
  for (const DeviceDesc &d : devices) {
    m.devices.push_back(d.name);
    m.memoryLimit.push_back(d.memoryBytes);
  }
  m.transfer = [this](int a, int b, double bytes) {
    return transferSeconds(a, b, bytes);
  };
  return m;
}

double MachineDesc::kernelSeconds(const cost::KernelFeatures &f, int d) const {
  return cost::rooflineSeconds(f, devices[d].roofline);
}

bool loadMachine(const std::string &path, MachineDesc &out,
                 std::string &error) {
  auto fail = [&](const std::string &what) {
    error = "machine description '" + path + "': " + what;
    return false;
  };
  auto buffer = readInputFile(path, /*isText=*/true, 16 << 20);
  if (!buffer)
    return fail(llvm::toString(buffer.takeError()));
  llvm::Expected<llvm::json::Value> doc =
      hcc::parseJSON((*buffer)->getBuffer());
  if (!doc)
    return fail("not JSON: " + llvm::toString(doc.takeError()));
  const llvm::json::Object *o = doc->getAsObject();
  if (!o || o->getString("schema") != llvm::StringRef(kMachineSchema))
    return fail(std::string("not a machine description (schema \"") +
                kMachineSchema + "\" expected)");
  if (o->getInteger("version") != kMachineVersion)
    return fail("version " +
                std::to_string(o->getInteger("version").value_or(-1)) +
                ", this hcc reads version " + std::to_string(kMachineVersion));
  MachineDesc m;
  m.name = o->getString("name").value_or("").str();
  m.title = o->getString("title").value_or("").str();
  if (m.name.empty())
    return fail("missing 'name'");
  const llvm::json::Array *devices = o->getArray("devices");
  if (!devices || devices->empty())
    return fail("'devices' must be a non-empty list");
  if (devices->size() > 64)
    return fail("more than 64 devices");
  std::set<std::string> names;
  for (size_t i = 0; i < devices->size(); ++i) {
    const llvm::json::Object *d = (*devices)[i].getAsObject();
    std::string where = "device " + std::to_string(i);
    if (!d)
      return fail(where + " is not an object");
    DeviceDesc dev;
    dev.name = d->getString("name").value_or("").str();
    dev.kind = d->getString("kind").value_or("").str();
    dev.target = d->getString("target").value_or("").str();
    dev.title = d->getString("title").value_or("").str();
    if (dev.name.empty() || !names.insert(dev.name).second)
      return fail(where + ": missing or repeated 'name'");
    where = "device '" + dev.name + "'";
    // Device kinds (not targets: `target` names the hcc target).
    llvm::SmallVector<llvm::StringRef> kinds;
    llvm::StringRef("cpu gpu fpga npu").split(kinds, ' ');
    if (!llvm::is_contained(kinds, dev.kind))
      return fail(where + ": 'kind' must be cpu, gpu, fpga or npu");
    if (dev.target.empty())
      return fail(where + ": missing 'target'");
    // Each figure: present, finite, inside a range no real device leaves.
    auto number = [&](const llvm::json::Object *obj, const char *key, double lo,
                      double hi, double &value) {
      auto v = obj ? obj->getNumber(key) : std::nullopt;
      if (!v || !std::isfinite(*v) || *v < lo || *v > hi) {
        error = "machine description '" + path + "': " + where + ": '" + key +
                "' must be a number in [" + std::to_string(lo) + ", " +
                std::to_string(hi) + "]";
        return false;
      }
      value = *v;
      return true;
    };
    double gflops, gbps, launchUs;
    const llvm::json::Object *eff = d->getObject("efficiency");
    if (!number(d, "peak_gflops", 1e-3, 1e7, gflops) ||
        !number(d, "memory_bandwidth_gbps", 1e-3, 1e5, gbps) ||
        !number(d, "memory_bytes", 1e6, 1e15, dev.memoryBytes) ||
        !number(d, "launch_overhead_us", 0, 1e6, launchUs))
      return false;
    if (!eff)
      return fail(where + ": missing 'efficiency' {compute, memory}");
    if (!number(eff, "compute", 1e-3, 1, dev.roofline.computeEfficiency) ||
        !number(eff, "memory", 1e-3, 1, dev.roofline.memoryEfficiency))
      return false;
    dev.roofline.peakFlops = gflops * 1e9;
    dev.roofline.bytesPerSecond = gbps * 1e9;
    dev.roofline.launchSeconds = launchUs * 1e-6;
    m.devices.push_back(std::move(dev));
  }
  auto indexOf = [&](llvm::StringRef name) {
    for (size_t i = 0; i < m.devices.size(); ++i)
      if (m.devices[i].name == name)
        return static_cast<int>(i);
    return -1;
  };
  if (const llvm::json::Array *links = o->getArray("links"))
    for (size_t i = 0; i < links->size(); ++i) {
      const llvm::json::Object *l = (*links)[i].getAsObject();
      std::string where = "link " + std::to_string(i);
      if (!l)
        return fail(where + " is not an object");
      LinkDesc link;
      link.from = indexOf(l->getString("from").value_or(""));
      link.to = indexOf(l->getString("to").value_or(""));
      if (link.from < 0 || link.to < 0 || link.from == link.to)
        return fail(where + ": 'from' and 'to' must name two devices");
      auto bw = l->getNumber("bandwidth_gbps");
      auto latency = l->getNumber("latency_us");
      if (!bw || !std::isfinite(*bw) || *bw <= 0 || *bw > 1e5)
        return fail(where + ": 'bandwidth_gbps' must be in (0, 1e5]");
      if (!latency || !std::isfinite(*latency) || *latency < 0 ||
          *latency > 1e7)
        return fail(where + ": 'latency_us' must be in [0, 1e7]");
      link.bytesPerSecond = *bw * 1e9;
      link.latency = *latency * 1e-6;
      link.bidirectional = l->getBoolean("bidirectional").value_or(true);
      m.links.push_back(link);
    }
  for (size_t d = 1; d < m.devices.size(); ++d)
    if (!findLink(m, 0, static_cast<int>(d)) ||
        !findLink(m, static_cast<int>(d), 0))
      return fail("device '" + m.devices[d].name +
                  "' has no link to and from the host '" + m.devices[0].name +
                  "'");
  out = std::move(m);
  return true;
}

} // namespace plan
} // namespace hcc
