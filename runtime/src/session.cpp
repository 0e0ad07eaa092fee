//===- session.cpp - Runs a model's kernel DAG ---------------------------===//
//
// A run resolves every buffer to a pointer (caller tensors, mapped weights,
// arena slots), then launches kernels whose predecessors have finished; each
// completion releases its successors, so independent kernels overlap on the
// pool while dependent ones keep the manifest's order.
//
//===----------------------------------------------------------------------===//

#include "session.h"
#include "dtype.h"
#include "fault_device.h"
#include "support/file_checks.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>
#include <system_error>

namespace hcc {
namespace rt {

void RunFence::signal(Status s) {
  {
    std::lock_guard<std::mutex> lock(mu);
    status = std::move(s);
    done = true;
    finished.store(true, std::memory_order_release);
  }
  cv.notify_all();
}

Status RunFence::wait() {
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [this] { return done; });
  return status;
}

struct Session::RunState {
  std::vector<void *> ptrs;                    // per buffer (host memory)
  std::vector<std::vector<DeviceMemory>> args; // per kernel
  std::vector<std::vector<uint8_t>> staging;   // per device-device transfer
  std::unique_ptr<std::atomic<int>[]> waiting;
  std::atomic<size_t> remaining{0};
  size_t index = 0;
  std::shared_ptr<RunFence> fence;
  // The first failure; later kernels are skipped, the run reports it.
  std::mutex errorMu;
  Status error;
  std::atomic<bool> failed{false};
  std::vector<hcc_tensor_t *> outputs;
  // Device tensors bound to this run: the memory that replaces a buffer's
  // planned memory, and the transfers that need not run.
  std::vector<DeviceMemory> bound; // per buffer
  std::vector<bool> skip;          // per kernel
};

Session::Session(Model *model)
    : model(model), allocator(defaultAllocator()), trace(nowNs()) {
  model->retain();
}

Session::~Session() {
  {
    std::unique_lock<std::mutex> lock(busyMu);
    busyCv.wait(lock, [this] { return !busy && callers == 0; });
  }
  if (!tracePath.empty())
    (void)trace.write(tracePath, model->manifest());
  // Views before the arenas they point into, memory before its device.
  const Manifest &m = model->manifest();
  for (size_t b = 0; b < deviceMem.size(); ++b)
    if (deviceMem[b] && !m.buffers[b].isView)
      devices[m.buffers[b].device]->deallocate(deviceMem[b]);
  for (size_t b = 0; b < deviceMem.size(); ++b)
    if (deviceMem[b] && m.buffers[b].isView)
      devices[m.buffers[b].device]->deallocate(deviceMem[b]);
  for (size_t d = 1; d < arenas.size(); ++d)
    if (arenas[d])
      devices[d]->deallocate(arenas[d]);
  devices.clear();
  pool.reset();
  if (arena)
    allocator.free(allocator.ctx, arena);
  model->release();
}

Status Session::create(Model *model, const hcc_session_options *options,
                       std::unique_ptr<Session> &out) {
  std::unique_ptr<Session> s(new Session(model));
  int threads = 0;
  if (options) {
    threads = options->threads;
    s->tracePath = options->tracePath;
    if (options->hasAllocator)
      s->allocator = options->allocator;
  }
  bool fromEnvironment = false;
  if (s->tracePath.empty())
    if (const char *env = std::getenv("HCC_TRACE")) {
      s->tracePath = env;
      fromEnvironment = true;
    }
  // Checked now: when the session ends, nobody could be told.
  std::string problem;
  if (!s->tracePath.empty() &&
      !support::checkOutputPath(s->tracePath, &problem))
    return Status(HCC_ERROR_IO,
                  "trace (" +
                      std::string(fromEnvironment ? "HCC_TRACE" : "options") +
                      "): " + problem);
  try {
    // One of the threads is the caller's (see run()).
    s->pool = std::make_unique<ThreadPool>(threads, /*callerRuns=*/true);
  } catch (const std::system_error &e) {
    return Status(HCC_ERROR_OUT_OF_MEMORY, e.what());
  }
  HCC_RETURN_IF_ERROR(s->createDevices(options));
  HCC_RETURN_IF_ERROR(s->allocateMemory());
  HCC_RETURN_IF_ERROR(s->preloadWeights());
  out = std::move(s);
  return Status::ok();
}

/// "cpu:AMD EPYC, opencl:pthread-AMD EPYC": what this machine has.
static std::string devicesPresent() {
  std::string out;
  for (Driver *d : allDrivers()) {
    std::vector<DeviceInfo> infos;
    if (!d->enumerate(infos).isOk())
      continue;
    for (const DeviceInfo &i : infos)
      out += (out.empty() ? "" : ", ") + i.driver + ":" + i.name;
  }
  return out.empty() ? "none" : out;
}

Status Session::createDevices(const hcc_session_options *options) {
  const Manifest &m = model->manifest();
  FaultSpec faults;
  HCC_RETURN_IF_ERROR(faultSpecFromEnvironment(faults));
  std::vector<bool> used(m.devices.size(), false);
  used[0] = true;
  for (const KernelDesc &k : m.kernels) {
    used[k.device] = true;
    if (k.isTransfer)
      used[k.fromDevice] = true;
  }
  for (size_t d = 0; d < m.devices.size(); ++d) {
    devices.emplace_back();
    if (!used[d])
      continue;
    const std::string &kind = m.devices[d].kind;
    Driver *driver = findDriver(kind);
    std::vector<DeviceInfo> infos;
    if (driver)
      HCC_RETURN_IF_ERROR(driver->enumerate(infos));
    if (infos.empty())
      return Status(HCC_ERROR_UNSUPPORTED,
                    "model '" + m.modelName + "' needs a '" + kind +
                        "' device (for its " + m.devices[d].target +
                        " kernels); this machine has: " + devicesPresent());
    size_t index = 0;
    if (options) {
      auto want = options->deviceNames.find(kind);
      if (want != options->deviceNames.end()) {
        index = infos.size();
        for (size_t i = 0; i < infos.size() && index == infos.size(); ++i)
          if (infos[i].name.find(want->second) != std::string::npos)
            index = i;
        if (index == infos.size())
          return invalidArgument("no '" + kind + "' device matches '" +
                                 want->second +
                                 "'; devices present: " + devicesPresent());
      }
    }
    std::unique_ptr<Device> device;
    HCC_RETURN_IF_ERROR(driver->createDevice(index, *pool, device));
    devices[d] = wrapWithFaults(std::move(device), faults);
    // Each code section this device runs is built for it once.
    std::set<std::string> sections;
    for (const KernelDesc &k : m.kernels)
      if (!k.isTransfer && k.device == d)
        sections.insert(k.code);
    for (const std::string &code : sections)
      HCC_RETURN_IF_ERROR(devices[d]->prepare(*model->code().at(code)));
  }
  if (!devices[0]->usesHostMemory())
    return invalidBundle("model '" + m.modelName + "': device 0 ('" +
                         m.devices[0].kind + "') must be a host-memory device");
  return Status::ok();
}

Status Session::allocateMemory() {
  const Manifest &m = model->manifest();
  size_t nd = m.devices.size(), nb = m.buffers.size();
  // Weights copied to a device stay there for the session's lifetime.
  persistent.assign(nb, false);
  preloaded.assign(m.kernels.size(), false);
  for (size_t k = 0; k < m.kernels.size(); ++k) {
    const KernelDesc &kd = m.kernels[k];
    if (kd.isTransfer && kd.fromDevice == 0 &&
        m.buffers[m.root(kd.args[0])].kind == BufferKind::Weight &&
        !m.buffers[kd.args[1]].isView) {
      persistent[kd.args[1]] = true;
      preloaded[k] = true;
    }
  }
  std::vector<uint64_t> alignment(nd, 64);
  for (size_t d = 0; d < nd; ++d)
    if (devices[d])
      alignment[d] = std::max<uint64_t>(64, devices[d]->alignment());
  plan = buildExecutionPlan(m, alignment, persistent);
  uint64_t bytes = std::max<uint64_t>(plan.memory[0].arenaBytes, 64);
  arena = allocator.alloc(allocator.ctx, bytes, 64);
  if (!arena)
    return Status(HCC_ERROR_OUT_OF_MEMORY,
                  "cannot allocate the " + std::to_string(bytes) +
                      "-byte arena for model '" + m.modelName + "'");
  auto allocateOn = [&](size_t d, uint64_t bytes, DeviceMemory &out) {
    Status st = devices[d]->allocate(bytes, out);
    if (st.isOk())
      return st;
    out = nullptr;
    return Status(st.code(), "allocating " + std::to_string(bytes) +
                                 " bytes on " + devices[d]->kind() +
                                 " device '" + devices[d]->info().name +
                                 "' for model '" + m.modelName +
                                 "': " + st.message());
  };
  arenas.assign(nd, nullptr);
  for (size_t d = 1; d < nd; ++d)
    if (devices[d])
      HCC_RETURN_IF_ERROR(allocateOn(d, plan.memory[d].arenaBytes, arenas[d]));
  deviceMem.assign(nb, nullptr);
  // Roots first: persistent buffers get their own allocation, intermediates
  // a range of their device's arena; views then a range of the same arena.
  for (int pass = 0; pass < 2; ++pass)
    for (size_t b = 0; b < nb; ++b) {
      const BufferDesc &desc = m.buffers[b];
      if (desc.device == 0 || desc.isView != (pass == 1))
        continue;
      Device &dev = *devices[desc.device];
      if (persistent[b]) {
        HCC_RETURN_IF_ERROR(allocateOn(desc.device, desc.bytes, deviceMem[b]));
        continue;
      }
      uint64_t offset =
          plan.arenaOffset[m.root(b)] + (desc.isView ? desc.viewOffset : 0);
      if (offset % alignment[desc.device] != 0)
        return Status(HCC_ERROR_UNSUPPORTED,
                      "buffer " + std::to_string(b) + " is a view at offset " +
                          std::to_string(offset) + ", which a '" + dev.kind() +
                          "' device cannot address");
      HCC_RETURN_IF_ERROR(
          dev.subrange(arenas[desc.device], offset, desc.bytes, deviceMem[b]));
    }
  return Status::ok();
}

/// Blocks until `op` reports completion; returns its status.
template <typename Op> static Status waitFor(Op op) {
  auto fence = std::make_shared<RunFence>();
  op([fence](const Status &s, const KernelTiming &) { fence->signal(s); });
  return fence->wait();
}

Status Session::preloadWeights() {
  const Manifest &m = model->manifest();
  for (size_t k = 0; k < m.kernels.size(); ++k) {
    if (!preloaded[k])
      continue;
    const KernelDesc &kd = m.kernels[k];
    const BufferDesc &src = m.buffers[kd.args[0]];
    const BufferDesc &root = m.buffers[m.root(kd.args[0])];
    const uint8_t *data = model->weights() + root.weightOffset +
                          (src.isView ? src.viewOffset : 0);
    Device &dev = *devices[kd.device];
    DeviceMemory dst = deviceMem[kd.args[1]];
    Status st = waitFor([&](Completion done) {
      dev.upload(data, dst, src.bytes, std::move(done));
    });
    if (!st.isOk())
      return Status(st.code(), "copying weights for '" + kd.name + "' to " +
                                   dev.kind() + " device '" + dev.info().name +
                                   "': " + st.message());
  }
  return Status::ok();
}

hcc_memory_stats_t Session::memoryStats() const {
  hcc_memory_stats_t st{};
  for (const MemoryPlan &p : plan.memory) {
    st.arena_bytes += p.arenaBytes;
    st.live_peak_bytes += p.livePeakBytes;
    st.intermediate_bytes += p.totalBytes;
  }
  st.weights_bytes = model->image().weights().size;
  return st;
}

static Status checkTensor(const char *role, const ValueDesc &v,
                          const BufferDesc &b, const hcc_tensor_t *t) {
  std::string what = std::string(role) + " '" + v.name + "'";
  if (!t)
    return invalidArgument(what + " is NULL");
  bool sameType = t->dtype == b.dtype;
  bool sameShape = t->dims == b.shape;
  if (sameType && sameShape)
    return Status::ok();
  std::string msg = what + ": expected " +
                    describeType(b.dtype, b.shape.data(), b.shape.size()) +
                    ", got " +
                    describeType(t->dtype, t->dims.data(), t->dims.size());
  return Status(sameType ? HCC_ERROR_SHAPE_MISMATCH : HCC_ERROR_DTYPE_MISMATCH,
                msg);
}

Status Session::checkBinding(hcc_tensor_t *const *inputs, size_t nIn,
                             hcc_tensor_t **outputs, size_t nOut) {
  const Manifest &m = model->manifest();
  if (nIn != m.inputs.size())
    return invalidArgument("model '" + m.modelName + "' takes " +
                           std::to_string(m.inputs.size()) + " inputs, got " +
                           std::to_string(nIn));
  if (nOut != m.outputs.size())
    return invalidArgument("model '" + m.modelName + "' has " +
                           std::to_string(m.outputs.size()) + " outputs, got " +
                           std::to_string(nOut) + " output slots");
  if ((nIn && !inputs) || (nOut && !outputs))
    return invalidArgument("inputs or outputs array is NULL");
  for (size_t i = 0; i < nIn; ++i)
    HCC_RETURN_IF_ERROR(checkTensor("input", m.inputs[i],
                                    m.buffers[m.inputs[i].buffer], inputs[i]));
  for (size_t i = 0; i < nOut; ++i)
    if (outputs[i])
      HCC_RETURN_IF_ERROR(checkTensor(
          "output", m.outputs[i], m.buffers[m.outputs[i].buffer], outputs[i]));
  // Kernels write outputs while others still read inputs (and outputs
  // each other's bytes): host memory shared between them would give wrong
  // results silently.
  auto overlap = [](const hcc_tensor_t *a, const hcc_tensor_t *b) {
    auto lo = [](const hcc_tensor_t *t) {
      return reinterpret_cast<uintptr_t>(t->data);
    };
    return a->data && b->data && a->bytes && b->bytes &&
           lo(a) < lo(b) + b->bytes && lo(b) < lo(a) + a->bytes;
  };
  for (size_t i = 0; i < nOut; ++i) {
    if (!outputs[i])
      continue;
    for (size_t j = 0; j < nIn; ++j)
      if (overlap(outputs[i], inputs[j]))
        return invalidArgument("output '" + m.outputs[i].name +
                               "' shares memory with input '" +
                               m.inputs[j].name + "'");
    for (size_t j = 0; j < i; ++j)
      if (outputs[j] && overlap(outputs[i], outputs[j]))
        return invalidArgument("output '" + m.outputs[i].name +
                               "' shares memory with output '" +
                               m.outputs[j].name + "'");
  }
  return Status::ok();
}

Status Session::start(hcc_tensor_t *const *inputs, size_t nIn,
                      hcc_tensor_t **outputs, size_t nOut,
                      std::shared_ptr<RunFence> &fence) {
  HCC_RETURN_IF_ERROR(checkNotForked());
  // A release racing this call waits until it has returned.
  CallerScope scope(this);
  HCC_RETURN_IF_ERROR(begin(inputs, nIn, outputs, nOut, fence));
  if (pool->runsOnCaller()) {
    // Nobody waits here: a thread of the process-wide pool runs the
    // kernels, counted as a caller until the run is over.
    auto helper = std::make_shared<CallerScope>(this);
    ThreadPool::fallback().submit([this, fence, helper] { help(fence); });
  }
  return Status::ok();
}

Status Session::begin(hcc_tensor_t *const *inputs, size_t nIn,
                      hcc_tensor_t **outputs, size_t nOut,
                      std::shared_ptr<RunFence> &fence) {
  HCC_RETURN_IF_ERROR(checkBinding(inputs, nIn, outputs, nOut));
  const Manifest &m = model->manifest();
  auto run = std::make_shared<RunState>();
  size_t nb = m.buffers.size(), nk = m.kernels.size();
  run->bound.assign(nb, nullptr);
  run->skip.assign(nk, false);
  HCC_RETURN_IF_ERROR(bindDeviceTensors(*run, inputs, nIn, outputs, nOut));
  // Create missing outputs only once everything else is known to be valid,
  // and undo them if one fails, so a failed call leaves no half state.
  std::vector<size_t> created;
  for (size_t i = 0; i < nOut; ++i) {
    if (outputs[i])
      continue;
    const BufferDesc &b = m.buffers[m.outputs[i].buffer];
    hcc_status_t st = hcc_tensor_create(b.dtype, b.shape.data(), b.shape.size(),
                                        &allocator, &outputs[i]);
    if (st != HCC_OK) {
      for (size_t c : created) {
        hcc_tensor_release(outputs[c]);
        outputs[c] = nullptr;
      }
      return Status(st, std::string("output '") + m.outputs[i].name +
                            "': " + hcc_runtime_last_error());
    }
    created.push_back(i);
  }

  run->fence = std::make_shared<RunFence>();
  fence = run->fence;
  run->ptrs.assign(nb, nullptr);
  const uint8_t *weights = model->weights();
  for (size_t i = 0; i < nIn; ++i)
    run->ptrs[m.inputs[i].buffer] = inputs[i]->data;
  for (size_t i = 0; i < nOut; ++i)
    run->ptrs[m.outputs[i].buffer] = outputs[i]->data;
  for (size_t b = 0; b < nb; ++b) {
    const BufferDesc &d = m.buffers[b];
    if (d.kind == BufferKind::Weight)
      run->ptrs[b] = const_cast<uint8_t *>(weights + d.weightOffset);
    else if (d.kind == BufferKind::Intermediate && !d.isView)
      run->ptrs[b] = static_cast<uint8_t *>(arena) + plan.arenaOffset[b];
  }
  for (size_t b = 0; b < nb; ++b)
    if (m.buffers[b].isView)
      run->ptrs[b] = static_cast<uint8_t *>(run->ptrs[m.buffers[b].viewOf]) +
                     m.buffers[b].viewOffset;
  run->args.resize(nk);
  run->staging.resize(nk);
  for (size_t k = 0; k < nk; ++k)
    for (size_t a : m.kernels[k].args)
      run->args[k].push_back(run->bound[a]              ? run->bound[a]
                             : m.buffers[a].device == 0 ? run->ptrs[a]
                                                        : deviceMem[a]);
  run->outputs.assign(outputs, outputs + nOut);
  run->waiting.reset(new std::atomic<int>[nk]);
  for (size_t k = 0; k < nk; ++k)
    run->waiting[k].store(plan.predecessorCount[k]);
  run->remaining.store(nk);

  {
    std::unique_lock<std::mutex> lock(busyMu);
    busyCv.wait(lock, [this] { return !busy; });
    busy = true;
    run->index = runCount++;
  }
  // Constant outputs are plain copies out of the weights blob.
  for (size_t i = 0; i < nOut; ++i) {
    const BufferDesc &d = m.buffers[m.outputs[i].buffer];
    if (d.kind == BufferKind::ConstantOutput && d.bytes > 0)
      std::memcpy(outputs[i]->data, weights + d.weightOffset, d.bytes);
  }
  if (nk == 0) {
    finishRun(run);
    return Status::ok();
  }
  for (size_t k = 0; k < nk; ++k)
    if (plan.predecessorCount[k] == 0)
      launchKernel(run, k);
  return Status::ok();
}

Session::CallerScope::CallerScope(Session *s) : s(s) {
  std::lock_guard<std::mutex> lock(s->busyMu);
  ++s->callers;
}

Session::CallerScope::~CallerScope() {
  // Notified under the lock: once it is released the destructor may run.
  std::lock_guard<std::mutex> lock(s->busyMu);
  --s->callers;
  s->busyCv.notify_all();
}

void Session::help(const std::shared_ptr<RunFence> &fence) {
  pool->helpUntil(
      [&] { return fence->finished.load(std::memory_order_acquire); });
}

Status Session::checkNotForked() const {
  if (!forkedAway())
    return Status::ok();
  return Status(HCC_ERROR_UNSUPPORTED,
                "model '" + model->manifest().modelName +
                    "': this session was created before fork(), and its "
                    "threads do not exist in this child process: create the "
                    "session in the child");
}

Status Session::run(hcc_tensor_t *const *inputs, size_t nIn,
                    hcc_tensor_t **outputs, size_t nOut) {
  HCC_RETURN_IF_ERROR(checkNotForked());
  CallerScope scope(this);
  std::shared_ptr<RunFence> fence;
  HCC_RETURN_IF_ERROR(begin(inputs, nIn, outputs, nOut, fence));
  if (pool->runsOnCaller())
    help(fence);
  return fence->wait();
}

size_t Session::deviceIndex(const Device *device) const {
  for (size_t d = 0; d < devices.size(); ++d)
    if (devices[d].get() == device)
      return d;
  return devices.size();
}

Status Session::createDeviceTensor(const std::string &kind, hcc_tensor *t) {
  std::string present;
  for (size_t d = 1; d < devices.size(); ++d) {
    if (!devices[d])
      continue;
    present += (present.empty() ? "" : ", ") + std::string(devices[d]->kind());
    if (kind != devices[d]->kind())
      continue;
    HCC_RETURN_IF_ERROR(devices[d]->allocate(t->bytes, t->memory));
    t->device = devices[d];
    return Status::ok();
  }
  return invalidArgument("this session has no '" + kind +
                         "' device (its devices besides the host: " +
                         (present.empty() ? "none" : present) + ")");
}

/// A device tensor input replaces the buffer its transfer to that device
/// would fill; a device tensor output replaces the buffer its transfer from
/// that device would read, so the producing kernel writes into it. Any
/// other use of such a value needs it in host memory: an error.
Status Session::bindDeviceTensors(RunState &run, hcc_tensor_t *const *inputs,
                                  size_t nIn, hcc_tensor_t **outputs,
                                  size_t nOut) {
  const Manifest &m = model->manifest();
  auto deviceOf = [&](const hcc_tensor *t, const std::string &what,
                      size_t &d) -> Status {
    d = deviceIndex(t->device.get());
    if (d == devices.size())
      return invalidArgument(what + " is a device tensor of another session");
    return Status::ok();
  };
  auto hostNeeded = [&](const std::string &what, const hcc_tensor *t,
                        const std::string &why) {
    return invalidArgument(what + " is a " + t->device->kind() +
                           " device tensor, but " + why +
                           ": pass a host tensor");
  };
  for (size_t i = 0; i < nIn; ++i) {
    const hcc_tensor *t = inputs[i];
    if (!t->device)
      continue;
    std::string what = "input '" + m.inputs[i].name + "'";
    size_t b = m.inputs[i].buffer, d = 0;
    HCC_RETURN_IF_ERROR(deviceOf(t, what, d));
    for (size_t k = 0; k < m.kernels.size(); ++k) {
      const KernelDesc &kd = m.kernels[k];
      bool reads = false;
      for (size_t a = 0; a < kd.numInputs; ++a)
        reads |= m.root(kd.args[a]) == b;
      if (!reads)
        continue;
      if (!kd.isTransfer || kd.device != d || kd.args[0] != b ||
          m.buffers[kd.args[1]].isView)
        return hostNeeded(
            what, t,
            std::string(kd.isTransfer ? "transfer '" : "kernel '") + kd.name +
                "' reads it on " + m.devices[kd.device].kind);
      run.bound[kd.args[1]] = t->memory;
      run.skip[k] = true;
    }
  }
  for (size_t i = 0; i < nOut; ++i) {
    const hcc_tensor *t = outputs[i];
    if (!t || !t->device)
      continue;
    std::string what = "output '" + m.outputs[i].name + "'";
    size_t b = m.outputs[i].buffer, d = 0;
    HCC_RETURN_IF_ERROR(deviceOf(t, what, d));
    const KernelDesc *writer = nullptr;
    size_t index = 0;
    for (size_t k = 0; k < m.kernels.size(); ++k)
      for (size_t a = m.kernels[k].numInputs; a < m.kernels[k].args.size(); ++a)
        if (m.root(m.kernels[k].args[a]) == b) {
          writer = &m.kernels[k];
          index = k;
        }
    if (!writer || !writer->isTransfer || writer->fromDevice != d ||
        m.buffers[writer->args[0]].isView ||
        m.buffers[writer->args[0]].kind != BufferKind::Intermediate ||
        run.bound[writer->args[0]])
      return hostNeeded(what, t,
                        writer ? "the model computes it on " +
                                     m.devices[writer->fromDevice].kind
                               : std::string("it is a constant"));
    run.bound[writer->args[0]] = t->memory;
    run.skip[index] = true;
  }
  return Status::ok();
}

void Session::launchKernel(const std::shared_ptr<RunState> &run, size_t k) {
  const KernelDesc &kd = model->manifest().kernels[k];
  Completion done = [this, run, k](const Status &s, const KernelTiming &t) {
    completeKernel(run, k, s, t);
  };
  // After a failure the rest of the run is skipped, in order.
  if (run->failed.load() || preloaded[k] || run->skip[k]) {
    done(Status::ok(), KernelTiming{});
    return;
  }
  if (kd.isTransfer) {
    startTransfer(run, k, std::move(done));
    return;
  }
  devices[kd.device]->launch(model->kernel(k), run->args[k].data(),
                             run->args[k].size(), std::move(done));
}

void Session::startTransfer(const std::shared_ptr<RunState> &run, size_t k,
                            Completion done) {
  const KernelDesc &kd = model->manifest().kernels[k];
  uint64_t bytes = model->manifest().buffers[kd.args[0]].bytes;
  DeviceMemory src = run->args[k][0], dst = run->args[k][1];
  Device &from = *devices[kd.fromDevice], &to = *devices[kd.device];
  if (kd.fromDevice == 0) {
    to.upload(src, dst, bytes, std::move(done));
  } else if (kd.device == 0) {
    from.download(src, dst, bytes, std::move(done));
  } else {
    // No direct path between two devices: stage through host memory.
    std::vector<uint8_t> &stage = run->staging[k];
    stage.resize(std::max<uint64_t>(bytes, 1));
    from.download(src, stage.data(), bytes,
                  [&to, run, dst, bytes, &stage, done = std::move(done)](
                      const Status &s, const KernelTiming &t) mutable {
                    if (!s.isOk())
                      return done(s, t);
                    int64_t start = t.startNs;
                    to.upload(stage.data(), dst, bytes,
                              [start, done = std::move(done)](
                                  const Status &s2, const KernelTiming &t2) {
                                KernelTiming all = t2;
                                all.startNs = start;
                                done(s2, all);
                              });
                  });
  }
}

void Session::completeKernel(const std::shared_ptr<RunState> &run, size_t k,
                             const Status &status, const KernelTiming &t) {
  const Manifest &m = model->manifest();
  if (!status.isOk()) {
    std::lock_guard<std::mutex> lock(run->errorMu);
    if (!run->failed.exchange(true)) {
      const KernelDesc &kd = m.kernels[k];
      const Device &dev = *devices[kd.device];
      run->error =
          Status(status.code(),
                 std::string(kd.isTransfer ? "transfer '" : "kernel '") +
                     kd.name + "' on " + dev.kind() + " device '" +
                     dev.info().name + "': " + status.message());
    }
  } else if (t.endNs != 0) {
    trace.record(k, run->index, t);
  }
  for (size_t s : plan.successors[k])
    if (run->waiting[s].fetch_sub(1) == 1)
      launchKernel(run, s);
  if (run->remaining.fetch_sub(1) == 1)
    finishRun(run);
}

void Session::finishRun(const std::shared_ptr<RunState> &run) {
  // Release the session before signalling so a waiter can start the next
  // run (or destroy the session) as soon as it wakes.
  std::shared_ptr<RunFence> fence = run->fence;
  Status result;
  if (run->failed.load()) {
    // Never leave partial results: a failed run's outputs are zeros.
    const Manifest &m = model->manifest();
    // (A device tensor's contents are unspecified: zeroing it would wait
    // on the device from its own completion thread.)
    for (size_t i = 0; i < run->outputs.size(); ++i)
      if (!run->outputs[i]->device)
        std::memset(run->outputs[i]->data, 0,
                    m.buffers[m.outputs[i].buffer].bytes);
    std::lock_guard<std::mutex> lock(run->errorMu);
    result = run->error;
  }
  // A pool that counts its caller has a helper running this run (the
  // caller of run(), or a fallback worker for an asynchronous run; counted
  // among the callers, so the session outlives this call): a run that ends
  // on another thread (a device's completion) must wake it. Without one,
  // the session may be gone once `busy` is false.
  ThreadPool *helped = pool->runsOnCaller() ? pool.get() : nullptr;
  {
    // Notified under the lock: once it is released the destructor may run.
    std::lock_guard<std::mutex> lock(busyMu);
    busy = false;
    busyCv.notify_all();
  }
  if (helped)
    helped->signalDone([&] { fence->signal(result); });
  else
    fence->signal(result);
}

} // namespace rt
} // namespace hcc
