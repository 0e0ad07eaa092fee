#!/usr/bin/env python3
"""Runs every ONNX node test through hcc-compile + hcc-run on one target.

A test passes when `hcc-compile model.onnx` succeeds and, for every
test_data_set_*, `hcc-run bundle input_*.pb --expect test_data_set_K`
matches the reference outputs within the tolerance (rtol 1e-3, atol 1e-5
unless tolerances.txt names the op with a justified override). Anything
else is a failure with its reason; a crash (signal, sanitizer report) or a
time-out always is. Each target has its expected-failure list
(xfail/<target>.txt), one test per line with its reason; it must be exact:
an unexpected pass fails, and so does a listed test that fails for another
reason (reasons are compared with their numbers masked), so the list stays
true.

Targets: `cpu`, `opencl` (every op on the OpenCL target), `mixed` (ops
alternate between cpu and opencl, so every edge crosses devices),
`opencl-gpu` (the OpenCL target with GPU-shaped kernels, the GPU code path
run on PoCL), `fpga` (every op on the FPGA target for the U250 board:
single-work-item kernels run on PoCL), `cuda-ptx` (every op on the CUDA target, compiled to PTX and
assembled by ptxas for sm_80 and sm_90; passes once it compiles) and `cuda`
(run on an NVIDIA GPU).

Two suites: Debian's ONNX 1.12 node tests (the default --data) and those of
the onnx 1.22 wheel (--data .venv-onnx/.../node, --xfail
xfail/<target>-onnx-1.22.txt), which cover opsets up to 27.

usage: run_node_tests.py BIN_DIR [--target T] [--data DIR] [--xfail FILE]
                         [--jobs N] [--update-xfail] [--markdown FILE]
                         [--only NAME...] [--every K]
Prints `N passed, N failed` last (expectation matches / mismatches).
"""
import argparse
import collections
import concurrent.futures as cf
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

DEFAULT_DATA = "/usr/share/libonnx-testdata/data/node"
HERE = os.path.dirname(os.path.abspath(__file__))
RTOL, ATOL = 1e-3, 1e-5
# hcc-compile flags per conformance target.
TARGET_FLAGS = {
    "cpu": [],
    "opencl": ["--targets=opencl"],
    "mixed": ["--targets=cpu,opencl", "--placement-strategy=alternate"],
    # The GPU code path, run on PoCL: the OpenCL target with kernels shaped
    # for GPU-class devices (what the CUDA target lowers to PTX).
    "opencl-gpu": ["--targets=opencl", "--target-config=opencl:gpu-shape=1"],
    # Every op on the CUDA target: compiled to PTX and, where the toolkit is
    # present, assembled by ptxas for sm_80 and sm_90 (the compile fails if
    # ptxas rejects it). Run only with a GPU (`cuda`).
    "cuda-ptx": ["--targets=cuda"],
    "cuda": ["--targets=cuda"],
    # Every op on the FPGA target (U250 board): single-work-item kernels
    # with the vendor's attributes, run functionally on PoCL.
    "fpga": ["--targets=fpga:u250"],
}
TARGET_TITLE = {"cpu": "CPU", "opencl": "OpenCL", "mixed": "mixed CPU+OpenCL",
                "opencl-gpu": "GPU-shaped OpenCL",
                "cuda-ptx": "CUDA (compile and ptxas only)", "cuda": "CUDA",
                "fpga": "FPGA (U250, run on PoCL)"}
# Targets whose tests pass once the bundle compiles (no device to run on).
COMPILE_ONLY = {"cuda-ptx"}


def same_reason(a, b):
    """Reasons match when they differ only in numbers (values, indices)."""
    mask = lambda s: re.sub(r"[-+]?\d[\d.e+-]*", "#", s.strip())
    return mask(a) == mask(b)
CRASH_MARKERS = ("Stack dump", "Sanitizer", "runtime error:",
                 "PLEASE submit a bug report", "terminate called")


def read_tolerances(path):
    """op or test name -> (rtol, atol); each line: KEY RTOL ATOL  # why."""
    table = {}
    if os.path.exists(path):
        for line in open(path):
            line = line.split("#", 1)[0].strip()
            if line:
                op, rtol, atol = line.split()
                table[op] = (float(rtol), float(atol))
    return table


def op_types(model):
    import onnx
    m = onnx.load(model, load_external_data=False)
    return sorted({n.op_type for n in m.graph.node} - {"Constant"})


def first_line(text, fallback, strip=""):
    """The line that says what went wrong, without the `strip` prefix of
    paths (so that reasons do not depend on where the tests live)."""
    if strip:
        text = text.replace(strip, "")
    for line in text.splitlines():
        if "error" in line or "mismatch" in line or "expected" in line:
            return line.strip()[:300]
    return (text.strip().splitlines() or [fallback])[-1][:300]


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           errors="replace", timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, "timed out after %ds" % timeout
    return p, p.stdout + p.stderr


def check(bindir, test_dir, tolerances, timeout, flags, compile_only=False):
    name = os.path.basename(test_dir)
    where = os.path.dirname(os.path.abspath(test_dir)) + "/"
    model = os.path.join(test_dir, "model.onnx")
    ops = op_types(model)
    rtol, atol = RTOL, ATOL
    for op in ops + [name]:
        if op in tolerances:
            rtol = max(rtol, tolerances[op][0])
            atol = max(atol, tolerances[op][1])
    scratch = tempfile.mkdtemp(prefix="hcc-conf-")
    try:
        bundle = os.path.join(scratch, "model.hccb")
        p, out = run([os.path.join(bindir, "hcc-compile"), model, "-o",
                      bundle] + flags, timeout)
        if p is None:
            return name, ops, "hang", "hcc-compile " + out
        if p.returncode < 0 or any(m in out for m in CRASH_MARKERS):
            return name, ops, "crash", "hcc-compile: " + first_line(
                out, "signal %d" % -p.returncode, where)
        if p.returncode != 0:
            return name, ops, "fail", "compile: " + first_line(out, "failed", where)
        if compile_only:
            return name, ops, "pass", ""
        sets = sorted(glob.glob(os.path.join(test_dir, "test_data_set_*")))
        for ds in sets:
            inputs = sorted(glob.glob(os.path.join(ds, "input_*.pb")),
                            key=lambda s: int(s.rsplit("_", 1)[1][:-3]))
            p, out = run([os.path.join(bindir, "hcc-run"), bundle] + inputs +
                         ["-o", os.path.join(scratch, "out"), "--expect", ds,
                          "--rtol", str(rtol), "--atol", str(atol)], timeout)
            if p is None:
                return name, ops, "hang", "hcc-run " + out
            if p.returncode < 0 or any(m in out for m in CRASH_MARKERS):
                return name, ops, "crash", "hcc-run: " + first_line(
                    out, "signal %d" % -p.returncode)
            if p.returncode != 0:
                return name, ops, "fail", "run: " + first_line(out, "failed", where)
        return name, ops, "pass", ""
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def read_xfail(path):
    entries = {}
    if os.path.exists(path):
        for line in open(path):
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                test, _, reason = line.partition("  # ")
                entries[test.strip()] = reason
    return entries


def write_markdown(path, results, target, source, xfail_path):
    per_op = collections.defaultdict(lambda: [0, 0])
    for name, ops, status, _ in results:
        for op in ops:
            per_op[op][1] += 1
            per_op[op][0] += status == "pass"
    passed = sum(1 for r in results if r[2] == "pass")
    with open(path, "w") as f:
        f.write("# ONNX conformance of the %s target\n\n"
                % TARGET_TITLE[target])
        f.write("Generated by `test/Conformance/run_node_tests.py "
                "--markdown %s` from the %s: each test is compiled with "
                "`hcc-compile` and run with `hcc-run --expect` (rtol %g, atol "
                "%g unless `tolerances.txt` says otherwise).\n\n"
                % (os.path.relpath(path), source, RTOL, ATOL))
        f.write("**%d of %d tests pass (%.1f%%).** Failures and their reasons "
                "are in `test/Conformance/xfail/%s`.\n\n"
                % (passed, len(results), 100.0 * passed / len(results),
                   os.path.basename(xfail_path)))
        f.write("| op | tests passing | status |\n|---|---|---|\n")
        for op in sorted(per_op):
            ok, total = per_op[op]
            status = ("pass" if ok == total else
                      "partial" if ok else "not supported")
            f.write("| %s | %d / %d | %s |\n" % (op, ok, total, status))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bindir")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--source", default="ONNX 1.12 node tests (Debian "
                    "libonnx-testdata)", help="what --data is, for --markdown")
    ap.add_argument("--target", choices=sorted(TARGET_FLAGS), default="cpu")
    ap.add_argument("--xfail", help="default: xfail/<target>.txt")
    ap.add_argument("--tolerances",
                    default=os.path.join(HERE, "tolerances.txt"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--update-xfail", action="store_true")
    ap.add_argument("--markdown", help="write the op x status table here")
    ap.add_argument("--only", nargs="*", help="run only these tests")
    ap.add_argument("--every", type=int, default=1,
                    help="run every K-th test only (a quick sample)")
    args = ap.parse_args()
    if not args.xfail:
        args.xfail = os.path.join(HERE, "xfail", args.target + ".txt")
    flags = TARGET_FLAGS[args.target]

    tests = sorted(d for d in glob.glob(os.path.join(args.data, "test_*"))
                   if os.path.exists(os.path.join(d, "model.onnx")))
    if args.only:
        tests = [t for t in tests if os.path.basename(t) in args.only]
    tests = tests[::max(args.every, 1)]
    sampled = bool(args.only) or args.every > 1
    if not tests:
        print("no tests found under %s" % args.data)
        print("0 passed, 1 failed")
        return 1
    tolerances = read_tolerances(args.tolerances)
    with cf.ThreadPoolExecutor(args.jobs) as pool:
        results = sorted(pool.map(
            lambda t: check(args.bindir, t, tolerances, args.timeout, flags,
                            args.target in COMPILE_ONLY),
            tests))

    xfail = read_xfail(args.xfail)
    passed = failed = 0
    for name, ops, status, reason in results:
        expected_fail = name in xfail
        if status in ("crash", "hang"):
            print("  %s: %s: %s" % (name, status, reason))
            failed += 1
        elif status == "pass" and expected_fail:
            print("  %s: unexpected pass (remove it from %s)"
                  % (name, os.path.basename(args.xfail)))
            failed += 1
        elif status != "pass" and not expected_fail:
            print("  %s: unexpected failure: %s" % (name, reason))
            failed += 1
        elif status != "pass" and not same_reason(
                reason.replace(args.data + "/", ""), xfail[name]):
            print("  %s: fails for another reason than listed:\n"
                  "    now:    %s\n    listed: %s"
                  % (name, reason.replace(args.data + "/", ""), xfail[name]))
            failed += 1
        else:
            passed += 1
    if not sampled:
        for name in sorted(set(xfail) - {r[0] for r in results}):
            print("  %s: listed in %s but not a test" % (name, args.xfail))
            failed += 1
    if args.update_xfail:
        with open(args.xfail, "w") as f:
            f.write("# ONNX node tests that do not pass on the %s target, "
                    "with the reason.\n# Generated by run_node_tests.py "
                    "--target %s --update-xfail; keep exact.\n"
                    % (TARGET_TITLE[args.target], args.target))
            for name, _, status, reason in results:
                if status != "pass":
                    reason = reason.replace(args.data + "/", "")
                    f.write("%s  # %s\n" % (name, reason))
    if args.markdown:
        write_markdown(args.markdown, results, args.target, args.source,
                       args.xfail)
    counts = collections.Counter(r[2] for r in results)
    print("ONNX node-test conformance (%s, %s): %d of %d %s "
          "(%.1f%%), %d fail cleanly, %d crashes, %d hangs"
          % (TARGET_TITLE[args.target], args.source, counts["pass"],
             len(results), "compile" if args.target in COMPILE_ONLY
             else "pass numerically",

             100.0 * counts["pass"] / max(len(results), 1), counts["fail"],
             counts["crash"], counts["hang"]))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
