"""Shared by gemm_shapes.py and conv_shapes.py: compiles a model, runs it
at 1 and 2 threads with hcc-run --expect and reports each run."""
import os
import subprocess


def compile_and_compare(bindir, base, name, inputs, atol=1e-4, flags=()):
    """Compiles base.onnx (hcc-compile -O3 and `flags`), runs it on
    `inputs` (.npy paths) against base_expected/ at 1 and 2 threads (rtol
    1e-4, `atol`); prints a line per run and returns the number of
    mismatching runs."""
    subprocess.run([os.path.join(bindir, "hcc-compile"), base + ".onnx",
                    "-O3", "-o", base + ".hccb"] + list(flags), check=True)
    failed = 0
    for threads in (1, 2):
        r = subprocess.run(
            [os.path.join(bindir, "hcc-run"), base + ".hccb"] + inputs +
            ["-o", base + "_out", "--expect", base + "_expected", "--rtol",
             "1e-4", "--atol", str(atol), "--threads", str(threads)],
            capture_output=True, text=True)
        status = "ok" if r.returncode == 0 else "MISMATCH"
        failed += r.returncode != 0
        print("%s %s threads=%d" % (status, name, threads))
        if r.returncode:
            print(r.stdout + r.stderr)
    return failed


def save_case(work, name, graph, expected):
    """Writes graph as WORK/NAME.onnx (opset 13) and the expected output
    under WORK/NAME_expected/; returns WORK/NAME."""
    import numpy as np
    from onnx import helper, save
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    base = os.path.join(work, name)
    save(model, base + ".onnx")
    os.makedirs(base + "_expected", exist_ok=True)
    np.save(os.path.join(base + "_expected", "output_0.npy"),
            expected.astype(np.float32))
    return base
