"""corner_log.py PLACEMENT OUT: a tuning log that sets every tunable kernel
of the --dump-placement PLACEMENT to the next of the corners of its
target's space given below (tile-m, tile-n, work-items), one log per
corner: OUT.0.jsonl, OUT.1.jsonl, ..."""
import json
import sys

CORNERS = [(1, 64, 8), (1, 256, 512), (2, 256, 8), (32, 16, 512), (16, 32, 32)]
kernels = json.load(open(sys.argv[1]))["kernels"]
for i, (m, n, w) in enumerate(CORNERS):
    with open("%s.%d.jsonl" % (sys.argv[2], i), "w") as f:
        for k in kernels:
            f.write(json.dumps({
                "version": 1, "workload": k["workload"], "target": "opencl",
                "device": "test", "costs": [1e-3], "error": "",
                "config": {"tile-m": m, "tile-n": n, "work-items": w}}) + "\n")
