//===- Session.h - A runtime session as a Python object ---------*- C++ -*-===//
//
// hcc._hcc.Session: a loaded bundle and its session (the C ABI's
// hcc_model_t and hcc_session_t), run with numpy arrays: inputs that are
// C-contiguous and aligned are passed without a copy, outputs are the
// runtime's tensors seen as arrays (or the caller's arrays, written in
// place). hcc._hcc.Run: a run in flight (run_async).
//
//===----------------------------------------------------------------------===//
#ifndef HCC_PYTHON_SESSION_H
#define HCC_PYTHON_SESSION_H

#include <pybind11/pybind11.h>

namespace hcc {
namespace python {

/// Defines Session, Run and devices() in `m`.
void bindRuntime(pybind11::module_ &m);

} // namespace python
} // namespace hcc

#endif // HCC_PYTHON_SESSION_H
