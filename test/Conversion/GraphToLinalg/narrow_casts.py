#!/usr/bin/env python3
"""Checks Cast into and out of the narrow float types bit for bit.

For each float8 type, FLOAT4E2M1 and FLOAT8E8M0, Cast from float32 runs on
every value the type holds, the midpoints between neighbours (ties round to
even), the floats just above and below each midpoint, subnormals, values
past the largest finite one, infinities and NaN, with saturate on and off
(round_mode up, down and nearest for FLOAT8E8M0); Cast back to float32 runs
on every code. The reference is onnx's ReferenceEvaluator (ml_dtypes); the
codes must be equal, except that any NaN matches any NaN.

Needs onnx (.venv-onnx).
usage: narrow_casts.py BIN_DIR WORK_DIR
Prints `N passed, N failed` last.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

TYPES = ["FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ",
         "FLOAT4E2M1", "FLOAT8E8M0"]


def code_values(dtype):
    """Every code of `dtype` as float32 (NaN codes included)."""
    bits = 4 if dtype == "FLOAT4E2M1" else 8
    codes = np.arange(1 << bits, dtype=np.uint8)
    t = helper.make_tensor("c", getattr(TensorProto, dtype), [len(codes)],
                           codes.tobytes() if bits == 8 else
                           (codes[0::2] | (codes[1::2] << 4)).tobytes(),
                           raw=True)
    return codes, numpy_helper.to_array(t).astype(np.float32)


def probe_values(dtype):
    _, vals = code_values(dtype)
    finite = np.unique(vals[np.isfinite(vals)])
    mids = (finite[:-1].astype(np.float64) + finite[1:]) / 2
    mids = mids.astype(np.float32)
    near = np.concatenate([np.nextafter(mids, np.float32(np.inf)),
                           np.nextafter(mids, np.float32(-np.inf))])
    big = float(np.max(np.abs(finite)))
    rng = np.random.default_rng(0)
    with np.errstate(over="ignore"):
        extra = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-30, -1e-30,
                          big * 1.01, -big * 1.01, big * 4, 1e38, -1e38,
                          3e-39], np.float32)
    rand = (rng.standard_normal(200) * big / 4).astype(np.float32)
    return np.concatenate([finite, mids, near, extra, rand])


def run(bindir, work, name, graph_input, node, out_type, x):
    n = len(x) if isinstance(x, np.ndarray) else x.dims[0]
    graph = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info("x", graph_input, [n])],
        [helper.make_tensor_value_info("y", out_type, [n])])
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 24)], ir_version=10)
    path = os.path.join(work, name + ".onnx")
    onnx.save(model, path)
    if graph_input == TensorProto.FLOAT:
        xt = numpy_helper.from_array(x, "x")
    else:
        xt = x
    ref = ReferenceEvaluator(model).run(None, {"x": numpy_helper.to_array(xt)})[0]
    xpb = os.path.join(work, name + "_x.pb")
    with open(xpb, "wb") as f:
        f.write(xt.SerializeToString())
    bundle, out = path + ".hccb", os.path.join(work, name + "_out")
    for cmd in ([os.path.join(bindir, "hcc-compile"), path, "-o", bundle],
                [os.path.join(bindir, "hcc-run"), bundle, xpb, "-o", out]):
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            return None, ref, "%s failed: %s" % (os.path.basename(cmd[0]),
                                                 p.stderr.strip()[-300:])
    got = numpy_helper.to_array(
        onnx.load_tensor(os.path.join(out, "output_0.pb")))
    return got, ref, None


def compare(got, ref, x):
    g = got.astype(np.float32)
    r = ref.astype(np.float32)
    same = (g.view(np.uint32) == r.view(np.uint32)) | (np.isnan(g) &
                                                       np.isnan(r))
    if same.all():
        return None
    i = int(np.argmin(same))
    return "%d of %d differ, first at input %r: got %r, want %r" % (
        int((~same).sum()), len(same), float(x[i]), float(g[i]), float(r[i]))


def main():
    bindir, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    passed = failed = 0

    def report(what, error):
        nonlocal passed, failed
        print("%s: %s" % (what, error or "ok"))
        passed += error is None
        failed += error is not None

    for dtype in TYPES:
        to = getattr(TensorProto, dtype)
        x = probe_values(dtype)
        modes = [dict(saturate=1), dict(saturate=0)]
        if dtype == "FLOAT8E8M0":
            modes = [dict(saturate=s, round_mode=m) for s in (1, 0)
                     for m in ("up", "down", "nearest")]
        for attrs in modes:
            tag = "_".join("%s%s" % kv for kv in sorted(attrs.items()))
            node = helper.make_node("Cast", ["x"], ["y"], to=to, **attrs)
            got, ref, err = run(bindir, work, "to_%s_%s" % (dtype, tag),
                                TensorProto.FLOAT, node, to, x)
            report("float32 -> %s %s" % (dtype, attrs),
                   err or compare(got, ref, x))
        codes, _ = code_values(dtype)
        bits = 4 if dtype == "FLOAT4E2M1" else 8
        xt = helper.make_tensor(
            "x", to, [len(codes)],
            codes.tobytes() if bits == 8 else
            (codes[0::2] | (codes[1::2] << 4)).tobytes(), raw=True)
        node = helper.make_node("Cast", ["x"], ["y"], to=TensorProto.FLOAT)
        got, ref, err = run(bindir, work, "from_%s" % dtype, to, node,
                            TensorProto.FLOAT, xt)
        report("%s -> float32, every code" % dtype,
               err or compare(got, ref, codes.astype(np.float32)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
