//===- Module.cpp - hcc._hcc: the compiler and the runtime for Python -----===//
//
// The extension module the hcc package is built on: compile() runs the
// compiler library (hcc::driver::compile) in this process, without the
// GIL; Session and devices() are the runtime's C ABI (Session.cpp).
//
//===----------------------------------------------------------------------===//

#include "Errors.h"
#include "Session.h"

#include "hcc/Driver/Compile.h"

#include <pybind11/stl.h>

#include <mutex>

namespace hcc {
namespace python {
namespace {

/// Compiles as hcc-compile does; (ok, what --emit printed, the
/// diagnostics, one per line). Compiles are serialized: the targets'
/// registration and LLVM's initialization are process-wide.
py::tuple
compile(const std::string &inputPath, std::optional<py::bytes> bytes,
        const std::string &output, const std::vector<std::string> &targets,
        const std::string &placement, const std::string &placementStrategy,
        const std::string &costModel, const std::string &tuningLog,
        const std::string &objective,
        const std::vector<std::string> &targetConfigs,
        const std::vector<std::string> &dumpPlacement,
        const std::vector<std::string> &dims, unsigned optLevel,
        const std::string &precision, bool parallel, const std::string &emit) {
  driver::CompileOptions options;
  options.tool = "hcc.compile";
  options.inputPath = inputPath;
  if (bytes)
    options.modelBytes = std::string(*bytes);
  options.outputPath = output;
  options.targets = targets;
  options.placement = placement;
  options.placementStrategy = placementStrategy;
  options.costModel = costModel;
  options.tuningLog = tuningLog;
  options.objective = objective;
  options.targetConfigs = targetConfigs;
  options.dumpPlacement = dumpPlacement;
  options.dims = dims;
  options.optLevel = optLevel;
  options.precision = precision;
  options.parallel = parallel;
  if (emit == "graph")
    options.emit = driver::Emit::Graph;
  else if (emit == "placed")
    options.emit = driver::Emit::Placed;
  else if (emit == "codegen")
    options.emit = driver::Emit::Codegen;
  else if (emit != "bundle")
    raiseInvalid(
        "emit must be 'bundle', 'graph', 'placed' or 'codegen', not '" + emit +
        "'");
  std::string out, diagnostics;
  bool ok;
  {
    py::gil_scoped_release release;
    static std::mutex mu;
    std::lock_guard<std::mutex> lock(mu);
    llvm::raw_string_ostream outStream(out), diagStream(diagnostics);
    ok = driver::compile(options, outStream, diagStream);
  }
  return py::make_tuple(ok, py::bytes(out), py::bytes(diagnostics));
}

} // namespace
} // namespace python
} // namespace hcc

PYBIND11_MODULE(_hcc, m) {
  namespace py = pybind11;
  m.doc() = "hcc's compiler and runtime (use the hcc package)";
  m.def("compile", &hcc::python::compile, py::arg("input_path"),
        py::arg("model_bytes"), py::arg("output"), py::arg("targets"),
        py::arg("placement"), py::arg("placement_strategy"),
        py::arg("cost_model"), py::arg("tuning_log"), py::arg("objective"),
        py::arg("target_configs"), py::arg("dump_placement"), py::arg("dims"),
        py::arg("opt_level"), py::arg("precision"), py::arg("parallel"),
        py::arg("emit"));
  hcc::python::bindRuntime(m);
}
