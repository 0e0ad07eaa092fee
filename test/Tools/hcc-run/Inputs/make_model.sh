#!/usr/bin/env bash
# Builds the add_relu test bundle and its tensors into directory $1.
# usage: make_model.sh OUTDIR PYTHON
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$1"
py="${2:-/usr/bin/python3}"
mkdir -p "$out/in" "$out/expect" "$out/wrong"
cc -O2 -shared -fPIC -o "$out/add_relu.so" "$here/add_relu.c"
"$py" "$here/make_tensors.py" "$out"
hcc-pack -m "$here/add_relu.json" -c "cpu=$out/add_relu.so" \
  -w "$out/weights.bin" -o "$out/add_relu.hccb"
