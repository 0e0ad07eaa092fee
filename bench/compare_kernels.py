#!/usr/bin/env python3
"""hcc's kernels against ONNX Runtime's nodes on one model, kernel by kernel.

Where compare_ort.py says how far apart the two engines are on a model,
this says where: each hcc kernel's time (the runtime trace) beside the time
ORT's profiler gives the ONNX nodes that kernel computes, sorted by how far
behind hcc is. ORT's nodes are matched through the placement dump's node
lists; nodes ORT renamed (its NCHWc rewrite names them after their output,
its fusions append "/<Fusion>/") are matched by output name or by the
longest node-name prefix. ORT's layout reorders belong to no kernel and are
shown apart.

Both engines run in the same rounds, interleaved (ORT profiled, then hcc
traced, --rounds times); a figure is the minimum over rounds of each
round's median, which keeps a noisy machine's slow phases out of the
comparison. Profiling adds a few microseconds per ORT node: small nodes
read slower than they run.

usage: bench/compare_kernels.py BIN_DIR MODEL [--threads 1] [--rounds 3]
                                [--iterations 20] [--top 25]
MODEL: a torchvision model name (exported with random weights, as
compare_ort.py does) or a path to an .onnx file.
"""
import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "Models"))
from torchvision_models import export  # noqa: E402


def ort_node_times(model, threads, iterations, prefix):
    """Median time (us) per ORT node over `iterations` profiled runs."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.enable_profiling = True
    opts.profile_file_prefix = prefix
    session = ort.InferenceSession(model, opts,
                                   providers=["CPUExecutionProvider"])
    feed = {}
    for i in session.get_inputs():
        shape = [d if isinstance(d, int) else 1 for d in i.shape]
        dtype = np.float32 if "float" in i.type else np.int64
        feed[i.name] = np.random.rand(*shape).astype(dtype)
    for _ in range(iterations + 2):
        session.run(None, feed)
    path = session.end_profiling()
    times = collections.defaultdict(list)
    with open(path) as f:
        for e in json.load(f):
            name = e.get("name", "")
            if e.get("cat") == "Node" and name.endswith("_kernel_time"):
                times[name[:-len("_kernel_time")]].append(e["dur"])
    os.remove(path)
    return {k: statistics.median(v[2:] or v) for k, v in times.items()}


def hcc_kernel_times(bindir, bundle, threads, iterations, trace):
    """Median time (us) per hcc kernel over `iterations` traced runs."""
    env = dict(os.environ, HCC_TRACE=trace)
    subprocess.run([os.path.join(bindir, "hcc-bench"), bundle, "--threads",
                    str(threads), "--iterations", str(iterations),
                    "--warmup", "2"], env=env, check=True,
                   capture_output=True)
    times = collections.defaultdict(list)
    with open(trace) as f:
        for e in json.load(f).get("traceEvents", []):
            if e.get("ph") == "X" and e.get("cat") == "kernel":
                times[e["name"]].append(e["dur"])
    return {k: statistics.median(v) for k, v in times.items()}


def node_matcher(model):
    """Maps an ORT node name to the ONNX node it stands for (or None)."""
    graph = onnx.load(model, load_external_data=False).graph
    names = {n.name for n in graph.node}
    by_output = {o: n.name for n in graph.node for o in n.output}

    def match(name):
        if name in names:
            return name
        base = name[:-len("_nchwc")] if name.endswith("_nchwc") else name
        if base in by_output:
            return by_output[base]
        parts = name.rstrip("/").split("/")
        for i in range(len(parts) - 1, 0, -1):
            if "/".join(parts[:i]) in names:
                return "/".join(parts[:i])
        return None
    return match


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bindir")
    ap.add_argument("model")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="hcc-kernels-")
    model = args.model
    if not os.path.exists(model):
        model = os.path.join(work, args.model + ".onnx")
        export(args.model, model)
    bundle = os.path.join(work, "model.hccb")
    placement = os.path.join(work, "placement.json")
    subprocess.run([os.path.join(args.bindir, "hcc-compile"), model, "-O3",
                    "-o", bundle, "--dump-placement", placement],
                   check=True, capture_output=True)
    with open(placement) as f:
        kernels = json.load(f)["kernels"]
    match = node_matcher(model)

    ort_rounds, hcc_rounds = [], []
    for _ in range(args.rounds):
        ort_rounds.append(ort_node_times(model, args.threads,
                                         args.iterations,
                                         os.path.join(work, "ort")))
        hcc_rounds.append(hcc_kernel_times(args.bindir, bundle, args.threads,
                                           args.iterations,
                                           os.path.join(work, "trace.json")))

    def fastest(rounds, key):
        values = [r[key] for r in rounds if key in r]
        return min(values) if values else 0.0

    # ORT's time per ONNX node (its renamed and fused nodes folded in).
    ort_by_node = collections.defaultdict(float)
    unmatched = collections.defaultdict(float)
    for name in set().union(*ort_rounds):
        t = fastest(ort_rounds, name)
        node = match(name)
        if node is None:
            unmatched[name] += t
        else:
            ort_by_node[node] += t
    rows = []
    for k in kernels:
        h = fastest(hcc_rounds, k["name"])
        o = sum(ort_by_node.get(n, 0.0) for n in k["nodes"])
        feat = k.get("features", {})
        rows.append((h - o, k["name"], h, o, feat))
    total_h = sum(r[2] for r in rows)
    total_o = sum(r[3] for r in rows) + sum(unmatched.values())
    print("%s, %d thread(s): hcc kernels %.0f us, ORT nodes %.0f us "
          "(of which %.0f us in nodes of no kernel: layout reorders)"
          % (args.model, args.threads, total_h, total_o,
             sum(unmatched.values())))
    print("%8s %8s %8s %6s  %-44s %s" % ("hcc-ORT", "hcc us", "ORT us",
                                         "ratio", "kernel", "shape"))
    for diff, name, h, o, feat in sorted(rows, reverse=True)[:args.top]:
        shape = "%s m%s n%s k%s g%s s%s" % (
            feat.get("op", "?"), feat.get("m"), feat.get("n"), feat.get("k"),
            feat.get("groups"), feat.get("stride"))
        print("%8.0f %8.0f %8.0f %6.2f  %-44s %s"
              % (diff, h, o, o / h if h else 0.0, name[:44], shape))
    return 0


if __name__ == "__main__":
    sys.exit(main())
