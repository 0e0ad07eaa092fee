#!/usr/bin/env python3
"""Compiles MaxPool and AveragePool nodes whose shapes exercise the CPU
target's window paths (separable max pools: padded, unpadded, ceil mode,
strides 1 to 3, odd and narrow planes, rectangular windows; sum pools over
planes), runs each at 1 and 2 threads and compares with a numpy reference.
The max pools' inputs hold NaN, -inf and +inf: a NaN in a window gives NaN,
padding is never the maximum. Max pools run again with max-pool-rows=0
(phase planes, or rows of strided slices).
usage: pool_shapes.py BIN_DIR WORK_DIR"""
import math
import os
import sys

import numpy as np
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_compare import compile_and_compare, save_case  # noqa: E402

# (name, op, C, H, W, (KH, KW), (SH, SW), (top, left, bottom, right), ceil)
SHAPES = [
    ("max_resnet", "MaxPool", 8, 112, 112, (3, 3), (2, 2), (1, 1, 1, 1), 0),
    ("max_ceil", "MaxPool", 6, 55, 55, (3, 3), (2, 2), (0, 0, 0, 0), 1),
    ("max_ceil_small", "MaxPool", 5, 13, 13, (3, 3), (2, 2), (0, 0, 0, 0), 1),
    ("max_2x2", "MaxPool", 4, 28, 30, (2, 2), (2, 2), (0, 0, 0, 0), 0),
    ("max_s1", "MaxPool", 3, 17, 19, (3, 3), (1, 1), (1, 1, 1, 1), 0),
    ("max_s3", "MaxPool", 2, 20, 20, (3, 3), (3, 3), (1, 1, 1, 1), 0),
    ("max_rect", "MaxPool", 3, 21, 40, (2, 5), (1, 2), (0, 2, 1, 2), 0),
    ("max_uneven_pads", "MaxPool", 2, 9, 7, (3, 3), (2, 2), (2, 0, 0, 2), 0),
    ("max_narrow", "MaxPool", 4, 3, 5, (3, 3), (2, 2), (1, 1, 1, 1), 0),
    ("max_wide", "MaxPool", 2, 5, 70, (3, 3), (2, 2), (1, 1, 1, 1), 0),
    ("avg_s2", "AveragePool", 4, 30, 30, (3, 3), (2, 2), (1, 1, 1, 1), 0),
]


def reference(x, op, k, s, pads, ceil):
    n, c, h, w = x.shape
    top, left, bottom, right = pads

    def out(size, lo, hi, kk, ss):
        v = (size + lo + hi - kk) / ss
        o = (math.ceil(v) if ceil else math.floor(v)) + 1
        # The last window starts inside the input or its low padding.
        if ceil and (o - 1) * ss >= size + lo:
            o -= 1
        return o
    oh, ow = out(h, top, bottom, k[0], s[0]), out(w, left, right, k[1], s[1])
    y = np.empty((n, c, oh, ow), np.float64)
    for i in range(oh):
        for j in range(ow):
            y0, x0 = i * s[0] - top, j * s[1] - left
            ys, xs = max(y0, 0), max(x0, 0)
            ye, xe = min(y0 + k[0], h), min(x0 + k[1], w)
            win = x[:, :, ys:ye, xs:xe].astype(np.float64)
            if op == "MaxPool":
                y[:, :, i, j] = win.max(axis=(2, 3))  # NaN propagates
            else:  # count_include_pad=0
                y[:, :, i, j] = win.sum(axis=(2, 3)) / ((ye - ys) * (xe - xs))
    return y


def main():
    bindir, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(0)
    failed = runs = 0
    for name, op, c, h, w, k, s, pads, ceil in SHAPES:
        x = rng.standard_normal((1, c, h, w)).astype(np.float32)
        if op == "MaxPool":
            flat = x.reshape(-1)
            spots = rng.choice(flat.size, size=3 * max(1, flat.size // 500),
                               replace=False)
            third = len(spots) // 3
            flat[spots[:third]] = np.nan
            flat[spots[third:2 * third]] = -np.inf
            flat[spots[2 * third:]] = np.inf
            # A window of -inf only (at the padded corner) stays -inf.
            x[0, 0, :2, :2] = -np.inf
        node = helper.make_node(op, ["x"], ["y"], kernel_shape=list(k),
                                strides=list(s),
                                pads=[pads[0], pads[1], pads[2], pads[3]],
                                ceil_mode=ceil)
        graph = helper.make_graph(
            [node], name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
        base = save_case(work, name, graph, reference(x, op, k, s, pads,
                                                      ceil))
        np.save(base + "_x.npy", x)
        failed += compile_and_compare(bindir, base, name, [base + "_x.npy"])
        runs += 2
        if op == "MaxPool":
            failed += compile_and_compare(
                bindir, base, name + "/planes", [base + "_x.npy"],
                flags=["--target-config=cpu:max-pool-rows=0"])
            runs += 2
    print("%d passed, %d failed" % (runs - failed, failed))


if __name__ == "__main__":
    main()
