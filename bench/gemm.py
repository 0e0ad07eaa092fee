#!/usr/bin/env python3
"""hcc's f32 GEMMs against this core's measured FMA peak and against ONNX
Runtime, side by side in one run.

Prints the peak (bin/hcc-fma-peak: independent FMAs in registers), then for
every MatMul shape hcc's GFLOP/s, its share of the peak (%peak from its
p50 latency, best% from its fastest run; each round against the peak
measured just before it, the median of the rounds), ONNX Runtime's GFLOP/s
at the same thread count and the ratio ORT/hcc time (> 1: hcc is faster). A shape below 30 % of the best shape's GFLOP/s is flagged CLIFF.
The large 2-D shapes are also timed with oneDNN's dnnl_sgemm (libdnnl.so.2,
Debian's libdnnl2, loaded with ctypes; skipped when absent) at the same
thread count in the same rounds: what a vendor-tuned GEMM reaches on this
machine, printed with its share of the same peak.
The second operand is a constant (weights), as in models, unless the shape
says "act" (both operands are inputs).

usage: bench/gemm.py BIN_DIR [--threads 1] [--rounds 3] [--set large|sweep|all]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

from compare_ort import hcc_latency, ort_latency

# (name, A shape, B shape, B is a constant)
LARGE = [
    ("gemm1024", [1024, 1024], [1024, 1024], True),
    ("gemm2048", [2048, 2048], [2048, 2048], True),
]
SWEEP = [
    ("gemm512", [512, 512], [512, 512], True),
    ("odd1000", [1000, 1000], [1000, 1000], True),
    ("odd127x129x131", [127, 131], [131, 129], True),
    ("m1x768x768", [1, 768], [768, 768], True),
    ("m1x4096x1000", [1, 4096], [4096, 1000], True),
    ("m8x512x1000", [8, 512], [512, 1000], True),
    ("n49x512x256", [512, 256], [256, 49], True),
    ("bert_qkv128", [128, 768], [768, 2304], True),
    ("bert_ffn1_128", [128, 768], [768, 3072], True),
    ("bert_ffn2_128", [128, 3072], [3072, 768], True),
    ("batched_shared_8x128", [8, 128, 768], [768, 768], True),
    ("attn_scores_12x128", [12, 128, 64], [12, 64, 128], False),
    ("attn_values_12x128", [12, 128, 128], [12, 128, 64], False),
    ("bcast_4x1", [4, 1, 64, 96], [1, 3, 96, 80], False),
]


def make_model(path, a_shape, b_shape, b_const, rng):
    inputs = [helper.make_tensor_value_info("a", TensorProto.FLOAT, a_shape)]
    inits = []
    b = rng.standard_normal(b_shape).astype(np.float32)
    if b_const:
        inits.append(numpy_helper.from_array(b, "b"))
    else:
        inputs.append(helper.make_tensor_value_info("b", TensorProto.FLOAT,
                                                    b_shape))
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["y"])], "gemm", inputs,
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    save(model, path)
    feed = {"a": rng.standard_normal(a_shape).astype(np.float32)}
    if not b_const:
        feed["b"] = b
    return feed


def flops(a_shape, b_shape):
    m, k = a_shape[-2:]
    n = b_shape[-1]
    batch = np.broadcast_shapes(tuple(a_shape[:-2]), tuple(b_shape[:-2]))
    return 2.0 * int(np.prod(batch, dtype=np.int64)) * m * n * k


# Times dnnl_sgemm on an M x K by K x N product in a child interpreter
# (OMP_NUM_THREADS set before libdnnl's OpenMP starts): prints its p50
# seconds over `iterations` calls after a warm-up.
ONEDNN = r"""
import ctypes, sys, time
import numpy as np
m, k, n, iterations = map(int, sys.argv[1:5])
f = ctypes.CDLL("libdnnl.so.2").dnnl_sgemm
f.restype = ctypes.c_int
f.argtypes = [ctypes.c_char, ctypes.c_char] + [ctypes.c_int64] * 3 + [
    ctypes.c_float, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p,
    ctypes.c_int64, ctypes.c_float, ctypes.c_void_p, ctypes.c_int64]
rng = np.random.default_rng(0)
a = rng.standard_normal((m, k)).astype(np.float32)
b = rng.standard_normal((k, n)).astype(np.float32)
c = np.zeros((m, n), np.float32)
# oneDNN's sgemm takes row-major matrices (unlike BLAS): C = A B.
def call():
    assert f(b"N", b"N", m, n, k, 1.0, a.ctypes.data, k, b.ctypes.data, n,
             0.0, c.ctypes.data, n) == 0
call()
assert np.allclose(c[:4], a[:4] @ b, rtol=1e-3, atol=1e-3)
times = []
for _ in range(iterations):
    t = time.perf_counter()
    call()
    times.append(time.perf_counter() - t)
times.sort()
print(times[len(times) // 2])
"""


def onednn_ms(m, k, n, threads, iterations):
    """p50 ms of oneDNN's sgemm on the product, or None without it."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, "-c", ONEDNN, str(m), str(k),
                          str(n), str(iterations)], env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return float(out.stdout.split()[-1]) * 1e3


def measure(bindir, name, model, feed, f, threads, rounds, ort, work,
            peak=None, reference=None):
    """Compiles `model`, times hcc and (when importable) ONNX Runtime on it
    interleaved, prints one row; returns (name, hcc ms, hcc GFLOP/s, ORT ms,
    ORT GFLOP/s, hcc's share of the peak, its fastest run's share). With
    `peak` (a function giving the bound in GFLOP/s now), a share is the
    median over rounds of each round's GFLOP/s (from its p50, or from its
    fastest run) over the peak measured just before it: on a shared, noisy
    machine both then see the same load. The peak is the best of short FMA
    bursts, so the fastest run's share compares like with like. With
    `reference` (M, K, N), oneDNN's sgemm is timed in the same rounds
    (GFLOP/s and share of the peak appended; NaN without oneDNN)."""
    bundle = os.path.join(work, name + ".hccb")
    subprocess.run([os.path.join(bindir, "hcc-compile"), model, "-O3",
                    "-o", bundle], check=True)
    # About 0.2 s of work per timed batch.
    probe = hcc_latency(bindir, bundle, threads, 3)
    iterations = max(3, min(200, int(200 / max(probe, 1e-3))))
    session = None
    if ort:
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        session = ort.InferenceSession(model, opts,
                                       providers=["CPUExecutionProvider"])
    hcc, onnxrt, shares, best_shares, dnnl, dnnl_shares = ([], [], [], [],
                                                            [], [])
    for _ in range(rounds):
        bound = peak() if peak else None
        p50, fastest = hcc_latency(bindir, bundle, threads, iterations,
                                   ("p50", "min"))
        hcc.append(p50)
        if bound:
            shares.append(f / (p50 * 1e-3) * 1e-9 / bound)
            best_shares.append(f / (fastest * 1e-3) * 1e-9 / bound)
        if session:
            onnxrt.append(ort_latency(session, feed, iterations))
        d = onednn_ms(*reference, threads, iterations) if reference else None
        if d:
            dnnl.append(d)
            if bound:
                dnnl_shares.append(f / (d * 1e-3) * 1e-9 / bound)
    h = statistics.median(hcc)
    gf = f / (h * 1e-3) * 1e-9
    o = statistics.median(onnxrt) if onnxrt else float("nan")
    ogf = f / (o * 1e-3) * 1e-9 if onnxrt else float("nan")
    share = statistics.median(shares) if shares else float("nan")
    best = statistics.median(best_shares) if best_shares else float("nan")
    nan = float("nan")
    dgf = f / (statistics.median(dnnl) * 1e-3) * 1e-9 if dnnl else nan
    dshare = statistics.median(dnnl_shares) if dnnl_shares else nan
    return name, h, gf, o, ogf, share, best, dgf, dshare


def measured_peak(bindir, quiet=False):
    out = subprocess.run([os.path.join(bindir, "hcc-fma-peak")],
                         capture_output=True, text=True, check=True)
    if not quiet:
        print(out.stdout.strip())
    return float(out.stdout.split("peak-gflops")[1].split()[0])


def import_ort():
    try:
        import onnxruntime as ort
        return ort
    except ImportError:
        print("onnxruntime not importable: hcc figures only")
        return None


HEADER = "%-22s %9s %9s %7s %7s %9s %8s %10s" % (
    "shape", "hcc ms", "GFLOP/s", "%peak", "best%", "ORT GF/s", "ORT/hcc",
    "oneDNN GF/s")


def print_row(row):
    name, h, gf, o, ogf, share, best, dgf, _ = row
    print("%-22s %9.3f %9.1f %6.1f%% %6.1f%% %9.1f %8.3f %10s" %
          (name, h, gf, 100 * share, 100 * best, ogf, o / h,
           "-" if dgf != dgf else "%.1f" % dgf))
    sys.stdout.flush()


def print_cliffs(rows):
    best = max(r[2] for r in rows)
    cliffs = [r[0] for r in rows if r[2] < 0.3 * best]
    print("cliffs (< 30%% of the best shape's %.1f GFLOP/s): %s" %
          (best, ", ".join(cliffs) if cliffs else "none"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bindir")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--set", choices=["large", "sweep", "all"], default="all")
    ap.add_argument("--only", nargs="*", help="shape names to run")
    args = ap.parse_args()
    ort = import_ort()
    # The peak is per core; with several threads the bound is threads x it.
    measured_peak(args.bindir)

    def bound():
        return measured_peak(args.bindir, quiet=True) * args.threads
    shapes = {"large": LARGE, "sweep": SWEEP, "all": LARGE + SWEEP}[args.set]
    if args.only:
        shapes = [s for s in LARGE + SWEEP if s[0] in args.only]
    work = tempfile.mkdtemp(prefix="hcc-gemm-")
    rng = np.random.default_rng(0)
    print(HEADER)
    rows = []
    for name, a_shape, b_shape, b_const in shapes:
        model = os.path.join(work, name + ".onnx")
        feed = make_model(model, a_shape, b_shape, b_const, rng)
        reference = None
        if name in dict((s[0], s) for s in LARGE):
            reference = (a_shape[0], a_shape[1], b_shape[1])
        rows.append(measure(args.bindir, name, model, feed,
                            flops(a_shape, b_shape), args.threads,
                            args.rounds, ort, work, bound, reference))
        print_row(rows[-1])
    large = [r for r in rows if r[0] in dict((s[0], s) for s in LARGE)]
    if large:
        top = max(large, key=lambda r: r[5])
        print("large GEMM: %.1f%% of the measured peak at its p50, %.1f%% "
              "at its fastest run (%s; each round against the peak measured "
              "just before it, median of rounds)" %
              (100 * top[5], 100 * top[6], top[0]))
        if top[8] == top[8]:
            print("oneDNN sgemm on %s: %.1f%% of the measured peak at its "
                  "p50 (same rounds)" % (top[0], 100 * top[8]))
        else:
            print("oneDNN sgemm: not measured (libdnnl.so.2 not loadable)")
    print_cliffs(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
