#!/usr/bin/env python3
"""Compiles MatMuls (and Gemms with a transposed weight) whose shapes
exercise every path of the CPU target's GEMM tiling (packed B panels, read
from weights packed at compile time when B is a constant, cache-m blocks
with a remainder, N tails of 16/8/4/2/1 columns, K blocks with a
remainder, batches with a shared or broadcast operand, one-row products
reading packed weights), runs each at 1 and 2 threads and compares with numpy
in float64. usage: gemm_shapes.py BIN_DIR WORK_DIR"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_compare import compile_and_compare, save_case  # noqa: E402

# (name, A shape, B shape, B constant); "gemm_t" shapes are Gemm(transB=1)
# with B given as [N, K].
SHAPES = [
    ("gemm_t_tails", [150, 200], [70, 200], True),        # N 64+4+2
    ("wide_n", [64, 96], [96, 520], True),                # N 16x32+8
    ("blocks_tails", [1000, 300], [300, 77], True),       # M 7x128+104, N 64+8+4+1
    ("deep_k", [133, 1029], [1029, 49], True),            # K 5x192+69, N 32+16+1
    ("batched_shared", [3, 203, 257], [257, 50], True),   # one B for 3 batches
    ("batched_inputs", [2, 40, 96], [2, 96, 33], False),  # both operands inputs
    ("broadcast", [2, 1, 48, 64], [1, 3, 64, 40], False),
    ("few_rows", [20, 512], [512, 100], True),            # no panel copies (M < 32)
    ("gemm_t_one_row", [1, 1280], [1000, 1280], True),    # a classifier: N 992+8
    ("one_row", [1, 300], [300, 77], True),               # N 64+8+4+1
]


def main(bindir, work):
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(0)
    failed = 0
    for name, a_shape, b_shape, b_const in SHAPES:
        a = rng.standard_normal(a_shape).astype(np.float32)
        b = rng.standard_normal(b_shape).astype(np.float32)
        inputs = [helper.make_tensor_value_info("a", TensorProto.FLOAT,
                                                a_shape)]
        inits = [numpy_helper.from_array(b, "b")] if b_const else []
        if not b_const:
            inputs.append(helper.make_tensor_value_info(
                "b", TensorProto.FLOAT, b_shape))
        transposed = name.startswith("gemm_t")
        node = (helper.make_node("Gemm", ["a", "b"], ["y"], transB=1)
                if transposed else helper.make_node("MatMul", ["a", "b"],
                                                    ["y"]))
        graph = helper.make_graph([node], name, inputs,
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
            inits)
        expected = np.matmul(a.astype(np.float64),
                             (b.T if transposed else b).astype(np.float64))
        base = save_case(work, name, graph, expected)
        args = [base + "_a.npy"]
        np.save(args[0], a)
        if not b_const:
            args.append(base + "_b.npy")
            np.save(args[1], b)
        failed += compile_and_compare(bindir, base, name, args)
    print("%d passed, %d failed" % (2 * len(SHAPES) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
