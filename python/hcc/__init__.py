"""hcc: compile ONNX models for the compute a machine has, and run them.

    import hcc
    hcc.compile("model.onnx", targets=["cpu"], output="model.hccb")
    sess = hcc.Session("model.hccb", threads=2)
    (y,) = sess.run({"x": x})

See docs/Python.md.
"""

import ctypes as _ctypes
import glob as _glob
import os as _os

# The runtime's shared library first, RTLD_GLOBAL: the kernels it loads
# bind to the symbols it exports (Python loads _hcc RTLD_LOCAL).
for _lib in _glob.glob(_os.path.join(_os.path.dirname(__file__),
                                     "libhcc_runtime.so*")):
    _ctypes.CDLL(_lib, mode=_os.RTLD_GLOBAL | _os.RTLD_NOW)
    break

from ._errors import (BundleError, CompileError, DeviceError, HccError,
                      InvalidArgument, IOFailure)
from ._compile import CompileWarning, compile
from ._session import (Device, KernelRecord, MemoryStats, Session, ValueInfo,
                       devices)
from ._placement import placement, placement_svg
from ._hcc import runtime_version

__version__ = runtime_version()

__all__ = [
    "compile", "CompileWarning", "Session", "devices", "placement", "placement_svg",
    "ValueInfo", "KernelRecord", "MemoryStats", "Device",
    "HccError", "CompileError", "InvalidArgument", "BundleError", "IOFailure",
    "DeviceError",
]
