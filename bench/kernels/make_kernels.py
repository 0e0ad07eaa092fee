#!/usr/bin/env python3
"""Writes single-op ONNX models for per-kernel micro-benchmarks: the convs,
matmuls and elementwise ops that dominate CNNs. usage: make_kernels.py DIR"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

CASES = {
    # name: (op, input shape, weight shape or None, attributes)
    "conv3x3_64x56x56": ("Conv", [1, 64, 56, 56], [64, 64, 3, 3],
                         {"pads": [1, 1, 1, 1]}),
    "conv1x1_256x14x14": ("Conv", [1, 256, 14, 14], [256, 256, 1, 1], {}),
    "dwconv3x3_144x56x56": ("Conv", [1, 144, 56, 56], [144, 1, 3, 3],
                            {"pads": [1, 1, 1, 1], "group": 144}),
    "matmul_512x512x512": ("MatMul", [512, 512], [512, 512], {}),
    "relu_1x64x112x112": ("Relu", [1, 64, 112, 112], None, {}),
}


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    for name, (op, shape, wshape, attrs) in CASES.items():
        inputs = ["x"]
        inits = []
        if wshape:
            inits.append(numpy_helper.from_array(
                rng.standard_normal(wshape).astype(np.float32), "w"))
            inputs.append("w")
        node = helper.make_node(op, inputs, ["y"], **attrs)
        graph = helper.make_graph(
            [node], name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
            inits)
        model = helper.make_model(graph, opset_imports=[
            helper.make_opsetid("", 13)])
        save(model, os.path.join(out, name + ".onnx"))
        print(os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main(sys.argv[1])
