#!/usr/bin/env python3
"""hcc vs ONNX Runtime (CPU) on the same models, inputs shapes and thread
counts, interleaved in one run; prints the latency ratio ORT/hcc (> 1 means
hcc is faster), beside each engine's peak resident memory (hcc: the
hcc-bench process's VmHWM; ORT: a child interpreter's VmHWM above what
importing numpy and onnxruntime took) and where hcc's time goes (the runtime trace's
kernel time per operator kind, top three).

Each model is exported from torchvision with random weights (nothing is
downloaded), compiled with hcc-compile -O3, then for every thread count the
two engines run back to back at every thread count in each of --rounds
rounds of --iterations runs; a latency is the median over rounds of each
round's median, and a ratio (ORT/hcc, or 1-thread/N-thread time) the
median over rounds of the ratio within the round, which keeps the
comparison fair on a machine whose speed drifts over minutes.

usage: bench/compare_ort.py BIN_DIR [--models resnet18 mobilenet_v2 ...]
                            [--threads 1 2] [--rounds 5] [--iterations 10]
"""
import argparse
import collections
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "Models"))
from torchvision_models import export  # noqa: E402


def hcc_latency(bindir, bundle, threads, iterations, stats=("p50",)):
    """hcc-bench's p50 latency (ms), or a tuple of the named `stats`."""
    p = subprocess.run([os.path.join(bindir, "hcc-bench"), bundle,
                        "--threads", str(threads), "--iterations",
                        str(iterations), "--warmup", "2"],
                       capture_output=True, text=True, check=True)
    values = tuple(float(re.search(r"%s ([0-9.]+)" % s, p.stdout).group(1))
                   for s in stats)
    return values[0] if len(values) == 1 else values


def hcc_profile(bindir, bundle, threads):
    """Peak resident memory (MiB) of an hcc-bench run and its kernel-time
    shares per operator kind from the runtime trace."""
    trace = bundle + ".trace.json"
    env = dict(os.environ, HCC_TRACE=trace)
    p = subprocess.run([os.path.join(bindir, "hcc-bench"), bundle,
                        "--threads", str(threads), "--iterations", "5",
                        "--warmup", "1"], capture_output=True, text=True,
                       env=env, check=True)
    peak = int(re.search(r"process peak resident ([0-9]+) B",
                         p.stdout).group(1)) / 2**20
    # Each kernel's operator kind from the compiler's placement dump
    # (grouped convolutions apart: depthwise layers behave differently).
    kinds = {}
    with open(bundle + ".placement.json") as f:
        for k in json.load(f)["kernels"]:
            feat = k.get("features", {})
            kind = feat.get("op", "?")
            if kind == "Conv" and feat.get("groups", 1) > 1:
                kind = "GroupConv"
            kinds[k["name"]] = kind
    shares = collections.Counter()
    with open(trace) as f:
        for e in json.load(f).get("traceEvents", []):
            if e.get("ph") == "X":
                shares[kinds.get(e["name"], "?")] += e.get("dur", 0)
    total = sum(shares.values()) or 1
    top = ", ".join("%s %d%%" % (op, round(100 * t / total))
                    for op, t in shares.most_common(3))
    return peak, top


# VmHWM, not ru_maxrss: the child is forked from this (large) interpreter,
# and ru_maxrss keeps the parent's peak across exec.
ORT_CHILD = """
import re, sys, numpy as np, onnxruntime as ort
def hwm():
    return int(re.search(r"VmHWM:\\s*([0-9]+)", open("/proc/self/status").read()).group(1))
base = hwm()
o = ort.SessionOptions(); o.intra_op_num_threads = int(sys.argv[2])
s = ort.InferenceSession(sys.argv[1], o, providers=["CPUExecutionProvider"])
i = s.get_inputs()[0]
x = np.random.rand(*[d if isinstance(d, int) else 1 for d in i.shape])
for _ in range(3):
    s.run(None, {i.name: x.astype(np.float32)})
print((hwm() - base) / 1024)
"""


def ort_peak_mib(model, threads):
    p = subprocess.run([sys.executable, "-c", ORT_CHILD, model, str(threads)],
                       capture_output=True, text=True, check=True)
    return float(p.stdout.split()[-1])


def ort_latency(session, feed, iterations):
    for _ in range(2):
        session.run(None, feed)
    times = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        session.run(None, feed)
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bindir")
    ap.add_argument("--models", nargs="*",
                    default=["resnet18", "mobilenet_v2", "squeezenet1_1",
                             "resnet50", "efficientnet_b0", "bert_base_2l"])
    ap.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iterations", type=int, default=10)
    args = ap.parse_args()
    import onnxruntime as ort

    work = tempfile.mkdtemp(prefix="hcc-bench-")
    print("%-16s %7s %9s %9s %8s %8s %8s  %s" % (
        "model", "threads", "hcc ms", "ORT ms", "ORT/hcc", "hcc MiB",
        "ORT MiB", "hcc time by op"))
    ratios = {}
    for name in args.models:
        model = os.path.join(work, name + ".onnx")
        bundle = os.path.join(work, name + ".hccb")
        x, _ = export(name, model)
        subprocess.run([os.path.join(args.bindir, "hcc-compile"), model,
                        "-O3", "-o", bundle,
                        "--dump-placement=" + bundle + ".placement.json"],
                       check=True)
        sessions = {}
        for threads in args.threads:
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            sessions[threads] = ort.InferenceSession(
                model, opts, providers=["CPUExecutionProvider"])
        feed = {sessions[args.threads[0]].get_inputs()[0].name:
                x.astype(np.float32)}
        # Every round runs both engines at every thread count back to back:
        # this machine's speed drifts for minutes at a time (a 2-thread run
        # of either engine takes 1.7x longer in some periods), so figures
        # taken minutes apart are not comparable. Ratios are medians of
        # per-round ratios.
        hcc = collections.defaultdict(list)
        onnxrt = collections.defaultdict(list)
        for _ in range(args.rounds):
            for threads in args.threads:
                hcc[threads].append(hcc_latency(args.bindir, bundle, threads,
                                                args.iterations))
                onnxrt[threads].append(ort_latency(sessions[threads], feed,
                                                   args.iterations))
        for threads in args.threads:
            h = statistics.median(hcc[threads])
            o = statistics.median(onnxrt[threads])
            ratio = statistics.median(
                b / a for a, b in zip(hcc[threads], onnxrt[threads]))
            peak, top = hcc_profile(args.bindir, bundle, threads)
            ratios[(name, threads)] = (ratio, hcc[threads], onnxrt[threads])
            print("%-16s %7d %9.2f %9.2f %8.3f %8.0f %8.0f  %s" % (
                name, threads, h, o, ratio, peak,
                ort_peak_mib(model, threads), top))
            sys.stdout.flush()
    for threads in args.threads:
        r = [v[0] for k, v in ratios.items() if k[1] == threads]
        print("geomean ORT/hcc at %d thread(s): %.3f (lowest %.3f)" %
              (threads, statistics.geometric_mean(r), min(r)))
    if 1 in args.threads and len(args.threads) > 1:
        def speedup(one, many):
            return statistics.median(a / b for a, b in zip(one, many))
        for threads in args.threads:
            if threads == 1:
                continue
            parts = []
            for m in args.models:
                _, h1, o1 = ratios[(m, 1)]
                _, hn, on = ratios[(m, threads)]
                parts.append("%s %.2fx (ORT %.2fx)" % (
                    m, speedup(h1, hn), speedup(o1, on)))
            print("speed-up 1 -> %d threads: %s" % (threads, ", ".join(parts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
