#!/usr/bin/env python3
"""A model compiled with the defaults against the same model compiled with
a tuning log (hcc-tune's), side by side in one run: the two bundles run
back to back (the order alternating) in each of --rounds rounds of
--iterations runs; prints each bundle's median latency (over rounds of each
round's p50) and the speed-up default/tuned, the median of the per-round
ratios, which keeps the comparison fair on a machine whose speed drifts.

usage: bench/tune_compare.py BIN_DIR MODEL.onnx TUNING.jsonl
                             [--targets opencl] [--threads 1] [--rounds 7]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile


def compile_bundle(bindir, model, out, targets, log=None):
    cmd = [os.path.join(bindir, "hcc-compile"), "-O3", model, "-o", out]
    if targets:
        cmd.append("--targets=" + targets)
    if log:
        cmd.append("--tuning-log=" + log)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("hcc-compile failed: " + p.stderr.strip())
    return p.stderr.strip()


def p50(bindir, bundle, threads, iterations):
    p = subprocess.run([os.path.join(bindir, "hcc-bench"), bundle,
                        "--threads", str(threads), "--iterations",
                        str(iterations), "--warmup", "3"],
                       capture_output=True, text=True, check=True)
    return float(re.search(r"p50 ([0-9.]+)", p.stdout).group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bindir")
    ap.add_argument("model")
    ap.add_argument("log")
    ap.add_argument("--targets", default="")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--iterations", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        default = os.path.join(work, "default.hccb")
        tuned = os.path.join(work, "tuned.hccb")
        compile_bundle(args.bindir, args.model, default, args.targets)
        print(compile_bundle(args.bindir, args.model, tuned, args.targets,
                             args.log))
        times = {"default": [], "tuned": []}
        ratios = []
        for r in range(args.rounds):
            order = [("default", default), ("tuned", tuned)]
            if r % 2:
                order.reverse()
            got = {name: p50(args.bindir, b, args.threads, args.iterations)
                   for name, b in order}
            for name in got:
                times[name].append(got[name])
            ratios.append(got["default"] / got["tuned"])
            print("round %d: default %.2f ms, tuned %.2f ms, %.3fx"
                  % (r + 1, got["default"], got["tuned"], ratios[-1]),
                  flush=True)
    print("%s (%s, %d thread(s)): default %.2f ms, tuned %.2f ms; "
          "speed-up %.3fx (median of %d rounds; lowest %.3fx)"
          % (os.path.basename(args.model), args.targets or "host",
             args.threads, statistics.median(times["default"]),
             statistics.median(times["tuned"]), statistics.median(ratios),
             args.rounds, min(ratios)))


if __name__ == "__main__":
    main()
