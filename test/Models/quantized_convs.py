#!/usr/bin/env python3
"""Checks integer convolutions against ONNX Runtime across shapes.

QLinearConv and ConvInteger with uint8 and int8 activations, per-tensor and
per-channel weight scales, biases, pads, strides, dilations, 1x1 to 7x7
kernels, channel counts and pixel counts that are not multiples of the
register tiles (3 or 5 input channels, 6 or 10 output channels, 7x7 and
5x9 outputs), batch 2, and a QDQ convolution (DequantizeLinear -> Conv ->
QuantizeLinear, which hcc runs as QLinearConv). Integer results must equal
an exact reference (numpy, int64 accumulators); requantized ones may differ
by one step from it (f32 scales: a tie may round either way). ONNX
Runtime's results are not the reference: its u8 x s8 kernels add product
pairs in int16 with saturation on AVX2 processors without VNNI (off by up
to 127 steps here); the models are still checked to load and run in it.

Needs onnx and onnxruntime (.venv-onnx).
usage: quantized_convs.py BIN_DIR WORK_DIR
Prints `N passed, N failed` last.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

# name, N, C, H, W, M, kernel, stride, pad, dilation, signed x
CASES = [
    ("3x3_pad", 1, 16, 14, 14, 32, 3, 1, 1, 1, False),
    ("3x3_stride2", 1, 8, 15, 15, 16, 3, 2, 1, 1, False),
    ("1x1", 2, 32, 7, 7, 10, 1, 1, 0, 1, False),
    ("7x7_stride2_c3", 1, 3, 32, 32, 8, 7, 2, 3, 1, False),
    ("5x5_c5_m6", 1, 5, 9, 13, 6, 5, 1, 0, 1, True),
    ("3x3_dilated", 1, 4, 12, 12, 4, 3, 1, 2, 2, True),
    ("1x1_stride2_signed", 1, 12, 10, 18, 20, 1, 2, 0, 1, True),
]


def tensor(name, array):
    return numpy_helper.from_array(array, name)


def qlinear_model(case, rng, per_channel):
    name, n, c, h, w, m, k, s, p, d, signed = case
    xtype = np.int8 if signed else np.uint8
    wq = rng.integers(-127, 128, (m, c, k, k)).astype(np.int8)
    ws = (rng.random(m if per_channel else 1) * 0.02 + 0.005).astype(
        np.float32)
    inits = [tensor("xs", np.array(0.05, np.float32)),
             tensor("xz", np.array(-3 if signed else 120, xtype)),
             tensor("w", wq),
             tensor("ws", ws if per_channel else ws.reshape(())),
             tensor("wz", np.zeros(m if per_channel else (), np.int8)),
             tensor("ys", np.array(0.4, np.float32)),
             tensor("yz", np.array(5 if signed else 128, xtype)),
             tensor("b", rng.integers(-2000, 2000, m).astype(np.int32))]
    node = helper.make_node(
        "QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"],
        ["y"], pads=[p] * 4, strides=[s, s], dilations=[d, d])
    elem = TensorProto.INT8 if signed else TensorProto.UINT8
    return node, inits, elem, elem, xtype


def convinteger_model(case, rng):
    name, n, c, h, w, m, k, s, p, d, signed = case
    xtype = np.int8 if signed else np.uint8
    inits = [tensor("w", rng.integers(-127, 128, (m, c, k, k)).astype(
                 np.int8)),
             tensor("xz", np.array(-7 if signed else 17, xtype))]
    node = helper.make_node("ConvInteger", ["x", "w", "xz"], ["y"],
                            pads=[p] * 4, strides=[s, s], dilations=[d, d])
    elem = TensorProto.INT8 if signed else TensorProto.UINT8
    return node, inits, elem, TensorProto.INT32, xtype


def qdq_model(case, rng):
    name, n, c, h, w, m, k, s, p, d, signed = case
    xtype = np.int8 if signed else np.uint8
    elem = TensorProto.INT8 if signed else TensorProto.UINT8
    xs, ws = np.float32(0.05), (rng.random(m) * 0.02 + 0.005).astype(
        np.float32)
    inits = [tensor("xs", np.array(xs, np.float32)),
             tensor("xz", np.array(-3 if signed else 120, xtype)),
             tensor("wq", rng.integers(-127, 128, (m, c, k, k)).astype(
                 np.int8)),
             tensor("ws", ws), tensor("wz", np.zeros(m, np.int8)),
             tensor("bq", rng.integers(-2000, 2000, m).astype(np.int32)),
             tensor("bs", (xs * ws).astype(np.float32)),
             tensor("ys", np.array(0.4, np.float32)),
             tensor("yz", np.array(5 if signed else 128, xtype))]
    nodes = [helper.make_node("DequantizeLinear", ["x", "xs", "xz"], ["xf"]),
             helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wf"],
                              axis=0),
             helper.make_node("DequantizeLinear", ["bq", "bs"], ["bf"],
                              axis=0),
             helper.make_node("Conv", ["xf", "wf", "bf"], ["yf"],
                              pads=[p] * 4, strides=[s, s], dilations=[d, d]),
             helper.make_node("QuantizeLinear", ["yf", "ys", "yz"], ["y"])]
    return nodes, inits, elem, elem, xtype


def reference(case, values, x, integer):
    """The exact result: int64 accumulators of (x - xz) * (w - wz) plus the
    integer bias, then (unless `integer`) requantized in float64 with
    round-half-even, as the operators define it."""
    name, n, c, h, w, m, k, s, p, d, signed = case
    wq = values["w"] if "w" in values else values["wq"]
    wz = values.get("wz", np.zeros(()))
    wz = wz.reshape(-1, 1, 1, 1) if wz.ndim else wz
    weights = wq.astype(np.int64) - wz.astype(np.int64)
    xp = np.pad(x.astype(np.int64) - np.int64(values["xz"]),
                ((0, 0), (0, 0), (p, p), (p, p)))
    oh = (h + 2 * p - d * (k - 1) - 1) // s + 1
    ow = (w + 2 * p - d * (k - 1) - 1) // s + 1
    acc = np.zeros((n, m, oh, ow), np.int64)
    for i in range(k):
        for j in range(k):
            patch = xp[:, :, i * d:i * d + s * (oh - 1) + 1:s,
                       j * d:j * d + s * (ow - 1) + 1:s]
            acc += np.einsum("nchw,mc->nmhw", patch, weights[:, :, i, j])
    if integer:
        return acc
    bias = values["b"] if "b" in values else values["bq"]
    acc += bias.astype(np.int64).reshape(1, -1, 1, 1)
    ws = values["ws"].astype(np.float64)
    scale = (np.float64(values["xs"]) * (ws.reshape(-1, 1, 1) if ws.ndim
                                         else ws) / np.float64(values["ys"]))
    info = np.iinfo(np.int8 if signed else np.uint8)
    y = np.round(acc * scale) + np.int64(values["yz"])
    return np.clip(y, info.min, info.max)


def check(bindir, work, tag, case, nodes, inits, in_elem, out_elem, xtype,
          rng):
    name, n, c, h, w = case[:5]
    graph = helper.make_graph(
        nodes if isinstance(nodes, list) else [nodes], tag,
        [helper.make_tensor_value_info("x", in_elem, [n, c, h, w])],
        [helper.make_tensor_value_info("y", out_elem, None)], inits)
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 13)], ir_version=8)
    path = os.path.join(work, tag + ".onnx")
    onnx.save(model, path)
    info = np.iinfo(xtype)
    x = rng.integers(info.min, info.max + 1, (n, c, h, w)).astype(xtype)
    ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(
        None, {"x": x})
    ref = reference(case, {i.name: numpy_helper.to_array(i) for i in inits},
                    x, out_elem == TensorProto.INT32)
    xp, bundle = os.path.join(work, tag + "_x.npy"), path + ".hccb"
    out = os.path.join(work, tag + "_out")
    np.save(xp, x)
    for cmd in ([os.path.join(bindir, "hcc-compile"), path, "-o", bundle],
                [os.path.join(bindir, "hcc-run"), bundle, xp, "-o", out]):
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            return "%s failed: %s" % (os.path.basename(cmd[0]),
                                      p.stderr.strip()[-300:])
    got = np.load(os.path.join(out, "output_0.npy"))
    if got.shape != ref.shape:
        return "shape %s, want %s" % (got.shape, ref.shape)
    diff = int(np.max(np.abs(got.astype(np.int64) - ref.astype(np.int64))))
    allowed = 0 if out_elem == TensorProto.INT32 else 1
    return None if diff <= allowed else "differs by up to %d" % diff


def main():
    bindir, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(0)
    passed = failed = 0
    for case in CASES:
        variants = [("qlinear_per_tensor", qlinear_model(case, rng, False)),
                    ("qlinear_per_channel", qlinear_model(case, rng, True)),
                    ("convinteger", convinteger_model(case, rng)),
                    ("qdq", qdq_model(case, rng))]
        for kind, model in variants:
            tag = "%s_%s" % (case[0], kind)
            error = check(bindir, work, tag, case, *model, rng)
            print("%s: %s" % (tag, error or "ok"))
            passed += error is None
            failed += error is not None
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
