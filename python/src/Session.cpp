//===- Session.cpp - A runtime session as a Python object -----------------===//

#include "Session.h"
#include "Errors.h"

#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <vector>

namespace hcc {
namespace python {
namespace {

struct TensorDeleter {
  void operator()(hcc_tensor_t *t) const { hcc_tensor_release(t); }
};
using TensorPtr = std::unique_ptr<hcc_tensor_t, TensorDeleter>;

/// Loads a bundle: `source` is its bytes or its path.
hcc_model_t *loadModel(const py::object &source) {
  hcc_model_t *model = nullptr;
  hcc_status_t st;
  if (py::isinstance<py::bytes>(source)) {
    std::string_view bytes = py::cast<std::string_view>(source);
    py::gil_scoped_release release;
    st = hcc_model_load_memory(bytes.data(), bytes.size(), &model);
  } else {
    std::string path = py::cast<std::string>(py::str(source));
    py::gil_scoped_release release;
    st = hcc_model_load_file(path.c_str(), &model);
  }
  check(st);
  return model;
}

/// One graph input or output, as Session.inputs and Session.outputs list it.
py::tuple valueInfo(const hcc_value_info_t &info) {
  py::list shape, names;
  for (size_t d = 0; d < info.rank; ++d) {
    shape.append(info.dims[d]);
    names.append(info.dim_names[d]);
  }
  return py::make_tuple(info.name, numpyDtype(info.dtype),
                        hcc_dtype_name(info.dtype), py::tuple(shape),
                        py::tuple(names));
}

/// What a run binds: the tensors (wrapping the arrays) and the arrays
/// they wrap, kept alive until the run is over.
struct Binding {
  std::vector<TensorPtr> inputs;
  std::vector<hcc_tensor_t *> inputPtrs;
  std::vector<hcc_tensor_t *> outputs; // owned by `owned` or the caller
  std::vector<TensorPtr> owned;        // those the runtime creates
  std::vector<py::object> arrays;      // inputs (maybe copies) and `out`
  std::vector<py::object> given;       // per output: the caller's or None

  /// Takes ownership of the tensors the runtime created for the outputs
  /// the caller gave none for (also after a failed run).
  void adopt() {
    for (size_t i = 0; i < outputs.size(); ++i)
      if (given[i].is_none() && outputs[i] && !owned[i])
        owned[i].reset(outputs[i]);
  }

  /// The outputs as arrays (of `dtypes`): the caller's, or the runtime's
  /// tensors (each array owns its tensor).
  py::list results(const std::vector<py::dtype> &dtypes) {
    py::list list;
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (!given[i].is_none()) {
        list.append(given[i]);
        continue;
      }
      hcc_tensor_t *t = owned[i].release();
      py::capsule owner(t, [](void *p) {
        hcc_tensor_release(static_cast<hcc_tensor_t *>(p));
      });
      std::vector<py::ssize_t> shape(hcc_tensor_dims(t),
                                     hcc_tensor_dims(t) + hcc_tensor_rank(t));
      list.append(py::array(dtypes[i], shape, {}, hcc_tensor_data(t), owner));
    }
    return list;
  }
};

class Session;

/// A run in flight: its fence and what it binds.
class Run {
public:
  Run(std::shared_ptr<Session> session, std::unique_ptr<Binding> binding,
      hcc_fence_t *fence)
      : session(std::move(session)), binding(std::move(binding)), fence(fence) {
  }
  ~Run() {
    py::gil_scoped_release release;
    hcc_fence_release(fence);
  }
  bool done() const { return hcc_fence_is_done(fence) == 1; }
  /// Blocks (without the GIL) until the run is over; its outputs, or
  /// raises its error.
  py::object wait();

private:
  std::shared_ptr<Session> session;
  std::unique_ptr<Binding> binding;
  hcc_fence_t *fence;
  bool waited = false;
  hcc_status_t status = HCC_OK;
  std::string error;
  py::object results;
};

class Session : public std::enable_shared_from_this<Session> {
public:
  Session(py::object source, int threads, const py::dict &devices,
          const std::string &trace) {
    if (threads < 0)
      raiseInvalid("threads must be 0 (the machine's) or more, not " +
                   std::to_string(threads));
    // Owned here until the session exists: a failure releases them.
    std::unique_ptr<hcc_model_t, decltype(&hcc_model_release)> loaded(
        loadModel(source), hcc_model_release);
    hcc_session_options_t *options = nullptr;
    check(hcc_session_options_create(&options));
    std::unique_ptr<hcc_session_options_t,
                    decltype(&hcc_session_options_release)>
        holder(options, hcc_session_options_release);
    check(hcc_session_options_set_threads(options, threads));
    if (!trace.empty())
      check(hcc_session_options_set_trace_path(options, trace.c_str()));
    for (auto [kind, name] : devices)
      check(hcc_session_options_set_device(
          options, py::cast<std::string>(kind).c_str(),
          name.is_none() ? "" : py::cast<std::string>(name).c_str()));
    for (size_t i = 0; i < hcc_model_input_count(loaded.get()); ++i) {
      inputInfos.emplace_back();
      check(hcc_model_input_info(loaded.get(), i, &inputInfos.back()));
      inputDtypes.push_back(numpyDtype(inputInfos.back().dtype));
    }
    for (size_t i = 0; i < hcc_model_output_count(loaded.get()); ++i) {
      outputInfos.emplace_back();
      check(hcc_model_output_info(loaded.get(), i, &outputInfos.back()));
      outputDtypes.push_back(numpyDtype(outputInfos.back().dtype));
    }
    hcc_status_t st;
    {
      py::gil_scoped_release release;
      st = hcc_session_create(loaded.get(), options, &session);
    }
    check(st);
    model = loaded.release();
  }
  ~Session() { close(); }

  void close() {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(mu);
    hcc_session_release(session);
    session = nullptr;
    hcc_model_release(model);
    model = nullptr;
  }
  bool closed() const { return session == nullptr; }

  std::string name() const {
    live();
    return hcc_model_name(model);
  }
  py::list inputs() const { return infos(inputInfos); }
  /// The loaded bundle's manifest (JSON bytes).
  py::bytes manifestJson() const {
    live();
    const char *json = nullptr;
    size_t size = 0;
    check(hcc_model_manifest(model, &json, &size));
    return py::bytes(json, size);
  }
  py::list outputs() const { return infos(outputInfos); }

  py::list run(const py::list &inputs, const py::list &out) {
    std::unique_ptr<Binding> b = bind(inputs, out);
    check(start(*b, [&] {
      return hcc_session_run(session, b->inputPtrs.data(), b->inputPtrs.size(),
                             b->outputs.data(), b->outputs.size());
    }));
    return b->results(outputDtypes);
  }

  std::shared_ptr<Run> runAsync(const py::list &inputs, const py::list &out) {
    std::unique_ptr<Binding> b = bind(inputs, out);
    hcc_fence_t *fence = nullptr;
    check(start(*b, [&] {
      return hcc_session_run_async(session, b->inputPtrs.data(),
                                   b->inputPtrs.size(), b->outputs.data(),
                                   b->outputs.size(), &fence);
    }));
    return std::make_shared<Run>(shared_from_this(), std::move(b), fence);
  }

  /// The addresses a run of `inputs` would pass to the runtime: the
  /// arrays' own memory when they are C-contiguous and aligned, a copy's
  /// otherwise (how the tests check that inputs are not copied).
  py::list inputAddresses(const py::list &inputs) {
    std::unique_ptr<Binding> b = bind(inputs, py::list());
    py::list list;
    for (hcc_tensor_t *t : b->inputPtrs)
      list.append(reinterpret_cast<uintptr_t>(hcc_tensor_data(t)));
    return list;
  }

  py::dict memoryStats() const {
    live();
    hcc_memory_stats_t s;
    check(hcc_session_memory_stats(session, &s));
    py::dict d;
    d["arena_bytes"] = s.arena_bytes;
    d["live_peak_bytes"] = s.live_peak_bytes;
    d["intermediate_bytes"] = s.intermediate_bytes;
    d["weights_bytes"] = s.weights_bytes;
    return d;
  }

  /// (name, device, device_index, is_transfer, run, start_us,
  /// duration_us, thread, modelled_us or None) per kernel event from
  /// `first` on.
  py::list kernelEvents(size_t first) const {
    live();
    size_t count = 0;
    check(hcc_session_kernel_events(session, first, nullptr, 0, &count));
    std::vector<hcc_kernel_event_t> events(count);
    if (count)
      check(hcc_session_kernel_events(session, first, events.data(), count,
                                      &count));
    py::list list;
    for (size_t i = 0; i < count; ++i) {
      const hcc_kernel_event_t &e = events[i];
      list.append(py::make_tuple(
          e.name, e.device, e.device_index, e.is_transfer != 0, e.run,
          e.start_ns / 1e3, e.duration_ns / 1e3, e.thread,
          e.modelled_ns >= 0 ? py::object(py::float_(e.modelled_ns / 1e3))
                             : py::object(py::none())));
    }
    return list;
  }

  void writeTrace(const std::string &path) const {
    live();
    check(hcc_session_write_trace(session, path.c_str()));
  }

private:
  hcc_model_t *model = nullptr;
  hcc_session_t *session = nullptr;
  std::vector<hcc_value_info_t> inputInfos, outputInfos;
  std::vector<py::dtype> inputDtypes, outputDtypes;
  /// Serializes run() against close(): a session released by another
  /// thread while a run is starting is not used.
  std::mutex mu;

  /// Calls `call` (a run of `b`) without the GIL unless the session was
  /// closed meanwhile (then raises); its status.
  template <typename Call> hcc_status_t start(Binding &b, Call &&call) {
    hcc_status_t st = HCC_OK;
    bool open;
    {
      py::gil_scoped_release release;
      std::lock_guard<std::mutex> lock(mu);
      open = session != nullptr;
      if (open)
        st = call();
      b.adopt();
    }
    if (!open)
      raiseClosed();
    return st;
  }

  [[noreturn]] static void raiseClosed() {
    raiseInvalid("the session is closed");
  }
  void live() const {
    if (!session)
      raiseClosed();
  }

  py::list infos(const std::vector<hcc_value_info_t> &list) const {
    live();
    py::list result;
    for (const hcc_value_info_t &info : list)
      result.append(valueInfo(info));
    return result;
  }

  /// Checks and wraps the arrays of a run (the GIL held).
  std::unique_ptr<Binding> bind(const py::list &inputs, const py::list &out) {
    live();
    if (inputs.size() != inputInfos.size())
      raiseInvalid("the model takes " + std::to_string(inputInfos.size()) +
                   " inputs, got " + std::to_string(inputs.size()));
    if (!out.empty() && out.size() != outputInfos.size())
      raiseInvalid("the model has " + std::to_string(outputInfos.size()) +
                   " outputs; out= holds " + std::to_string(out.size()));
    auto b = std::make_unique<Binding>();
    for (size_t i = 0; i < inputs.size(); ++i) {
      const char *name = inputInfos[i].name;
      py::object obj = inputs[i];
      if (!py::isinstance<py::array>(obj))
        raiseInvalid(
            std::string("input '") + name +
            "': expected a numpy array (or a DLPack tensor), got " +
            py::cast<std::string>(py::str(obj.get_type().attr("__name__"))));
      py::array a = py::reinterpret_borrow<py::array>(obj);
      if (!sameDtype(a.dtype(), inputDtypes[i]))
        raiseInvalid(std::string("input '") + name + "': expected " +
                     hcc_dtype_name(inputInfos[i].dtype) + ", got " +
                     dtypeName(a.dtype()));
      // Zero-copy when C-contiguous and aligned; a copy otherwise.
      constexpr int kAligned = py::detail::npy_api::NPY_ARRAY_ALIGNED_;
      if (!(a.flags() & py::array::c_style) || !(a.flags() & kAligned))
        a = py::array::ensure(a, py::array::c_style | kAligned);
      b->inputs.push_back(wrap(a, inputInfos[i].dtype, name, "input"));
      b->inputPtrs.push_back(b->inputs.back().get());
      b->arrays.push_back(a);
    }
    b->outputs.assign(outputInfos.size(), nullptr);
    b->owned.resize(outputInfos.size());
    b->given.assign(outputInfos.size(), py::none());
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i].is_none())
        continue;
      const char *name = outputInfos[i].name;
      py::object obj = out[i];
      constexpr int kAligned = py::detail::npy_api::NPY_ARRAY_ALIGNED_;
      constexpr int kWriteable = py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
      if (!py::isinstance<py::array>(obj))
        raiseInvalid(std::string("out for output '") + name +
                     "': expected a numpy array");
      py::array a = py::reinterpret_borrow<py::array>(obj);
      if (!sameDtype(a.dtype(), outputDtypes[i]))
        raiseInvalid(std::string("out for output '") + name + "': expected " +
                     hcc_dtype_name(outputInfos[i].dtype) + ", got " +
                     dtypeName(a.dtype()));
      if (!(a.flags() & py::array::c_style) || !(a.flags() & kAligned) ||
          !(a.flags() & kWriteable))
        raiseInvalid(std::string("out for output '") + name +
                     "': the array must be C-contiguous, aligned and "
                     "writeable (it is written in place)");
      b->owned[i] = wrap(a, outputInfos[i].dtype, name, "output");
      b->outputs[i] = b->owned[i].get();
      b->arrays.push_back(a);
      b->given[i] = a;
    }
    return b;
  }

  /// A tensor over the memory of `a`, whose dtype holds `dtype` (checked).
  static TensorPtr wrap(py::array &a, hcc_dtype_t dtype, const char *name,
                        const char *what) {
    if (a.ndim() > HCC_MAX_TENSOR_RANK)
      raiseInvalid(std::string(what) + " '" + name + "': rank " +
                   std::to_string(a.ndim()) + " is more than " +
                   std::to_string(HCC_MAX_TENSOR_RANK));
    std::vector<int64_t> dims(a.shape(), a.shape() + a.ndim());
    hcc_tensor_t *t = nullptr;
    // An input may be read-only (np.from_dlpack's are): the runtime only
    // reads inputs; outputs were checked to be writeable.
    check(hcc_tensor_wrap(dtype, dims.data(), dims.size(),
                          const_cast<void *>(a.data()), a.nbytes(), &t));
    return TensorPtr(t);
  }
  friend class Run;
};

py::object Run::wait() {
  if (!waited) {
    {
      py::gil_scoped_release release;
      status = hcc_fence_wait(fence);
      if (status != HCC_OK)
        error = hcc_runtime_last_error();
    }
    waited = true;
  }
  if (status != HCC_OK)
    raiseStatus(status, error.empty() ? hcc_status_string(status) : error);
  if (!results)
    results = binding->results(session->outputDtypes);
  return results;
}

/// The manifest (JSON) of a bundle, a path or its bytes.
py::bytes manifest(py::object source) {
  hcc_model_t *model = loadModel(source);
  std::unique_ptr<hcc_model_t, decltype(&hcc_model_release)> holder(
      model, hcc_model_release);
  const char *json = nullptr;
  size_t size = 0;
  check(hcc_model_manifest(model, &json, &size));
  return py::bytes(json, size);
}

py::list devices() {
  size_t count = 0;
  check(hcc_device_count(&count));
  py::list list;
  for (size_t i = 0; i < count; ++i) {
    hcc_device_info_t d;
    check(hcc_device_info(i, &d));
    list.append(py::make_tuple(i, d.driver, d.name, d.vendor, d.version,
                               d.compute_units, d.memory_bytes));
  }
  return list;
}

} // namespace

void bindRuntime(py::module_ &m) {
  py::class_<Run, std::shared_ptr<Run>>(m, "Run",
                                        "A run in flight (Session.run_async)")
      .def("done", &Run::done, "Whether the run is over")
      .def("wait", &Run::wait,
           "Blocks until the run is over; its outputs, or raises its error");
  py::class_<Session, std::shared_ptr<Session>>(
      m, "Session", "A loaded bundle and its runtime session")
      .def(py::init<py::object, int, const py::dict &, const std::string &>(),
           py::arg("source"), py::arg("threads") = 0,
           py::arg("devices") = py::dict(), py::arg("trace") = "")
      .def("close", &Session::close)
      .def_property_readonly("closed", &Session::closed)
      .def_property_readonly("name", &Session::name)
      .def("inputs", &Session::inputs)
      .def("outputs", &Session::outputs)
      .def("manifest", &Session::manifestJson)
      .def("run", &Session::run, py::arg("inputs"), py::arg("out") = py::list())
      .def("run_async", &Session::runAsync, py::arg("inputs"),
           py::arg("out") = py::list())
      .def("input_addresses", &Session::inputAddresses, py::arg("inputs"))
      .def("memory_stats", &Session::memoryStats)
      .def("kernel_events", &Session::kernelEvents, py::arg("first") = 0)
      .def("write_trace", &Session::writeTrace, py::arg("path"));
  m.def("devices", &devices,
        "(index, driver, name, vendor, version, compute_units, "
        "memory_bytes) per device the runtime sees");
  m.def("manifest", &manifest, py::arg("bundle"),
        "The manifest (JSON bytes) of a bundle, a path or its bytes");
  m.def("runtime_version", [] { return std::string(hcc_runtime_version()); });
}

} // namespace python
} // namespace hcc
