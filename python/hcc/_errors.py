"""The exceptions hcc raises: one base class, HccError, whose subclasses
say what went wrong (and which built-in exception it also is, so that
`except ValueError` catches a wrong input as it does for numpy)."""


class HccError(RuntimeError):
    """An hcc call failed. `status` names the runtime's status code
    ("HCC_ERROR_IO") or, for the compiler, "compile"."""

    def __init__(self, message, status="HCC_ERROR_INTERNAL"):
        super().__init__(message)
        self.status = status


class CompileError(HccError):
    """The compiler rejected the model or the options. The message is the
    compiler's diagnostic, naming the ONNX node or the file; `diagnostics`
    holds every line it printed (warnings and notes too)."""

    def __init__(self, message, diagnostics=()):
        super().__init__(message, "compile")
        self.diagnostics = list(diagnostics)


class InvalidArgument(HccError, ValueError):
    """A wrong input: count, dtype, shape, a released session, a bad option."""


class BundleError(HccError):
    """A file that is not a bundle this runtime reads."""


class IOFailure(HccError, OSError):
    """A file could not be read or written."""


class DeviceError(HccError):
    """A device failed (HCC_ERROR_DEVICE: the session stays usable) or is
    gone (HCC_ERROR_DEVICE_LOST: create a new session)."""


_BY_STATUS = {
    "HCC_ERROR_INVALID_ARGUMENT": InvalidArgument,
    "HCC_ERROR_SHAPE_MISMATCH": InvalidArgument,
    "HCC_ERROR_DTYPE_MISMATCH": InvalidArgument,
    "HCC_ERROR_INVALID_BUNDLE": BundleError,
    "HCC_ERROR_VERSION_MISMATCH": BundleError,
    "HCC_ERROR_IO": IOFailure,
    "HCC_ERROR_DEVICE": DeviceError,
    "HCC_ERROR_DEVICE_LOST": DeviceError,
}


def _from_status(status, message):
    """The exception for a runtime status name and its message (called by
    the extension module)."""
    return _BY_STATUS.get(status, HccError)(message, status)
