//===- fpga_driver.cpp - FPGA boards through OpenCL -----------------------===//
//
// The "fpga" driver runs an FPGA target's kernels (single-work-item OpenCL
// C, fpga_code.h) on an OpenCL device: a board's vendor platform where one
// is installed (its platform name is the board description's
// opencl_platform, e.g. "Xilinx", "Intel(R) FPGA SDK for OpenCL(TM)"), or
// else any OpenCL device emulating it (PoCL here). Memory, queues and
// program builds are the OpenCL driver's. Each launch reports the wall
// time on that device and, marked as modelled, the time the compiler's
// model predicts on the board (KernelTiming::modelledNs; the trace writes
// both).
//
//===----------------------------------------------------------------------===//

#include "device.h"
#include "drivers/fpga_code.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace hcc {
namespace rt {
namespace {

/// Platform names of FPGA vendors' OpenCL runtimes: their devices are
/// listed first, so a session picks a real board over an emulator.
bool isFPGAPlatform(const std::string &platform) {
  for (const char *vendor : {"FPGA", "Xilinx", "AMD Vitis"})
    if (platform.find(vendor) != std::string::npos)
      return true;
  return false;
}

class FPGADevice : public Device {
public:
  FPGADevice(std::unique_ptr<Device> inner, DeviceInfo info)
      : inner(std::move(inner)), info_(std::move(info)) {}

  const DeviceInfo &info() const override { return info_; }
  bool usesHostMemory() const override { return inner->usesHostMemory(); }
  uint64_t alignment() const override { return inner->alignment(); }
  Status allocate(uint64_t bytes, DeviceMemory &out) override {
    return inner->allocate(bytes, out);
  }
  Status subrange(DeviceMemory base, uint64_t offset, uint64_t bytes,
                  DeviceMemory &out) override {
    return inner->subrange(base, offset, bytes, out);
  }
  void deallocate(DeviceMemory mem) override { inner->deallocate(mem); }

  Status prepare(CodeModule &code) override {
    const fpga::CodeModule *module = fpga::CodeModule::from(code);
    if (!module)
      return invalidArgument("fpga device '" + info_.name +
                             "': the code is not an FPGA section");
    HCC_RETURN_IF_ERROR(inner->prepare(code));
    std::lock_guard<std::mutex> lock(mu);
    modules[module->id] = module;
    return Status::ok();
  }

  void launch(KernelHandle kernel, const DeviceMemory *args, size_t numArgs,
              Completion done) override {
    double modelled = -1;
    std::string note;
    if (kernel) {
      auto *k = static_cast<const StagedKernel *>(kernel);
      std::lock_guard<std::mutex> lock(mu);
      auto it = modules.find(k->moduleId);
      if (it != modules.end()) {
        modelled = it->second->modelledNs(k->symbol);
        note = noteFor(*it->second);
      }
    }
    inner->launch(kernel, args, numArgs,
                  [done = std::move(done), modelled,
                   note](const Status &s, const KernelTiming &t) {
                    KernelTiming timing = t;
                    timing.modelledNs = modelled;
                    timing.modelNote = note;
                    done(s, timing);
                  });
  }

  void upload(const void *src, DeviceMemory dst, uint64_t bytes,
              Completion done) override {
    inner->upload(src, dst, bytes, std::move(done));
  }
  void download(DeviceMemory src, void *dst, uint64_t bytes,
                Completion done) override {
    inner->download(src, dst, bytes, std::move(done));
  }

private:
  /// What the trace says of a kernel's two times.
  std::string noteFor(const fpga::CodeModule &m) const {
    bool board = !m.platform.empty() &&
                 info_.platform.find(m.platform) != std::string::npos;
    return "modelled on board '" + m.board + "' at " +
           std::to_string(static_cast<int64_t>(m.clockMHz)) +
           " MHz; wall time " + (board ? "on the board" : "emulated on '") +
           (board ? "" : info_.name + "' (" + info_.platform + ")");
  }

  std::unique_ptr<Device> inner;
  DeviceInfo info_;
  std::mutex mu;
  std::map<uint64_t, const fpga::CodeModule *> modules;
};

class FPGADriver : public Driver {
public:
  const char *name() const override { return "fpga"; }

  Status enumerate(std::vector<DeviceInfo> &out) override {
    out.clear();
    std::vector<size_t> order;
    HCC_RETURN_IF_ERROR(list(out, order));
    return Status::ok();
  }

  Status loadCode(const SectionView &code, const std::string &origin,
                  std::unique_ptr<CodeModule> &out) override {
    try {
      auto module = std::make_unique<fpga::CodeModule>();
      HCC_RETURN_IF_ERROR(module->parse(code, origin));
      out = std::move(module);
      return Status::ok();
    } catch (const std::exception &e) {
      return Status(HCC_ERROR_INTERNAL,
                    "bundle '" + origin + "': fpga code: " + e.what());
    }
  }

  Status createDevice(size_t index, ThreadPool &pool,
                      std::unique_ptr<Device> &out) override {
    std::vector<DeviceInfo> infos;
    std::vector<size_t> order;
    HCC_RETURN_IF_ERROR(list(infos, order));
    if (index >= infos.size())
      return invalidArgument("fpga device " + std::to_string(index) +
                             " does not exist (" +
                             std::to_string(infos.size()) + " found)");
    std::unique_ptr<Device> inner;
    HCC_RETURN_IF_ERROR(openclDriver().createDevice(order[index], pool, inner));
    out = std::make_unique<FPGADevice>(std::move(inner), infos[index]);
    return Status::ok();
  }

private:
  /// The OpenCL devices, FPGA vendors' platforms first; `order` maps each
  /// to its index in the OpenCL driver's list.
  static Status list(std::vector<DeviceInfo> &out, std::vector<size_t> &order) {
    std::vector<DeviceInfo> cl;
    HCC_RETURN_IF_ERROR(openclDriver().enumerate(cl));
    for (size_t i = 0; i < cl.size(); ++i)
      order.push_back(i);
    std::stable_partition(order.begin(), order.end(), [&](size_t i) {
      return isFPGAPlatform(cl[i].platform);
    });
    for (size_t i : order) {
      DeviceInfo info = cl[i];
      info.driver = "fpga";
      if (!isFPGAPlatform(info.platform))
        info.name += " (emulating FPGA boards)";
      out.push_back(std::move(info));
    }
    return Status::ok();
  }
};

} // namespace

Driver &fpgaDriver() {
  static FPGADriver driver;
  return driver;
}

} // namespace rt
} // namespace hcc
