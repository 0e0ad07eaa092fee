"""two_matmuls.py OUT.onnx: MatMul (128x256 by 256x256), Relu, MatMul (by
256x64): two contraction kernels of different shapes."""
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

rng = np.random.default_rng(0)
w1 = numpy_helper.from_array(
    rng.standard_normal([256, 256]).astype(np.float32), "w1")
w2 = numpy_helper.from_array(
    rng.standard_normal([256, 64]).astype(np.float32), "w2")
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "w1"], ["h"]),
     helper.make_node("Relu", ["h"], ["r"]),
     helper.make_node("MatMul", ["r", "w2"], ["y"])], "two_matmuls",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [128, 256])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [128, 64])],
    [w1, w2])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
save(model, sys.argv[1])
