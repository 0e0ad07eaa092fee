"""Class 5: failures after part of the work is done leave nothing behind
(and never replace a good earlier output), and messages stay bounded
however large the input that caused them."""
import os
import subprocess

import numpy as np
from onnx import helper

from common import Case, f32, save_model, save_npy


def cases(tools, work):
    two = os.path.join(work, "two.onnx")
    save_model(two, [helper.make_node("Relu", ["x"], ["y0"]),
                     helper.make_node("Neg", ["x"], ["y1"])],
               [f32("x", [4])], [f32("y0", [4]), f32("y1", [4])])
    bundle = os.path.join(work, "two.hccb")
    subprocess.run([tools["hcc-compile"], two, "-O1", "-o", bundle],
                   check=True)
    x = os.path.join(work, "x.npy")
    save_npy(x, np.ones(4, np.float32))
    run, compile_ = tools["hcc-run"], tools["hcc-compile"]
    out = []

    def add(name, argv, expect="", **kw):
        out.append(Case(5, "all-or-nothing/" + name, argv, expect, **kw))

    def blocked_second_output(o):
        os.makedirs(os.path.join(o, "o", "output_1.npy"))

    def only_the_blocker(o):
        left = sorted(os.listdir(os.path.join(o, "o")))
        return "" if left == ["output_1.npy"] else \
            "outputs left: %s" % ", ".join(left)

    add("run-second-output-unwritable", [run, bundle, x, "-o", "{out}/o"],
        "output_1", prepare=blocked_second_output, keep={"o"},
        check=only_the_blocker)
    add("run-trace-unwritable", [run, bundle, x, "-o", "{out}/o"], "trace",
        env={"HCC_TRACE": "/nonexistent-dir/trace.json"})
    add("run-trace-is-a-directory", [run, bundle, x, "-o", "{out}/o"],
        "trace", env={"HCC_TRACE": work})

    # A failing compile leaves an existing output as it was.
    def old_bundle(o):
        with open(os.path.join(o, "m.hccb"), "w") as f:
            f.write("the previous bundle")

    def still_old(o):
        return "" if open(os.path.join(o, "m.hccb")).read() == \
            "the previous bundle" else "the previous output was replaced"

    unsupported = os.path.join(work, "unsupported.onnxtxt")
    with open(unsupported, "w") as f:
        f.write('<\n ir_version: 8,\n opset_import: ["" : 17]\n>\n'
                "g (float[4] X) => (float[4] Y)\n{\n"
                " Y = NoSuchOp(X)\n}\n")
    add("compile-fails-keeps-old-output",
        [compile_, unsupported, "-o", "{out}/m.hccb"], "NoSuchOp",
        prepare=old_bundle, keep={"m.hccb"}, check=still_old)
    add("compile-dump-placement-unwritable",
        [compile_, two, "--dump-placement=/nonexistent-dir/p.json",
         "-o", "{out}/m.hccb"], "p.json")
    # Messages stay short whatever the input holds.
    long_line = os.path.join(work, "long-line.onnxtxt")
    with open(long_line, "w") as f:
        f.write('<\n ir_version: 8,\n opset_import: ["" : 17]\n>\n'
                "g (float[4] X) => (float[4] Y)\n{\n Y = Relu(X" +
                ", X" * 300000 + " %%%\n}\n")
    add("text-parse-error-one-megabyte-line",
        [compile_, long_line, "-o", "{out}/m.hccb"])
    long_name = os.path.join(work, "long-name.onnx")
    save_model(long_name, [helper.make_node("NoSuchOp", ["x"], ["y"],
                                            name="n" * 1000000)],
               [f32("x", [4])], [f32("y", [4])])
    add("megabyte-node-name-in-error",
        [compile_, long_name, "-o", "{out}/m.hccb"])
    deep = os.path.join(work, "deep-if.onnxtxt")
    with open(deep, "w") as f:
        f.write('<\n ir_version: 8,\n opset_import: ["" : 17]\n>\n'
                "g (bool C, float[4] X) => (float[4] Y)\n{\n" +
                " Y = If(C) <then_branch = g () => (float[4] t) {" * 20000 +
                "}\n")
    add("text-if-nested-20000", [compile_, deep, "-o", "{out}/m.hccb"],
        "nested")
    many_errors = os.path.join(work, "many-errors.onnxtxt")
    with open(many_errors, "w") as f:
        f.write('<\n ir_version: 8,\n opset_import: ["" : 17]\n>\n'
                "g (float[4] X) => (float[4] Y)\n{\n" +
                "".join(" t%d = NoSuchOp(X)\n" % i for i in range(1000)) +
                " Y = Relu(X)\n}\n")
    add("thousand-unsupported-nodes-one-message",
        [compile_, many_errors, "-o", "{out}/m.hccb"])
    return out
