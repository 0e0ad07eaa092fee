#!/usr/bin/env python3
"""hcc vs ONNX Runtime (CPU) on the same models, inputs shapes and thread
counts, interleaved in one run; prints the latency ratio ORT/hcc (> 1 means
hcc is faster).

Each model is exported from torchvision with random weights (nothing is
downloaded), compiled with hcc-compile -O3, then for every thread count the
two engines alternate for --rounds rounds of --iterations runs each; the
figure per engine is the median over rounds of each round's median latency,
which keeps the comparison fair on a noisy machine.

usage: bench/compare_ort.py BIN_DIR [--models resnet18 mobilenet_v2 ...]
                            [--threads 1 2] [--rounds 5] [--iterations 10]
"""
import argparse
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


def hcc_latency(bindir, bundle, threads, iterations):
    p = subprocess.run([os.path.join(bindir, "hcc-bench"), bundle,
                        "--threads", str(threads), "--iterations",
                        str(iterations), "--warmup", "2"],
                       capture_output=True, text=True, check=True)
    m = re.search(r"p50 ([0-9.]+)", p.stdout)
    return float(m.group(1))


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
                    default=["resnet18", "mobilenet_v2", "squeezenet1_1"])
    ap.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iterations", type=int, default=10)
    args = ap.parse_args()
    import onnxruntime as ort

    work = tempfile.mkdtemp(prefix="hcc-bench-")
    print("%-16s %7s %12s %12s %10s" % ("model", "threads", "hcc ms",
                                         "ORT ms", "ORT/hcc"))
    for name in args.models:
        model = os.path.join(work, name + ".onnx")
        bundle = os.path.join(work, name + ".hccb")
        x, _ = export(name, model)
        subprocess.run([os.path.join(args.bindir, "hcc-compile"), model,
                        "-O3", "-o", bundle], check=True)
        for threads in args.threads:
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            session = ort.InferenceSession(
                model, opts, providers=["CPUExecutionProvider"])
            feed = {session.get_inputs()[0].name: x.astype(np.float32)}
            hcc, onnxrt = [], []
            for _ in range(args.rounds):
                hcc.append(hcc_latency(args.bindir, bundle, threads,
                                       args.iterations))
                onnxrt.append(ort_latency(session, feed, args.iterations))
            h, o = statistics.median(hcc), statistics.median(onnxrt)
            print("%-16s %7d %12.2f %12.2f %10.3f" % (name, threads, h, o,
                                                       o / h))
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
