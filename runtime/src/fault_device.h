//===- fault_device.h - A device wrapper that fails on purpose --*- C++ -*-===//
//
// For tests of the runtime's error paths: wraps a session's devices and
// makes the Nth allocation, launch, copy or completion ("wait") fail, or
// loses the device at its Nth operation (every later operation then fails
// with HCC_ERROR_DEVICE_LOST). Enabled by the environment variable
//   HCC_FAULT_INJECT=<allocate|launch|copy|wait|lost>:<N>[:<device kind>]
// read when a session is created; a malformed value fails session creation.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_FAULT_DEVICE_H
#define HCC_RUNTIME_FAULT_DEVICE_H

#include "device.h"

#include <memory>

namespace hcc {
namespace rt {

struct FaultSpec {
  enum Kind { None, Allocate, Launch, Copy, Wait, Lost } kind = None;
  int64_t n = 0;
  std::string deviceKind; // empty: every device
};

/// Parses HCC_FAULT_INJECT (unset -> kind None).
Status faultSpecFromEnvironment(FaultSpec &out);

/// Wraps `inner` so that it fails as `spec` says.
std::unique_ptr<Device> wrapWithFaults(std::unique_ptr<Device> inner,
                                       const FaultSpec &spec);

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_FAULT_DEVICE_H
