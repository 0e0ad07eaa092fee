#!/usr/bin/env python3
"""hcc's f32 convolutions against this core's measured FMA peak and against
ONNX Runtime, side by side in one run: one Conv node (weights constant,
bias, padding as in the models) per shape, for the convolution layers of
resnet18/50, mobilenet_v2, efficientnet_b0 and squeezenet. Columns as in
gemm.py; dense shapes below 30 % of the best dense shape's GFLOP/s are
flagged, depthwise ones slower than 0.85 of ONNX Runtime.

usage: bench/conv.py BIN_DIR [--threads 1] [--rounds 3] [--only NAME ...]
"""
import argparse
import os
import sys
import tempfile

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

from gemm import (HEADER, import_ort, measure, measured_peak, print_cliffs,
                  print_row)

# (name, C_in, H (=W), C_out, kernel, stride, groups)
SHAPES = [
    ("r18_conv1_7x7s2", 3, 224, 64, 7, 2, 1),
    ("mbv2_conv1_3x3s2", 3, 224, 32, 3, 2, 1),
    ("sq_conv1_3x3s2", 3, 224, 64, 3, 2, 1),
    ("r18_l1_3x3", 64, 56, 64, 3, 1, 1),
    ("r18_l2_3x3s2", 64, 56, 128, 3, 2, 1),
    ("r18_l2_3x3", 128, 28, 128, 3, 1, 1),
    ("r18_l3_3x3", 256, 14, 256, 3, 1, 1),
    ("r18_l4_3x3", 512, 7, 512, 3, 1, 1),
    ("r50_l1_1x1", 256, 56, 64, 1, 1, 1),
    ("mbv2_expand_1x1", 16, 112, 96, 1, 1, 1),
    ("r50_l3_1x1", 1024, 14, 256, 1, 1, 1),
    ("r50_l4_1x1", 512, 7, 2048, 1, 1, 1),
    ("mbv2_dw_3x3", 144, 56, 144, 3, 1, 144),
    ("mbv2_dw_3x3s2", 96, 112, 96, 3, 2, 96),
    ("mbv2_dw_3x3_14", 384, 14, 384, 3, 1, 384),
    ("mbv2_dw_3x3_7", 960, 7, 960, 3, 1, 960),
    ("mbv2_dw_3x3s2_7", 576, 14, 576, 3, 2, 576),
    ("effb0_dw_5x5_7", 1152, 7, 1152, 5, 1, 1152),
    ("effb0_dw_5x5", 240, 28, 240, 5, 1, 240),
    ("effb0_dw_5x5s2", 144, 56, 144, 5, 2, 144),
    ("sq_expand_3x3", 16, 55, 64, 3, 1, 1),
]


def make_model(path, cin, hw, cout, k, stride, groups, rng):
    x_shape = [1, cin, hw, hw]
    w = rng.standard_normal([cout, cin // groups, k, k]).astype(np.float32)
    b = rng.standard_normal([cout]).astype(np.float32)
    pad = k // 2
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"],
                            kernel_shape=[k, k], strides=[stride, stride],
                            pads=[pad] * 4, group=groups)
    graph = helper.make_graph(
        [node], "conv",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    save(model, path)
    out = (hw + 2 * pad - k) // stride + 1
    flops = 2.0 * cout * out * out * (cin // groups) * k * k
    return {"x": rng.standard_normal(x_shape).astype(np.float32)}, flops


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bindir")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", nargs="*", help="shape names to run")
    args = ap.parse_args()
    ort = import_ort()
    measured_peak(args.bindir)

    def bound():
        return measured_peak(args.bindir, quiet=True) * args.threads

    work = tempfile.mkdtemp(prefix="hcc-conv-")
    rng = np.random.default_rng(0)
    print(HEADER)
    dense, depthwise = [], []
    for name, *shape in SHAPES:
        if args.only and name not in args.only:
            continue
        model = os.path.join(work, name + ".onnx")
        feed, flops = make_model(model, *shape, rng)
        row = measure(args.bindir, name, model, feed, flops, args.threads,
                      args.rounds, ort, work, bound)
        (depthwise if shape[-1] > 1 else dense).append(row)
        print_row(row)
    # Depthwise convolutions are bound by memory, not FMAs: they are judged
    # against ONNX Runtime rather than against the best dense shape.
    if dense:
        print_cliffs(dense)
    if depthwise and ort:
        slow = [r[0] for r in depthwise if r[3] / r[1] < 0.85]
        print("depthwise below 0.85 of ORT's speed: %s" %
              (", ".join(slow) if slow else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
