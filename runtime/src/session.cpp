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

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace hcc {
namespace rt {

void RunFence::signal(Status s) {
  {
    std::lock_guard<std::mutex> lock(mu);
    status = std::move(s);
    done = true;
  }
  cv.notify_all();
}

Status RunFence::wait() {
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [this] { return done; });
  return status;
}

struct Session::RunState {
  std::vector<void *> ptrs;              // per buffer
  std::vector<std::vector<void *>> args; // per kernel
  std::unique_ptr<std::atomic<int>[]> waiting;
  std::atomic<size_t> remaining{0};
  size_t index = 0;
  std::shared_ptr<RunFence> fence;
};

Session::Session(Model *model)
    : model(model), allocator(defaultAllocator()), trace(nowNs()) {
  model->retain();
}

Session::~Session() {
  {
    std::unique_lock<std::mutex> lock(busyMu);
    busyCv.wait(lock, [this] { return !busy; });
  }
  if (!tracePath.empty())
    (void)trace.write(tracePath, model->manifest());
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
  if (s->tracePath.empty())
    if (const char *env = std::getenv("HCC_TRACE"))
      s->tracePath = env;
  s->pool = std::make_unique<ThreadPool>(threads);
  const Manifest &m = model->manifest();
  std::vector<bool> used(m.devices.size(), false);
  for (const KernelDesc &k : m.kernels)
    used[k.device] = true;
  for (size_t d = 0; d < m.devices.size(); ++d) {
    std::unique_ptr<Device> dev;
    if (used[d])
      HCC_RETURN_IF_ERROR(createDevice(m.devices[d].kind, *s->pool, dev));
    s->devices.push_back(std::move(dev));
  }
  s->plan = buildExecutionPlan(m);
  uint64_t bytes = std::max<uint64_t>(s->plan.memory.arenaBytes, 64);
  s->arena = s->allocator.alloc(s->allocator.ctx, bytes, 64);
  if (!s->arena)
    return Status(HCC_ERROR_OUT_OF_MEMORY,
                  "cannot allocate the " + std::to_string(bytes) +
                      "-byte arena for model '" + m.modelName + "'");
  out = std::move(s);
  return Status::ok();
}

hcc_memory_stats_t Session::memoryStats() const {
  hcc_memory_stats_t st{};
  st.arena_bytes = plan.memory.arenaBytes;
  st.live_peak_bytes = plan.memory.livePeakBytes;
  st.intermediate_bytes = plan.memory.totalBytes;
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
  return Status::ok();
}

Status Session::start(hcc_tensor_t *const *inputs, size_t nIn,
                      hcc_tensor_t **outputs, size_t nOut,
                      std::shared_ptr<RunFence> &fence) {
  HCC_RETURN_IF_ERROR(checkBinding(inputs, nIn, outputs, nOut));
  const Manifest &m = model->manifest();
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

  auto run = std::make_shared<RunState>();
  run->fence = std::make_shared<RunFence>();
  fence = run->fence;
  size_t nb = m.buffers.size(), nk = m.kernels.size();
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
  for (size_t k = 0; k < nk; ++k)
    for (size_t a : m.kernels[k].args)
      run->args[k].push_back(run->ptrs[a]);
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

void Session::launchKernel(const std::shared_ptr<RunState> &run, size_t k) {
  const KernelDesc &kd = model->manifest().kernels[k];
  devices[kd.device]->launch(model->kernel(k), run->args[k].data(),
                             [this, run, k](const KernelTiming &t) {
                               trace.record(k, run->index, t);
                               for (size_t s : plan.successors[k])
                                 if (run->waiting[s].fetch_sub(1) == 1)
                                   launchKernel(run, s);
                               if (run->remaining.fetch_sub(1) == 1)
                                 finishRun(run);
                             });
}

void Session::finishRun(const std::shared_ptr<RunState> &run) {
  // Release the session before signalling so a waiter can start the next
  // run (or destroy the session) as soon as it wakes.
  std::shared_ptr<RunFence> fence = run->fence;
  {
    std::lock_guard<std::mutex> lock(busyMu);
    busy = false;
  }
  busyCv.notify_all();
  fence->signal(Status::ok());
}

} // namespace rt
} // namespace hcc
