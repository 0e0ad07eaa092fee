//===- Errors.cpp - Runtime statuses and dtypes as Python sees them -------===//

#include "Errors.h"

namespace hcc {
namespace python {

void raiseStatus(hcc_status_t status, const std::string &message) {
  py::object build = py::module_::import("hcc._errors").attr("_from_status");
  py::object error = build(hcc_status_string(status), message);
  PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(error.ptr())),
                  error.ptr());
  throw py::error_already_set();
}

void raiseInvalid(const std::string &message) {
  raiseStatus(HCC_ERROR_INVALID_ARGUMENT, message);
}

py::dtype numpyDtype(hcc_dtype_t dtype) {
  switch (dtype) {
  case HCC_DTYPE_FLOAT32:
    return py::dtype::of<float>();
  case HCC_DTYPE_FLOAT64:
    return py::dtype::of<double>();
  case HCC_DTYPE_FLOAT16:
    return py::dtype("float16");
  case HCC_DTYPE_BOOL:
    return py::dtype::of<bool>();
  case HCC_DTYPE_INT8:
  case HCC_DTYPE_INT4:
  case HCC_DTYPE_INT2:
    return py::dtype::of<int8_t>();
  case HCC_DTYPE_INT16:
    return py::dtype::of<int16_t>();
  case HCC_DTYPE_INT32:
    return py::dtype::of<int32_t>();
  case HCC_DTYPE_INT64:
    return py::dtype::of<int64_t>();
  case HCC_DTYPE_UINT16:
  case HCC_DTYPE_BFLOAT16:
    return py::dtype::of<uint16_t>();
  case HCC_DTYPE_UINT32:
    return py::dtype::of<uint32_t>();
  case HCC_DTYPE_UINT64:
    return py::dtype::of<uint64_t>();
  default: // UINT8, the 8-bit floats, FLOAT4E2M1, UINT4, UINT2
    return py::dtype::of<uint8_t>();
  }
}

namespace {
/// Whether the elements are in this machine's byte order ('=' native, '|'
/// not applicable, '<' or '>' explicit).
bool nativeOrder(const py::dtype &dtype) {
  char order = dtype.byteorder();
  constexpr char kNative =
      __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? '<' : '>';
  return order == '=' || order == '|' || order == kNative;
}
} // namespace

bool sameDtype(const py::dtype &given, const py::dtype &expected) {
  return given.kind() == expected.kind() &&
         given.itemsize() == expected.itemsize() && nativeOrder(given);
}

std::string dtypeName(const py::dtype &dtype) {
  return py::cast<std::string>(dtype.attr("name")) +
         (nativeOrder(dtype) ? "" : " (not this machine's byte order)");
}

} // namespace python
} // namespace hcc
