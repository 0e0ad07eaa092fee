#!/usr/bin/env python3
"""Converts float models the way deployment engineers do with ONNX Runtime's
tools, int8 (static QDQ quantization) and float16, and checks that hcc
computes what ONNX Runtime computes on the converted model.

Each MODEL.onnx (with MODEL_input.npy beside it, as torchvision_models.py
--keep writes them) is quantized by onnxruntime.quantization.quantize_static
(QDQ format, uint8 activations, int8 weights in 7 bits, calibrated on
random inputs from a fixed seed; 7 bits as ONNX Runtime advises for AVX2
processors without VNNI, where its u8 x s8 kernels saturate int16 sums of
product pairs and so would not be a reference), compiled with hcc-compile -O3 and run with hcc-run. A
model passes when every output is within two quantization steps (the scale
of the output's last DequantizeLinear) of ONNX Runtime's, as an int8 model
must be: rounding at each step may legitimately differ by one. With --fp16
the model is converted to float16 weights and activations
(onnxruntime.transformers.float16) and must match ONNX Runtime's float32
result within 1e-3 of its scale, as a float16 model can (hcc accumulates
f16 products in f32).

Needs onnx and onnxruntime with the quantization tools (.venv-onnx).
usage: converted_models.py BIN_DIR DIR --models resnet18 ... [--fp16]
Prints `N passed, N failed` last.
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat,
                                      QuantType, quantize_static)

STEPS = 2.0


class RandomCalibration(CalibrationDataReader):
    def __init__(self, name, shape, count=4):
        rng = np.random.default_rng(0)
        self.data = iter([{name: rng.standard_normal(shape).astype(np.float32)}
                          for _ in range(count)])

    def get_next(self):
        return next(self.data, None)


def output_step(model, output):
    """The scale of the DequantizeLinear that produces `output`."""
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    for n in model.graph.node:
        if output in n.output and n.op_type == "DequantizeLinear":
            return float(np.max(inits[n.input[1]]))
    return None


def check(bindir, work, name):
    src = os.path.join(work, name + ".onnx")
    x = np.load(os.path.join(work, name + "_input.npy"))
    qmodel = os.path.join(work, name + "_qdq.onnx")
    float_model = onnx.load(src)
    input_name = float_model.graph.input[0].name
    quantize_static(src, qmodel, RandomCalibration(input_name, x.shape),
                    quant_format=QuantFormat.QDQ,
                    activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8, reduce_range=True)
    q = onnx.load(qmodel)
    expected = ort.InferenceSession(
        qmodel, providers=["CPUExecutionProvider"]).run(None, {input_name: x})
    got, error = run_hcc(bindir, qmodel, x, work, name + "_qdq")
    if got is None:
        return False, error
    worst = 0.0
    for out, value, ref in zip(q.graph.output, got, expected):
        step = output_step(q, out.name)
        if step is None:
            return False, "output '%s' is not dequantized" % out.name
        worst = max(worst, float(np.max(np.abs(value - ref))) / step)
    if worst > STEPS:
        return False, "differs from ONNX Runtime by %.2f quantization steps" % worst
    return True, "within %.2f quantization steps of ONNX Runtime" % worst


def run_hcc(bindir, model, x, work, tag):
    """hcc's outputs for `model` on `x`, or an error message."""
    bundle = os.path.join(work, tag + ".hccb")
    p = subprocess.run([os.path.join(bindir, "hcc-compile"), "-O3", model,
                        "-o", bundle, "--dim", "N=%d" % x.shape[0]],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None, "compile failed: " + p.stderr.strip()[-300:]
    inp = os.path.join(work, tag + "_input.npy")
    out_dir = os.path.join(work, tag + "_out")
    np.save(inp, x)
    p = subprocess.run([os.path.join(bindir, "hcc-run"), bundle, inp, "-o",
                        out_dir], capture_output=True, text=True)
    if p.returncode != 0:
        return None, "run failed: " + p.stderr.strip()[-300:]
    outs = sorted(f for f in os.listdir(out_dir) if f.startswith("output_"))
    return [np.load(os.path.join(out_dir, f)) for f in outs], ""


def check_fp16(bindir, work, name):
    from onnxruntime.transformers.float16 import convert_float_to_float16
    src = os.path.join(work, name + ".onnx")
    x = np.load(os.path.join(work, name + "_input.npy"))
    model = onnx.load(src)
    input_name = model.graph.input[0].name
    reference = ort.InferenceSession(
        src, providers=["CPUExecutionProvider"]).run(None, {input_name: x})
    half = os.path.join(work, name + "_fp16.onnx")
    onnx.save(convert_float_to_float16(model, keep_io_types=False), half)
    got, error = run_hcc(bindir, half, x.astype(np.float16), work,
                         name + "_fp16")
    if got is None:
        return False, error
    worst = max(float(np.max(np.abs(g.astype(np.float32) - r)) /
                      max(float(np.max(np.abs(r))), 1e-30))
                for g, r in zip(got, reference))
    if worst > 1e-3:
        return False, "%.2e of scale from ONNX Runtime's float32" % worst
    return True, "%.2e of scale from ONNX Runtime's float32" % worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bindir")
    ap.add_argument("dir", help="where MODEL.onnx and MODEL_input.npy are")
    ap.add_argument("--models", nargs="+", required=True)
    ap.add_argument("--fp16", action="store_true",
                    help="float16 conversion instead of int8 quantization")
    args = ap.parse_args()
    passed = failed = 0
    for name in args.models:
        if args.fp16:
            ok, what = check_fp16(args.bindir, args.dir, name)
        else:
            ok, what = check(args.bindir, args.dir, name)
        print("%s (%s): %s: %s" % (name, "float16" if args.fp16 else
                                   "QDQ int8", "ok" if ok else "FAIL", what))
        passed += ok
        failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
