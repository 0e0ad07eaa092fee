//===- cpu_device.cpp - Kernels in a shared object, run on the pool ------===//
//
// The CODE section is loaded without touching the disk: memfd_create, then
// dlopen("/proc/self/fd/N"). The memfd stays open while the library is
// loaded because glibc matches dlopen paths by name: a reused fd number
// would otherwise return an unrelated, still-loaded library.
//
//===----------------------------------------------------------------------===//

#include "device.h"
#include "thread_pool.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

namespace hcc {
namespace rt {

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

using CpuKernelFn = void (*)(void *const *args);

class CpuCodeModule : public CodeModule {
public:
  ~CpuCodeModule() override {
    if (handle)
      ::dlclose(handle);
    if (fd >= 0)
      ::close(fd);
  }

  Status load(const SectionView &code, const std::string &origin) {
    this->origin = origin;
    fd = ::memfd_create("hcc-code-cpu", MFD_CLOEXEC);
    if (fd < 0)
      return Status(HCC_ERROR_IO,
                    "bundle '" + origin +
                        "': memfd_create failed: " + std::strerror(errno));
    const uint8_t *p = code.data;
    uint64_t left = code.size;
    while (left > 0) {
      ssize_t n = ::write(fd, p, left);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return Status(HCC_ERROR_IO,
                      "bundle '" + origin +
                          "': cannot stage cpu code: " + std::strerror(errno));
      p += n;
      left -= static_cast<uint64_t>(n);
    }
    std::string path = "/proc/self/fd/" + std::to_string(fd);
    handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char *why = ::dlerror();
      return invalidBundle("bundle '" + origin + "': cpu code does not load: " +
                           (why ? why : "unknown dlopen error"));
    }
    return Status::ok();
  }

  Status resolve(const std::string &symbol, KernelHandle &out) override {
    ::dlerror();
    void *sym = ::dlsym(handle, symbol.c_str());
    if (!sym)
      return invalidBundle("bundle '" + origin + "': kernel symbol '" + symbol +
                           "' is not in the cpu code");
    out = sym;
    return Status::ok();
  }

private:
  std::string origin;
  int fd = -1;
  void *handle = nullptr;
};

class CpuDevice : public Device {
public:
  explicit CpuDevice(ThreadPool &pool) : pool(pool) {}
  const char *kind() const override { return "cpu"; }

  void launch(KernelHandle kernel, void *const *args,
              std::function<void(const KernelTiming &)> done) override {
    pool.submit([kernel, args, done = std::move(done)] {
      KernelTiming t;
      t.thread = ThreadPool::currentWorkerIndex();
      t.startNs = nowNs();
      reinterpret_cast<CpuKernelFn>(kernel)(args);
      t.endNs = nowNs();
      done(t);
    });
  }

private:
  ThreadPool &pool;
};

} // namespace

Status loadCodeModule(const std::string &kind, const SectionView &code,
                      const std::string &origin,
                      std::unique_ptr<CodeModule> &out) {
  if (kind != "cpu")
    return Status(HCC_ERROR_UNSUPPORTED,
                  "bundle '" + origin + "': device kind '" + kind +
                      "' is not supported by this runtime (only cpu)");
  auto module = std::make_unique<CpuCodeModule>();
  HCC_RETURN_IF_ERROR(module->load(code, origin));
  out = std::move(module);
  return Status::ok();
}

Status createDevice(const std::string &kind, ThreadPool &pool,
                    std::unique_ptr<Device> &out) {
  if (kind != "cpu")
    return Status(HCC_ERROR_UNSUPPORTED,
                  "device kind '" + kind + "' is not supported");
  out = std::make_unique<CpuDevice>(pool);
  return Status::ok();
}

} // namespace rt
} // namespace hcc
