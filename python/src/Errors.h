//===- Errors.h - Runtime statuses and dtypes as Python sees them -*- C++ -*-=//
//
// A failing status becomes the exception hcc._errors._from_status builds
// (HccError and its subclasses); element types map to numpy dtypes.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_PYTHON_ERRORS_H
#define HCC_PYTHON_ERRORS_H

#include "hcc/runtime.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

namespace hcc {
namespace python {

namespace py = pybind11;

/// Raises the exception of `status` with `message` (the GIL held).
[[noreturn]] void raiseStatus(hcc_status_t status, const std::string &message);
/// Raises hcc.InvalidArgument with `message`.
[[noreturn]] void raiseInvalid(const std::string &message);
/// Raises for a failing status, with the runtime's message of this thread's
/// last call.
inline void check(hcc_status_t status) {
  if (status != HCC_OK)
    raiseStatus(status, hcc_runtime_last_error());
}

/// The numpy dtype that holds an element of `dtype` in memory: its own for
/// the types numpy has, the raw bits for the others (bfloat16: uint16; the
/// 8-bit floats and FLOAT4E2M1: uint8, their codes; INT4/INT2: int8,
/// UINT4/UINT2: uint8, one element per byte).
py::dtype numpyDtype(hcc_dtype_t dtype);
/// Whether `given` is exactly `expected` (kind, size, native byte order).
bool sameDtype(const py::dtype &given, const py::dtype &expected);
/// "float32", or numpy's name of a dtype hcc has no element type for.
std::string dtypeName(const py::dtype &dtype);

} // namespace python
} // namespace hcc

#endif // HCC_PYTHON_ERRORS_H
