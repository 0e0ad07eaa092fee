//===- device.h - Drivers, devices, device memory and code ------*- C++ -*-===//
//
// The runtime reaches every kind of compute through three interfaces:
//  - Driver: one per device kind ("cpu", "opencl", "cuda", "fpga"),
//    registered in
//    driver_registry.cpp. It enumerates the devices this machine has (a
//    vendor library it cannot dlopen means no devices, never an error),
//    parses and validates the bundle's CODE section of its kind once per
//    model (loadCode), and creates session-side devices.
//  - CodeModule: a CODE section, loaded once per model; resolves a kernel
//    symbol of the manifest to an opaque handle.
//  - Device: per session. Owns memory (allocate / subrange / deallocate),
//    the code built for it (prepare) and one in-order queue: launch, upload
//    and download enqueue work and report completion, with a status, through
//    a callback that runs exactly once on any thread.
//
// Memory handles are opaque: a host pointer for devices whose memory is
// host memory (usesHostMemory()), a driver object (e.g. cl_mem) otherwise.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_DEVICE_H
#define HCC_RUNTIME_DEVICE_H

#include "bundle_reader.h"
#include "status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hcc {
namespace rt {

/// Opaque per-kernel handle from a CodeModule (for the CPU: the function
/// pointer; for OpenCL: the kernel's stage list).
using KernelHandle = void *;
/// Opaque device memory (a host pointer when usesHostMemory()).
using DeviceMemory = void *;

class CodeModule {
public:
  virtual ~CodeModule() = default;
  virtual Status resolve(const std::string &symbol, KernelHandle &out) = 0;
  /// What the code records of the kernel `symbol` expects: the byte size of
  /// each buffer it takes (-1: not fixed). False when the code records
  /// nothing (code written by hand, or by a compiler that did not).
  virtual bool signature(const std::string &symbol,
                         std::vector<int64_t> &bufferBytes) {
    return false;
  }
  /// Whether the module keeps a copy of its CODE section of its own (the
  /// cpu driver's memfd), so the bundle's pages of it need not stay
  /// resident.
  virtual bool copiesSection() const { return false; }
};

/// Where and when one queue operation ran, for traces and the cost model.
struct KernelTiming {
  int64_t startNs = 0;
  int64_t endNs = 0;
  int thread = -1; // worker index on the device's queue (-1: device queue)
  /// The time a model predicts on hardware this device stands in for
  /// (the fpga driver: the compiler's board model); -1 when none.
  double modelledNs = -1;
  /// What the modelled time is of, for the trace (e.g. the board).
  std::string modelNote;
};

/// Called exactly once per enqueued operation, on any thread.
using Completion = std::function<void(const Status &, const KernelTiming &)>;

/// What hcc_device_info reports, and what placement and the cost model read.
struct DeviceInfo {
  std::string driver;   // "cpu", "opencl"
  std::string name;     // e.g. "pthread-AMD EPYC"
  std::string vendor;   // e.g. "The pocl project"
  std::string version;  // driver / platform version text
  std::string platform; // OpenCL platform name ("" for other drivers)
  uint32_t computeUnits = 0;
  uint64_t memoryBytes = 0;
};

class Device {
public:
  virtual ~Device() = default;
  virtual const DeviceInfo &info() const = 0;
  const char *kind() const { return info().driver.c_str(); }
  /// Memory handles are host pointers: no copies to or from the host.
  virtual bool usesHostMemory() const { return false; }
  /// Alignment of subrange offsets (the arena planner rounds up to it).
  virtual uint64_t alignment() const { return 64; }

  /// Allocates `bytes` (0 is allowed and yields a valid, distinct handle).
  virtual Status allocate(uint64_t bytes, DeviceMemory &out) = 0;
  /// A handle to bytes [offset, offset + bytes) of `base`; offset is a
  /// multiple of alignment(). Freed with deallocate() before `base`.
  virtual Status subrange(DeviceMemory base, uint64_t offset, uint64_t bytes,
                          DeviceMemory &out) = 0;
  virtual void deallocate(DeviceMemory mem) = 0;

  /// Makes the kernels of `code` (a module of this device's kind) runnable
  /// here, e.g. builds an OpenCL program. Called once per session per module
  /// before any launch.
  virtual Status prepare(CodeModule &code) { return Status::ok(); }

  /// Enqueues kernel(args): `args` holds one memory handle per manifest
  /// argument, inputs first; it stays valid until `done` ran.
  virtual void launch(KernelHandle kernel, const DeviceMemory *args,
                      size_t numArgs, Completion done) = 0;
  /// Enqueues a copy host -> device memory / device memory -> host. `src` /
  /// `dst` host bytes stay valid until `done` ran.
  virtual void upload(const void *src, DeviceMemory dst, uint64_t bytes,
                      Completion done) = 0;
  virtual void download(DeviceMemory src, void *dst, uint64_t bytes,
                        Completion done) = 0;
};

class ThreadPool;

class Driver {
public:
  virtual ~Driver() = default;
  virtual const char *name() const = 0;
  /// The devices of this kind present on this machine; none (and OK) when
  /// the vendor library is missing.
  virtual Status enumerate(std::vector<DeviceInfo> &out) = 0;
  /// Parses and validates a CODE section of this kind (`origin` names the
  /// bundle in messages).
  virtual Status loadCode(const SectionView &code, const std::string &origin,
                          std::unique_ptr<CodeModule> &out) = 0;
  /// Creates device `index` of enumerate()'s list for a session whose host
  /// work runs on `pool`.
  virtual Status createDevice(size_t index, ThreadPool &pool,
                              std::unique_ptr<Device> &out) = 0;
};

/// Every driver this runtime was built with ("cpu" first).
const std::vector<Driver *> &allDrivers();
/// The driver named `name`, or nullptr.
Driver *findDriver(const std::string &name);

/// Drivers implemented in their own files.
Driver &cpuDriver();
Driver &openclDriver();
Driver &cudaDriver();
Driver &fpgaDriver();

/// Monotonic clock shared by all devices' timings.
int64_t nowNs();

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_DEVICE_H
