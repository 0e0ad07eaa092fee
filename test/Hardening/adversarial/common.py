"""What the adversarial corpus's case generators share: the Case record,
a bundle reader/packer (docs/Bundle.md) that keeps CRCs valid, and small
ONNX models. Needs Debian's python3-onnx and numpy (/usr/bin/python3)."""
import json
import os
import struct
import zlib

import numpy as np
from onnx import TensorProto, helper

OPSET = 17


class Case:
    """One adversarial input: argv run in a fresh directory {out} (the
    string "{out}" in argv and env is replaced by it) that must hold nothing
    new afterwards: prepare(out) may create files there first, and `keep`
    names those. `expect` is a substring of the error; `cls` the issue's
    class (1-5)."""

    def __init__(self, cls, name, argv, expect="", env=None, prepare=None,
                 keep=(), check=None, sanitized=True):
        self.cls, self.name, self.argv, self.expect = cls, name, argv, expect
        self.env, self.prepare, self.keep = env or {}, prepare, set(keep)
        # check(out) -> "" or what went wrong, after the run.
        self.check = check
        # False: the case cannot hold under ASan (address-space limits).
        self.sanitized = sanitized


# ---- bundles ---------------------------------------------------------------

def read_bundle(path):
    """Returns (manifest dict, {target: code bytes}, weights bytes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"HCCBNDL\0", path
    count = struct.unpack_from("<I", data, 12)[0]
    manifest, code, weights = None, {}, b""
    for i in range(count):
        e = 64 + 64 * i
        kind, _, offset, size = struct.unpack_from("<IIQQ", data, e)
        name = data[e + 32:e + 64].rstrip(b"\0").decode()
        blob = data[offset:offset + size]
        if kind == 1:
            manifest = json.loads(blob)
        elif kind == 2:
            code[name] = blob
        else:
            weights = blob
    return manifest, code, weights


def pack_bundle(path, manifest, code, weights, raw_manifest=None):
    """Writes a bundle with valid CRCs; raw_manifest (bytes) replaces the
    JSON text of `manifest` when given."""
    text = raw_manifest if raw_manifest is not None else \
        json.dumps(manifest).encode()
    sections = [(1, "manifest", text, 8)]
    sections += [(2, name, blob, 64) for name, blob in code.items()]
    sections.append((3, "weights", weights, 4096))
    cursor = 64 + 64 * len(sections)
    offsets = []
    for _, _, blob, align in sections:
        cursor = (cursor + align - 1) // align * align
        offsets.append(cursor)
        cursor += len(blob)
    out = bytearray(cursor)
    out[:8] = b"HCCBNDL\0"
    struct.pack_into("<IIQ", out, 8, 1, len(sections), len(out))
    for i, (kind, name, blob, _) in enumerate(sections):
        e = 64 + 64 * i
        struct.pack_into("<IIQQI", out, e, kind, 0, offsets[i], len(blob),
                         zlib.crc32(blob) & 0xffffffff)
        out[e + 32:e + 32 + len(name)] = name.encode()
        out[offsets[i]:offsets[i] + len(blob)] = blob
    table = bytes(out[64:64 + 64 * len(sections)])
    struct.pack_into("<I", out, 24, zlib.crc32(table) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(out)


# ---- models ----------------------------------------------------------------

def save_model(path, nodes, inputs, outputs, initializers=(), opset=OPSET):
    graph = helper.make_graph(nodes, "g", inputs, outputs,
                              initializer=list(initializers))
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def two_output_model(path):
    """y0 = relu(x + w), y1 = max(x) with a weight w: two outputs, a
    weight and two kernels; the base of the damaged bundles."""
    n = 4096  # large enough to live in the weights blob, not in the code
    w = helper.make_tensor("w", TensorProto.FLOAT, [n],
                           np.linspace(-1, 1, n).astype(np.float32))
    nodes = [helper.make_node("Add", ["x", "w"], ["s"]),
             helper.make_node("Relu", ["s"], ["y0"]),
             helper.make_node("ReduceMax", ["x"], ["y1"])]
    save_model(path, nodes, [f32("x", [n])], [f32("y0", [n]), f32("y1", [1])],
               [w])


def save_npy(path, array):
    np.save(path, array)


def relu_bundle(tools, work):
    """A float[4] Relu model in ONNX text, its bundle and an input for it:
    (model, bundle, x.npy)."""
    import subprocess
    model = os.path.join(work, "relu.onnxtxt")
    with open(model, "w") as f:
        f.write('<\n ir_version: 8,\n opset_import: ["" : 17]\n>\n'
                "g (float[4] X) => (float[4] Y)\n{\n Y = Relu(X)\n}\n")
    bundle = os.path.join(work, "relu.hccb")
    subprocess.run([tools["hcc-compile"], model, "-O1", "-o", bundle],
                   check=True)
    x = os.path.join(work, "x.npy")
    save_npy(x, np.ones(4, np.float32))
    return model, bundle, x
