//===- cuda_driver.cpp - Kernels as PTX/cubins on a CUDA stream -----------===//
//
// One session device = the GPU's primary context and one non-blocking
// stream. Memory is cuMemAlloc'ed (the memory planner's arenas are the
// device pool); transfers go through pinned staging buffers so the copies
// are asynchronous; a module loads the cubin built for the GPU's
// architecture, or JIT-compiles the PTX. Every queue operation records an
// event after its work; a completion thread waits on them in order and
// reports each operation's status and device time. A failed launch leaves
// a CUDA context unusable: the device then fails every later operation
// with the first error.
//
//===----------------------------------------------------------------------===//

#include "device.h"
#include "drivers/cuda_api.h"
#include "drivers/cuda_code.h"
#include "thread_pool.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace hcc {
namespace rt {

namespace {

using cuda::CUcontext;
using cuda::CudaApi;
using cuda::CUdeviceptr;
using cuda::CUevent;
using cuda::CUfunction;
using cuda::CUjit_option;
using cuda::CUmodule;
using cuda::CUresult;
using cuda::CUstream;
using CudaCodeModule = cuda::CodeModule;

struct CudaDeviceEntry {
  cuda::CUdevice device = 0;
  int arch = 0; // major * 10 + minor
  int maxThreadsPerBlock = 0;
  DeviceInfo info;
};

std::string archName(int arch) { return "sm_" + std::to_string(arch); }

class CudaDevice : public Device {
public:
  CudaDevice(const CudaApi &cu, const CudaDeviceEntry &entry)
      : cu(cu), entry(entry) {}

  ~CudaDevice() override {
    if (context) {
      cu.cuCtxSetCurrent(context);
      if (stream)
        cu.cuStreamSynchronize(stream);
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      stopping = true;
    }
    cv.notify_all();
    if (completer.joinable())
      completer.join();
    if (!context)
      return;
    for (auto &[kernel, pk] : prepared)
      for (CUdeviceptr p : pk.scratch)
        cu.cuMemFree(p);
    for (CUmodule m : modules)
      cu.cuModuleUnload(m);
    for (auto &[ptr, bytes] : staging)
      cu.cuMemFreeHost(ptr);
    for (CUdeviceptr p : roots)
      cu.cuMemFree(p);
    if (stream)
      cu.cuStreamDestroy(stream);
    cu.cuDevicePrimaryCtxRelease(entry.device);
  }

  Status init() {
    CUresult err = cu.cuDevicePrimaryCtxRetain(&context, entry.device);
    if (err != cuda::CUDA_SUCCESS) {
      context = nullptr;
      return cuError(HCC_ERROR_UNSUPPORTED, "cuDevicePrimaryCtxRetain", err);
    }
    if ((err = cu.cuCtxSetCurrent(context)) != cuda::CUDA_SUCCESS ||
        (err = cu.cuStreamCreate(&stream, cuda::CU_STREAM_NON_BLOCKING)) !=
            cuda::CUDA_SUCCESS)
      return cuError(HCC_ERROR_UNSUPPORTED, "cuStreamCreate", err);
    try {
      completer = std::thread([this] { completionLoop(); });
    } catch (const std::exception &e) {
      return Status(HCC_ERROR_INTERNAL, deviceName() +
                                            ": cannot start its completion "
                                            "thread: " +
                                            e.what());
    }
    return Status::ok();
  }

  const DeviceInfo &info() const override { return entry.info; }
  uint64_t alignment() const override { return 256; }

  Status allocate(uint64_t bytes, DeviceMemory &out) override {
    std::lock_guard<std::mutex> lock(enqueueMu);
    HCC_RETURN_IF_ERROR(usable());
    cu.cuCtxSetCurrent(context);
    CUdeviceptr ptr = 0;
    CUresult err = cu.cuMemAlloc(&ptr, bytes ? bytes : 1);
    if (err != cuda::CUDA_SUCCESS)
      return cuError(HCC_ERROR_OUT_OF_MEMORY,
                     "cannot allocate " + std::to_string(bytes) + " bytes",
                     err);
    roots.insert(ptr);
    sizes[ptr] = bytes;
    out = reinterpret_cast<DeviceMemory>(ptr);
    return Status::ok();
  }

  Status subrange(DeviceMemory base, uint64_t offset, uint64_t bytes,
                  DeviceMemory &out) override {
    std::lock_guard<std::mutex> lock(enqueueMu);
    auto root = reinterpret_cast<CUdeviceptr>(base);
    auto it = sizes.find(root);
    if (!base || it == sizes.end())
      return invalidArgument(deviceName() + ": subrange of a buffer it did "
                                            "not allocate");
    if (offset % alignment() != 0 || offset > it->second ||
        bytes > it->second - offset)
      return invalidArgument(
          deviceName() + ": subrange [" + std::to_string(offset) + ", " +
          std::to_string(offset + bytes) + ") is misaligned or exceeds its " +
          std::to_string(it->second) + "-byte buffer");
    CUdeviceptr ptr = root + offset;
    subranges.insert(ptr);
    if (!sizes.count(ptr))
      sizes[ptr] = bytes;
    out = reinterpret_cast<DeviceMemory>(ptr);
    return Status::ok();
  }

  void deallocate(DeviceMemory mem) override {
    std::lock_guard<std::mutex> lock(enqueueMu);
    auto ptr = reinterpret_cast<CUdeviceptr>(mem);
    // Subranges are freed before their base: one at the base's own address
    // is a subrange as long as it is recorded as one.
    if (auto it = subranges.find(ptr); it != subranges.end()) {
      subranges.erase(it);
      if (!roots.count(ptr) && !subranges.count(ptr))
        sizes.erase(ptr);
      return;
    }
    if (roots.erase(ptr)) {
      sizes.erase(ptr);
      cu.cuCtxSetCurrent(context);
      cu.cuMemFree(ptr);
    }
  }

  Status prepare(CodeModule &code) override {
    CudaCodeModule *module = CudaCodeModule::from(code);
    if (!module)
      return invalidArgument(deviceName() +
                             ": prepare() got a code module of another kind");
    try {
      std::lock_guard<std::mutex> lock(enqueueMu);
      HCC_RETURN_IF_ERROR(usable());
      if (preparedModules.count(module->id))
        return Status::ok();
      return prepareLocked(*module);
    } catch (const std::exception &e) {
      return Status(HCC_ERROR_INTERNAL,
                    deviceName() + ": prepare failed: " + e.what());
    }
  }

  void launch(KernelHandle handle, const DeviceMemory *args, size_t numArgs,
              Completion done) override {
    const auto *kernel = static_cast<const StagedKernel *>(handle);
    Pending p;
    p.done = std::move(done);
    p.submitNs = nowNs();
    std::lock_guard<std::mutex> lock(enqueueMu);
    auto it = kernel ? prepared.find(kernel) : prepared.end();
    p.status = usable();
    if (p.status.isOk())
      p.status = checkLaunch(deviceName(), kernel,
                             it != prepared.end() &&
                                 it->second.moduleId == kernel->moduleId,
                             numArgs);
    if (p.status.isOk()) {
      cu.cuCtxSetCurrent(context);
      p.what = "kernel '" + kernel->symbol + "'";
      if (recordStart(p))
        enqueueStages(*kernel, it->second, args, p);
      recordEnd(p);
    }
    push(std::move(p));
  }

  void upload(const void *src, DeviceMemory dst, uint64_t bytes,
              Completion done) override {
    copy(/*toDevice=*/true, const_cast<void *>(src), dst, bytes,
         std::move(done));
  }

  void download(DeviceMemory src, void *dst, uint64_t bytes,
                Completion done) override {
    copy(/*toDevice=*/false, dst, src, bytes, std::move(done));
  }

private:
  /// One queue operation awaiting completion.
  struct Pending {
    std::string what;
    CUevent start = nullptr, end = nullptr;
    Status status;
    Completion done;
    int64_t submitNs = 0;
    // A download's pinned staging buffer, copied to `host` once complete.
    void *pinned = nullptr;
    size_t pinnedBytes = 0;
    void *host = nullptr;
    uint64_t bytes = 0;
  };

  struct PreparedKernel {
    uint64_t moduleId = 0;
    std::vector<CUfunction> stageFunctions;
    std::vector<CUdeviceptr> scratch;
  };

  std::string deviceName() const {
    return "cuda device '" + entry.info.name + "' (" + archName(entry.arch) +
           ")";
  }

  Status cuError(hcc_status_t code, const std::string &what,
                 CUresult err) const {
    if (err == cuda::CUDA_ERROR_OUT_OF_MEMORY)
      code = HCC_ERROR_OUT_OF_MEMORY;
    return Status(code, deviceName() + ": " + what + ": " +
                            cuda::cudaErrorName(&cu, err));
  }

  /// OK, or the error that made the context unusable.
  Status usable() const { return broken; }

  /// Marks the device unusable after an asynchronous error.
  void breakWith(const Status &status) {
    if (broken.isOk())
      broken = Status(status.code(), status.message() +
                                         " (the device is unusable for the "
                                         "rest of this session)");
  }

  bool recordStart(Pending &p) {
    CUresult err = cu.cuEventCreate(&p.start, cuda::CU_EVENT_DEFAULT);
    if (err == cuda::CUDA_SUCCESS)
      err = cu.cuEventRecord(p.start, stream);
    if (err != cuda::CUDA_SUCCESS)
      p.status = cuError(HCC_ERROR_INTERNAL, p.what + ": cuEventRecord", err);
    return err == cuda::CUDA_SUCCESS;
  }

  void recordEnd(Pending &p) {
    CUresult err = cu.cuEventCreate(&p.end, cuda::CU_EVENT_DEFAULT);
    if (err == cuda::CUDA_SUCCESS)
      err = cu.cuEventRecord(p.end, stream);
    if (err != cuda::CUDA_SUCCESS && p.status.isOk())
      p.status = cuError(HCC_ERROR_INTERNAL, p.what + ": cuEventRecord", err);
  }

  void enqueueStages(const StagedKernel &kernel, const PreparedKernel &pk,
                     const DeviceMemory *args, Pending &p) {
    std::vector<CUdeviceptr> values;
    std::vector<void *> params;
    for (size_t i = 0; i < kernel.stages.size(); ++i) {
      const Stage &stage = kernel.stages[i];
      std::string what =
          p.what + " stage " + std::to_string(i) + " '" + stage.entry + "'";
      values.clear();
      for (uint32_t a : stage.args) {
        CUdeviceptr ptr = a < kernel.numArgs
                              ? reinterpret_cast<CUdeviceptr>(args[a])
                              : pk.scratch[a - kernel.numArgs];
        if (!ptr) {
          p.status =
              invalidArgument(deviceName() + ": " + what + ": argument " +
                              std::to_string(a) + " is a null buffer");
          return;
        }
        values.push_back(ptr);
      }
      params.clear();
      for (CUdeviceptr &v : values)
        params.push_back(&v);
      // The driver takes the count from the kernel; the terminator lets
      // tools (and the tests' stand-in) walk the list.
      params.push_back(nullptr);
      unsigned block = static_cast<unsigned>(stage.localSize);
      unsigned grid = static_cast<unsigned>(stage.globalSize / block);
      CUresult err = cu.cuLaunchKernel(pk.stageFunctions[i], grid, 1, 1, block,
                                       1, 1, 0, stream, params.data(), nullptr);
      if (err != cuda::CUDA_SUCCESS) {
        p.status = cuError(HCC_ERROR_INTERNAL, what + ": cuLaunchKernel", err);
        breakWith(p.status);
        return;
      }
    }
  }

  /// A pinned buffer of at least `bytes` from the free list, or a new one.
  void *takeStaging(size_t bytes, size_t &capacity, Status &status) {
    std::lock_guard<std::mutex> lock(stagingMu);
    for (auto it = freeStaging.begin(); it != freeStaging.end(); ++it)
      if (staging[*it] >= bytes) {
        void *p = *it;
        freeStaging.erase(it);
        capacity = staging[p];
        return p;
      }
    void *p = nullptr;
    CUresult err = cu.cuMemHostAlloc(&p, bytes, cuda::CU_MEMHOSTALLOC_PORTABLE);
    if (err != cuda::CUDA_SUCCESS) {
      status = cuError(HCC_ERROR_OUT_OF_MEMORY,
                       "cannot allocate " + std::to_string(bytes) +
                           " bytes of pinned staging memory",
                       err);
      return nullptr;
    }
    staging[p] = capacity = bytes;
    return p;
  }

  void giveStaging(void *p) {
    if (!p)
      return;
    std::lock_guard<std::mutex> lock(stagingMu);
    freeStaging.push_back(p);
  }

  void copy(bool toDevice, void *host, DeviceMemory mem, uint64_t bytes,
            Completion done) {
    Pending p;
    p.done = std::move(done);
    p.submitNs = nowNs();
    p.what = std::string(toDevice ? "upload" : "download") + " of " +
             std::to_string(bytes) + " bytes";
    std::lock_guard<std::mutex> lock(enqueueMu);
    p.status = usable();
    if (p.status.isOk() && bytes != 0 && (!host || !mem)) {
      p.status = invalidArgument(deviceName() + ": " + p.what +
                                 " with a null pointer or buffer");
    } else if (p.status.isOk() && bytes != 0) {
      cu.cuCtxSetCurrent(context);
      size_t capacity = 0;
      void *pinned = takeStaging(bytes, capacity, p.status);
      auto ptr = reinterpret_cast<CUdeviceptr>(mem);
      if (pinned && recordStart(p)) {
        CUresult err;
        if (toDevice) {
          std::memcpy(pinned, host, bytes);
          err = cu.cuMemcpyHtoDAsync(ptr, pinned, bytes, stream);
        } else {
          err = cu.cuMemcpyDtoHAsync(pinned, ptr, bytes, stream);
          p.host = host;
          p.bytes = bytes;
        }
        if (err != cuda::CUDA_SUCCESS)
          p.status = cuError(HCC_ERROR_INTERNAL, p.what, err);
        recordEnd(p);
      }
      p.pinned = pinned;
    }
    push(std::move(p));
  }

  void push(Pending p) {
    {
      std::lock_guard<std::mutex> lock(mu);
      pending.push_back(std::move(p));
    }
    cv.notify_one();
  }

  void completionLoop() {
    bool current = false;
    for (;;) {
      Pending p;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [this] { return stopping || !pending.empty(); });
        if (pending.empty())
          return;
        p = std::move(pending.front());
        pending.pop_front();
      }
      if (!current && context)
        current = cu.cuCtxSetCurrent(context) == cuda::CUDA_SUCCESS;
      complete(p);
    }
  }

  void complete(Pending &p) {
    Status status = p.status;
    int64_t deviceNs = -1;
    if (p.end) {
      CUresult err = cu.cuEventSynchronize(p.end);
      if (err != cuda::CUDA_SUCCESS && status.isOk()) {
        status = cuError(HCC_ERROR_INTERNAL, p.what + " failed", err);
        std::lock_guard<std::mutex> lock(enqueueMu);
        breakWith(status);
      }
      float ms = 0;
      if (err == cuda::CUDA_SUCCESS && p.start &&
          cu.cuEventElapsedTime(&ms, p.start, p.end) == cuda::CUDA_SUCCESS)
        deviceNs = static_cast<int64_t>(ms * 1e6);
    }
    if (status.isOk() && p.host && p.pinned)
      std::memcpy(p.host, p.pinned, p.bytes);
    giveStaging(p.pinned);
    if (p.start)
      cu.cuEventDestroy(p.start);
    if (p.end)
      cu.cuEventDestroy(p.end);
    KernelTiming timing;
    timing.endNs = nowNs();
    int64_t start = deviceNs >= 0 ? timing.endNs - deviceNs : p.submitNs;
    timing.startNs = std::max({start, p.submitNs, lastEndNs});
    timing.endNs = std::max(timing.endNs, timing.startNs);
    lastEndNs = timing.endNs;
    try {
      p.done(status, timing);
    } catch (...) {
      // A Completion must not throw; the thread has to survive one that does.
    }
  }

  /// Loads the module (the cubin for this GPU, else the PTX through the
  /// JIT), resolves every stage entry and allocates scratch buffers.
  Status prepareLocked(CudaCodeModule &module) {
    cu.cuCtxSetCurrent(context);
    if (module.ptxArch > entry.arch && !module.cubins.count(entry.arch))
      return Status(HCC_ERROR_UNSUPPORTED,
                    deviceName() + ": bundle '" + module.origin +
                        "' has PTX for " + archName(module.ptxArch) +
                        ", newer than this GPU, and no cubin for it");
    auto cubin = module.cubins.find(entry.arch);
    const std::string &image =
        cubin != module.cubins.end() ? cubin->second : module.ptx;
    std::string log(8192, '\0');
    CUjit_option options[] = {cuda::CU_JIT_ERROR_LOG_BUFFER,
                              cuda::CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void *values[] = {&log[0], reinterpret_cast<void *>(log.size())};
    CUmodule cuModule = nullptr;
    CUresult err =
        cu.cuModuleLoadDataEx(&cuModule, image.c_str(), 2, options, values);
    if (err != cuda::CUDA_SUCCESS) {
      log.resize(std::strlen(log.c_str()));
      return cuError(HCC_ERROR_INVALID_BUNDLE,
                     "cannot load the " +
                         std::string(cubin != module.cubins.end()
                                         ? "cubin"
                                         : "PTX (JIT)") +
                         " of bundle '" + module.origin + "'" +
                         (log.empty() ? "" : ": " + log),
                     err);
    }
    modules.push_back(cuModule);
    std::vector<std::pair<const StagedKernel *, PreparedKernel>> made;
    Status status = Status::ok();
    for (const auto &kv : module.kernels) {
      const StagedKernel &kernel = kv.second;
      PreparedKernel pk;
      pk.moduleId = module.id;
      for (const Stage &stage : kernel.stages) {
        CUfunction fn = nullptr;
        if (stage.localSize == 0 ||
            stage.localSize > static_cast<uint64_t>(entry.maxThreadsPerBlock))
          status =
              Status(HCC_ERROR_INVALID_BUNDLE,
                     deviceName() + ": kernel '" + kernel.symbol + "' stage '" +
                         stage.entry + "' has block size " +
                         std::to_string(stage.localSize) + ", not in [1, " +
                         std::to_string(entry.maxThreadsPerBlock) + "]");
        else if ((err = cu.cuModuleGetFunction(&fn, cuModule,
                                               stage.entry.c_str())) !=
                 cuda::CUDA_SUCCESS)
          status = cuError(HCC_ERROR_INVALID_BUNDLE,
                           "kernel '" + kernel.symbol + "': no entry '" +
                               stage.entry + "' in the module",
                           err);
        if (!status.isOk())
          break;
        pk.stageFunctions.push_back(fn);
      }
      for (uint64_t bytes : kernel.scratch) {
        if (!status.isOk())
          break;
        CUdeviceptr p = 0;
        if ((err = cu.cuMemAlloc(&p, bytes ? bytes : 1)) != cuda::CUDA_SUCCESS)
          status = cuError(HCC_ERROR_OUT_OF_MEMORY,
                           "kernel '" + kernel.symbol + "': scratch of " +
                               std::to_string(bytes) + " bytes",
                           err);
        else
          pk.scratch.push_back(p);
      }
      made.emplace_back(&kernel, std::move(pk));
      if (!status.isOk())
        break;
    }
    if (!status.isOk()) {
      for (auto &[k, pk] : made)
        for (CUdeviceptr p : pk.scratch)
          cu.cuMemFree(p);
      return status;
    }
    for (auto &[k, pk] : made)
      prepared[k] = std::move(pk);
    preparedModules.insert(module.id);
    return Status::ok();
  }

  const CudaApi &cu;
  CudaDeviceEntry entry;
  CUcontext context = nullptr;
  CUstream stream = nullptr;
  Status broken = Status::ok();

  std::mutex enqueueMu; // queue order, memory maps, prepared kernels
  std::unordered_set<CUdeviceptr> roots;
  std::unordered_multiset<CUdeviceptr> subranges;
  std::unordered_map<CUdeviceptr, uint64_t> sizes;
  std::vector<CUmodule> modules;
  std::unordered_set<uint64_t> preparedModules;
  std::unordered_map<const StagedKernel *, PreparedKernel> prepared;

  std::mutex stagingMu;
  std::unordered_map<void *, size_t> staging; // pinned buffer -> capacity
  std::vector<void *> freeStaging;

  std::mutex mu; // pending, stopping
  std::condition_variable cv;
  std::deque<Pending> pending;
  bool stopping = false;
  int64_t lastEndNs = 0;
  std::thread completer;
};

//===----------------------------------------------------------------------===//

class CudaDriver : public Driver {
public:
  const char *name() const override { return "cuda"; }

  Status enumerate(std::vector<DeviceInfo> &out) override {
    out.clear();
    for (const CudaDeviceEntry &e : devices())
      out.push_back(e.info);
    return Status::ok();
  }

  Status loadCode(const SectionView &code, const std::string &origin,
                  std::unique_ptr<CodeModule> &out) override {
    try {
      auto module = std::make_unique<CudaCodeModule>();
      HCC_RETURN_IF_ERROR(module->parse(code, origin));
      out = std::move(module);
      return Status::ok();
    } catch (const std::exception &e) {
      return Status(HCC_ERROR_INTERNAL,
                    "bundle '" + origin + "': cuda code: " + e.what());
    }
  }

  Status createDevice(size_t index, ThreadPool &,
                      std::unique_ptr<Device> &out) override {
    const std::vector<CudaDeviceEntry> &list = devices();
    if (index >= list.size()) {
      std::string why = cuda::cudaUnavailableReason();
      return invalidArgument("cuda device " + std::to_string(index) +
                             " does not exist (" + std::to_string(list.size()) +
                             " found" + (why.empty() ? "" : "; " + why) + ")");
    }
    try {
      auto device = std::make_unique<CudaDevice>(*cuda::cudaApi(), list[index]);
      HCC_RETURN_IF_ERROR(device->init());
      out = std::move(device);
      return Status::ok();
    } catch (const std::exception &e) {
      return Status(HCC_ERROR_INTERNAL,
                    std::string("cuda: createDevice failed: ") + e.what());
    }
  }

private:
  const std::vector<CudaDeviceEntry> &devices() {
    std::lock_guard<std::mutex> lock(mu);
    if (!listed) {
      listed = true;
      list();
    }
    return entries;
  }

  void list() {
    const CudaApi *cu = cuda::cudaApi();
    int count = 0;
    if (!cu || cu->cuDeviceGetCount(&count) != cuda::CUDA_SUCCESS)
      return;
    int version = 0;
    cu->cuDriverGetVersion(&version);
    for (int i = 0; i < count; ++i) {
      CudaDeviceEntry e;
      char name[256] = {0};
      int major = 0, minor = 0, sms = 0;
      size_t memory = 0;
      if (cu->cuDeviceGet(&e.device, i) != cuda::CUDA_SUCCESS ||
          cu->cuDeviceGetName(name, sizeof(name) - 1, e.device) !=
              cuda::CUDA_SUCCESS ||
          cu->cuDeviceGetAttribute(
              &major, cuda::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
              e.device) != cuda::CUDA_SUCCESS ||
          cu->cuDeviceGetAttribute(
              &minor, cuda::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
              e.device) != cuda::CUDA_SUCCESS)
        continue;
      cu->cuDeviceGetAttribute(
          &sms, cuda::CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, e.device);
      e.maxThreadsPerBlock = 1024;
      cu->cuDeviceGetAttribute(&e.maxThreadsPerBlock,
                               cuda::CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK,
                               e.device);
      cu->cuDeviceTotalMem(&memory, e.device);
      e.arch = major * 10 + minor;
      e.info.driver = "cuda";
      e.info.name = name;
      e.info.vendor = "NVIDIA";
      e.info.version = "CUDA driver " + std::to_string(version / 1000) + "." +
                       std::to_string(version % 1000 / 10) + ", " +
                       archName(e.arch);
      e.info.computeUnits = static_cast<uint32_t>(sms);
      e.info.memoryBytes = memory;
      entries.push_back(std::move(e));
    }
  }

  std::mutex mu;
  bool listed = false;
  std::vector<CudaDeviceEntry> entries;
};

} // namespace

Driver &cudaDriver() {
  static CudaDriver driver;
  return driver;
}

} // namespace rt
} // namespace hcc
