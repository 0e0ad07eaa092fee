#!/usr/bin/env python3
"""Exports the models the cost model is profiled on and placement is
benchmarked with (random weights, nothing downloaded) into a directory.

usage: export_models.py OUT_DIR [--models resnet18 ...]
Skips models whose .onnx already exists.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "test", "Models"))
from torchvision_models import export  # noqa: E402

# Twelve model families: residual, inverted-residual, depthwise, grouped,
# squeeze-excite, fire modules, plain convolutional, attention, recurrent.
MODELS = ["resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small",
          "squeezenet1_1", "shufflenet_v2_x0_5", "mnasnet0_5",
          "efficientnet_b0", "regnet_x_400mf", "alexnet",
          "transformer_encoder", "lstm_seq", "gru_seq"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--models", nargs="*", default=MODELS)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in args.models:
        path = os.path.join(args.out, name + ".onnx")
        if os.path.exists(path):
            continue
        export(name, path)
        print("exported", path, flush=True)


if __name__ == "__main__":
    main()
