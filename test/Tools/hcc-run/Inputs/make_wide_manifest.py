"""make_wide_manifest.py OUT.json N: a manifest of N relu kernels (the
relu_f32 of add_relu.c) over float32[4] buffers: a chain through
intermediates (which the memory plan packs into a few arena slots, so that
every kernel's bytes overlap many others'), every 8th kernel reading the
graph input again (read by thousands of kernels)."""
import json
import sys

out, n = sys.argv[1], int(sys.argv[2])
buffers = [{"id": 0, "dtype": 1, "shape": [4], "kind": "input"}]
kernels = []
prev = 0
for i in range(n):
    last = i == n - 1
    buffers.append({"id": i + 1, "dtype": 1, "shape": [4],
                    "kind": "output" if last else "intermediate"})
    src = 0 if i % 8 == 7 and not last else prev
    kernels.append({"id": i, "name": "relu%d" % i, "device": 0, "code": "cpu",
                    "symbol": "relu_f32", "args": [src, i + 1],
                    "num_inputs": 1, "deps": []})
    prev = i + 1
manifest = {"format_version": 1, "producer": "make_wide_manifest.py",
            "model_name": "wide", "devices": [{"id": 0, "kind": "cpu"}],
            "buffers": buffers, "inputs": [{"name": "x", "buffer": 0}],
            "outputs": [{"name": "y", "buffer": n}], "kernels": kernels}
json.dump(manifest, open(out, "w"))
