//===- fault_device.cpp - A device wrapper that fails on purpose ----------===//

#include "fault_device.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace hcc {
namespace rt {

Status faultSpecFromEnvironment(FaultSpec &out) {
  out = FaultSpec();
  const char *env = std::getenv("HCC_FAULT_INJECT");
  if (!env || !*env)
    return Status::ok();
  std::string text = env;
  auto bad = [&] {
    return invalidArgument("HCC_FAULT_INJECT='" + text +
                           "': expected <allocate|launch|copy|wait|lost>:<N>"
                           "[:<device kind>] with N >= 1");
  };
  size_t c1 = text.find(':');
  if (c1 == std::string::npos)
    return bad();
  std::string kind = text.substr(0, c1);
  size_t c2 = text.find(':', c1 + 1);
  std::string count = text.substr(
      c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
  if (c2 != std::string::npos)
    out.deviceKind = text.substr(c2 + 1);
  static const std::pair<const char *, FaultSpec::Kind> kinds[] = {
      {"allocate", FaultSpec::Allocate},
      {"launch", FaultSpec::Launch},
      {"copy", FaultSpec::Copy},
      {"wait", FaultSpec::Wait},
      {"lost", FaultSpec::Lost}};
  for (const auto &[name, k] : kinds)
    if (kind == name)
      out.kind = k;
  char *end = nullptr;
  long long n = std::strtoll(count.c_str(), &end, 10);
  if (out.kind == FaultSpec::None || count.empty() || *end || n < 1)
    return bad();
  out.n = n;
  return Status::ok();
}

namespace {

class FaultInjectingDevice : public Device {
public:
  FaultInjectingDevice(std::unique_ptr<Device> inner, FaultSpec spec)
      : inner(std::move(inner)), spec(std::move(spec)) {}

  const DeviceInfo &info() const override { return inner->info(); }
  bool usesHostMemory() const override { return inner->usesHostMemory(); }
  uint64_t alignment() const override { return inner->alignment(); }

  Status allocate(uint64_t bytes, DeviceMemory &out) override {
    if (Status s = trip(FaultSpec::Allocate, "allocation"); !s.isOk())
      return s;
    return inner->allocate(bytes, out);
  }
  Status subrange(DeviceMemory base, uint64_t offset, uint64_t bytes,
                  DeviceMemory &out) override {
    return inner->subrange(base, offset, bytes, out);
  }
  void deallocate(DeviceMemory mem) override { inner->deallocate(mem); }
  Status prepare(CodeModule &code) override { return inner->prepare(code); }

  void launch(KernelHandle kernel, const DeviceMemory *args, size_t numArgs,
              Completion done) override {
    if (Status s = trip(FaultSpec::Launch, "launch"); !s.isOk())
      return done(s, KernelTiming{});
    inner->launch(kernel, args, numArgs, wrapWait(std::move(done)));
  }
  void upload(const void *src, DeviceMemory dst, uint64_t bytes,
              Completion done) override {
    if (Status s = trip(FaultSpec::Copy, "copy"); !s.isOk())
      return done(s, KernelTiming{});
    inner->upload(src, dst, bytes, wrapWait(std::move(done)));
  }
  void download(DeviceMemory src, void *dst, uint64_t bytes,
                Completion done) override {
    if (Status s = trip(FaultSpec::Copy, "copy"); !s.isOk())
      return done(s, KernelTiming{});
    inner->download(src, dst, bytes, wrapWait(std::move(done)));
  }

private:
  /// Counts an operation of kind `k`; fails the Nth one, and once the
  /// device is lost, every one.
  Status trip(FaultSpec::Kind k, const char *what) {
    if (lost.load())
      return lostStatus();
    bool counts = spec.kind == k || spec.kind == FaultSpec::Lost;
    if (!counts || ++calls != spec.n)
      return Status::ok();
    if (spec.kind == FaultSpec::Lost) {
      lost.store(true);
      return lostStatus();
    }
    return Status(HCC_ERROR_DEVICE, std::string("injected ") + what +
                                        " failure (HCC_FAULT_INJECT)");
  }
  Status lostStatus() const {
    return Status(HCC_ERROR_DEVICE_LOST,
                  "device lost (injected by HCC_FAULT_INJECT); the session "
                  "cannot run on it any more: create a new session");
  }
  /// The Nth completion reports a failed wait.
  Completion wrapWait(Completion done) {
    if (spec.kind != FaultSpec::Wait)
      return done;
    bool fail = ++waits == spec.n;
    return
        [fail, done = std::move(done)](const Status &s, const KernelTiming &t) {
          if (fail && s.isOk())
            return done(Status(HCC_ERROR_DEVICE,
                               "injected wait failure (HCC_FAULT_INJECT)"),
                        t);
          done(s, t);
        };
  }

  std::unique_ptr<Device> inner;
  FaultSpec spec;
  std::atomic<int64_t> calls{0}, waits{0};
  std::atomic<bool> lost{false};
};

} // namespace

std::unique_ptr<Device> wrapWithFaults(std::unique_ptr<Device> inner,
                                       const FaultSpec &spec) {
  if (spec.kind == FaultSpec::None ||
      (!spec.deviceKind.empty() && spec.deviceKind != inner->kind()))
    return inner;
  return std::make_unique<FaultInjectingDevice>(std::move(inner), spec);
}

} // namespace rt
} // namespace hcc
