"""small_map_conv.py DIR COUT: writes DIR/conv.onnx, a 3x3 stride-1
convolution of 48 channels to COUT filters on a 7x7 map with bias and Relu
(a map the default knobs run directly, or with the output channels as
lanes when COUT is a multiple of 32), its input DIR/x.npy and the
expected output DIR/expected/output_0.npy."""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

work, cout = sys.argv[1], int(sys.argv[2])
cin, size = 48, 7
rng = np.random.default_rng(0)
x = rng.standard_normal([1, cin, size, size]).astype(np.float32)
w = rng.standard_normal([cout, cin, 3, 3]).astype(np.float32)
b = rng.standard_normal([cout]).astype(np.float32)

xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
out = np.zeros([1, cout, size, size])
for i in range(3):
    for j in range(3):
        out += np.einsum("nchw,fc->nfhw", xp[:, :, i:i + size, j:j + size],
                         w[:, :, i, j].astype(np.float64))
out = np.maximum(out + b[None, :, None, None], 0)

graph = helper.make_graph(
    [helper.make_node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3],
                      pads=[1, 1, 1, 1]),
     helper.make_node("Relu", ["c"], ["y"])], "small_map_conv",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, out.shape)],
    [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
os.makedirs(os.path.join(work, "expected"), exist_ok=True)
save(model, os.path.join(work, "conv.onnx"))
np.save(os.path.join(work, "x.npy"), x)
np.save(os.path.join(work, "expected", "output_0.npy"), out.astype(np.float32))
