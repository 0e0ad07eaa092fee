#!/usr/bin/env python3
"""Exports torchvision classifiers (and a small transformer encoder) with
random weights, compiles them with hcc-compile, runs them with hcc-run and
compares with torch's own output.

A model passes when max|hcc - torch| <= 1e-3 * max|torch| (the output's
scale). Models are generated at test time (torch.manual_seed fixed) and
never committed; nothing is downloaded (weights=None).

usage: torchvision_models.py BIN_DIR [--models resnet18 ...] [--keep DIR]
                             [--compile-flags="--targets=opencl"]
Prints one line per model and `N passed, N failed`. --compile-flags runs the
models on other targets or placements (e.g. "--targets=cpu,opencl
--placement-strategy=alternate").
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

DEFAULT_MODELS = ["resnet18", "mobilenet_v2", "squeezenet1_1"]


def export_transformer(path, batch=1, seq=16, width=64, heads=4, ffn=128,
                       layers=2, activation="relu"):
    """A transformer encoder: by default 2 small layers (4 heads, ReLU FFN);
    bert_base_2l is two layers of BERT-base's size (768 wide, 12 heads,
    3072 FFN, GELU, sequence 128), which torch exports with Erf."""
    import torch
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(
        d_model=width, nhead=heads, dim_feedforward=ffn, dropout=0.0,
        activation=activation, batch_first=True)
    model = torch.nn.TransformerEncoder(layer, num_layers=layers,
                                        enable_nested_tensor=False).eval()
    x = torch.randn(batch, seq, width)
    with torch.no_grad():
        expected = model(x).numpy()
    torch.onnx.export(model, x, path, opset_version=13,
                      input_names=["input"], output_names=["output"])
    return x.numpy(), expected


def export_recurrent(path, kind, batch=2, seq=20, features=32, hidden=64):
    """A 2-layer bidirectional LSTM or GRU over a [batch, seq, features]
    sequence (batch first), with a linear head on every step."""
    import torch
    torch.manual_seed(0)

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            cls = torch.nn.LSTM if kind == "lstm" else torch.nn.GRU
            self.rnn = cls(features, hidden, num_layers=2, batch_first=True,
                           bidirectional=True)
            self.head = torch.nn.Linear(2 * hidden, 10)

        def forward(self, x):
            return self.head(self.rnn(x)[0])

    model = Model().eval()
    x = torch.randn(batch, seq, features)
    with torch.no_grad():
        expected = model(x).numpy()
    torch.onnx.export(model, x, path, opset_version=14,
                      input_names=["input"], output_names=["output"])
    return x.numpy(), expected


def export(name, path, batch=1, size=224):
    if name == "transformer_encoder":
        return export_transformer(path, batch)
    if name in ("lstm_seq", "gru_seq"):
        return export_recurrent(path, name[:-4])
    if name == "bert_base_2l":
        return export_transformer(path, batch, seq=128, width=768, heads=12,
                                  ffn=3072, layers=2, activation="gelu")
    import torch
    import torchvision
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None).eval()
    x = torch.randn(batch, 3, size, size)
    with torch.no_grad():
        expected = model(x).numpy()
    torch.onnx.export(model, x, path, opset_version=13,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})
    return x.numpy(), expected


def check(bindir, name, work, flags):
    model = os.path.join(work, name + ".onnx")
    bundle = os.path.join(work, name + ".hccb")
    x, expected = export(name, model)
    np.save(os.path.join(work, name + "_input.npy"), x)
    t0 = time.time()
    p = subprocess.run([os.path.join(bindir, "hcc-compile"), model, "-o",
                        bundle] + flags, capture_output=True, text=True)
    compile_s = time.time() - t0
    if p.returncode != 0:
        return False, "compile failed: " + (p.stderr.strip().splitlines()
                                            or ["?"])[-1]
    out = os.path.join(work, name + "_out")
    p = subprocess.run([os.path.join(bindir, "hcc-run"), bundle,
                        os.path.join(work, name + "_input.npy"), "-o", out],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return False, "run failed: " + (p.stderr.strip().splitlines()
                                        or ["?"])[-1]
    got = np.load(os.path.join(out, "output_0.npy"))
    if got.shape != expected.shape:
        return False, "shape %s, torch %s" % (got.shape, expected.shape)
    scale = float(np.max(np.abs(expected)))
    err = float(np.max(np.abs(got - expected)))
    ok = err <= 1e-3 * scale
    return ok, ("max abs err %.3g, output scale %.3g (%.2g of scale), "
                "compile %.1f s" % (err, scale, err / scale, compile_s))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bindir")
    ap.add_argument("--models", nargs="*", default=DEFAULT_MODELS)
    ap.add_argument("--keep", help="keep models and bundles in this dir")
    ap.add_argument("--compile-flags", default="",
                    help="extra hcc-compile flags (targets, placement)")
    args = ap.parse_args()
    flags = args.compile_flags.split()
    work = args.keep or tempfile.mkdtemp(prefix="hcc-models-")
    os.makedirs(work, exist_ok=True)
    passed = failed = 0
    try:
        for name in args.models:
            ok, message = check(args.bindir, name, work, flags)
            print("%s: %s: %s" % (name, "ok" if ok else "FAIL", message))
            sys.stdout.flush()
            passed += ok
            failed += not ok
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
