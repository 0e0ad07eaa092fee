//===- api_devices.cpp - C API: the devices this machine has --------------===//

#include "api_objects.h"
#include "device.h"

#include <mutex>

using namespace hcc::rt;

namespace {
/// Every driver's devices, enumerated once per process.
struct DeviceList {
  std::vector<DeviceInfo> infos;
  Status status;
};

const DeviceList &deviceList() {
  static DeviceList list = [] {
    DeviceList l;
    for (Driver *d : allDrivers()) {
      std::vector<DeviceInfo> infos;
      Status s = d->enumerate(infos);
      if (!s.isOk() && l.status.isOk())
        l.status = s;
      l.infos.insert(l.infos.end(), infos.begin(), infos.end());
    }
    return l;
  }();
  return list;
}

template <typename Fn> hcc_status_t guardedCall(Fn &&fn) {
  try {
    return report(fn());
  } catch (const std::bad_alloc &) {
    return report(Status(HCC_ERROR_OUT_OF_MEMORY, "out of memory"));
  } catch (...) {
    return report(Status(HCC_ERROR_INTERNAL, "internal error"));
  }
}
} // namespace

hcc_status_t hcc_device_count(size_t *out) {
  return guardedCall([&] {
    if (!out)
      return invalidArgument("hcc_device_count: out is NULL");
    *out = deviceList().infos.size();
    return Status::ok();
  });
}

hcc_status_t hcc_device_info(size_t index, hcc_device_info_t *out) {
  return guardedCall([&] {
    const DeviceList &list = deviceList();
    if (!out)
      return invalidArgument("hcc_device_info: out is NULL");
    if (index >= list.infos.size())
      return invalidArgument("hcc_device_info: device " +
                             std::to_string(index) + " does not exist (" +
                             std::to_string(list.infos.size()) + " present)");
    const DeviceInfo &i = list.infos[index];
    out->driver = i.driver.c_str();
    out->name = i.name.c_str();
    out->vendor = i.vendor.c_str();
    out->version = i.version.c_str();
    out->compute_units = i.computeUnits;
    out->memory_bytes = i.memoryBytes;
    return Status::ok();
  });
}

hcc_status_t hcc_session_options_set_device(hcc_session_options_t *options,
                                            const char *driver,
                                            const char *name_contains) {
  return guardedCall([&] {
    if (!options || !driver || !name_contains)
      return invalidArgument(
          "hcc_session_options_set_device: an argument is NULL");
    if (!findDriver(driver)) {
      std::string known;
      for (Driver *d : allDrivers())
        known += (known.empty() ? "" : ", ") + std::string(d->name());
      return invalidArgument("unknown device kind '" + std::string(driver) +
                             "' (drivers: " + known + ")");
    }
    options->deviceNames[driver] = name_contains;
    return Status::ok();
  });
}
