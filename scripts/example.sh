#!/usr/bin/env bash
# hcc's main job on the built-in example model: generate it, import it into
# the graph dialect, run the graph phase (shape inference, folding) and show
# what each phase did and how long it took.
# usage: scripts/example.sh [BUILD_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${1:-$ROOT/build}"
BIN="$BUILD_DIR/bin"
WORK="$BUILD_DIR/example"
mkdir -p "$WORK"

/usr/bin/python3 "$ROOT/scripts/make_example_model.py" "$WORK/example.onnx"
echo "example model: $WORK/example.onnx (CNN classifier, batch dimension N)"

ms() { date +%s%N; }
t0=$(ms)
"$BIN/hcc-translate" --import-onnx "$WORK/example.onnx" -o "$WORK/example.graph.mlir"
t1=$(ms)
"$BIN/hcc-opt" --hcc-graph-pipeline "$WORK/example.graph.mlir" -o "$WORK/example.opt.mlir"
t2=$(ms)

echo "import (ONNX -> graph dialect): $(( (t1 - t0) / 1000000 )) ms -> $WORK/example.graph.mlir"
echo "graph phase (hcc-graph-pipeline): $(( (t2 - t1) / 1000000 )) ms -> $WORK/example.opt.mlir"
echo "ops and inferred result types:"
grep -oE 'graph\.[A-Za-z]+\(.*-> .*' "$WORK/example.opt.mlir" |
  sed -E 's/^(graph\.[A-Za-z]+)\(.*-> (.*)$/  \1 -> \2/'
echo "placement: every op on host CPU (the only target so far; code generation"
echo "and the runtime arrive with the CPU vertical slice, see docs/Architecture.md)"
