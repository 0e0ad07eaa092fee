//===- device.h - Where kernels run -----------------------------*- C++ -*-===//
//
// Two interfaces keep the executor device-neutral:
//  - CodeModule: a CODE section loaded once per model ("cpu": an ELF shared
//    object); it resolves kernel symbols to opaque handles.
//  - Device: per session, owns the execution queues. launch() enqueues one
//    kernel and reports completion through a callback, which is the
//    queue-plus-event model a CUDA stream (cudaLaunchHostFunc) or an OpenCL
//    queue (clSetEventCallback) maps onto directly.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_DEVICE_H
#define HCC_RUNTIME_DEVICE_H

#include "bundle_reader.h"
#include "status.h"

#include <functional>
#include <memory>
#include <string>

namespace hcc {
namespace rt {

/// Opaque per-device kernel handle (for the CPU: the function pointer).
using KernelHandle = void *;

class CodeModule {
public:
  virtual ~CodeModule() = default;
  virtual Status resolve(const std::string &symbol, KernelHandle &out) = 0;
};

/// Where and when one kernel ran, for traces and the cost model.
struct KernelTiming {
  int64_t startNs = 0;
  int64_t endNs = 0;
  int thread = -1; // worker index on the device's queue
};

class Device {
public:
  virtual ~Device() = default;
  virtual const char *kind() const = 0;
  /// Enqueues kernel(args); `done` runs exactly once, on any thread, after
  /// the kernel finished. `args` stays valid until then.
  virtual void launch(KernelHandle kernel, void *const *args,
                      std::function<void(const KernelTiming &)> done) = 0;
};

/// Loads the CODE section for device kind `kind`.
Status loadCodeModule(const std::string &kind, const SectionView &code,
                      const std::string &origin,
                      std::unique_ptr<CodeModule> &out);

class ThreadPool;
/// Creates the session-side device of `kind`, running on `pool`.
Status createDevice(const std::string &kind, ThreadPool &pool,
                    std::unique_ptr<Device> &out);

/// Monotonic clock shared by all devices' timings.
int64_t nowNs();

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_DEVICE_H
