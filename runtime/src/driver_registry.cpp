//===- driver_registry.cpp - The drivers this runtime was built with ------===//
//
// Adding a driver: implement Driver in its own file (see cpu_device.cpp and
// drivers/opencl_driver.cpp) and list it here. Drivers load their vendor
// libraries lazily with dlopen, so every driver is always compiled in and
// one build runs on machines with or without the hardware.
//
//===----------------------------------------------------------------------===//

#include "device.h"

namespace hcc {
namespace rt {

const std::vector<Driver *> &allDrivers() {
  static const std::vector<Driver *> drivers = {&cpuDriver(), &openclDriver(),
                                                &cudaDriver(), &fpgaDriver()};
  return drivers;
}

Driver *findDriver(const std::string &name) {
  for (Driver *d : allDrivers())
    if (name == d->name())
      return d;
  return nullptr;
}

} // namespace rt
} // namespace hcc
