#!/usr/bin/env bash
# Measures this machine for the cost model (opt-in, ~1 hour on 2 cores):
# exports the placement models (bench/placement/export_models.py), profiles
# them and sampled single-op models on every device present with
# hcc-profile, writes data/profiles/<host>-<date>.jsonl, and retrains
# data/cost-model.json on every dataset under data/profiles/ (datasets
# measured elsewhere, e.g. on a GPU machine, train it too).
# usage: scripts/profile.sh [BUILD_DIR] [--sampled N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${1:-$ROOT/build}"
SAMPLED="${SAMPLED:-130}"
BIN="$BUILD_DIR/bin"
MODELS="$BUILD_DIR/placement-models"
/usr/bin/python3 "$ROOT/bench/placement/export_models.py" "$MODELS"
OUT="$ROOT/data/profiles/$(hostname -s)-$(date -u +%Y%m%d).jsonl"
"$BIN/hcc-profile" "$MODELS"/*.onnx --sampled="$SAMPLED" --repeat=8 \
  --max-seconds=3 --work-dir="$BUILD_DIR/profile-work" -o "$OUT"
"$BIN/hcc-costmodel" eval "$ROOT"/data/profiles/*.jsonl
"$BIN/hcc-costmodel" train "$ROOT"/data/profiles/*.jsonl -o "$ROOT/data/cost-model.json"
echo "rebuild (cmake --build $BUILD_DIR) to install the model into $BUILD_DIR/share/hcc"
