"""hcc.compile: the compiler (hcc-compile's library) in this process."""

import json
import os
import tempfile
import warnings

from . import _hcc
from ._errors import CompileError, InvalidArgument


class CompileWarning(UserWarning):
    """A warning of the compiler (a tuning log's skipped line, ...)."""


def _strings(value, what):
    if value is None:
        return []
    if isinstance(value, (str, bytes)):
        value = [value]
    try:
        items = list(value)
    except TypeError:
        raise InvalidArgument("%s must be a list of strings, not %s"
                              % (what, type(value).__name__)) from None
    for item in items:
        if not isinstance(item, str):
            raise InvalidArgument("%s must be a list of strings; it holds %r"
                                  % (what, item))
    return items


def _path(value, what):
    if value is None:
        return ""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise InvalidArgument("%s must be a path, not %s"
                              % (what, type(value).__name__))
    return value


def _target_configs(config):
    """{"opencl": {"vector-width": 8}} -> ["opencl:vector-width=8"]."""
    if config is None:
        return []
    if not isinstance(config, dict):
        raise InvalidArgument("target_config must be a dict of target name -> "
                              "{key: value}, not %s" % type(config).__name__)
    result = []
    for target, pairs in config.items():
        if not isinstance(pairs, dict) or not pairs:
            raise InvalidArgument("target_config[%r] must be a non-empty dict "
                                  "of key -> value" % (target,))
        result.append("%s:%s" % (target, ";".join(
            "%s=%s" % (k, v) for k, v in pairs.items())))
    return result


def _dims(dims):
    if dims is None:
        return []
    if not isinstance(dims, dict):
        raise InvalidArgument("dims must be a dict of name -> size, not %s"
                              % type(dims).__name__)
    result = []
    for name, size in dims.items():
        if not isinstance(name, str) or isinstance(size, bool) or \
                not isinstance(size, int) or size < 0:
            raise InvalidArgument("dims[%r] = %r: expected a name and a "
                                  "non-negative integer" % (name, size))
        result.append("%s=%d" % (name, size))
    return result


def _model(model):
    """(path for diagnostics, bytes or None) of a path, bytes or ModelProto."""
    if isinstance(model, (str, os.PathLike)):
        return os.fspath(model), None
    if isinstance(model, (bytes, bytearray, memoryview)):
        return "model.onnx", bytes(model)
    serialize = getattr(model, "SerializeToString", None)
    if callable(serialize):  # onnx.ModelProto
        name = getattr(getattr(model, "graph", None), "name", "") or "model"
        return name + ".onnx", serialize()
    raise InvalidArgument("model must be a path, bytes or an onnx.ModelProto, "
                          "not %s" % type(model).__name__)


def compile(model, *, targets=None, output=None, dims=None, placement=None,
            placement_strategy=None, tuning_log=None, cost_model=None,
            objective="latency", target_config=None, dump_placement=None,
            opt_level=3, precision="fp32", parallel=True, emit="bundle"):
    """Compiles an ONNX model into a bundle, as hcc-compile does.

    model: a path, the model's bytes, or an onnx.ModelProto.
    targets: ["cpu", "opencl", "fpga:u250", ...]; the first is every op's
        default (None: the host's).
    output: the bundle's path. None: next to a model given by path (its
        name with .hccb), and returned as bytes for a model given in memory.
    dims: {"N": 8}, values of symbolic dimensions (unset ones are 1).
    placement: "auto", a rules file, or the rules themselves
        ({"rules": [{"op": "Conv", "target": "opencl"}]}).
    tuning_log: a log written by hcc-tune; target_config:
        {"opencl": {"vector-width": 8}}; emit: "bundle", or "graph",
        "placed", "codegen" to get that phase's IR (a str) instead.

    Returns the bundle's path (or bytes, or the IR). Raises CompileError
    with the compiler's diagnostic (naming the node or the file); its
    warnings become CompileWarning warnings.
    """
    path, data = _model(model)
    if not isinstance(opt_level, int) or isinstance(opt_level, bool) or \
            not 0 <= opt_level <= 3:
        raise InvalidArgument("opt_level must be 0 to 3, not %r" % (opt_level,))
    out = _path(output, "output")
    temporary = None
    cleanup = []
    try:
        if emit == "bundle" and not out and data is not None:
            temporary = tempfile.mkdtemp(prefix="hcc-")
            out = os.path.join(temporary, "model.hccb")
        rules = placement
        if isinstance(placement, dict):
            fd, rules = tempfile.mkstemp(prefix="hcc-placement-",
                                         suffix=".json")
            cleanup.append(rules)
            with os.fdopen(fd, "w") as f:
                json.dump(placement, f)
        ok, printed, diagnostics = _hcc.compile(
            path, data, out, _strings(targets, "targets"),
            _path(rules, "placement"), placement_strategy or "",
            _path(cost_model, "cost_model"), _path(tuning_log, "tuning_log"),
            objective, _target_configs(target_config),
            [_path(p, "dump_placement") for p in
             _strings(dump_placement, "dump_placement")],
            _dims(dims), opt_level, precision, bool(parallel), emit)
        lines = diagnostics.decode("utf-8", "replace").splitlines()
        if not ok:
            errors = [l for l in lines if ": error: " in l]
            raise CompileError(errors[0] if errors else
                               "the compile failed" + (": " + lines[-1]
                                                       if lines else ""),
                               lines)
        for line in lines:
            if ": warning: " in line or line.startswith("hcc.compile: "):
                warnings.warn(line, CompileWarning, stacklevel=2)
        if emit != "bundle":
            return printed.decode("utf-8", "replace")
        if temporary is not None:
            with open(out, "rb") as f:
                return f.read()
        return out if out else os.path.splitext(path)[0] + ".hccb"
    finally:
        for p in cleanup:
            os.unlink(p)
        if temporary is not None:
            for name in os.listdir(temporary):
                os.unlink(os.path.join(temporary, name))
            os.rmdir(temporary)
