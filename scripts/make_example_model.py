#!/usr/bin/env python3
"""Writes hcc's built-in example: a small CNN classifier with a symbolic
batch dimension N (Conv, Relu, MaxPool, Reshape, Gemm, Softmax) and random
weights. usage: make_example_model.py OUT.onnx"""
import sys

import numpy as np
from onnx import TensorProto, checker, helper, numpy_helper, save

def main(out):
    rng = np.random.default_rng(0)
    def init(name, *shape):
        return numpy_helper.from_array(
            rng.standard_normal(shape).astype(np.float32) * 0.1, name)
    inits = [init("conv_w", 8, 3, 3, 3), init("conv_b", 8),
             init("fc_w", 10, 8 * 16 * 16), init("fc_b", 10),
             numpy_helper.from_array(np.array([0, -1], dtype=np.int64), "flat")]
    nodes = [
        helper.make_node("Conv", ["image", "conv_w", "conv_b"], ["c"],
                         name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("MaxPool", ["r"], ["p"], name="pool",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Reshape", ["p", "flat"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["logits"], name="fc",
                         transB=1),
        helper.make_node("Softmax", ["logits"], ["probs"], name="softmax",
                         axis=1),
    ]
    graph = helper.make_graph(
        nodes, "hcc_example",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT,
                                       ["N", 3, 32, 32])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT,
                                       ["N", 10])],
        inits)
    model = helper.make_model(graph, producer_name="hcc-example",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    checker.check_model(model)
    save(model, out)

if __name__ == "__main__":
    main(sys.argv[1])
