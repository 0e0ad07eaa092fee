"""Runs reductions.onnxtxt and matmuls.onnxtxt compiled with the GPU shape
on random inputs and compares with numpy (float64 references).

Usage: gpu_shape_run.py WORK BINDIR [KEY=VALUE;...] (more OpenCL target
configuration keys, e.g. warp-reductions=1)."""
import os
import subprocess
import sys

import numpy as np

work, bindir = sys.argv[1], sys.argv[2]
config = "opencl:gpu-shape=1" + ("".join(";" + kv for kv in sys.argv[3:]))
here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)


def run(model, inputs):
    bundle = os.path.join(work, model + ".hccb")
    subprocess.run([os.path.join(bindir, "hcc-compile"),
                    os.path.join(here, model + ".onnxtxt"), "-o", bundle,
                    "--targets=opencl", "--target-config=" + config],
                   check=True)
    paths = []
    for k, x in enumerate(inputs):
        paths.append(os.path.join(work, "%s_in%d.npy" % (model, k)))
        np.save(paths[-1], x)
    out = os.path.join(work, model + "_out")
    subprocess.run([os.path.join(bindir, "hcc-run"), bundle] + paths +
                   ["-o", out], check=True)
    return [np.load(os.path.join(out, "output_%d.npy" % k))
            for k in range(len(os.listdir(out)))]


def close(name, got, ref, rtol=1e-5, atol=1e-5):
    if got.shape != ref.shape or not np.allclose(got, ref, rtol=rtol,
                                                 atol=atol):
        print("%s: FAIL (max abs err %g)" % (name, np.max(np.abs(got - ref))))
        return False
    return True


x = rng.standard_normal((3, 5000)).astype(np.float32)
i = rng.integers(-100000, 100000, (3, 5000)).astype(np.int32)
s, mx, sm, imin, total = run("reductions", [x, i])
xd = x.astype(np.float64)
e = np.exp(xd - xd.max(axis=1, keepdims=True))
ok = all([
    close("sum", s, xd.sum(axis=1), atol=1e-3),
    close("max", mx, x.max(axis=0, keepdims=True)),
    close("softmax", sm, e / e.sum(axis=1, keepdims=True), atol=1e-6),
    close("min", imin, i.min(axis=1)),
    close("total", total, np.array(xd.sum()), atol=1e-2),
])
print("reductions: %s" % ("ok" if ok else "FAIL"))

a = rng.standard_normal((3, 37, 129)).astype(np.float32)
b = rng.standard_normal((3, 129, 70)).astype(np.float32)
w = rng.standard_normal((70, 129)).astype(np.float32)
v = rng.standard_normal((5, 16)).astype(np.float32)
u = rng.standard_normal((16, 1)).astype(np.float32)
y, z, t = run("matmuls", [a, b, w, v, u])
ad = a.astype(np.float64)
ok = all([
    close("batched", y, ad @ b, atol=1e-4),
    close("shared transposed", z, ad @ w.T.astype(np.float64), atol=1e-4),
    close("matrix-vector", t, v.astype(np.float64) @ u, atol=1e-5),
])
print("matmuls: %s" % ("ok" if ok else "FAIL"))
