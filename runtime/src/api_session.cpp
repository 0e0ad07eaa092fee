//===- api_session.cpp - C API: models, sessions, runs, fences -----------===//
//
// Every entry point catches everything: no C++ exception crosses the ABI.
//
//===----------------------------------------------------------------------===//

#include "api_objects.h"
#include "session.h"

#include <cstring>

#include <new>

using namespace hcc::rt;

struct hcc_fence {
  std::shared_ptr<RunFence> fence;
};

struct hcc_session {
  std::unique_ptr<Session> session;
};

namespace {
template <typename Fn> hcc_status_t guarded(Fn &&fn) {
  try {
    return report(fn());
  } catch (const std::bad_alloc &) {
    return report(Status(HCC_ERROR_OUT_OF_MEMORY, "out of memory"));
  } catch (const std::exception &e) {
    return report(
        Status(HCC_ERROR_INTERNAL, std::string("internal error: ") + e.what()));
  } catch (...) {
    return report(Status(HCC_ERROR_INTERNAL, "internal error"));
  }
}

Status finishLoad(Status st, std::unique_ptr<BundleImage> image,
                  hcc_model_t **out) {
  HCC_RETURN_IF_ERROR(st);
  std::unique_ptr<Model> model;
  HCC_RETURN_IF_ERROR(Model::load(std::move(image), model));
  *out = new hcc_model{model.release()};
  return Status::ok();
}

const Manifest *manifestOf(const hcc_model_t *m) {
  return m ? &m->model->manifest() : nullptr;
}

Status valueInfo(const hcc_model_t *model, size_t index, hcc_value_info_t *out,
                 bool input) {
  if (!model || !out)
    return invalidArgument("model or out is NULL");
  const Manifest &m = model->model->manifest();
  const auto &list = input ? m.inputs : m.outputs;
  if (index >= list.size())
    return invalidArgument(std::string(input ? "input" : "output") + " index " +
                           std::to_string(index) +
                           " is out of range (model has " +
                           std::to_string(list.size()) + ")");
  const ValueDesc &v = list[index];
  const BufferDesc &b = m.buffers[v.buffer];
  out->name = v.name.c_str();
  out->dtype = b.dtype;
  out->rank = b.shape.size();
  out->dims = b.shape.data();
  out->dim_names = v.dimNamePtrs.data();
  return Status::ok();
}
} // namespace

extern "C" {

hcc_status_t hcc_model_load_file(const char *path, hcc_model_t **out) {
  return guarded([&] {
    if (!path || !out)
      return invalidArgument("hcc_model_load_file: path or out is NULL");
    *out = nullptr;
    std::unique_ptr<BundleImage> image;
    Status st = BundleImage::openFile(path, image);
    return finishLoad(st, std::move(image), out);
  });
}

hcc_status_t hcc_model_load_memory(const void *data, size_t size,
                                   hcc_model_t **out) {
  return guarded([&] {
    if (!data || !out)
      return invalidArgument("hcc_model_load_memory: data or out is NULL");
    *out = nullptr;
    std::unique_ptr<BundleImage> image;
    Status st = BundleImage::fromMemory(data, size, image);
    return finishLoad(st, std::move(image), out);
  });
}

void hcc_model_release(hcc_model_t *model) {
  if (!model)
    return;
  model->model->release();
  delete model;
}

const char *hcc_model_name(const hcc_model_t *model) {
  return model ? manifestOf(model)->modelName.c_str() : "";
}
hcc_status_t hcc_model_manifest(const hcc_model_t *model, const char **json,
                                size_t *size) {
  return guarded([&] {
    if (!model || !json || !size)
      return invalidArgument("hcc_model_manifest: NULL argument");
    const SectionView &manifest = model->model->image().manifest();
    *json = reinterpret_cast<const char *>(manifest.data);
    *size = manifest.size;
    return Status::ok();
  });
}
size_t hcc_model_input_count(const hcc_model_t *model) {
  return model ? manifestOf(model)->inputs.size() : 0;
}
size_t hcc_model_output_count(const hcc_model_t *model) {
  return model ? manifestOf(model)->outputs.size() : 0;
}
hcc_status_t hcc_model_input_info(const hcc_model_t *model, size_t index,
                                  hcc_value_info_t *out) {
  return guarded([&] { return valueInfo(model, index, out, true); });
}
hcc_status_t hcc_model_output_info(const hcc_model_t *model, size_t index,
                                   hcc_value_info_t *out) {
  return guarded([&] { return valueInfo(model, index, out, false); });
}

hcc_status_t hcc_session_options_create(hcc_session_options_t **out) {
  return guarded([&] {
    if (!out)
      return invalidArgument("hcc_session_options_create: out is NULL");
    *out = new hcc_session_options();
    return Status::ok();
  });
}
void hcc_session_options_release(hcc_session_options_t *options) {
  delete options;
}
hcc_status_t hcc_session_options_set_threads(hcc_session_options_t *options,
                                             int threads) {
  return guarded([&] {
    if (!options || threads < 0 || threads > 4096)
      return invalidArgument("threads must be in [0, 4096], got " +
                             std::to_string(threads));
    options->threads = threads;
    return Status::ok();
  });
}
hcc_status_t hcc_session_options_set_trace_path(hcc_session_options_t *options,
                                                const char *path) {
  return guarded([&] {
    if (!options)
      return invalidArgument("options is NULL");
    options->tracePath = path ? path : "";
    return Status::ok();
  });
}
hcc_status_t hcc_session_options_set_allocator(hcc_session_options_t *options,
                                               const hcc_allocator_t *alloc) {
  return guarded([&] {
    if (!options)
      return invalidArgument("options is NULL");
    if (alloc && (!alloc->alloc || !alloc->free))
      return invalidArgument("allocator lacks alloc or free");
    options->hasAllocator = alloc != nullptr;
    if (alloc)
      options->allocator = *alloc;
    return Status::ok();
  });
}

hcc_status_t hcc_session_create(hcc_model_t *model,
                                const hcc_session_options_t *options,
                                hcc_session_t **out) {
  return guarded([&] {
    if (!model || !out)
      return invalidArgument("hcc_session_create: model or out is NULL");
    *out = nullptr;
    std::unique_ptr<Session> session;
    HCC_RETURN_IF_ERROR(Session::create(model->model, options, session));
    *out = new hcc_session{std::move(session)};
    return Status::ok();
  });
}

void hcc_session_release(hcc_session_t *session) {
  // In a child of fork the session's threads are gone and its locks may
  // be held for good: destroying it could wait forever. It is leaked.
  if (session && session->session && session->session->forkedAway())
    (void)session->session.release();
  delete session;
}

hcc_status_t hcc_session_run_async(hcc_session_t *session,
                                   hcc_tensor_t *const *inputs, size_t n_in,
                                   hcc_tensor_t **outputs, size_t n_out,
                                   hcc_fence_t **fence) {
  return guarded([&] {
    if (!session || !fence)
      return invalidArgument("hcc_session_run_async: session or fence is NULL");
    *fence = nullptr;
    auto handle = std::make_unique<hcc_fence>();
    HCC_RETURN_IF_ERROR(
        session->session->start(inputs, n_in, outputs, n_out, handle->fence));
    *fence = handle.release();
    return Status::ok();
  });
}

hcc_status_t hcc_session_run(hcc_session_t *session,
                             hcc_tensor_t *const *inputs, size_t n_in,
                             hcc_tensor_t **outputs, size_t n_out) {
  return guarded([&] {
    if (!session)
      return invalidArgument("hcc_session_run: session is NULL");
    return session->session->run(inputs, n_in, outputs, n_out);
  });
}

hcc_status_t hcc_fence_wait(hcc_fence_t *fence) {
  return guarded([&] {
    if (!fence)
      return invalidArgument("hcc_fence_wait: fence is NULL");
    return fence->fence->wait();
  });
}

int hcc_fence_is_done(const hcc_fence_t *fence) {
  if (!fence)
    return 1;
  std::lock_guard<std::mutex> lock(fence->fence->mu);
  return fence->fence->done ? 1 : 0;
}

void hcc_fence_release(hcc_fence_t *fence) {
  if (!fence)
    return;
  (void)fence->fence->wait();
  delete fence;
}

hcc_status_t hcc_session_memory_stats(const hcc_session_t *session,
                                      hcc_memory_stats_t *out) {
  return guarded([&] {
    if (!session || !out)
      return invalidArgument("hcc_session_memory_stats: NULL argument");
    *out = session->session->memoryStats();
    return Status::ok();
  });
}

hcc_status_t hcc_session_kernel_events(const hcc_session_t *session,
                                       size_t first, hcc_kernel_event_t *events,
                                       size_t capacity, size_t *count) {
  return guarded([&] {
    if (!session || !count || (capacity && !events))
      return invalidArgument("hcc_session_kernel_events: NULL argument");
    const TraceRecorder &trace = session->session->traceRecorder();
    const Manifest &m = session->session->manifest();
    size_t total = 0;
    std::vector<TraceRecorder::Event> list =
        trace.events(first, capacity, total);
    if (!capacity) {
      *count = total;
      return Status::ok();
    }
    for (size_t i = 0; i < list.size(); ++i) {
      const TraceRecorder::Event &e = list[i];
      const KernelDesc &k = m.kernels[e.kernel];
      hcc_kernel_event_t &out = events[i];
      out.name = k.name.empty() ? k.symbol.c_str() : k.name.c_str();
      out.device = m.devices[k.device].kind.c_str();
      out.device_index = k.device;
      out.is_transfer = k.isTransfer ? 1 : 0;
      out.run = e.run;
      out.start_ns = e.timing.startNs - trace.origin();
      out.duration_ns = e.timing.endNs - e.timing.startNs;
      out.thread = e.timing.thread;
      out.modelled_ns = e.timing.modelledNs;
    }
    *count = list.size();
    return Status::ok();
  });
}

hcc_status_t hcc_session_write_trace(hcc_session_t *session, const char *path) {
  return guarded([&] {
    if (!session || !path)
      return invalidArgument("hcc_session_write_trace: NULL argument");
    return session->session->writeTrace(path);
  });
}

} // extern "C"

namespace {
/// Blocks until a device copy reports completion; returns its status.
Status waitForCopy(const std::function<void(Completion)> &op) {
  auto fence = std::make_shared<RunFence>();
  op([fence](const Status &s, const KernelTiming &) { fence->signal(s); });
  return fence->wait();
}

Status checkCopy(const hcc_tensor_t *t, const void *host, size_t bytes,
                 const char *what) {
  if (!t || (!host && bytes))
    return invalidArgument(std::string(what) + ": tensor or data is NULL");
  if (bytes != t->bytes)
    return invalidArgument(std::string(what) + ": the tensor has " +
                           std::to_string(t->bytes) + " bytes, got " +
                           std::to_string(bytes));
  return Status::ok();
}
} // namespace

hcc_status_t hcc_session_create_device_tensor(hcc_session_t *session,
                                              const char *device_kind,
                                              hcc_dtype_t dtype,
                                              const int64_t *dims, size_t rank,
                                              hcc_tensor_t **out) {
  if (!session || !device_kind || !out)
    return report(invalidArgument(
        "hcc_session_create_device_tensor: session, kind or out is NULL"));
  *out = nullptr;
  hcc_tensor *t = nullptr;
  if (hcc_status_t st = newTensorObject(dtype, dims, rank, t))
    return st;
  hcc_status_t st = guarded(
      [&] { return session->session->createDeviceTensor(device_kind, t); });
  if (st != HCC_OK) {
    delete t;
    return st;
  }
  *out = t;
  return HCC_OK;
}

hcc_status_t hcc_tensor_write(hcc_tensor_t *t, const void *src,
                              size_t size_bytes) {
  return guarded([&] {
    HCC_RETURN_IF_ERROR(checkCopy(t, src, size_bytes, "hcc_tensor_write"));
    if (!t->device) {
      if (size_bytes)
        std::memcpy(t->data, src, size_bytes);
      return Status::ok();
    }
    return waitForCopy([&](Completion done) {
      t->device->upload(src, t->memory, size_bytes, std::move(done));
    });
  });
}

hcc_status_t hcc_tensor_read(const hcc_tensor_t *t, void *dst,
                             size_t size_bytes) {
  return guarded([&] {
    HCC_RETURN_IF_ERROR(checkCopy(t, dst, size_bytes, "hcc_tensor_read"));
    if (!t->device) {
      if (size_bytes)
        std::memcpy(dst, t->data, size_bytes);
      return Status::ok();
    }
    return waitForCopy([&](Completion done) {
      t->device->download(t->memory, dst, size_bytes, std::move(done));
    });
  });
}

const char *hcc_tensor_device(const hcc_tensor_t *t) {
  return t && t->device ? t->device->kind() : "cpu";
}
