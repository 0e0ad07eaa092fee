#!/usr/bin/env python3
"""What a call of hcc.Session.run costs on a one-op model (Relu of
[1, 16] float32), beside onnxruntime.InferenceSession.run on the same model
and the runtime's C ABI alone (hcc-bench: hcc_session_run in a C++ loop,
outputs reused), one thread each, interleaved in every round.

Per round, each way is called --calls times and its mean per call taken;
a figure is the median over --rounds rounds. Prints hcc's Python overhead
over the C ABI (run() with runtime-created outputs, and with out=, which
reuses the caller's arrays as hcc-bench does) and the ratio ORT/hcc (> 1:
hcc's Python call is cheaper).

usage: bench/python_overhead.py BUILD_DIR [--rounds 7] [--calls 20000]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("build", help="the build directory (build/)")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--calls", type=int, default=20000)
    a = p.parse_args()
    if a.rounds < 1 or a.calls < 1:
        p.error("--rounds and --calls must be positive")
    sys.path.insert(0, os.path.join(a.build, "python"))
    import numpy as np
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper

    import hcc

    x_info = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16])
    y_info = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 16])
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])],
                              "relu16", [x_info], [y_info])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    work = tempfile.mkdtemp(prefix="hcc-overhead-")
    model_path = os.path.join(work, "relu16.onnx")
    onnx.save(model, model_path)
    bundle = hcc.compile(model_path, output=os.path.join(work, "relu16.hccb"))

    sess = hcc.Session(bundle, threads=1)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    ort_sess = ort.InferenceSession(model_path, options,
                                    providers=["CPUExecutionProvider"])
    x = np.random.default_rng(0).standard_normal((1, 16)).astype(np.float32)
    out = np.empty((1, 16), np.float32)
    feeds = {"x": x}
    np.testing.assert_array_equal(sess.run(feeds)[0],
                                  ort_sess.run(None, feeds)[0])

    def per_call(fn):
        for _ in range(100):
            fn()
        t0 = time.perf_counter()
        for _ in range(a.calls):
            fn()
        return (time.perf_counter() - t0) / a.calls * 1e6

    bench = os.path.join(a.build, "bin", "hcc-bench")

    def c_abi():
        text = subprocess.run(
            [bench, bundle, "--threads", "1", "--iterations", str(a.calls),
             "--warmup", "100"], check=True, capture_output=True,
            text=True).stdout
        runs = float(re.search(r"throughput: ([0-9.]+) runs/s", text).group(1))
        return 1e6 / runs

    ways = {
        "hcc run()": lambda: per_call(lambda: sess.run(feeds)),
        "hcc run(out=)": lambda: per_call(lambda: sess.run(feeds, out=[out])),
        "ORT run()": lambda: per_call(lambda: ort_sess.run(None, feeds)),
        "C ABI": c_abi,
    }
    times = {k: [] for k in ways}
    for r in range(a.rounds):
        for name, way in ways.items():
            times[name].append(way())
        print("round %d: %s" % (r + 1, ", ".join(
            "%s %.2f us" % (k, v[-1]) for k, v in times.items())))
    med = {k: statistics.median(v) for k, v in times.items()}
    print("one-op model (Relu [1,16] f32), 1 thread, median of %d rounds of "
          "%d calls:" % (a.rounds, a.calls))
    for k, v in med.items():
        print("  %-14s %8.2f us per call" % (k, v))
    print("hcc Python overhead over the C ABI: %.2f us (run()), %.2f us "
          "(run(out=)); bar: <= 20 us" % (med["hcc run()"] - med["C ABI"],
                                          med["hcc run(out=)"] - med["C ABI"]))
    print("ORT/hcc: %.2fx (run()), %.2fx (run(out=))"
          % (med["ORT run()"] / med["hcc run()"],
             med["ORT run()"] / med["hcc run(out=)"]))
    sess.close()


if __name__ == "__main__":
    main()
