//===- opencl_driver.cpp - Kernels as OpenCL C on an in-order queue ------===//
//
// Each session's device builds the module's program once (opencl_cache.h
// skips the OpenCL compiler on later runs) and reports completions from its
// own thread, which waits on the queue's events in order: neither the caller
// nor the session's pool blocks on the device.
//
//===----------------------------------------------------------------------===//

#include "device.h"
#include "drivers/opencl_api.h"
#include "drivers/opencl_cache.h"
#include "drivers/opencl_code.h"
#include "thread_pool.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

namespace hcc {
namespace rt {

namespace {

#if HCC_HAVE_OPENCL

constexpr size_t kMaxBuildLog = 4096;

using opencl::Fnv1a;
using ClKernel = opencl::Kernel;
using ClStage = opencl::Stage;
using OpenCLCodeModule = opencl::CodeModule;

//===----------------------------------------------------------------------===//
// Queries
//===----------------------------------------------------------------------===//

/// A string property through the two-call query protocol: `get(size, buf,
/// &needed)`; "" when the query fails.
template <typename Get> std::string queryString(Get get) {
  size_t size = 0;
  if (get(0, nullptr, &size) != CL_SUCCESS || size == 0)
    return "";
  std::string s(size, '\0');
  if (get(size, &s[0], nullptr) != CL_SUCCESS)
    return "";
  return std::string(s.c_str()); // drop the terminating NUL
}

std::string deviceString(const OpenCLApi &cl, cl_device_id dev,
                         cl_device_info param) {
  return queryString([&](size_t n, void *buf, size_t *need) {
    return cl.clGetDeviceInfo(dev, param, n, buf, need);
  });
}

std::string platformString(const OpenCLApi &cl, cl_platform_id platform,
                           cl_platform_info param) {
  return queryString([&](size_t n, void *buf, size_t *need) {
    return cl.clGetPlatformInfo(platform, param, n, buf, need);
  });
}

template <typename T>
T deviceValue(const OpenCLApi &cl, cl_device_id dev, cl_device_info param,
              T fallback) {
  T value{};
  if (cl.clGetDeviceInfo(dev, param, sizeof(T), &value, nullptr) != CL_SUCCESS)
    return fallback;
  return value;
}

/// What this driver's DeviceMemory points to: `bytes` bytes at byte
/// `offset` of `mem`, which the range holds a reference to.
struct ClRange {
  cl_mem mem;
  uint64_t offset;
  uint64_t bytes;
};

struct ClDeviceEntry {
  cl_platform_id platform = nullptr;
  cl_device_id device = nullptr;
  DeviceInfo info;
  // What the cache key needs beyond info: a driver update invalidates
  // binaries.
  std::string driverVersion;
  std::string deviceVersion;
};

//===----------------------------------------------------------------------===//
// Device
//===----------------------------------------------------------------------===//

class OpenCLDevice : public Device {
public:
  OpenCLDevice(const OpenCLApi &cl, const ClDeviceEntry &entry)
      : cl(cl), entry(entry) {}

  ~OpenCLDevice() override {
    if (queue)
      cl.clFinish(queue);
    {
      std::lock_guard<std::mutex> lock(mu);
      stopping = true;
    }
    cv.notify_all();
    // Must not run on the completion thread itself (a Completion that
    // destroys its device): join would never return.
    if (completer.joinable())
      completer.join();
    for (cl_kernel k : kernels)
      cl.clReleaseKernel(k);
    for (cl_mem m : scratchBuffers)
      cl.clReleaseMemObject(m);
    for (cl_program p : programs)
      cl.clReleaseProgram(p);
    if (queue)
      cl.clReleaseCommandQueue(queue);
    if (context)
      cl.clReleaseContext(context);
  }

  Status init() {
    cl_context_properties props[] = {
        CL_CONTEXT_PLATFORM,
        reinterpret_cast<cl_context_properties>(entry.platform), 0};
    cl_int err = CL_SUCCESS;
    context =
        cl.clCreateContext(props, 1, &entry.device, nullptr, nullptr, &err);
    if (!context || err != CL_SUCCESS) {
      context = nullptr;
      return clError(HCC_ERROR_UNSUPPORTED, "clCreateContext", err);
    }
    queue = cl.clCreateCommandQueue(context, entry.device,
                                    CL_QUEUE_PROFILING_ENABLE, &err);
    if (!queue || err != CL_SUCCESS) {
      queue = nullptr;
      return clError(HCC_ERROR_UNSUPPORTED, "clCreateCommandQueue", err);
    }
    // IEEE division and square root, as the CPU and CUDA targets compute
    // them, wherever the device offers it (OpenCL's default allows 2.5 ulp,
    // which moves quantization's round-half-to-even ties).
    if (deviceValue<cl_device_fp_config>(cl, entry.device,
                                         CL_DEVICE_SINGLE_FP_CONFIG, 0) &
        CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT)
      extraOptions = " -cl-fp32-correctly-rounded-divide-sqrt";
    cl_uint alignBits = deviceValue<cl_uint>(cl, entry.device,
                                             CL_DEVICE_MEM_BASE_ADDR_ALIGN, 0);
    align = std::max<uint64_t>(64, alignBits / 8);
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
  uint64_t alignment() const override { return align; }

  Status allocate(uint64_t bytes, DeviceMemory &out) override {
    cl_mem mem = nullptr;
    HCC_RETURN_IF_ERROR(createBuffer(bytes, mem));
    out = new ClRange{mem, 0, bytes};
    return Status::ok();
  }

  /// A range of `base` is its root buffer (retained) and a byte offset, not
  /// a sub-buffer: the memory plan reuses arena bytes, so ranges overlap,
  /// and NVIDIA's driver crashes releasing a sub-buffer while an
  /// overlapping one is alive. Kernels take (buffer, offset) pairs instead.
  Status subrange(DeviceMemory base, uint64_t offset, uint64_t bytes,
                  DeviceMemory &out) override {
    if (!base)
      return invalidArgument(deviceName() + ": subrange of a null buffer");
    if (offset % align != 0)
      return invalidArgument(
          deviceName() + ": subrange offset " + std::to_string(offset) +
          " is not a multiple of the alignment " + std::to_string(align));
    const ClRange &parent = *static_cast<const ClRange *>(base);
    if (offset > parent.bytes || bytes > parent.bytes - offset)
      return invalidArgument(deviceName() + ": subrange [" +
                             std::to_string(offset) + ", " +
                             std::to_string(offset + bytes) + ") exceeds its " +
                             std::to_string(parent.bytes) + "-byte buffer");
    cl_int err = cl.clRetainMemObject(parent.mem);
    if (err != CL_SUCCESS)
      return clError(HCC_ERROR_INVALID_ARGUMENT, "subrange of a bad buffer",
                     err);
    out = new ClRange{parent.mem, parent.offset + offset, bytes};
    return Status::ok();
  }

  void deallocate(DeviceMemory mem) override {
    if (!mem)
      return;
    auto *range = static_cast<ClRange *>(mem);
    cl.clReleaseMemObject(range->mem);
    delete range;
  }

  Status prepare(CodeModule &code) override {
    OpenCLCodeModule *module = OpenCLCodeModule::from(code);
    if (!module)
      return invalidArgument(deviceName() +
                             ": prepare() got a code module of another kind");
    try {
      std::lock_guard<std::mutex> lock(enqueueMu);
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
    const auto *kernel = static_cast<const ClKernel *>(handle);
    Pending p;
    p.done = std::move(done);
    p.submitNs = nowNs();
    std::lock_guard<std::mutex> lock(enqueueMu);
    auto it = kernel ? prepared.find(kernel) : prepared.end();
    p.status = checkLaunch(deviceName(), kernel,
                           it != prepared.end() &&
                               it->second.moduleId == kernel->moduleId,
                           numArgs);
    if (p.status.isOk())
      enqueueStages(*kernel, it->second, args, p);
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
  /// Enqueues a non-blocking write (host -> `mem`) or read (`mem` -> host).
  void copy(bool toDevice, void *host, DeviceMemory mem, uint64_t bytes,
            Completion done) {
    Pending p;
    p.done = std::move(done);
    p.submitNs = nowNs();
    std::string what = std::string(toDevice ? "upload" : "download") + " of " +
                       std::to_string(bytes) + " bytes";
    std::lock_guard<std::mutex> lock(enqueueMu);
    const auto *range = static_cast<const ClRange *>(mem);
    if (bytes != 0 && (!host || !range)) {
      p.status = invalidArgument(deviceName() + ": " + what +
                                 " with a null pointer or buffer");
    } else if (bytes != 0 && bytes > range->bytes) {
      p.status = invalidArgument(deviceName() + ": " + what + " exceeds its " +
                                 std::to_string(range->bytes) + "-byte buffer");
    } else if (bytes != 0) {
      cl_event ev = nullptr;
      cl_int err = toDevice
                       ? cl.clEnqueueWriteBuffer(queue, range->mem, CL_FALSE,
                                                 range->offset, bytes, host, 0,
                                                 nullptr, &ev)
                       : cl.clEnqueueReadBuffer(queue, range->mem, CL_FALSE,
                                                range->offset, bytes, host, 0,
                                                nullptr, &ev);
      addEvent(p, err, ev, what,
               toDevice ? "clEnqueueWriteBuffer" : "clEnqueueReadBuffer");
    }
    push(std::move(p));
  }

  /// One queue operation awaiting completion: its events in queue order
  /// (with what each one is, for messages) and an enqueue error, if any,
  /// reported once the events that did get enqueued have finished.
  struct Pending {
    std::vector<cl_event> events;
    std::vector<std::string> labels;
    Status status;
    Completion done;
    int64_t submitNs = 0;
  };

  /// A manifest kernel made runnable here: one cl_kernel per stage (shared
  /// between stages of the same entry) and its scratch buffers.
  struct PreparedKernel {
    uint64_t moduleId = 0;
    std::vector<cl_kernel> stageKernels;
    std::vector<cl_mem> scratch;
  };

  std::string deviceName() const {
    return "opencl device '" + entry.info.name + "'";
  }

  Status clError(hcc_status_t code, const std::string &what, cl_int err) const {
    if (err == CL_OUT_OF_HOST_MEMORY || err == CL_MEM_OBJECT_ALLOCATION_FAILURE)
      code = HCC_ERROR_OUT_OF_MEMORY;
    return Status(code,
                  deviceName() + ": " + what + ": " + openclErrorName(err));
  }

  void addEvent(Pending &p, cl_int err, cl_event ev, const std::string &what,
                const char *call) {
    if (err != CL_SUCCESS) {
      p.status = clError(HCC_ERROR_INTERNAL, what + ": " + call, err);
      return;
    }
    p.events.push_back(ev);
    p.labels.push_back(what);
    // Start the device now rather than when the completion thread waits.
    cl.clFlush(queue);
  }

  void enqueueStages(const ClKernel &kernel, const PreparedKernel &pk,
                     const DeviceMemory *args, Pending &p) {
    for (size_t i = 0; i < kernel.stages.size() && p.status.isOk(); ++i) {
      const ClStage &stage = kernel.stages[i];
      std::string what = "kernel '" + kernel.symbol + "' stage " +
                         std::to_string(i) + " '" + stage.entry + "'";
      cl_kernel k = pk.stageKernels[i];
      if (!setStageArgs(kernel, pk, stage, k, args, what, p))
        break;
      size_t global = static_cast<size_t>(stage.globalSize);
      size_t local = static_cast<size_t>(stage.localSize);
      cl_event ev = nullptr;
      cl_int err =
          cl.clEnqueueNDRangeKernel(queue, k, 1, nullptr, &global,
                                    local ? &local : nullptr, 0, nullptr, &ev);
      if (err != CL_SUCCESS) {
        p.status =
            clError(HCC_ERROR_INTERNAL, what + ": clEnqueueNDRangeKernel", err);
        break;
      }
      p.events.push_back(ev);
      p.labels.push_back(what);
    }
    // Start the device now rather than when the completion thread waits
    // (also for stages enqueued before an error).
    cl.clFlush(queue);
  }

  bool setStageArgs(const ClKernel &kernel, const PreparedKernel &pk,
                    const ClStage &stage, cl_kernel k, const DeviceMemory *args,
                    const std::string &what, Pending &p) {
    for (size_t j = 0; j < stage.args.size(); ++j) {
      uint32_t a = stage.args[j];
      ClRange scratch{nullptr, 0, 0};
      const ClRange *range = &scratch;
      if (a < kernel.numArgs)
        range = static_cast<const ClRange *>(args[a]);
      else
        scratch.mem = pk.scratch[a - kernel.numArgs];
      if (!range || !range->mem) {
        p.status = invalidArgument(deviceName() + ": " + what + ": argument " +
                                   std::to_string(a) + " is a null buffer");
        return false;
      }
      // Each argument is two parameters: the buffer and a byte offset.
      cl_ulong offset = range->offset;
      cl_uint param = static_cast<cl_uint>(2 * j);
      cl_int err = cl.clSetKernelArg(k, param, sizeof(cl_mem), &range->mem);
      if (err == CL_SUCCESS)
        err = cl.clSetKernelArg(k, param + 1, sizeof(offset), &offset);
      if (err != CL_SUCCESS) {
        p.status = clError(HCC_ERROR_INTERNAL,
                           what + ": clSetKernelArg " + std::to_string(j), err);
        return false;
      }
    }
    return true;
  }

  /// Queues `p` for the completion thread. Called with enqueueMu held, so
  /// completions come in queue order.
  void push(Pending p) {
    {
      std::lock_guard<std::mutex> lock(mu);
      pending.push_back(std::move(p));
    }
    cv.notify_one();
  }

  void completionLoop() {
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
      complete(p);
    }
  }

  void complete(Pending &p) {
    Status status = p.status;
    int64_t deviceNs = -1;
    if (!p.events.empty()) {
      cl_int waited = cl.clWaitForEvents(static_cast<cl_uint>(p.events.size()),
                                         p.events.data());
      bool failed = false;
      for (size_t i = 0; i < p.events.size(); ++i) {
        cl_int exec = CL_COMPLETE;
        cl_int err =
            cl.clGetEventInfo(p.events[i], CL_EVENT_COMMAND_EXECUTION_STATUS,
                              sizeof(exec), &exec, nullptr);
        if (err != CL_SUCCESS)
          exec = err;
        if (exec < 0 && !failed) {
          failed = true;
          if (status.isOk())
            status = clError(HCC_ERROR_INTERNAL, p.labels[i] + " failed", exec);
        }
      }
      if (waited != CL_SUCCESS && !failed && status.isOk())
        status = clError(HCC_ERROR_INTERNAL, "waiting for " + p.labels.back(),
                         waited);
      cl_ulong start = 0, end = 0;
      if (cl.clGetEventProfilingInfo(p.events.front(),
                                     CL_PROFILING_COMMAND_START, sizeof(start),
                                     &start, nullptr) == CL_SUCCESS &&
          cl.clGetEventProfilingInfo(p.events.back(), CL_PROFILING_COMMAND_END,
                                     sizeof(end), &end,
                                     nullptr) == CL_SUCCESS &&
          end >= start)
        deviceNs = static_cast<int64_t>(end - start);
      for (cl_event ev : p.events)
        cl.clReleaseEvent(ev);
    }
    // Host clock: the end is when the wait returned, the start that minus
    // the device's own duration, kept after the submission and after the
    // previous operation (the queue is in order) so timings stay monotonic.
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

  Status prepareLocked(OpenCLCodeModule &module) {
    cl_program program = nullptr;
    HCC_RETURN_IF_ERROR(buildProgram(module, program));
    programs.push_back(program);

    std::map<std::string, cl_kernel> byEntry;
    std::vector<std::pair<const ClKernel *, PreparedKernel>> made;
    for (const auto &kv : module.kernels) {
      const ClKernel &kernel = kv.second;
      PreparedKernel pk;
      pk.moduleId = module.id;
      for (size_t i = 0; i < kernel.stages.size(); ++i) {
        const ClStage &stage = kernel.stages[i];
        std::string what = "bundle '" + module.origin + "': opencl kernel '" +
                           kernel.symbol + "' stage " + std::to_string(i) +
                           ": entry '" + stage.entry + "'";
        cl_kernel k = nullptr;
        auto found = byEntry.find(stage.entry);
        if (found != byEntry.end()) {
          k = found->second;
        } else {
          cl_int err = CL_SUCCESS;
          k = cl.clCreateKernel(program, stage.entry.c_str(), &err);
          if (!k || err != CL_SUCCESS)
            return invalidBundle(what + " is not in the program built for " +
                                 deviceName() + " (" + openclErrorName(err) +
                                 ")");
          kernels.push_back(k);
          byEntry[stage.entry] = k;
        }
        cl_uint params = 0;
        if (cl.clGetKernelInfo(k, CL_KERNEL_NUM_ARGS, sizeof(params), &params,
                               nullptr) == CL_SUCCESS &&
            params != 2 * stage.args.size())
          return invalidBundle(what + " takes " + std::to_string(params) +
                               " parameters but the stage passes " +
                               std::to_string(2 * stage.args.size()) +
                               " (a buffer and a byte offset per argument)");
        pk.stageKernels.push_back(k);
      }
      for (uint64_t bytes : kernel.scratch) {
        cl_mem mem = nullptr;
        Status st = createBuffer(bytes, mem);
        if (!st.isOk())
          return Status(st.code(), st.message() + " (scratch of kernel '" +
                                       kernel.symbol + "')");
        scratchBuffers.push_back(mem);
        pk.scratch.push_back(mem);
      }
      made.emplace_back(&kernel, std::move(pk));
    }
    for (auto &m : made)
      prepared[m.first] = std::move(m.second);
    preparedModules.insert(module.id);
    return Status::ok();
  }

  /// A new buffer of `bytes` bytes (OpenCL has no empty buffers; one byte
  /// keeps the handle distinct).
  Status createBuffer(uint64_t bytes, cl_mem &out) {
    cl_int err = CL_SUCCESS;
    out = cl.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes ? bytes : 1,
                            nullptr, &err);
    if (!out || err != CL_SUCCESS)
      return clError(HCC_ERROR_OUT_OF_MEMORY,
                     "cannot allocate " + std::to_string(bytes) + " bytes",
                     err);
    return Status::ok();
  }

  /// The bundle's build options and what this device adds to them.
  std::string buildOptions(const OpenCLCodeModule &module) const {
    return module.options + extraOptions;
  }

  uint64_t cacheKey(const OpenCLCodeModule &module) const {
    Fnv1a hash;
    hash.field(opencl::kCodeFormat);
    hash.field(module.source);
    hash.field(buildOptions(module));
    hash.field(entry.info.name);
    hash.field(entry.info.vendor);
    hash.field(entry.info.version);
    hash.field(entry.driverVersion);
    hash.field(entry.deviceVersion);
    return hash.h;
  }

  cl_program programFromBinary(const std::vector<uint8_t> &binary,
                               const std::string &options) {
    const unsigned char *data = binary.data();
    size_t size = binary.size();
    cl_int binaryStatus = CL_SUCCESS, err = CL_SUCCESS;
    cl_program program = cl.clCreateProgramWithBinary(
        context, 1, &entry.device, &size, &data, &binaryStatus, &err);
    if (!program)
      return nullptr;
    if (err != CL_SUCCESS || binaryStatus != CL_SUCCESS ||
        cl.clBuildProgram(program, 1, &entry.device, options.c_str(), nullptr,
                          nullptr) != CL_SUCCESS) {
      cl.clReleaseProgram(program);
      return nullptr;
    }
    return program;
  }

  void storeBinary(cl_program program, const std::string &path, uint64_t key) {
    size_t size = 0;
    if (cl.clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, sizeof(size),
                            &size, nullptr) != CL_SUCCESS ||
        size == 0 || size > opencl::kMaxProgramCacheEntry)
      return;
    std::vector<uint8_t> binary(size);
    unsigned char *ptrs[1] = {binary.data()};
    if (cl.clGetProgramInfo(program, CL_PROGRAM_BINARIES, sizeof(ptrs), ptrs,
                            nullptr) != CL_SUCCESS)
      return;
    opencl::writeProgramCacheEntry(path, key, binary);
  }

  std::string buildLog(cl_program program) {
    size_t size = 0;
    if (cl.clGetProgramBuildInfo(program, entry.device, CL_PROGRAM_BUILD_LOG, 0,
                                 nullptr, &size) != CL_SUCCESS ||
        size == 0)
      return "";
    std::string log(size, '\0');
    if (cl.clGetProgramBuildInfo(program, entry.device, CL_PROGRAM_BUILD_LOG,
                                 size, &log[0], nullptr) != CL_SUCCESS)
      return "";
    log = log.c_str();
    if (log.size() > kMaxBuildLog)
      log = log.substr(0, kMaxBuildLog) + "\n... (build log truncated)";
    return log;
  }

  Status buildProgram(const OpenCLCodeModule &module, cl_program &out) {
    std::string dir = opencl::programCacheDirectory();
    bool caching = !dir.empty();
    uint64_t key = cacheKey(module);
    char name[32];
    std::snprintf(name, sizeof(name), "%016llx.bin",
                  static_cast<unsigned long long>(key));
    std::string path = dir + "/" + name;
    std::vector<uint8_t> binary;
    if (caching && opencl::readProgramCacheEntry(path, key, binary)) {
      // An entry this device no longer accepts falls through to a rebuild
      // that overwrites it.
      if (cl_program program =
              programFromBinary(binary, buildOptions(module))) {
        out = program;
        return Status::ok();
      }
    }

    const char *src = module.source.data();
    size_t len = module.source.size();
    cl_int err = CL_SUCCESS;
    cl_program program =
        cl.clCreateProgramWithSource(context, 1, &src, &len, &err);
    if (!program || err != CL_SUCCESS)
      return clError(
          HCC_ERROR_INTERNAL,
          "bundle '" + module.origin + "': clCreateProgramWithSource", err);
    std::string options = buildOptions(module);
    err = cl.clBuildProgram(program, 1, &entry.device, options.c_str(), nullptr,
                            nullptr);
    if (err != CL_SUCCESS) {
      std::string log = buildLog(program);
      cl.clReleaseProgram(program);
      hcc_status_t code =
          err == CL_BUILD_PROGRAM_FAILURE || err == CL_INVALID_BUILD_OPTIONS
              ? HCC_ERROR_INVALID_BUNDLE
              : HCC_ERROR_UNSUPPORTED;
      return Status(code, "bundle '" + module.origin +
                              "': opencl program does not build for " +
                              deviceName() + " (options '" + options +
                              "'): " + openclErrorName(err) +
                              (log.empty() ? "" : "\nbuild log:\n" + log));
    }
    if (caching)
      storeBinary(program, path, key);
    out = program;
    return Status::ok();
  }

  const OpenCLApi &cl;
  ClDeviceEntry entry;
  cl_context context = nullptr;
  cl_command_queue queue = nullptr;
  uint64_t align = 64;
  std::string extraOptions;

  /// Serializes enqueues (clSetKernelArg on shared cl_kernels, queue order
  /// matching completion order) and prepare().
  std::mutex enqueueMu;
  std::vector<cl_program> programs;
  std::vector<cl_kernel> kernels;
  std::vector<cl_mem> scratchBuffers;
  std::unordered_map<const ClKernel *, PreparedKernel> prepared;
  std::set<uint64_t> preparedModules;

  std::mutex mu;
  std::condition_variable cv;
  std::deque<Pending> pending;
  bool stopping = false;
  std::thread completer;
  int64_t lastEndNs = 0; // completion thread only
};

#endif // HCC_HAVE_OPENCL

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

class OpenCLDriver : public Driver {
public:
  const char *name() const override { return "opencl"; }

  Status enumerate(std::vector<DeviceInfo> &out) override {
    out.clear();
#if HCC_HAVE_OPENCL
    try {
      for (const ClDeviceEntry &e : devices())
        out.push_back(e.info);
    } catch (const std::exception &e) {
      return Status(HCC_ERROR_INTERNAL,
                    std::string("opencl: enumerate failed: ") + e.what());
    }
#endif
    return Status::ok();
  }

  Status loadCode(const SectionView &code, const std::string &origin,
                  std::unique_ptr<CodeModule> &out) override {
    try {
      auto module = std::make_unique<opencl::CodeModule>();
      HCC_RETURN_IF_ERROR(module->parse(code, origin));
      out = std::move(module);
      return Status::ok();
    } catch (const std::exception &e) {
      return Status(HCC_ERROR_INTERNAL,
                    "bundle '" + origin + "': opencl code: " + e.what());
    }
  }

  Status createDevice(size_t index, ThreadPool &pool,
                      std::unique_ptr<Device> &out) override {
#if HCC_HAVE_OPENCL
    try {
      const std::vector<ClDeviceEntry> &list = devices();
      if (index < list.size()) {
        auto device = std::make_unique<OpenCLDevice>(*openclApi(), list[index]);
        HCC_RETURN_IF_ERROR(device->init());
        out = std::move(device);
        return Status::ok();
      }
      return invalidArgument("opencl device " + std::to_string(index) +
                             " does not exist (" + std::to_string(list.size()) +
                             " found)");
    } catch (const std::exception &e) {
      return Status(HCC_ERROR_INTERNAL,
                    std::string("opencl: createDevice failed: ") + e.what());
    }
#else
    return invalidArgument("opencl device " + std::to_string(index) +
                           " does not exist (runtime built without OpenCL)");
#endif
  }

private:
#if HCC_HAVE_OPENCL
  /// Platforms and devices do not change while a process runs: listed once.
  const std::vector<ClDeviceEntry> &devices() {
    std::lock_guard<std::mutex> lock(mu);
    if (!listed) {
      list();
      listed = true;
    }
    return entries;
  }

  void list() {
    const OpenCLApi *cl = openclApi();
    if (!cl)
      return;
    // Any failure here (no ICD registered, a broken one) means no devices.
    cl_uint numPlatforms = 0;
    if (cl->clGetPlatformIDs(0, nullptr, &numPlatforms) != CL_SUCCESS ||
        numPlatforms == 0)
      return;
    std::vector<cl_platform_id> platforms(numPlatforms);
    if (cl->clGetPlatformIDs(numPlatforms, platforms.data(), nullptr) !=
        CL_SUCCESS)
      return;
    for (cl_platform_id platform : platforms) {
      cl_uint numDevices = 0;
      if (cl->clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, nullptr,
                             &numDevices) != CL_SUCCESS ||
          numDevices == 0)
        continue;
      std::vector<cl_device_id> ids(numDevices);
      if (cl->clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, numDevices,
                             ids.data(), nullptr) != CL_SUCCESS)
        continue;
      for (cl_device_id id : ids) {
        ClDeviceEntry e;
        e.platform = platform;
        e.device = id;
        e.info.driver = "opencl";
        e.info.name = deviceString(*cl, id, CL_DEVICE_NAME);
        e.info.vendor = deviceString(*cl, id, CL_DEVICE_VENDOR);
        e.info.version = platformString(*cl, platform, CL_PLATFORM_VERSION);
        e.info.platform = platformString(*cl, platform, CL_PLATFORM_NAME);
        e.info.computeUnits =
            deviceValue<cl_uint>(*cl, id, CL_DEVICE_MAX_COMPUTE_UNITS, 0);
        e.info.memoryBytes =
            deviceValue<cl_ulong>(*cl, id, CL_DEVICE_GLOBAL_MEM_SIZE, 0);
        e.driverVersion = deviceString(*cl, id, CL_DRIVER_VERSION);
        e.deviceVersion = deviceString(*cl, id, CL_DEVICE_VERSION);
        entries.push_back(std::move(e));
      }
    }
  }

  std::mutex mu;
  bool listed = false;
  std::vector<ClDeviceEntry> entries;
#endif
};

} // namespace

Driver &openclDriver() {
  static OpenCLDriver driver;
  return driver;
}

} // namespace rt
} // namespace hcc
