//===- cpu_device.cpp - Kernels in a shared object, run on the pool ------===//
//
// The CODE section is loaded without touching the disk: memfd_create, then
// dlopen("/proc/self/fd/N"). The memfd stays open while the library is
// loaded because glibc matches dlopen paths by name: a reused fd number
// would otherwise return an unrelated, still-loaded library.
//
//===----------------------------------------------------------------------===//

#include "device.h"
#include "support/host_memory.h"
#include "thread_pool.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <fstream>
#include <set>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>

namespace hcc {
namespace rt {

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

using CpuKernelFn = void (*)(const DeviceMemory *args);

/// Why `data` is not an ELF shared object for this machine whose headers
/// and loadable segments lie within its `size` bytes; "" if it is.
std::string checkElf(const uint8_t *data, uint64_t size) {
  if (size < sizeof(Elf64_Ehdr) || std::memcmp(data, ELFMAG, SELFMAG) != 0)
    return "no ELF header";
  Elf64_Ehdr eh;
  std::memcpy(&eh, data, sizeof(eh));
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
    return "not a 64-bit little-endian object";
#if defined(__x86_64__)
  if (eh.e_machine != EM_X86_64)
    return "built for another processor (ELF machine " +
           std::to_string(eh.e_machine) + ")";
#elif defined(__aarch64__)
  if (eh.e_machine != EM_AARCH64)
    return "built for another processor (ELF machine " +
           std::to_string(eh.e_machine) + ")";
#endif
  if (eh.e_type != ET_DYN)
    return "not a shared object";
  auto within = [size](uint64_t offset, uint64_t count, uint64_t each) {
    return each == 0 || (offset <= size && count <= (size - offset) / each);
  };
  if (eh.e_phentsize != sizeof(Elf64_Phdr) ||
      !within(eh.e_phoff, eh.e_phnum, sizeof(Elf64_Phdr)))
    return "program headers outside the object (truncated?)";
  if (eh.e_shnum != 0 && (eh.e_shentsize != sizeof(Elf64_Shdr) ||
                          !within(eh.e_shoff, eh.e_shnum, sizeof(Elf64_Shdr))))
    return "section headers outside the object (truncated?)";
  for (uint16_t i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    std::memcpy(&ph, data + eh.e_phoff + i * sizeof(Elf64_Phdr), sizeof(ph));
    if ((ph.p_type == PT_LOAD || ph.p_type == PT_DYNAMIC) &&
        !within(ph.p_offset, ph.p_filesz, 1))
      return "segment " + std::to_string(i) +
             " lies outside the object (truncated?)";
  }
  return "";
}

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
    // The loader trusts the headers: a damaged object would fault inside
    // dlopen, so its structure is checked against its size first.
    if (std::string why = checkElf(code.data, code.size); !why.empty())
      return invalidBundle("bundle '" + origin + "': cpu code is not a " +
                           "loadable shared object: " + why);
    path = "/proc/self/fd/" + std::to_string(fd);
    handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char *why = ::dlerror();
      return invalidBundle("bundle '" + origin + "': cpu code does not load: " +
                           (why ? why : "unknown dlopen error"));
    }
    return Status::ok();
  }

  bool copiesSection() const override { return true; }

  Status resolve(const std::string &symbol, KernelHandle &out) override {
    out = own(symbol);
    if (!out)
      return invalidBundle("bundle '" + origin + "': kernel symbol '" + symbol +
                           "' is not in the cpu code");
    return Status::ok();
  }

  /// `<symbol>.signature` (lib/Target/CPU/KernelABI.cpp): [n, n sizes].
  bool signature(const std::string &symbol,
                 std::vector<int64_t> &bufferBytes) override {
    const auto *words =
        static_cast<const int64_t *>(own(symbol + ".signature"));
    if (!words || words[0] < 0 || words[0] > kMaxSignatureBuffers)
      return false;
    bufferBytes.assign(words + 1, words + 1 + words[0]);
    return true;
  }

private:
  static constexpr int64_t kMaxSignatureBuffers = 1 << 20;

  /// The address of `symbol` if the loaded object itself defines it (dlsym
  /// also searches its dependencies: a kernel named `abort` or `free`
  /// would resolve into the C library).
  void *own(const std::string &symbol) {
    ::dlerror();
    void *sym = ::dlsym(handle, symbol.c_str());
    Dl_info where;
    if (!sym || !::dladdr(sym, &where) || !where.dli_fname ||
        path != where.dli_fname)
      return nullptr;
    return sym;
  }

  std::string origin;
  std::string path; // what dlopen loaded (/proc/self/fd/N)
  int fd = -1;
  void *handle = nullptr;
};

class CpuDevice : public Device {
public:
  CpuDevice(ThreadPool &pool, DeviceInfo info)
      : pool(pool), info_(std::move(info)) {}
  const DeviceInfo &info() const override { return info_; }
  bool usesHostMemory() const override { return true; }

  // Sessions plan host memory with their own allocator; these serve device
  // code paths that are not host-aware (tests, the fault wrapper).
  Status allocate(uint64_t bytes, DeviceMemory &out) override {
    out = allocateHost(std::max<uint64_t>(bytes, 1), 64);
    if (!out)
      return Status(HCC_ERROR_OUT_OF_MEMORY,
                    "cpu: cannot allocate " + std::to_string(bytes) + " bytes");
    allocations.insert(out);
    return Status::ok();
  }
  Status subrange(DeviceMemory base, uint64_t offset, uint64_t bytes,
                  DeviceMemory &out) override {
    out = static_cast<uint8_t *>(base) + offset;
    return Status::ok();
  }
  void deallocate(DeviceMemory mem) override {
    if (allocations.erase(mem))
      std::free(mem);
  }

  void launch(KernelHandle kernel, const DeviceMemory *args, size_t numArgs,
              Completion done) override {
    // From a kernel's completion on a worker, the kernel it releases runs
    // next on the same worker.
    pool.submitNext([kernel, args, done = std::move(done)] {
      KernelTiming t;
      t.thread = ThreadPool::currentWorkerIndex();
      t.startNs = nowNs();
      reinterpret_cast<CpuKernelFn>(kernel)(args);
      t.endNs = nowNs();
      done(Status::ok(), t);
    });
  }
  void upload(const void *src, DeviceMemory dst, uint64_t bytes,
              Completion done) override {
    copy(src, dst, bytes, std::move(done));
  }
  void download(DeviceMemory src, void *dst, uint64_t bytes,
                Completion done) override {
    copy(src, dst, bytes, std::move(done));
  }

private:
  void copy(const void *src, void *dst, uint64_t bytes, Completion done) {
    KernelTiming t;
    t.thread = ThreadPool::currentWorkerIndex();
    t.startNs = nowNs();
    if (bytes)
      std::memcpy(dst, src, bytes);
    t.endNs = nowNs();
    done(Status::ok(), t);
  }

  ThreadPool &pool;
  DeviceInfo info_;
  std::set<void *> allocations;
};

class CpuDriver : public Driver {
public:
  const char *name() const override { return "cpu"; }
  Status enumerate(std::vector<DeviceInfo> &out) override {
    out.push_back(hostInfo());
    return Status::ok();
  }
  Status loadCode(const SectionView &code, const std::string &origin,
                  std::unique_ptr<CodeModule> &out) override {
    auto module = std::make_unique<CpuCodeModule>();
    HCC_RETURN_IF_ERROR(module->load(code, origin));
    out = std::move(module);
    return Status::ok();
  }
  Status createDevice(size_t index, ThreadPool &pool,
                      std::unique_ptr<Device> &out) override {
    if (index != 0)
      return invalidArgument("cpu: there is one cpu device, not " +
                             std::to_string(index + 1));
    out = std::make_unique<CpuDevice>(pool, hostInfo());
    return Status::ok();
  }

private:
  static DeviceInfo hostInfo() {
    DeviceInfo info;
    info.driver = "cpu";
    info.name = "host";
    info.vendor = "";
    info.version = hcc_runtime_version();
    info.computeUnits = std::max(1u, std::thread::hardware_concurrency());
    long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0)
      info.memoryBytes = static_cast<uint64_t>(pages) * size;
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);)
      if (line.rfind("model name", 0) == 0) {
        size_t colon = line.find(':');
        if (colon != std::string::npos && colon + 2 <= line.size())
          info.name = line.substr(colon + 2);
        break;
      }
    return info;
  }
};

} // namespace

Driver &cpuDriver() {
  static CpuDriver driver;
  return driver;
}

} // namespace rt
} // namespace hcc
