"""Class 2: small files that describe huge work. Each must be refused at
once by a budget or a size check with one message, not compiled for
minutes or until memory runs out."""
import os

import numpy as np
from onnx import TensorProto, helper

from common import Case, f32, save_model


def _text(path, body, inputs="float[4] X", outputs="float[4] Y"):
    with open(path, "w") as f:
        f.write('<\n ir_version: 8,\n opset_import: ["" : 17]\n>\n'
                "g (%s) => (%s)\n{\n%s\n}\n" % (inputs, outputs, body))


def _tensor(name, dims, raw):
    """A float initializer as written, unchecked (helper.make_tensor would
    refuse these)."""
    t = TensorProto()
    t.name, t.data_type = name, TensorProto.FLOAT
    t.dims.extend(dims)
    t.raw_data = raw
    return t


def _models(work):
    """(name, path, extra hcc-compile flags, expected message part)."""
    out = []

    def add(name, flags=(), expect=""):
        out.append((name, os.path.join(work, name), list(flags), expect))
        return out[-1][1]
    # The memory budget is an address-space limit, which ASan cannot run
    # under (it reserves terabytes): that case is skipped there.

    n = 20000
    _text(add("concat-20000-inputs.onnxtxt", expect="--max-node-inputs"),
          "\n".join(" r%d = Relu(X)" % i for i in range(n)) +
          "\n Y = Concat<axis=0>(%s)" % ", ".join("r%d" % i for i in range(n)),
          outputs="float[%d] Y" % (4 * n))
    # 260,000 nodes, over the default node budget, in a 5 MB protobuf.
    nodes = [helper.make_node("Neg", ["x" if i == 0 else "t%d" % (i - 1)],
                              ["y" if i == 259999 else "t%d" % i])
             for i in range(260000)]
    save_model(add("chain-260000-nodes.onnx", expect="--max-nodes"), nodes,
               [f32("x", [4])], [f32("y", [4])])
    _text(add("chain-over-small-budget.onnxtxt", ["--max-nodes=100"],
              "--max-nodes"),
          "\n".join(" t%d = Neg(%s)" % (i, "X" if i == 0 else "t%d" % (i - 1))
                    for i in range(200)) + "\n Y = Identity(t199)")
    _text(add("sum-5000-inputs-over-budget.onnxtxt",
              ["--max-node-inputs=1000"], "--max-node-inputs"),
          " Y = Sum(%s)" % ", ".join(["X"] * 5000))
    # An initializer that says 2^62 elements and brings none.
    big = _tensor("w", [1 << 31, 1 << 31], b"")
    save_model(add("initializer-2to62-elements.onnx"),
               [helper.make_node("Add", ["x", "w"], ["y"])],
               [f32("x", [4])], [f32("y", [4])], [big])
    short = _tensor("w", [1 << 20], np.zeros(4, np.float32).tobytes())
    save_model(add("initializer-data-shorter-than-dims.onnx"),
               [helper.make_node("Add", ["x", "w"], ["y"])],
               [f32("x", [4])], [f32("y", [4])], [short])
    many = [helper.make_tensor("w%d" % i, TensorProto.FLOAT, [1 << 16],
                               np.zeros(1 << 16, np.float32).tobytes(),
                               raw=True) for i in range(8)]
    save_model(add("constants-over-budget.onnx", ["--max-constant-bytes=1000000"],
                   "--max-constant-bytes"),
               [helper.make_node("Sum", ["x"] + ["w%d" % i for i in range(8)],
                                 ["y"])],
               [f32("x", [1 << 16])], [f32("y", [1 << 16])], many)
    _text(add("memory-budget-50mb.onnxtxt", ["--max-memory-mb=50"],
              "--max-memory-mb"),
          " A = MatMul(X, X)\n Y = Relu(A)", "float[64, 64] X",
          "float[64, 64] Y")
    _text(add("constant-of-shape-2to64.onnxtxt"),
          " S = Constant<value = int64[2] {4294967296, 4294967296}>()\n"
          " Y = ConstantOfShape(S)", "float[4] X", "float[?, ?] Y")
    _text(add("reshape-to-2to62.onnxtxt"),
          " S = Constant<value = int64[2] {2147483648, 2147483648}>()\n"
          " Y = Reshape(X, S)", "float[4] X", "float[?, ?] Y")
    _text(add("expand-scalar-to-2to64.onnxtxt"),
          " S = Constant<value = int64[2] {4294967296, 4294967296}>()\n"
          " Y = Expand(X, S)", "float[1] X", "float[?, ?] Y")
    _text(add("tile-repeats-2to62.onnxtxt"),
          " R = Constant<value = int64[1] {4611686018427387904}>()\n"
          " Y = Tile(X, R)", "float[4] X", "float[?] Y")
    _text(add("range-2to41-elements.onnxtxt"),
          " A = Constant<value = float {0}>()\n"
          " B = Constant<value = float {2199023255552}>()\n"
          " D = Constant<value = float {1}>()\n"
          " Y = Range(A, B, D)", "float[4] X", "float[?] Y")
    _text(add("pad-2to40.onnxtxt"),
          " P = Constant<value = int64[2] {0, 1099511627776}>()\n"
          " Y = Pad(X, P)", "float[4] X", "float[?] Y")
    _text(add("input-dims-2to63.onnxtxt"), " Y = Relu(X)",
          "float[9223372036854775807] X", "float[9223372036854775807] Y")
    _text(add("deep-if-nesting-text.onnxtxt"),
          " Y = If(C) <then_branch = g () => (float[4] t) {" * 3000 +
          "t = Relu(X)" + "}>" * 3000, "bool C, float[4] X")
    # The protobuf form: 100,000 nested lists in one attribute.
    with open(add("deep-protobuf-nesting.onnx"), "wb") as f:
        f.write(b"\x3a" + b"\x80\x80\x80\x01\x0a" * 1 + b"\x0a" * 100000)
    return out


def cases(tools, work):
    out = []
    for name, path, flags, expect in _models(work):
        out.append(Case(2, "budget/" + name,
                        [tools["hcc-compile"], path] + flags +
                        ["-o", "{out}/m.hccb"], expect,
                        sanitized="--max-memory-mb" not in expect))
    # The importer alone (hcc-translate) on two of them.
    for name in ("chain-260000-nodes.onnx", "concat-20000-inputs.onnxtxt"):
        out.append(Case(2, "budget/translate-" + name,
                        [tools["hcc-translate"], "--import-onnx",
                         os.path.join(work, name), "-o", "{out}/m.mlir"],
                        "--onnx-max-"))
    return out
