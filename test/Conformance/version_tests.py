#!/usr/bin/env python3
"""Checks every version of every ONNX operator hcc reads against a reference.

The graph dialect models the newest definition of each operator; models of
older opsets go through the importer's version adapters. An adapter that is
missing or wrong computes a wrong answer silently (Softmax before opset 13
coerces its input to 2-D), so each (operator, version) pair gets a case:

  1. Take the node tests of the onnx wheel whose graph is that operator
     (one node besides Constants), and restamp each at the opset that
     selects the version, or, when the restamped model does not fit the old
     schema, convert it with onnx.version_converter.
  2. The first candidate the ONNX checker accepts and a reference can run is
     the case. The reference is ONNX Runtime, which implements each
     version's semantics; the onnx reference evaluator when ONNX Runtime
     lacks the version.
  3. hcc-compile + hcc-run --expect compare hcc with it on the test's inputs
     (the node tests' random inputs).

A case passes when hcc matches the reference. hcc may also reject a model
with a clear diagnostic (an operator it does not lower, a definition older
than it reads): that is listed as `rejected` with its reason in the
expected-failure file, like the node tests' list; a wrong answer is listed as
`mismatch` and is a bug to fix. The list must be exact.

Needs the onnx 1.22 environment (scripts/setup.sh: .venv-onnx).
usage: version_tests.py BIN_DIR --data NODE_DIR [--xfail FILE]
                        [--update-xfail] [--jobs N] [--only OP...]
Prints `N passed, N failed` last.
"""
import argparse
import collections
import concurrent.futures as cf
import glob
import os
import shutil
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper, version_converter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_node_tests import CRASH_MARKERS, read_xfail, run  # noqa: E402

MIN_OPSET = 7  # hcc's kMinOpset; older definitions are tested where read
RTOL, ATOL = 1e-3, 1e-5


def history():
    out = collections.defaultdict(set)
    for s in onnx.defs.get_all_schemas_with_history():
        if s.domain == "":
            out[s.name].add(s.since_version)
    return {k: sorted(v) for k, v in out.items()}


def single_op(model):
    ops = [n.op_type for n in model.graph.node if n.op_type != "Constant"]
    return ops[0] if len(ops) == 1 else None


def load_inputs(test_dir, model):
    ds = os.path.join(test_dir, "test_data_set_0")
    files = sorted(glob.glob(os.path.join(ds, "input_*.pb")),
                   key=lambda s: int(s.rsplit("_", 1)[1][:-3]))
    feeds = {}
    names = [i.name for i in model.graph.input
             if i.name not in {t.name for t in model.graph.initializer}]
    if len(files) != len(names):
        return None
    for name, f in zip(names, files):
        t = onnx.TensorProto()
        with open(f, "rb") as fh:
            t.ParseFromString(fh.read())
        if t.data_type == onnx.TensorProto.STRING:
            return None
        try:
            feeds[name] = numpy_helper.to_array(t)
        except Exception:  # types numpy cannot hold, segments
            return None
    return feeds, files


def restamp(model, opset):
    m = onnx.ModelProto()
    m.CopyFrom(model)
    for o in m.opset_import:
        if o.domain in ("", "ai.onnx"):
            o.version = opset
    return m


def reference(model, feeds):
    """(outputs, which) or None."""
    try:
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.log_severity_level = 3
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        s = ort.InferenceSession(model.SerializeToString(), so,
                                 providers=["CPUExecutionProvider"])
        return s.run(None, feeds), "onnxruntime"
    except Exception:
        pass
    try:
        from onnx.reference import ReferenceEvaluator
        return ReferenceEvaluator(model).run(None, feeds), "reference"
    except Exception:
        return None


def onnx_reference(model, feeds):
    """The onnx reference evaluator's outputs, or None."""
    try:
        from onnx.reference import ReferenceEvaluator
        return ReferenceEvaluator(model).run(None, feeds)
    except Exception:
        return None


def same(a, b):
    return len(a) == len(b) and all(
        np.asarray(x).shape == np.asarray(y).shape and np.allclose(
            np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64),
            rtol=RTOL, atol=ATOL, equal_nan=True) for x, y in zip(a, b))


def write_expected(ds, model, outputs):
    os.makedirs(ds)
    names = [o.name for o in model.graph.output]
    for i, (name, value) in enumerate(zip(names, outputs)):
        t = numpy_helper.from_array(np.asarray(value), name)
        with open(os.path.join(ds, "output_%d.pb" % i), "wb") as f:
            f.write(t.SerializeToString())


def candidates(tests, op, version):
    """Models selecting `op`-`version`, from the node tests of `op`."""
    opset = version
    for test_dir, model in tests:
        m = restamp(model, opset)
        try:
            onnx.checker.check_model(m, full_check=True)
            yield test_dir, m, "restamped"
            continue
        except Exception:
            pass
        try:
            c = version_converter.convert_version(model, opset)
            if single_op(c) == op:
                onnx.checker.check_model(c, full_check=True)
                yield test_dir, c, "converted"
        except Exception:
            pass


def first_line(text, strip):
    text = text.replace(strip, "")
    for line in text.splitlines():
        if "error" in line or "mismatch" in line or "differ" in line:
            return line.strip()[:300]
    return (text.strip().splitlines() or ["failed"])[-1][:300]


def check_case(bindir, op, version, tests, timeout, per_case=3):
    """Runs up to `per_case` candidates; the first that is not a pass
    decides, so a case passes only when every candidate matches."""
    key = "%s-%d" % (op, version)
    ran = []
    for test_dir, model, how in candidates(tests, op, version):
        if len(ran) == per_case:
            break
        r = check_one(bindir, test_dir, model, how, timeout)
        if r is None:
            continue
        status, reason = r
        if status != "pass":
            return key, status, reason
        ran.append(reason)
    if not ran:
        return key, "no-case", ""
    return key, "pass", "; ".join(ran)


def check_one(bindir, test_dir, model, how, timeout):
    """(status, reason), or None when no reference can run the model."""
    loaded = load_inputs(test_dir, model)
    if not loaded:
        return None
    feeds, input_files = loaded
    ref = reference(model, feeds)
    if ref is None:
        return None
    outputs, which = ref
    scratch = tempfile.mkdtemp(prefix="hcc-ver-")
    try:
        src = os.path.join(scratch, "model.onnx")
        onnx.save(model, src)
        ds = os.path.join(scratch, "expected")
        write_expected(ds, model, outputs)
        what = "%s, %s, %s" % (os.path.basename(test_dir), how, which)
        bundle = os.path.join(scratch, "model.hccb")
        p, out = run([os.path.join(bindir, "hcc-compile"), src, "-o",
                      bundle], timeout)
        if p is None or p.returncode < 0 or any(
                m in out for m in CRASH_MARKERS):
            return "crash", what + ": hcc-compile: " + out[-300:]
        if p.returncode != 0:
            return "rejected", first_line(out, scratch + "/")
        def hcc_run(expected):
            return run([os.path.join(bindir, "hcc-run"), bundle] +
                       input_files + ["-o", os.path.join(scratch, "out"),
                                      "--expect", expected, "--rtol",
                                      str(RTOL), "--atol", str(ATOL)],
                       timeout)
        p, out = hcc_run(ds)
        if p is None or p.returncode < 0 or any(
                m in out for m in CRASH_MARKERS):
            return "crash", what + ": hcc-run: " + out[-300:]
        if p.returncode == 0:
            return "pass", what
        # Where ONNX Runtime and the onnx reference evaluator disagree
        # (Resize's align_corners divides by the integer output length in
        # one, the scaled float length in the other), matching the
        # reference the node tests are generated from is a pass.
        if which == "onnxruntime":
            alt = onnx_reference(model, feeds)
            if alt is not None and not same(alt, outputs):
                alt_ds = os.path.join(scratch, "expected-reference")
                write_expected(alt_ds, model, alt)
                q, _ = hcc_run(alt_ds)
                if q is not None and q.returncode == 0:
                    return "pass", (what + " (differs from onnxruntime, "
                                    "matches the onnx reference)")
        return "mismatch", what + ": " + first_line(out, scratch + "/")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bindir")
    ap.add_argument("--data", required=True, help="the wheel's node tests")
    ap.add_argument("--xfail",
                    default=os.path.join(HERE, "xfail", "versions.txt"))
    ap.add_argument("--update-xfail", action="store_true")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--only", nargs="*", help="only these operators")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every case")
    args = ap.parse_args()

    by_op = collections.defaultdict(list)
    for d in sorted(glob.glob(os.path.join(args.data, "test_*"))):
        if d.endswith("_expanded") or "_expanded_" in d:
            continue
        try:
            m = onnx.load(os.path.join(d, "model.onnx"))
        except Exception:
            continue
        op = single_op(m)
        if op:
            by_op[op].append((d, m))
    cases = []
    for op, versions in sorted(history().items()):
        if args.only and op not in args.only:
            continue
        if op not in by_op or len(versions) < 2:
            continue
        for v in versions:
            if v >= MIN_OPSET or v == versions[0]:
                cases.append((op, v))
    with cf.ThreadPoolExecutor(args.jobs) as pool:
        results = sorted(pool.map(
            lambda c: check_case(args.bindir, c[0], c[1], by_op[c[0]],
                                 args.timeout), cases))

    if args.verbose:
        for key, status, reason in results:
            print("%-28s %-9s %s" % (key, status, reason))
    xfail = read_xfail(args.xfail)
    passed = failed = 0
    counts = collections.Counter(r[1] for r in results)
    for key, status, reason in results:
        listed = xfail.get(key)
        if status in ("pass", "no-case"):
            if listed is not None:
                print("  %s: %s now (remove it from %s)"
                      % (key, status, os.path.basename(args.xfail)))
                failed += 1
            else:
                passed += 1
            continue
        entry = "%s: %s" % (status, reason)
        if status == "crash" or listed != entry:
            print("  %s: %s\n    listed: %s" % (key, entry, listed))
            failed += 1
        else:
            passed += 1
    if args.update_xfail and not args.only:
        with open(args.xfail, "w") as f:
            f.write("# Operator versions whose case hcc rejects (with a "
                    "diagnostic) or gets wrong.\n# Generated by "
                    "version_tests.py --update-xfail; keep exact.\n")
            for key, status, reason in results:
                if status not in ("pass", "no-case"):
                    f.write("%s  # %s: %s\n" % (key, status, reason))
    print("ONNX operator versions: %d cases, %d match the reference, %d "
          "rejected with a diagnostic, %d wrong answers, %d crashes, %d "
          "without a case" % (len(results), counts["pass"],
                              counts["rejected"], counts["mismatch"],
                              counts["crash"], counts["no-case"]))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
