"""Writes inputs and reference outputs of add_relu (numpy is the oracle)."""
import os
import sys

import numpy as np
from onnx import numpy_helper

out = sys.argv[1]
w = np.array([1, -2, 3, -4], dtype=np.float32)
x = np.array([0.5, 1.5, -3.25, 8.0], dtype=np.float32)
y = np.maximum(x + w, 0).astype(np.float32)
w.tofile(os.path.join(out, "weights.bin"))


def save_pb(path, array, name):
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(array, name).SerializeToString())


save_pb(os.path.join(out, "in", "x.pb"), x, "x")
np.save(os.path.join(out, "in", "x.npy"), x)
save_pb(os.path.join(out, "in", "x_int64.pb"), x.astype(np.int64), "x")
save_pb(os.path.join(out, "in", "x_short.pb"), x[:3], "x")
with open(os.path.join(out, "in", "garbage.pb"), "wb") as f:
    f.write(b"\xff\xff\xff\xff not a proto")
save_pb(os.path.join(out, "expect", "output_0.pb"), y, "y")
save_pb(os.path.join(out, "wrong", "output_0.pb"), y + 0.5, "y")
