#!/usr/bin/env python3
"""Automatic placement against every single device, side by side, on this
machine.

For each model: compile it for each device alone (--targets=cpu,
--targets=opencl) and with automatic placement over all of them
(--targets=cpu,opencl --placement=auto, the learned cost model), then time
the bundles in interleaved rounds with hcc-bench (same process conditions,
round robin so drift hits all alike) and print the medians and the ratio
auto / best single device. Also prints, per model, the partitions of the
automatic plan with their predicted time next to the time measured in the
runtime's trace.

usage: compare_placement.py BIN_DIR MODELS_DIR [--models resnet18 ...]
         [--targets cpu,opencl] [--rounds 5] [--iterations 10]
         [--cost-model FILE] [--work DIR]
Models are MODELS_DIR/<name>.onnx (bench/placement/export_models.py).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (os.path.basename(cmd[0]),
                           (p.stderr.strip().splitlines() or ["?"])[-1]))
    return p.stdout


def bench(bindir, bundle, iterations):
    out = run([os.path.join(bindir, "hcc-bench"), bundle, "--iterations",
               str(iterations), "--warmup", "2"])
    m = re.search(r"p50 ([0-9.]+)", out)
    return float(m.group(1))


def measured_per_kernel(bindir, bundle, work):
    """Median time per kernel from the runtime's trace of a few runs."""
    trace = os.path.join(work, "trace.json")
    env = dict(os.environ, HCC_TRACE=trace)
    run([os.path.join(bindir, "hcc-bench"), bundle, "--iterations", "5",
         "--warmup", "1"], env=env)
    times = {}
    for e in json.load(open(trace))["traceEvents"]:
        if e.get("ph") == "X" and e.get("cat") == "kernel":
            times.setdefault(e["name"], []).append(e["dur"])
    return {k: statistics.median(v) for k, v in times.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bindir")
    ap.add_argument("models_dir")
    ap.add_argument("--models", nargs="*")
    ap.add_argument("--targets", default="cpu,opencl")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--cost-model")
    ap.add_argument("--work")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse bundles already in --work (same compiler)")
    ap.add_argument("--details", action="store_true",
                    help="print predicted vs measured time per partition")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="hcc-placement-")
    os.makedirs(work, exist_ok=True)
    names = args.models or sorted(
        f[:-5] for f in os.listdir(args.models_dir) if f.endswith(".onnx"))
    targets = args.targets.split(",")
    compile_ = os.path.join(args.bindir, "hcc-compile")
    plans = [("only " + t, ["--targets=" + t]) for t in targets]
    auto = ["--targets=" + args.targets, "--placement=auto"]
    if args.cost_model:
        auto.append("--cost-model=" + args.cost_model)
    plans.append(("auto", auto))
    ratios, rows = [], []
    print("%-22s %s %10s %12s  %s" % (
        "model", " ".join("%12s" % p[0] for p in plans), "auto/best", "",
        "auto plan (kernels per target)"))
    for name in names:
        model = os.path.join(args.models_dir, name + ".onnx")
        bundles = []
        try:
            for label, flags in plans:
                bundle = os.path.join(work, "%s.%s.hccb" % (
                    name, label.replace(" ", "_")))
                extra = []
                if label == "auto":
                    extra = ["--dump-placement=" +
                             os.path.join(work, name + ".plan.json")]
                if not (args.reuse and os.path.exists(bundle)):
                    run([compile_, model, "-o", bundle] + flags + extra)
                bundles.append(bundle)
        except RuntimeError as e:
            print("%-22s skipped: %s" % (name, e))
            continue
        # A plan on one device compiles to the same bundle as that device
        # alone: same code, the ratio is 1 by construction.
        same = [p[0] for p, b in zip(plans[:-1], bundles[:-1])
                if open(b, "rb").read() == open(bundles[-1], "rb").read()]
        medians = [[] for _ in bundles]
        for r in range(args.rounds):
            # Rotate the order each round: no bundle always runs after the
            # same one.
            order = list(range(len(bundles)))
            order = order[r % len(order):] + order[:r % len(order)]
            for i in order:
                medians[i].append(bench(args.bindir, bundles[i],
                                        args.iterations))
        ms = [statistics.median(m) for m in medians]
        best = min(ms[:-1])
        ratio = ms[-1] / best
        if same:
            ratio = 1.0
        ratios.append(ratio)
        plan = json.load(open(os.path.join(work, name + ".plan.json")))
        counts = {}
        for k in plan["kernels"]:
            counts[k["target"]] = counts.get(k["target"], 0) + 1
        flag = ("= " + same[0]) if same else (
            "" if ratio <= 1.05 else "SLOWER")
        print("%-22s %s %10.3f %12s  %s" % (
            name, " ".join("%10.3fms" % m for m in ms), ratio, flag,
            ", ".join("%s %d" % kv for kv in sorted(counts.items()))),
            flush=True)
        if args.details:
            measured = measured_per_kernel(args.bindir, bundles[-1], work)
            print("    %-34s %-8s %14s %14s" % ("partition (kernel)", "target",
                                               "predicted us", "measured us"))
            for k in plan["kernels"]:
                print("    %-34s %-8s %14.1f %14.1f" % (
                    k["name"][:34], k["target"], k.get("predicted_us", -1),
                    measured.get(k["name"], -1)))
            pred = plan.get("predicted", {})
            print("    predicted makespan %.1f us (%s), measured p50 %.1f us"
                  % (pred.get("makespan_us", -1), pred.get("method", "?"),
                     ms[-1] * 1000))
        rows.append((name, ms, ratio))
    if ratios:
        geo = 1.0
        for r in ratios:
            geo *= r
        geo **= 1.0 / len(ratios)
        worst = max(ratios)
        print("%d models: auto/best single device geomean %.3f, worst %.3f"
              " (%d above 1.05; plans identical to a single device count as"
              " 1.000)" % (len(ratios), geo, worst,
                           sum(r > 1.05 for r in ratios)))


if __name__ == "__main__":
    main()
