#!/usr/bin/env python3
"""Compiles Conv nodes whose shapes exercise every path of the CPU target's
convolution tiling (im2col in blocks of output rows, strided and 7x7
kernels, 1x1 with a one-column N tail, small maps with the output channels
as lanes, depthwise row by row, over flattened planes and with the channels
as lanes, Winograd F(4x4, 3x3) and F(2x2, 3x3) with whole and
partial tiles, with and without bias, followed by Relu, by Add of
the input and Relu, or by nothing), runs each at 1
and 2 threads and compares with a float64 numpy convolution.
usage: conv_shapes.py BIN_DIR WORK_DIR"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_compare import compile_and_compare, save_case  # noqa: E402

# (name, C_in, H, W, C_out, kernel, stride, pad, groups, bias)
SHAPES = [
    ("row_blocks", 96, 13, 13, 24, 3, 1, 1, 1, True),     # im2col 584 KiB
    ("row_blocks_s2", 16, 64, 64, 32, 3, 2, 1, 1, True),  # strided blocks
    ("row_blocks_tails", 16, 55, 55, 24, 5, 1, 2, 1, True),  # 5x5, tails
    ("conv7x7_s2", 3, 96, 96, 16, 7, 2, 3, 1, False),
    ("tail_1x1", 64, 7, 7, 96, 1, 1, 0, 1, True),         # N 32 + 16 + 1
    ("tail_5x5", 64, 7, 7, 40, 5, 1, 2, 1, False),        # K-lane tail
    ("dw_flat_3x3", 40, 7, 7, 40, 3, 1, 1, 40, True),     # flattened planes
    ("dw_flat_5x5", 40, 6, 6, 40, 5, 1, 2, 40, False),
    ("dw_s2", 24, 30, 30, 24, 3, 2, 1, 24, True),         # 4 phase planes
    ("dw_s2_odd", 24, 13, 15, 24, 3, 2, 1, 24, True),     # uneven phases
    ("dw_5x5_s2", 32, 28, 28, 32, 5, 2, 2, 32, True),
    ("dw_s3", 8, 20, 20, 8, 3, 3, 1, 8, False),           # 9 phase planes
    ("dw_unpadded", 16, 12, 12, 16, 3, 1, 0, 16, True),
    ("dw_large_s2", 16, 112, 112, 16, 3, 2, 1, 16, True),  # heap planes
    ("dw_residual", 24, 14, 14, 24, 3, 1, 1, 24, True),   # Add + Relu
    # Multiples of 16 channels on small planes: the channels as lanes.
    ("dwc_3x3", 48, 7, 7, 48, 3, 1, 1, 48, True),
    ("dwc_5x5", 32, 14, 14, 32, 5, 1, 2, 32, False),     # a zero start
    ("dwc_5x5_s2", 48, 14, 14, 48, 5, 2, 2, 48, True),   # 7x7 from 14x14
    ("dwc_residual", 16, 9, 11, 16, 3, 1, 1, 16, True),  # 99 = 6 x 16 + 3
    ("dwc_unpadded_linear", 32, 12, 10, 32, 3, 1, 0, 32, True),
    ("dwc_s2_unread", 16, 16, 16, 16, 3, 2, 0, 16, False),  # row 15 unread
    # Output rows at least 48 wide: computed row by row into the output.
    ("dw_rows", 8, 50, 53, 8, 3, 1, 1, 8, True),
    ("dw_rows_s2_odd", 8, 101, 99, 8, 3, 2, 1, 8, True),  # odd widths
    ("dw_rows_5x5_s2", 8, 100, 103, 8, 5, 2, 2, 8, False),
    ("dw_rows_unpadded_s2", 8, 97, 98, 8, 3, 2, 0, 8, True),
    ("dw_rows_residual", 8, 48, 64, 8, 3, 1, 1, 8, True),  # Add + Relu
    ("winograd", 32, 28, 28, 40, 3, 1, 1, 1, True),       # F(4x4, 3x3)
    ("winograd_edges", 16, 30, 29, 24, 3, 1, 1, 1, False),  # partial tiles
    ("winograd_unpadded", 8, 30, 32, 16, 3, 1, 0, 1, True),  # 28 x 30
    ("winograd_f2", 32, 10, 10, 48, 3, 1, 1, 1, True),    # F(2x2, 3x3)
    ("winograd_f2_edges", 16, 9, 11, 24, 3, 1, 1, 1, False),  # partial tiles
    ("winograd_residual", 24, 28, 28, 24, 3, 1, 1, 1, True),  # Add + Relu
    ("winograd_f2_14", 64, 14, 14, 64, 3, 1, 1, 1, True),  # F(2x2): 14 < 28
    # Output channels as lanes (at most 64 pixels, filters multiple of 32).
    ("lanes_3x3", 48, 7, 7, 64, 3, 1, 1, 1, True),        # 49 = 48 + 1 rows
    ("lanes_s2", 40, 13, 13, 32, 3, 2, 1, 1, False),      # 7x7 from 13x13
    ("lanes_1x1_s2", 64, 14, 14, 96, 1, 2, 0, 1, True),   # strided 1x1
    ("lanes_8x8", 32, 8, 8, 32, 1, 1, 0, 1, True),        # 64 = 8 x 8 rows
    ("lanes_residual", 64, 5, 5, 64, 3, 1, 1, 1, True),   # Add + Relu
    # No activation (a linear bottleneck): the bias seeds each N piece.
    ("tail_1x1_linear", 16, 55, 55, 64, 1, 1, 0, 1, True),  # 2976 + 48 + 1
    ("tail_3x3_linear", 8, 9, 9, 24, 3, 1, 1, 1, True),   # 81 = 64 + 16 + 1
    # No bias: the zero fill joins the register tiles (im2col's collapsed
    # view of it), in N pieces, in blocks of rows and in L2 row blocks
    # (192 filters: two blocks of 96).
    ("no_bias_1x1", 32, 28, 28, 192, 1, 1, 0, 1, False),  # 736 + 48
    ("no_bias_1x1_rows", 64, 14, 14, 256, 1, 1, 0, 1, False),  # 196 pixels
    ("no_bias_3x3", 16, 20, 20, 144, 3, 1, 1, 1, False),  # im2col, 144 rows
]


def reference(x, w, b, stride, pad, groups, residual=False, relu=True):
    n, c, h, wd = x.shape
    f, cg, k, _ = w.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - k) // stride + 1
    ow = (wd + 2 * pad - k) // stride + 1
    out = np.zeros((n, f, oh, ow))
    fg = f // groups
    for g in range(groups):
        xs = xp[:, g * cg:(g + 1) * cg]
        ws = w[g * fg:(g + 1) * fg].astype(np.float64)
        for i in range(k):
            for j in range(k):
                patch = xs[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
                out[:, g * fg:(g + 1) * fg] += np.einsum(
                    "nchw,fc->nfhw", patch, ws[:, :, i, j])
    if b is not None:
        out += b.astype(np.float64)[None, :, None, None]
    if residual:
        out += x.astype(np.float64)
    return np.maximum(out, 0) if relu else out


def main(bindir, work):
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(0)
    failed = 0
    for name, cin, h, wd, cout, k, stride, pad, groups, bias in SHAPES:
        x = rng.standard_normal([1, cin, h, wd]).astype(np.float32)
        w = rng.standard_normal([cout, cin // groups, k, k]).astype(np.float32)
        b = rng.standard_normal([cout]).astype(np.float32) if bias else None
        inits = [numpy_helper.from_array(w, "w")]
        if bias:
            inits.append(numpy_helper.from_array(b, "b"))
        conv = helper.make_node(
            "Conv", ["x", "w"] + (["b"] if bias else []), ["c"],
            kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4,
            group=groups)
        # A residual block's end: Relu(Conv(x) + x).
        residual = name.endswith("_residual")
        relu = not name.endswith("_linear")
        nodes = [conv]
        if residual:
            nodes.append(helper.make_node("Add", ["c", "x"], ["s"]))
        if relu:
            nodes.append(helper.make_node("Relu", ["s" if residual else "c"],
                                          ["y"]))
        else:
            conv.output[0] = "y"
        graph = helper.make_graph(
            nodes, name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
            inits)
        base = save_case(work, name, graph,
                         reference(x, w, b, stride, pad, groups, residual,
                                   relu))
        np.save(base + "_x.npy", x)
        # Winograd's error is about 1e-5 of the outputs' scale (~20 here).
        atol = 1e-3 if name.startswith("winograd") else 1e-4
        failed += compile_and_compare(bindir, base, name, [base + "_x.npy"],
                                      atol)
    print("%d passed, %d failed" % (2 * len(SHAPES) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
