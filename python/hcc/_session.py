"""hcc.Session: a bundle loaded into the runtime, run with numpy arrays or
DLPack tensors (torch), as onnxruntime.InferenceSession is."""

import concurrent.futures
import json
import os
import threading
import warnings
from typing import NamedTuple, Optional, Tuple

import numpy as np

from . import _hcc
from ._errors import InvalidArgument


class ValueInfo(NamedTuple):
    """A graph input or output. `shape` holds the sizes the bundle was
    compiled for; `symbolic_shape` the dimension names where the model has
    them (as onnxruntime's NodeArg.shape)."""
    name: str
    dtype: np.dtype
    type: str  # hcc's element type: "float32", "bfloat16", ...
    shape: Tuple[int, ...]
    symbolic_shape: tuple


class KernelRecord(NamedTuple):
    """One kernel (or transfer between devices) a run executed."""
    name: str
    device: str        # the device kind: "cpu", "opencl", "cuda", "fpga"
    device_index: int  # the bundle's device slot (0: the host)
    transfer: bool
    run: int           # the session's run, from 0
    start_us: float    # since the session was created
    duration_us: float
    thread: int        # worker of the device's queue (-1: the device's)
    modelled_us: Optional[float]  # a model's time (FPGA boards), else None


class MemoryStats(NamedTuple):
    arena_bytes: int         # the planned arena of all intermediates
    live_peak_bytes: int     # the most live at once
    intermediate_bytes: int  # all intermediates, without reuse
    weights_bytes: int


class Device(NamedTuple):
    index: int
    driver: str  # "cpu", "opencl", "cuda", "fpga"
    name: str
    vendor: str
    version: str
    compute_units: int
    memory_bytes: int


def devices():
    """The devices the runtime sees (the host's CPU first)."""
    return [Device(*d) for d in _hcc.devices()]


def bundle_source(bundle):
    """A bundle as the extension takes it: its path (str) or its bytes."""
    if isinstance(bundle, os.PathLike):
        bundle = os.fspath(bundle)
    if isinstance(bundle, (bytearray, memoryview)):
        bundle = bytes(bundle)
    if not isinstance(bundle, (str, bytes)):
        raise InvalidArgument("bundle must be a path or bytes, not %s"
                              % type(bundle).__name__)
    return bundle


def _value_info(entry):
    name, dtype, type_name, shape, names = entry
    symbolic = tuple(n if n else s for s, n in zip(shape, names))
    return ValueInfo(name, dtype, type_name, shape, symbolic)


def _device_options(devices):
    """devices=["opencl"] / [("opencl", "NVIDIA")] / {"opencl": "NVIDIA"}
    -> {kind: name substring or None}."""
    if devices is None:
        return {}
    if isinstance(devices, dict):
        items = list(devices.items())
    elif isinstance(devices, (list, tuple)):
        items = []
        for d in devices:
            if isinstance(d, str):
                items.append((d, None))
            elif isinstance(d, (list, tuple)) and len(d) == 2:
                items.append(tuple(d))
            else:
                raise InvalidArgument(
                    "devices entries are a driver ('opencl') or (driver, "
                    "name substring), not %r" % (d,))
    else:
        raise InvalidArgument("devices must be a list or a dict, not %s"
                              % type(devices).__name__)
    for kind, name in items:
        if not isinstance(kind, str) or not (name is None or
                                             isinstance(name, str)):
            raise InvalidArgument("devices: %r -> %r is not a driver name and "
                                  "a name substring" % (kind, name))
    return dict(items)


def _warn_unused_devices(impl, devices):
    """A RuntimeWarning per devices= kind the bundle runs no kernels on (the
    option then does nothing)."""
    wanted = _device_options(devices)
    if not wanted:
        return
    manifest = json.loads(impl.manifest())
    kinds = [d.get("kind", "") for d in manifest.get("devices", [])]
    used = set()
    for k in manifest.get("kernels", []):
        for field in ("device", "from_device"):
            d = k.get(field)
            if isinstance(d, int) and 0 <= d < len(kinds):
                used.add(kinds[d])
    for kind in wanted:
        if kind not in used:
            warnings.warn("devices: %r has no effect: the bundle runs no "
                          "kernels on a %r device" % (kind, kind),
                          RuntimeWarning, stacklevel=3)


def _array(value, name):
    """An ndarray of `value`: itself, or a DLPack tensor's memory (no copy)."""
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "__dlpack__"):
        try:
            return np.from_dlpack(value)
        except (TypeError, RuntimeError, BufferError, ValueError) as e:
            raise InvalidArgument("input '%s': its DLPack tensor cannot be "
                                  "read on the host: %s" % (name, e)) from None
    if isinstance(value, (list, tuple, int, float, bool, np.generic)):
        return np.asarray(value)
    raise InvalidArgument("input '%s': expected a numpy array or a DLPack "
                          "tensor, got %s" % (name, type(value).__name__))


class Session:
    """A compiled bundle (a path or its bytes) loaded into the runtime.

    threads: worker threads (0: the machine's). devices: which device of a
    driver runs its kernels, ["opencl"] or {"opencl": "NVIDIA"} (a name
    substring). trace: a Chrome trace file written when the session closes.
    """

    def __init__(self, bundle, threads=0, devices=None, trace=None):
        bundle = bundle_source(bundle)
        if isinstance(threads, bool) or not isinstance(threads, int):
            raise InvalidArgument("threads must be an integer, not %r"
                                  % (threads,))
        if not 0 <= threads <= 4096:
            raise InvalidArgument("threads must be in [0, 4096] (0: the "
                                  "machine's), not %d" % threads)
        if trace is not None and not isinstance(trace, (str, os.PathLike)):
            raise InvalidArgument("trace must be a path")
        self._impl = _hcc.Session(bundle, threads, _device_options(devices),
                                  os.fspath(trace) if trace else "")
        _warn_unused_devices(self._impl, devices)
        self.inputs = [_value_info(v) for v in self._impl.inputs()]
        self.outputs = [_value_info(v) for v in self._impl.outputs()]
        self._input_index = {v.name: i for i, v in enumerate(self.inputs)}
        self._waiter = None
        self._lock = threading.Lock()

    # onnxruntime's spelling.
    def get_inputs(self):
        return self.inputs

    def get_outputs(self):
        return self.outputs

    @property
    def name(self):
        return self._impl.name

    @property
    def closed(self):
        return self._impl.closed

    def _bind(self, feeds, out):
        if isinstance(feeds, dict):
            unknown = [k for k in feeds if k not in self._input_index]
            if unknown:
                raise InvalidArgument(
                    "no input named %r (the model's inputs: %s)"
                    % (unknown[0], ", ".join(v.name for v in self.inputs)))
            missing = [v.name for v in self.inputs if v.name not in feeds]
            if missing:
                raise InvalidArgument("input '%s' is missing" % missing[0])
            arrays = [_array(feeds[v.name], v.name) for v in self.inputs]
        elif isinstance(feeds, (list, tuple)):
            names = [v.name for v in self.inputs]
            names += ["#%d" % i for i in range(len(names), len(feeds))]
            arrays = [_array(x, n) for x, n in zip(feeds, names)]
        else:
            raise InvalidArgument("inputs must be a dict of name -> array or "
                                  "a list in the model's order, not %s"
                                  % type(feeds).__name__)
        if out is None:
            out = []
        elif isinstance(out, np.ndarray):
            out = [out]
        elif not isinstance(out, (list, tuple)):
            raise InvalidArgument("out must be a list of arrays (or None per "
                                  "output)")
        return arrays, list(out)

    def run(self, inputs, output_names=None, *, out=None):
        """Runs the model: inputs as {name: array} (or a list in order);
        returns the outputs as a list of arrays (those of `output_names`
        only, if given, in that order). Inputs that are C-contiguous and
        aligned are read in place (others are copied); out=[array or None,
        ...] has outputs written into the caller's arrays. onnxruntime's
        run(output_names, feeds) order is accepted too."""
        if isinstance(inputs, (list, tuple, type(None))) and isinstance(
                output_names, dict):
            inputs, output_names = output_names, inputs  # ORT's order
        self._check_names(output_names)
        arrays, outs = self._bind(inputs, out)
        results = self._impl.run(arrays, outs)
        return self._select(results, output_names)

    def _check_names(self, output_names):
        """Rejects output_names that select nothing (before a run)."""
        if output_names is None:
            return
        if isinstance(output_names, (str, bytes)):
            raise InvalidArgument("output_names must be a list of names, "
                                  "not the string %r" % (output_names,))
        index = {v.name for v in self.outputs}
        for n in output_names:
            if n not in index:
                raise InvalidArgument("no output named %r" % (n,))

    def _select(self, results, output_names):
        if output_names is None:
            return results
        index = {v.name: i for i, v in enumerate(self.outputs)}
        return [results[index[n]] for n in output_names]

    def run_async(self, inputs, output_names=None, *, out=None):
        """Starts a run and returns a concurrent.futures.Future of its
        outputs. The inputs and out arrays must not change until it is
        done. Runs of one session run one after another."""
        self._check_names(output_names)
        arrays, outs = self._bind(inputs, out)
        run = self._impl.run_async(arrays, outs)
        with self._lock:
            if self._waiter is None:
                self._waiter = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="hcc-session")
            waiter = self._waiter
        return waiter.submit(lambda: self._select(run.wait(), output_names))

    def input_addresses(self, inputs):
        """The addresses a run of `inputs` (a list in order) would hand the
        runtime: the arrays' own when no copy is needed."""
        arrays, _ = self._bind(inputs, None)
        return self._impl.input_addresses(arrays)

    def profile(self, run=None):
        """Every kernel the runs executed so far (KernelRecord), or those
        of one run (its index, from 0)."""
        if run is not None and (isinstance(run, bool)
                                or not isinstance(run, int) or run < 0):
            raise InvalidArgument("run must be a run's index (0 or more), "
                                  "not %r" % (run,))
        records = [KernelRecord(*e) for e in self._impl.kernel_events(0)]
        if run is not None:
            records = [r for r in records if r.run == run]
        return records

    def write_trace(self, path):
        """Writes the runs so far as a Chrome trace (chrome://tracing)."""
        self._impl.write_trace(os.fspath(path))

    def memory_stats(self):
        return MemoryStats(**self._impl.memory_stats())

    def close(self):
        """Waits for runs in flight and releases the session (and the trace
        it was asked to write). Later calls raise InvalidArgument."""
        with self._lock:
            waiter, self._waiter = self._waiter, None
        if waiter is not None:
            waiter.shutdown(wait=True)
        self._impl.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        state = "closed" if self.closed else "%d inputs, %d outputs" % (
            len(self.inputs), len(self.outputs))
        return "<hcc.Session %s>" % state
