#!/usr/bin/env python3
"""Packs what a session with a lent GPU machine runs (bench/gpu/run.sh).

That machine has the NVIDIA driver, torch and onnxruntime but no MLIR: the
bundles are compiled here, and the runtime build (no LLVM dependency)
travels with them. The device tool carries at most 64 MiB, so the work
comes in sets, one carry each:

  node     every ONNX node test that compiles for CUDA, bundle + data sets
  node-opencl  the same for the GPU-shaped OpenCL target, run on the
           machine's NVIDIA OpenCL device (both node sets also carry the
           runtime's unit tests, run there for the driver of that set)
  models   mobilenet_v2 and the transformer encoder (fp32 and tf32 bundles,
           torch CPU reference outputs), a 4096^3 MatMul (fp32, tf32, fp16, bf16)
  resnet18 resnet18 (fp32 bundle, reference output)
  models-opencl  mobilenet_v2 and the transformer encoder for the
           GPU-shaped OpenCL target, run on NVIDIA's OpenCL

usage: bench/gpu/pack.py BUILD_DIR --set node|node-opencl|models|models-opencl|resnet18 [--out DIR]
Then: run(command="bash bench/gpu/run.sh build/gpu-pack", carry=["build/gpu-pack"])
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NODE = "/usr/share/libonnx-testdata/data/node"
LIMIT = 64 << 20


# What each node set compiles for, its expected failures (compile-side), and
# the hcc-run flags that pick the GPU there.
NODE_SETS = {
    "node": (["--targets=cuda"], "cuda-ptx.txt", []),
    "node-opencl": (["--targets=opencl", "--target-config=opencl:gpu-shape=1"],
                    "opencl-gpu.txt", ["--device", "opencl=NVIDIA"]),
}


def compile_bundle(bindir, model, out, flags):
    if not any(f.startswith("--targets=") for f in flags):
        flags = ["--targets=cuda"] + flags
    p = subprocess.run([os.path.join(bindir, "hcc-compile"), model, "-o", out]
                       + flags, capture_output=True,
                       text=True)
    return p.returncode == 0, (p.stderr.strip().splitlines() or [""])[-1]


def pack_node(bindir, out, flags, xfail_list, run_flags):
    xfail = set()
    with open(os.path.join(out, "RUNFLAGS"), "w") as f:
        f.write(" ".join(run_flags) + "\n")
    for line in open(os.path.join(ROOT, "test/Conformance/xfail", xfail_list)):
        if line.strip() and not line.startswith("#"):
            xfail.add(line.split()[0])
    count = 0
    for test in sorted(os.listdir(NODE)):
        if test in xfail:
            continue
        dst = os.path.join(out, "node", test)
        os.makedirs(dst)
        ok, why = compile_bundle(bindir, os.path.join(NODE, test, "model.onnx"),
                                 os.path.join(dst, "model.hccb"), flags)
        if not ok:
            print("%s: %s" % (test, why), file=sys.stderr)
            shutil.rmtree(dst)
            continue
        for ds in glob.glob(os.path.join(NODE, test, "test_data_set_*")):
            shutil.copytree(ds, os.path.join(dst, os.path.basename(ds)))
        count += 1
    print("node: %d tests" % count)


def pack_models(bindir, out, names, flag_sets):
    sys.path.insert(0, os.path.join(ROOT, "test", "Models"))
    import numpy as np
    from torchvision_models import export
    models = os.path.join(out, "models")
    os.makedirs(models)
    for name in names:
        onnx = os.path.join(models, name + ".onnx")
        x, expected = export(name, onnx)
        np.save(os.path.join(models, name + "_input.npy"), x)
        np.save(os.path.join(models, name + "_expected.npy"), expected)
        for tag, flags in flag_sets:
            ok, why = compile_bundle(bindir, onnx, os.path.join(
                models, "%s_%s.hccb" % (name, tag)), flags)
            if not ok:
                sys.exit("%s (%s): %s" % (name, tag, why))
        os.remove(onnx)
        print("models: %s" % name)


def pack_matmul(bindir, out):
    # Both operands are inputs (generated on the GPU machine): no weights.
    text = ("<ir_version: 8, opset_import: [\"\" : 17]>\n"
            "mm (float[4096, 4096] a, float[4096, 4096] b) => "
            "(float[4096, 4096] y) { y = MatMul(a, b) }\n")
    src = os.path.join(out, "matmul4096.onnxtxt")
    with open(src, "w") as f:
        f.write(text)
    for precision in ("fp32", "tf32", "fp16", "bf16"):
        ok, why = compile_bundle(bindir, src, os.path.join(
            out, "models", "matmul4096_%s.hccb" % precision),
            ["--precision=" + precision])
        if not ok:
            sys.exit("matmul4096 (%s): %s" % (precision, why))
    os.remove(src)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build")
    ap.add_argument("--set", required=True,
                    choices=sorted(NODE_SETS) + ["models", "models-opencl",
                                                 "resnet18"])
    ap.add_argument("--out", help="default: BUILD/gpu-pack")
    args = ap.parse_args()
    bindir = os.path.join(args.build, "bin")
    out = args.out or os.path.join(args.build, "gpu-pack")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    # The runtime and its tools (they find libhcc_runtime through RPATH
    # $ORIGIN/../lib).
    for tool in ("hcc-run", "hcc-bench"):
        os.makedirs(os.path.join(out, "bin"), exist_ok=True)
        shutil.copy2(os.path.join(bindir, tool), os.path.join(out, "bin"))
    os.makedirs(os.path.join(out, "lib"))
    for lib in glob.glob(os.path.join(args.build, "lib", "libhcc_runtime.so*")):
        shutil.copy2(lib, os.path.join(out, "lib"), follow_symlinks=False)
    # Debian's protobuf and ONNX proto libraries hcc-run reads .pb with (the
    # GPU machine's image has neither); glibc and libstdc++ are its own.
    ldd = subprocess.run(["ldd", os.path.join(bindir, "hcc-run")],
                         capture_output=True, text=True).stdout
    for line in ldd.splitlines():
        parts = line.split("=>")
        if len(parts) == 2 and any(n in parts[0] for n in
                                   ("libonnx_proto", "libprotobuf", "libz.")):
            shutil.copy2(parts[1].split()[0], os.path.join(out, "lib"))
    with open(os.path.join(out, "SET"), "w") as f:
        f.write(args.set + "\n")
    if args.set in NODE_SETS:
        pack_node(bindir, out, *NODE_SETS[args.set])
        # The driver unit tests (self-contained) run on that machine's
        # device too: arena ranges, two-stage kernels, errors.
        tests = os.path.join(args.build, "runtime", "test",
                             "hcc_runtime_unittests")
        if os.path.exists(tests):
            shutil.copy2(tests, os.path.join(out, "bin"))
    elif args.set == "models-opencl":
        pack_models(bindir, out, ["mobilenet_v2", "transformer_encoder"],
                    [("ocl", ["--targets=opencl",
                              "--target-config=opencl:gpu-shape=1"])])
    elif args.set == "models":
        pack_models(bindir, out, ["mobilenet_v2", "transformer_encoder"],
                    [("fp32", []), ("tf32", ["--precision=tf32"])])
        pack_matmul(bindir, out)
    else:
        pack_models(bindir, out, ["resnet18"], [("fp32", [])])
    size = sum(os.path.getsize(p) for p in glob.glob(
        os.path.join(out, "**"), recursive=True) if os.path.isfile(p))
    print("%s: %.1f MiB%s" % (out, size / 2**20,
                              "" if size < LIMIT else " -- over the 64 MiB carry limit"))
    return 0 if size < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
