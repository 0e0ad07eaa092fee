"""Class 1: bundles whose CRCs are valid but whose manifest disagrees with
their code or weights (version skew, damage), and damaged containers.
Each is run by hcc-run on a valid input."""
import copy
import os
import struct

import numpy as np

from common import Case, pack_bundle, read_bundle, save_npy, two_output_model


def _edits():
    """(name, function editing (manifest, code, weights) in place or
    returning a raw manifest, expected message part)."""
    def buf(m, i):
        return m["buffers"][i]

    def k(m, i):
        return m["kernels"][i]

    def elf(code, offset, fmt, value):
        blob = bytearray(code["cpu"])
        struct.pack_into(fmt, blob, offset, value)
        code["cpu"] = bytes(blob)

    return [
        ("output-smaller-than-kernel-writes",
         lambda m, c, w: buf(m, 2).update(shape=[16]), "bytes"),
        ("output-larger-than-kernel-writes",
         lambda m, c, w: buf(m, 3).update(shape=[8192]), "bytes"),
        ("too-few-kernel-args",
         lambda m, c, w: k(m, 0).update(args=[0, 2], num_inputs=1), "buffers"),
        ("too-many-kernel-args",
         lambda m, c, w: k(m, 1).update(args=[0, 1, 1, 3], num_inputs=3),
         "buffers"),
        ("no-kernel-args", lambda m, c, w: k(m, 0).update(args=[]), ""),
        ("symbol-abort", lambda m, c, w: k(m, 0).update(symbol="abort"),
         "abort"),
        ("symbol-free", lambda m, c, w: k(m, 1).update(symbol="free"), "free"),
        ("symbol-missing",
         lambda m, c, w: k(m, 0).update(symbol="hcc_no_such_kernel"),
         "hcc_no_such_kernel"),
        ("symbol-empty", lambda m, c, w: k(m, 0).update(symbol=""), ""),
        ("symbol-of-other-kernel-signature",
         lambda m, c, w: k(m, 0).update(symbol="hcc_k1_ReduceMax_2_signature"), ""),
        ("code-truncated-inside-elf",
         lambda m, c, w: c.update(cpu=c["cpu"][:len(c["cpu"]) // 2]), ""),
        ("code-not-elf", lambda m, c, w: c.update(cpu=b"#!/bin/sh\nexit 0\n"),
         "ELF"),
        ("code-empty", lambda m, c, w: c.update(cpu=b""), ""),
        ("code-elf-header-only", lambda m, c, w: c.update(cpu=c["cpu"][:64]),
         ""),
        ("code-machine-aarch64", lambda m, c, w: elf(c, 18, "<H", 183), ""),
        ("code-class-32", lambda m, c, w: elf(c, 4, "B", 1), ""),
        ("code-type-exec", lambda m, c, w: elf(c, 16, "<H", 2), ""),
        ("code-section-headers-out-of-file",
         lambda m, c, w: elf(c, 40, "<Q", 1 << 40), ""),
        ("code-missing-for-kernel", lambda m, c, w: c.clear(), "cpu"),
        ("weight-offset-past-blob",
         lambda m, c, w: buf(m, 1).update(weight_offset=1 << 20), "weight"),
        ("weight-offset-negative",
         lambda m, c, w: buf(m, 1).update(weight_offset=-64), ""),
        ("weight-offset-misaligned",
         lambda m, c, w: buf(m, 1).update(weight_offset=3), ""),
        ("weights-blob-truncated", lambda m, c, w: w.__setitem__(
            slice(None), w[:100]), "weight"),
        ("dtype-changed-f64", lambda m, c, w: buf(m, 2).update(dtype=11), ""),
        ("dtype-unknown", lambda m, c, w: buf(m, 0).update(dtype=99), "dtype"),
        ("shape-negative", lambda m, c, w: buf(m, 0).update(shape=[-4096]),
         ""),
        ("shape-huge", lambda m, c, w: buf(m, 2).update(shape=[1 << 40, 1 << 40]),
         ""),
        ("shape-rank-100", lambda m, c, w: buf(m, 3).update(shape=[1] * 100),
         ""),
        ("duplicate-buffer-id", lambda m, c, w: buf(m, 3).update(id=2), ""),
        ("input-buffer-missing",
         lambda m, c, w: m["inputs"][0].update(buffer=42), ""),
        ("output-is-the-input",
         lambda m, c, w: m["outputs"][1].update(buffer=0), ""),
        ("dep-on-itself", lambda m, c, w: k(m, 0).update(deps=[0]), ""),
        ("dep-cycle", lambda m, c, w: (k(m, 0).update(deps=[1]),
                                       k(m, 1).update(deps=[0])), ""),
        ("dep-on-missing-kernel", lambda m, c, w: k(m, 1).update(deps=[7]), ""),
        ("kernel-device-missing", lambda m, c, w: k(m, 0).update(device=5), ""),
        ("device-kind-unknown",
         lambda m, c, w: m["devices"][0].update(kind="quantum"), "quantum"),
        ("format-version-99", lambda m, c, w: m.update(format_version=99), ""),
        ("kernels-missing", lambda m, c, w: m.pop("kernels"), "kernels"),
        ("buffers-not-a-list", lambda m, c, w: m.update(buffers={"a": 1}), ""),
        ("args-are-strings",
         lambda m, c, w: k(m, 0).update(args=["0", "1", "2"]), ""),
        ("two-kernels-write-one-output",
         lambda m, c, w: k(m, 1).update(args=[0, 1, 2]), ""),
        ("manifest-not-json", lambda m, c, w: b"{\"buffers\": [", ""),
        ("manifest-empty", lambda m, c, w: b"", ""),
        ("manifest-deeply-nested", lambda m, c, w: b"[" * 100000, ""),
        ("manifest-not-utf8", lambda m, c, w: b"\xff\xfe{}", ""),
    ]


def _container_damage(base):
    data = open(base, "rb").read()

    def flip(at):
        d = bytearray(data)
        d[at] ^= 0xff
        return bytes(d)

    size_field = bytearray(data)
    struct.pack_into("<Q", size_field, 16, len(data) * 2)
    far_section = bytearray(data)
    struct.pack_into("<Q", far_section, 64 + 8, 1 << 50)
    many_sections = bytearray(data)
    struct.pack_into("<I", many_sections, 12, 1 << 30)
    return [
        ("header-crc-wrong", flip(24)),
        ("section-table-byte-flipped", flip(64 + 33)),
        ("code-byte-flipped", flip(len(data) - 20000)),
        ("file-truncated", data[:len(data) // 2]),
        ("file-size-field-wrong", bytes(size_field)),
        ("section-offset-past-file", bytes(far_section)),
        ("section-count-huge", bytes(many_sections)),
        ("magic-wrong", b"XCCBNDL\0" + data[8:]),
        ("zero-length", b""),
        ("only-the-header", data[:64]),
    ]


def cases(tools, work):
    base = os.path.join(work, "base")
    os.makedirs(base, exist_ok=True)
    model = os.path.join(base, "two.onnx")
    two_output_model(model)
    bundle = os.path.join(base, "two.hccb")
    import subprocess
    subprocess.run([tools["hcc-compile"], model, "-O1", "-o", bundle],
                   check=True)
    x = os.path.join(base, "x.npy")
    save_npy(x, np.linspace(-2, 2, 4096).astype(np.float32))
    manifest, code, weights = read_bundle(bundle)
    out = []
    for name, edit, expect in _edits():
        m, c, w = copy.deepcopy(manifest), dict(code), bytearray(weights)
        raw = edit(m, c, w)
        path = os.path.join(base, name + ".hccb")
        pack_bundle(path, m, c, bytes(w),
                    raw if isinstance(raw, bytes) else None)
        out.append(Case(1, "bundle/" + name,
                        [tools["hcc-run"], path, x, "-o", "{out}/o"], expect))
    for name, data in _container_damage(bundle):
        path = os.path.join(base, name + ".hccb")
        with open(path, "wb") as f:
            f.write(data)
        out.append(Case(1, "bundle/" + name,
                        [tools["hcc-run"], path, x, "-o", "{out}/o"]))
    # hcc-bench loads through the same code: a few of them there too.
    for name in ("symbol-abort", "code-truncated-inside-elf",
                 "output-smaller-than-kernel-writes", "file-truncated"):
        out.append(Case(1, "bundle/bench-" + name,
                        [tools["hcc-bench"], os.path.join(base, name + ".hccb"),
                         "--iterations", "2", "--warmup", "0"]))
    return out
