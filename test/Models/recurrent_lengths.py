#!/usr/bin/env python3
"""Checks LSTM, GRU and RNN with per-batch sequence_lens against ONNX Runtime.

Steps past a batch entry's length must leave its state unchanged and write
zeros to Y; the reverse direction starts at the entry's last valid step.
Each cell type runs forward, reverse and bidirectional on random weights
with lengths shorter than, and equal to, the sequence, given at run time.

Needs onnx and onnxruntime (.venv-onnx).
usage: recurrent_lengths.py BIN_DIR WORK_DIR
Prints `N passed, N failed` last.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

SEQ, BATCH, INPUT, HIDDEN = 5, 3, 4, 6
GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}


def model(op, direction, rng):
    d = 2 if direction == "bidirectional" else 1
    g = GATES[op]
    weights = [
        numpy_helper.from_array(
            rng.standard_normal(shape).astype(np.float32), name)
        for name, shape in (("W", (d, g * HIDDEN, INPUT)),
                            ("R", (d, g * HIDDEN, HIDDEN)),
                            ("B", (d, 2 * g * HIDDEN)))]
    outs = ["Y", "Y_h"] + (["Y_c"] if op == "LSTM" else [])
    node = helper.make_node(op, ["X", "W", "R", "B", "L"], outs,
                            hidden_size=HIDDEN, direction=direction)
    graph = helper.make_graph(
        [node], "g",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                       [SEQ, BATCH, INPUT]),
         helper.make_tensor_value_info("L", TensorProto.INT32, [BATCH])],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, None)
         for o in outs], initializer=weights)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)],
                          ir_version=8)
    return onnx.shape_inference.infer_shapes(m)


def check(bindir, work, op, direction, lens, rng):
    m = model(op, direction, rng)
    path = os.path.join(work, "%s_%s.onnx" % (op, direction))
    onnx.save(m, path)
    x = rng.standard_normal((SEQ, BATCH, INPUT)).astype(np.float32)
    ref = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(
        None, {"X": x, "L": lens})
    xs, ls = os.path.join(work, "x.npy"), os.path.join(work, "l.npy")
    np.save(xs, x)
    np.save(ls, lens)
    bundle = path + ".hccb"
    out = os.path.join(work, "out")
    for cmd in ([os.path.join(bindir, "hcc-compile"), path, "-o", bundle],
                [os.path.join(bindir, "hcc-run"), bundle, xs, ls, "-o", out]):
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            return "%s failed: %s" % (os.path.basename(cmd[0]),
                                      p.stderr.strip()[-300:])
    got = [np.load(os.path.join(out, "output_%d.npy" % i))
           for i in range(len(ref))]
    err = max(float(np.max(np.abs(a - b))) for a, b in zip(got, ref))
    return None if err < 1e-4 else "max error %.2e" % err


def main():
    bindir, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(0)
    passed = failed = 0
    for lens in (np.array([5, 2, 3], np.int32), np.array([5, 5, 5], np.int32)):
        for op in GATES:
            for direction in ("forward", "reverse", "bidirectional"):
                error = check(bindir, work, op, direction, lens, rng)
                print("%s %s lengths %s: %s" % (op, direction, lens.tolist(),
                                                error or "ok"))
                passed += error is None
                failed += error is not None
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
