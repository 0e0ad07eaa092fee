#!/usr/bin/env bash
# hcc's main job on the built-in example: generate a small CNN classifier
# (scripts/make_example_model.py, random weights, batch dimension N), compile
# it for the devices this machine has, run it through the runtime, check the
# result against ONNX Runtime when it is installed, and print where each
# kernel ran and how long each phase and kernel took.
# usage: scripts/example.sh [BUILD_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${1:-$ROOT/build}"
BIN="$BUILD_DIR/bin"
WORK="$BUILD_DIR/example"
PY=/usr/bin/python3
mkdir -p "$WORK"
ms() { echo $(( $(date +%s%N) / 1000000 )); }

"$PY" "$ROOT/scripts/make_example_model.py" "$WORK/example.onnx"
echo "example model: $WORK/example.onnx (Conv-Relu-MaxPool-Gemm-Softmax, batch N)"

echo "devices on this machine (hcc-run --list-devices):"
"$BIN/hcc-run" --list-devices | sed 's/^/  /'
# With a GPU (a `cuda` device) or else an OpenCL device, the classifier head
# (Gemm, Softmax: scripts/example_placement.json) runs there, the rest on
# the cpu, with transfers.
TARGETS=(--targets=cpu)
if "$BIN/hcc-run" --list-devices | grep -q ': cuda: '; then
  sed 's/"opencl"/"cuda"/g' "$ROOT/scripts/example_placement.json" > "$WORK/placement.json"
  TARGETS=(--targets=cpu,cuda --placement="$WORK/placement.json")
elif "$BIN/hcc-run" --list-devices | grep -q ': opencl: '; then
  TARGETS=(--targets=cpu,opencl --placement="$ROOT/scripts/example_placement.json")
fi
echo "  targets compiled for: ${TARGETS[*]}"

t0=$(ms)
"$BIN/hcc-compile" "$WORK/example.onnx" --dim N=4 "${TARGETS[@]}" --emit=placed > "$WORK/example.placed.mlir"
t1=$(ms)
"$BIN/hcc-compile" "$WORK/example.onnx" --dim N=4 -O3 "${TARGETS[@]}" -o "$WORK/example.hccb"
t2=$(ms)
echo "placement (import, graph phase, kernels): $((t1 - t0)) ms -> $WORK/example.placed.mlir"
echo "compile (all phases + LLVM + bundle):    $((t2 - t1)) ms -> $WORK/example.hccb"

"$PY" - "$WORK" <<'PYEOF'
import numpy as np, sys
np.save(sys.argv[1] + "/input.npy",
        np.random.default_rng(1).standard_normal((4, 3, 32, 32)).astype(np.float32))
PYEOF
t3=$(ms)
HCC_TRACE="$WORK/trace.json" "$BIN/hcc-run" "$WORK/example.hccb" "$WORK/input.npy" -o "$WORK/out"
t4=$(ms)
echo "run (load bundle, run once, write outputs): $((t4 - t3)) ms -> $WORK/out/output_0.npy"

"$PY" - "$WORK" <<'PYEOF'
import json, re, sys
import numpy as np
work = sys.argv[1]
# Which graph ops each kernel holds, from the placed IR.
kernels, current = {}, None
for line in open(work + "/example.placed.mlir"):
    m = re.match(r"\s*func\.func @(k\d+\w*)\(", line)
    if m:
        current = kernels.setdefault(m.group(1), [])
        continue
    m = re.search(r"= graph\.([A-Za-z]+)", line)
    if current is not None and m and m.group(1) not in ("Constant", "none"):
        current.append(m.group(1))
    if current is not None and line.strip().startswith("return"):
        current = None
trace = json.load(open(work + "/trace.json"))
devices = {e["pid"]: e["args"]["name"] for e in trace["traceEvents"]
           if e.get("ph") == "M" and e.get("name") == "process_name"}
print("where each part ran (from the runtime's Chrome trace %s/trace.json):" % work)
for e in trace["traceEvents"]:
    if e.get("ph") == "X":
        what = " + ".join(kernels.get(e["name"], []))
        if e.get("cat") == "transfer":
            what = "copy of %d bytes from %s" % (
                e["args"]["bytes"], devices.get(e["args"]["from_device"], "?"))
        print("  %-14s on %-18s %8.3f ms   %s" % (
            e["name"], devices.get(e["pid"], "?"), e["dur"] / 1e3, what))
out = np.load(work + "/out/output_0.npy")
print("output: probabilities %s, rows sum to %s" % (out.shape, np.round(out.sum(1), 4)))
try:
    import onnxruntime as ort
    s = ort.InferenceSession(work + "/example.onnx", providers=["CPUExecutionProvider"])
    ref = s.run(None, {"image": np.load(work + "/input.npy")})[0]
    print("max |hcc - ONNX Runtime| = %.3g" % float(np.max(np.abs(out - ref))))
except ImportError:
    print("(onnxruntime not installed: no reference comparison)")
PYEOF
