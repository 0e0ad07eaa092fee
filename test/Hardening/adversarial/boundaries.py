"""Class 4: calls at the tools' boundaries that once let an exception or an
abort out: wrong inputs for a bundle (count, dtype, shape, damaged .npy and
.pb files), option values out of range, malformed option files."""
import os
import struct

import numpy as np

from common import Case, relu_bundle


def _npy_header(shape_text, descr="<f4", fortran=False, pad=0):
    header = ("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" %
              (descr, fortran, shape_text)).encode()
    header += b" " * pad
    header += b" " * (63 - (10 + len(header)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header


def _bad_inputs(work):
    """(name, file name, bytes) of inputs a float[4] bundle must refuse."""
    ok = _npy_header("(4,)") + np.ones(4, np.float32).tobytes()
    return [
        ("npy-wrong-dtype-int64", "a.npy",
         _npy_header("(4,)", "<i8") + np.ones(4, np.int64).tobytes()),
        ("npy-wrong-shape", "b.npy",
         _npy_header("(5,)") + np.ones(5, np.float32).tobytes()),
        ("npy-wrong-rank", "c.npy",
         _npy_header("(2, 2)") + np.ones(4, np.float32).tobytes()),
        ("npy-truncated-data", "d.npy", ok[:-3]),
        ("npy-truncated-header", "e.npy", ok[:20]),
        ("npy-bad-magic", "f.npy", b"\x93NUMPZ" + ok[6:]),
        ("npy-header-garbage", "g.npy",
         b"\x93NUMPY\x01\x00\x10\x00" + b"\xff" * 16),
        ("npy-header-length-huge", "h.npy",
         b"\x93NUMPY\x02\x00" + struct.pack("<I", 1 << 31) + b"{"),
        ("npy-shape-2to64", "i.npy",
         _npy_header("(4294967296, 4294967296)") + b"\0" * 16),
        ("npy-shape-negative", "j.npy", _npy_header("(-4,)") + b"\0" * 16),
        ("npy-fortran-order", "k.npy",
         _npy_header("(4,)", fortran=True) + np.ones(4, np.float32).tobytes()),
        ("npy-object-dtype", "l.npy", _npy_header("(4,)", "|O") + b"\0" * 32),
        ("npy-descr-unterminated", "m.npy",
         b"\x93NUMPY\x01\x00\x40\x00{'descr': '<f4" + b" " * 49 + b"\n"),
        ("npy-shape-nested", "n.npy", _npy_header("((4,),)") + b"\0" * 16),
        ("npy-empty-file", "o.npy", b""),
        ("pb-garbage", "p.pb", b"\xff\xff\xff\xff\x0f" * 8),
        ("pb-dims-2to62", "q.pb", b"\x08\x80\x80\x80\x80\x80\x80\x80\x80\x40"
         b"\x08\x01\x10\x01"),
        ("pb-raw-data-short", "r.pb",
         b"\x08\x04\x10\x01\x4a\x04\x00\x00\x80\x3f"),
        ("pb-dtype-unknown", "s.pb", b"\x08\x04\x10\x63\x4a\x10" + b"\0" * 16),
        ("txt-extension", "t.txt", b"1 2 3 4"),
        ("no-extension", "u", ok),
    ]


def cases(tools, work):
    model, bundle, x = relu_bundle(tools, work)
    run, compile_, bench = tools["hcc-run"], tools["hcc-compile"], \
        tools["hcc-bench"]
    out = []

    def add(name, argv, expect="", **kw):
        out.append(Case(4, "boundary/" + name, argv, expect, **kw))

    for name, file_name, data in _bad_inputs(work):
        path = os.path.join(work, file_name)
        with open(path, "wb") as f:
            f.write(data)
        add("run-" + name, [run, bundle, path, "-o", "{out}/o"])
    add("run-input-is-a-directory", [run, bundle, work, "-o", "{out}/o"])
    add("run-no-inputs", [run, bundle, "-o", "{out}/o"], "input")
    add("run-too-many-inputs", [run, bundle, x, x, "-o", "{out}/o"], "input")
    add("run-no-bundle", [run])
    for value in ("-5", "abc", "100000000", "2147483648", ""):
        add("run-threads=%s" % (value or "empty"),
            [run, bundle, x, "--threads", value, "-o", "{out}/o"])
    add("run-device-unknown-kind",
        [run, bundle, x, "--device", "quantum=x", "-o", "{out}/o"])
    add("run-device-no-match",
        [run, bundle, x, "--device", "cpu=no-such-device", "-o", "{out}/o"])
    add("run-device-malformed", [run, bundle, x, "--device", "=", "-o",
                                 "{out}/o"])
    add("run-rtol-not-a-number", [run, bundle, x, "--rtol", "x", "-o",
                                  "{out}/o"])
    add("run-unknown-option", [run, bundle, x, "--frobnicate", "-o",
                               "{out}/o"])
    add("run-expect-dir-missing",
        [run, bundle, x, "--expect", os.path.join(work, "none"), "-o",
         "{out}/o"])
    add("run-threads-env-garbage", [run, bundle, x, "-o", "{out}/o"],
        env={"HCC_THREADS": "lots", "OMP_NUM_THREADS": "-1",
             "HCC_TRACE": "/nonexistent-dir/t.json"})
    for value in ("-1", "abc", "99999999999999999999"):
        add("bench-iterations=" + value,
            [bench, bundle, "--iterations", value])
    add("bench-warmup-negative", [bench, bundle, "--warmup", "-3"])
    add("bench-iterations-empty", [bench, bundle, "--iterations", ""])
    add("bench-threads-zero-huge", [bench, bundle, "--threads", "1000000000"])
    for flag in ("--dim=N", "--dim==3", "--dim=N=-1", "--dim=N=x", "-O9",
                 "--targets=quantum", "--targets=cpu:variant",
                 "--precision=fp8", "--dump-placement={out}/p.txt",
                 "--target-config=cpu:{", "--target-config=cpu:{\"tile-m\":-4}",
                 "--target-config=cpu:{\"no-such-knob\":1}",
                 "--target-config=quantum:{}", "--max-memory-mb=abc",
                 "--max-nodes=-1", "--emit=everything"):
        add("compile" + flag.replace("/", "_").replace("{out}", "out"),
            [compile_, model, flag, "-o", "{out}/m.hccb"])
    garbage = os.path.join(work, "garbage.json")
    with open(garbage, "w") as f:
        f.write('{"rules": [{"op": 4}]')
    for flag in ("--placement", "--tuning-log", "--cost-model"):
        add("compile%s-malformed-json" % flag,
            [compile_, model, flag + "=" + garbage] +
            (["--placement=auto"] if flag == "--cost-model" else []) +
            ["-o", "{out}/m.hccb"])
    return out
