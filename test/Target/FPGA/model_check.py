#!/usr/bin/env python3
"""Checks the FPGA closed-form model against the cycle-level simulator.

Compiles a set of kernels of varied ops and shapes for an FPGA board with
hcc-opt (hcc-fpga-codegen-pipeline, simulate=true) and compares, stage by
stage, the model's cycles (hcc.fpga.estimates) with the simulator's
(hcc.fpga.simulated). Exits 1 when a stage differs by more than the
tolerance or fewer stages than --min-stages were compared.

  model_check.py build/bin/hcc-opt --board u250 [--markdown FILE]
"""
import argparse
import re
import subprocess
import sys
import tempfile

# (name, arguments, body, result type): graph-dialect kernels.
KERNELS = [
    ("matmul_64x96x128", "%a: tensor<64x96xf32>, %b: tensor<96x128xf32>",
     "graph.MatMul(%a, %b) : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32>",
     "tensor<64x128xf32>"),
    ("matmul_33x29x17", "%a: tensor<33x29xf32>, %b: tensor<29x17xf32>",
     "graph.MatMul(%a, %b) : (tensor<33x29xf32>, tensor<29x17xf32>) -> tensor<33x17xf32>",
     "tensor<33x17xf32>"),
    ("matmul_1x256x100", "%a: tensor<1x256xf32>, %b: tensor<256x100xf32>",
     "graph.MatMul(%a, %b) : (tensor<1x256xf32>, tensor<256x100xf32>) -> tensor<1x100xf32>",
     "tensor<1x100xf32>"),
    ("matmul_128x8x64", "%a: tensor<128x8xf32>, %b: tensor<8x64xf32>",
     "graph.MatMul(%a, %b) : (tensor<128x8xf32>, tensor<8x64xf32>) -> tensor<128x64xf32>",
     "tensor<128x64xf32>"),
    ("batch_matmul_4x16x32x24", "%a: tensor<4x16x32xf32>, %b: tensor<4x32x24xf32>",
     "graph.MatMul(%a, %b) : (tensor<4x16x32xf32>, tensor<4x32x24xf32>) -> tensor<4x16x24xf32>",
     "tensor<4x16x24xf32>"),
    ("gemm_bias_20x30x40",
     "%a: tensor<30x20xf32>, %b: tensor<40x30xf32>, %c: tensor<40xf32>",
     "graph.Gemm(%a, %b, %c) {transA = 1 : i64, transB = 1 : i64} : (tensor<30x20xf32>, tensor<40x30xf32>, tensor<40xf32>) -> tensor<20x40xf32>",
     "tensor<20x40xf32>"),
    ("gemm_bias_8x512x10",
     "%a: tensor<8x512xf32>, %b: tensor<10x512xf32>, %c: tensor<10xf32>",
     "graph.Gemm(%a, %b, %c) {transB = 1 : i64} : (tensor<8x512xf32>, tensor<10x512xf32>, tensor<10xf32>) -> tensor<8x10xf32>",
     "tensor<8x10xf32>"),
    ("conv3x3_8to16_10x10",
     "%x: tensor<1x8x10x10xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<16xf32>",
     "graph.Conv(%x, %w, %b) : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>",
     "tensor<1x16x8x8xf32>"),
    ("conv3x3_pad_16to16_14x14",
     "%x: tensor<1x16x14x14xf32>, %w: tensor<16x16x3x3xf32>, %b: tensor<16xf32>",
     "graph.Conv(%x, %w, %b) {pads = [1, 1, 1, 1]} : (tensor<1x16x14x14xf32>, tensor<16x16x3x3xf32>, tensor<16xf32>) -> tensor<1x16x14x14xf32>",
     "tensor<1x16x14x14xf32>"),
    ("conv1x1_32to64_7x7",
     "%x: tensor<1x32x7x7xf32>, %w: tensor<64x32x1x1xf32>, %b: tensor<64xf32>",
     "graph.Conv(%x, %w, %b) : (tensor<1x32x7x7xf32>, tensor<64x32x1x1xf32>, tensor<64xf32>) -> tensor<1x64x7x7xf32>",
     "tensor<1x64x7x7xf32>"),
    ("conv3x3_s2_3to8_17x17",
     "%x: tensor<1x3x17x17xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>",
     "graph.Conv(%x, %w, %b) {strides = [2, 2]} : (tensor<1x3x17x17xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>",
     "tensor<1x8x8x8xf32>"),
    ("depthwise3x3_16_12x12",
     "%x: tensor<1x16x12x12xf32>, %w: tensor<16x1x3x3xf32>, %b: tensor<16xf32>",
     "graph.Conv(%x, %w, %b) {group = 16 : i64, pads = [1, 1, 1, 1]} : (tensor<1x16x12x12xf32>, tensor<16x1x3x3xf32>, tensor<16xf32>) -> tensor<1x16x12x12xf32>",
     "tensor<1x16x12x12xf32>"),
    ("maxpool2x2_8_16x16", "%x: tensor<1x8x16x16xf32>",
     "graph.MaxPool(%x) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x8x16x16xf32>) -> (tensor<1x8x8x8xf32>, none)",
     "tensor<1x8x8x8xf32>"),
    ("maxpool3x3_s2_4_15x15", "%x: tensor<1x4x15x15xf32>",
     "graph.MaxPool(%x) {kernel_shape = [3, 3], strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<1x4x15x15xf32>) -> (tensor<1x4x8x8xf32>, none)",
     "tensor<1x4x8x8xf32>"),
    ("avgpool3x3_4_9x9", "%x: tensor<1x4x9x9xf32>",
     "graph.AveragePool(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]} : (tensor<1x4x9x9xf32>) -> tensor<1x4x9x9xf32>",
     "tensor<1x4x9x9xf32>"),
    ("global_avgpool_32_7x7", "%x: tensor<1x32x7x7xf32>",
     "graph.GlobalAveragePool(%x) : (tensor<1x32x7x7xf32>) -> tensor<1x32x1x1xf32>",
     "tensor<1x32x1x1xf32>"),
    ("relu_4096", "%x: tensor<4096xf32>",
     "graph.Relu(%x) : (tensor<4096xf32>) -> tensor<4096xf32>",
     "tensor<4096xf32>"),
    ("add_broadcast_37x53", "%x: tensor<37x53xf32>, %y: tensor<53xf32>",
     "graph.Add(%x, %y) : (tensor<37x53xf32>, tensor<53xf32>) -> tensor<37x53xf32>",
     "tensor<37x53xf32>"),
    ("sigmoid_3x1000", "%x: tensor<3x1000xf32>",
     "graph.Sigmoid(%x) : (tensor<3x1000xf32>) -> tensor<3x1000xf32>",
     "tensor<3x1000xf32>"),
    ("softmax_4x100", "%x: tensor<4x100xf32>",
     "graph.Softmax(%x) {axis = -1 : i64} : (tensor<4x100xf32>) -> tensor<4x100xf32>",
     "tensor<4x100xf32>"),
    ("softmax_axis1_3x40x50", "%x: tensor<3x40x50xf32>",
     "graph.Softmax(%x) {axis = 1 : i64} : (tensor<3x40x50xf32>) -> tensor<3x40x50xf32>",
     "tensor<3x40x50xf32>"),
    ("reduce_sum_4x5000", "%x: tensor<4x5000xf32>, %axes: tensor<1xi64>",
     "graph.ReduceSum(%x, %axes) : (tensor<4x5000xf32>, tensor<1xi64>) -> tensor<4x1xf32>",
     "tensor<4x1xf32>"),
    ("reduce_mean_3x40x50", "%x: tensor<3x40x50xf32>, %axes: tensor<1xi64>",
     "graph.ReduceMean(%x, %axes) {keepdims = 0 : i64} : (tensor<3x40x50xf32>, tensor<1xi64>) -> tensor<3x50xf32>",
     "tensor<3x50xf32>"),
    ("transpose_64x48", "%x: tensor<64x48xf32>",
     "graph.Transpose(%x) : (tensor<64x48xf32>) -> tensor<48x64xf32>",
     "tensor<48x64xf32>"),
    ("batchnorm_16_10x10",
     "%x: tensor<1x16x10x10xf32>, %s: tensor<16xf32>, %b: tensor<16xf32>, %m: tensor<16xf32>, %v: tensor<16xf32>",
     "graph.BatchNormalization(%x, %s, %b, %m, %v) : (tensor<1x16x10x10xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<1x16x10x10xf32>, none, none)",
     "tensor<1x16x10x10xf32>"),
    ("concat_2x24x24", "%x: tensor<2x24x24xf32>, %y: tensor<2x24x24xf32>",
     "graph.Concat(%x, %y) {axis = 1 : i64} : (tensor<2x24x24xf32>, tensor<2x24x24xf32>) -> tensor<2x48x24xf32>",
     "tensor<2x48x24xf32>"),
]


def module_text(name, args, body, result):
    value = {"graph.MaxPool": "%r, %i",
             "graph.BatchNormalization": "%r, %m1, %m2"}.get(
                 body[:body.index("(")], "%r")
    return (f"func.func @{name}({args}) -> {result} attributes "
            f"{{exec.kernel}} {{\n  {value} = {body}\n  return %r : {result}\n}}\n")


def attribute(text, name):
    """The text of module attribute `name`'s dictionary."""
    start = text.index(name + " = {") + len(name) + 3
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start + 1:i]
    raise ValueError(f"unterminated {name}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("hcc_opt")
    parser.add_argument("--board", default="u250")
    parser.add_argument("--tolerance", type=float, default=0.10)
    parser.add_argument("--min-stages", type=int, default=20)
    parser.add_argument("--markdown")
    args = parser.parse_args()

    rows, failures = [], []
    for name, fargs, body, result in KERNELS:
        with tempfile.NamedTemporaryFile("w", suffix=".mlir") as f:
            f.write(module_text(name, fargs, body, result))
            f.flush()
            run = subprocess.run(
                [args.hcc_opt, f.name,
                 f"--hcc-fpga-codegen-pipeline=board={args.board} "
                 "simulate=true"], capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"{name}: hcc-opt failed:\n{run.stderr}")
            continue
        estimates = attribute(run.stdout, "hcc.fpga.estimates")
        simulated = attribute(run.stdout, "hcc.fpga.simulated")
        model = {m.group(1): int(m.group(2)) for m in re.finditer(
            r"(\w+) = \{cycles = (\d+) : i64", estimates)}
        sim = {m.group(1): int(m.group(2)) for m in re.finditer(
            r"(\w+) = (\d+) : i64", simulated)}
        if not model or model.keys() != sim.keys():
            failures.append(f"{name}: stages differ: {model} vs {sim}")
            continue
        for stage in model:
            error = (model[stage] - sim[stage]) / max(sim[stage], 1)
            rows.append((name, stage, model[stage], sim[stage], error))
            if abs(error) > args.tolerance:
                failures.append(f"{name}/{stage}: model {model[stage]}, "
                                f"simulated {sim[stage]} ({error:+.1%})")

    header = f"{'kernel':28} {'stage':34} {'model':>10} {'simulated':>10} {'error':>8}"
    print(f"FPGA model vs cycle-level simulator, board {args.board} (MODELLED)")
    print(header)
    for name, stage, m, s, e in rows:
        print(f"{name:28} {stage:34} {m:>10} {s:>10} {e:>+8.1%}")
    worst = max((abs(r[4]) for r in rows), default=0)
    print(f"{len(rows)} stages of {len(KERNELS)} kernels, worst |error| "
          f"{worst:.1%} (tolerance {args.tolerance:.0%})")
    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write(f"| kernel | stage | model cycles | simulated cycles | error |\n")
            out.write("|---|---|---:|---:|---:|\n")
            for name, stage, m, s, e in rows:
                out.write(f"| {name} | {stage} | {m} | {s} | {e:+.1%} |\n")
    if len(rows) < args.min_stages:
        failures.append(f"only {len(rows)} stages compared, fewer than "
                        f"{args.min_stages}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
