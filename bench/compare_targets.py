#!/usr/bin/env python3
"""hcc's OpenCL target (on this machine's OpenCL device, e.g. PoCL) against
its CPU target, on the same models and thread count, interleaved in one run;
prints each target's median latency and the throughput ratio OpenCL/CPU.

Models: a 1024x1024x1024 f32 MatMul (GFLOP/s printed too) and torchvision
models exported with random weights (nothing is downloaded). Each is
compiled twice, `--targets=cpu` and `--targets=opencl`; for every round the
two bundles alternate under hcc-bench and the figure per target is the
median over rounds of each round's median. The CPU target runs on
--threads runtime workers, the OpenCL device on the same number of PoCL
threads (POCL_MAX_PTHREAD_COUNT).

usage: bench/compare_targets.py BIN_DIR [--models matmul1024 resnet18 ...]
                                [--threads 2] [--rounds 5] [--iterations 10]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "Models"))


def matmul_model(path, n):
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(0)
    b = numpy_helper.from_array(
        rng.standard_normal((n, n)).astype(np.float32), "b")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["y"])], "matmul",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [n, n])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [n, n])], [b])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, path)
    return 2.0 * n * n * n


def latency(bindir, bundle, threads, iterations):
    env = dict(os.environ, POCL_MAX_PTHREAD_COUNT=str(threads))
    p = subprocess.run([os.path.join(bindir, "hcc-bench"), bundle,
                        "--threads", str(threads), "--iterations",
                        str(iterations), "--warmup", "2"],
                       capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip())
    return float(re.search(r"p50 ([0-9.]+)", p.stdout).group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bindir")
    ap.add_argument("--models", nargs="*", default=["matmul1024", "resnet18"])
    ap.add_argument("--threads", nargs="*", type=int, default=[2])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iterations", type=int, default=10)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="hcc-targets-")
    print("%-12s %7s %10s %10s %12s %12s %14s" % (
        "model", "threads", "cpu ms", "opencl ms", "cpu GFLOP/s",
        "ocl GFLOP/s", "opencl/cpu"))
    for name in args.models:
        model = os.path.join(work, name + ".onnx")
        flops = None
        if name.startswith("matmul"):
            flops = matmul_model(model, int(name[len("matmul"):]))
        else:
            from torchvision_models import export
            export(name, model)
        bundles = {}
        for target in ("cpu", "opencl"):
            bundles[target] = os.path.join(work, "%s.%s.hccb" % (name, target))
            subprocess.run([os.path.join(args.bindir, "hcc-compile"), model,
                            "-O3", "--targets=" + target, "-o",
                            bundles[target]], check=True)
        for threads in args.threads:
            times = {"cpu": [], "opencl": []}
            for _ in range(args.rounds):
                for target in ("cpu", "opencl"):
                    times[target].append(latency(args.bindir, bundles[target],
                                                 threads, args.iterations))
            c = statistics.median(times["cpu"])
            o = statistics.median(times["opencl"])
            gf = lambda ms: "%12.1f" % (flops / ms / 1e6) if flops else \
                "%12s" % "-"
            print("%-12s %7d %10.2f %10.2f %s %s %14.3f" % (
                name, threads, c, o, gf(c), gf(o), c / o))
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
