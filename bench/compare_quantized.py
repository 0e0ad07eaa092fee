#!/usr/bin/env python3
"""Float against int8 (QDQ, ONNX Runtime's static quantizer) on the same
models, for hcc and ONNX Runtime, interleaved in one run.

Each torchvision model is exported with random weights by
test/Models/torchvision_models.py (Debian's torch), quantized as
test/Models/converted_models.py does (QDQ, uint8 activations, int8 weights,
random calibration), and both versions are compiled with hcc-compile -O3.
For every thread count the four engines (hcc float, hcc int8, ORT float,
ORT int8) alternate for --rounds rounds; each figure is the median of the
rounds' medians. Prints the float/int8 latency ratio for hcc (> 1: the
quantized model is faster) and ORT-int8/hcc-int8 (> 1: hcc is faster).

Run with the onnx/onnxruntime environment (.venv-onnx); opt-in, minutes.
usage: bench/compare_quantized.py BIN_DIR [--models resnet18 ...]
                                  [--threads 1 2] [--rounds 5]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.quantization import QuantFormat, QuantType, quantize_static

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "..", "test", "Models")
sys.path.insert(0, MODELS)
sys.path.insert(0, HERE)
from compare_ort import hcc_latency, ort_latency  # noqa: E402
from converted_models import RandomCalibration  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bindir")
    ap.add_argument("--models", nargs="*", default=["resnet18"])
    ap.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--python", default="/usr/bin/python3",
                    help="the interpreter with torch (exports the models)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="hcc-quant-")
    subprocess.run([args.python, os.path.join(MODELS, "torchvision_models.py"),
                    args.bindir, "--models", *args.models, "--keep", work],
                   check=True, stdout=subprocess.DEVNULL)
    print("%-14s %7s %10s %10s %10s %10s %11s %13s" % (
        "model", "threads", "hcc f32", "hcc int8", "ORT f32", "ORT int8",
        "hcc f32/i8", "ORT i8/hcc i8"))
    for name in args.models:
        src = os.path.join(work, name + ".onnx")
        qdq = os.path.join(work, name + "_qdq.onnx")
        x = np.load(os.path.join(work, name + "_input.npy"))
        input_name = onnx.load(src).graph.input[0].name
        quantize_static(src, qdq, RandomCalibration(input_name, x.shape),
                        quant_format=QuantFormat.QDQ,
                        activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8)
        bundles = {}
        for tag, path in (("f32", src), ("int8", qdq)):
            bundles[tag] = path + ".hccb"
            subprocess.run([os.path.join(args.bindir, "hcc-compile"), path,
                            "-O3", "-o", bundles[tag]], check=True)
        for threads in args.threads:
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            sessions = {tag: ort.InferenceSession(
                path, opts, providers=["CPUExecutionProvider"])
                for tag, path in (("f32", src), ("int8", qdq))}
            feed = {input_name: x}
            times = {k: [] for k in ("hf", "hq", "of", "oq")}
            for _ in range(args.rounds):
                times["hf"].append(hcc_latency(args.bindir, bundles["f32"],
                                               threads, args.iterations))
                times["hq"].append(hcc_latency(args.bindir, bundles["int8"],
                                               threads, args.iterations))
                times["of"].append(ort_latency(sessions["f32"], feed,
                                               args.iterations))
                times["oq"].append(ort_latency(sessions["int8"], feed,
                                               args.iterations))
            m = {k: statistics.median(v) for k, v in times.items()}
            print("%-14s %7d %10.2f %10.2f %10.2f %10.2f %11.3f %13.3f" % (
                name, threads, m["hf"], m["hq"], m["of"], m["oq"],
                m["hf"] / m["hq"], m["oq"] / m["hq"]))
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
