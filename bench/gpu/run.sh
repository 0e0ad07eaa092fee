#!/usr/bin/env bash
# Runs a pack from bench/gpu/pack.py on a machine with an NVIDIA GPU (the
# device tool's H200): CUDA conformance of the node tests, models against
# their torch CPU references, and hcc-bench timings with per-kernel traces
# for the cost model; everything it measures goes to $OUT (or ./gpu-out).
# usage: bench/gpu/run.sh PACK_DIR
set -uo pipefail
PACK="$(cd "$1" && pwd)"
OUT="${OUT:-$PWD/gpu-out}"
mkdir -p "$OUT"
export LD_LIBRARY_PATH="$PACK/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
RUN="$PACK/bin/hcc-run"
BENCH="$PACK/bin/hcc-bench"
SET="$(cat "$PACK/SET")"
PY="${PYTHON:-python3}"

{
  echo "date: $(date -u +%FT%TZ)"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1
  "$RUN" --list-devices
} | tee "$OUT/machine.txt"
grep -q ': cuda: ' "$OUT/machine.txt" || { echo "no cuda device listed"; exit 1; }

case "$SET" in
node*)
  # One process per test, JOBS at a time (the GPU machine has 16 cores; a
  # CUDA context per process), each bounded by a timeout.
  node_test() {
    dir="$1"; name="$(basename "$dir")"
    for ds in "$dir"test_data_set_*/; do
      inputs=$(ls "$ds"input_*.pb 2>/dev/null | sort -t_ -k3 -n)
      if ! msg=$(timeout 30 "$RUN" $RUNFLAGS "$dir/model.hccb" $inputs --expect "$ds" \
                 --rtol 1e-3 --atol 1e-5 2>&1); then
        echo "FAIL $name: $(echo "$msg" | tail -3 | tr "\n" " ")"
        return
      fi
    done
    echo "PASS $name"
  }
  if [ -x "$PACK/bin/hcc_runtime_unittests" ]; then
    case "$SET" in
    node-opencl) filter='OpenCL*' ;;
    *) filter='Cuda*' ;;
    esac
    "$PACK/bin/hcc_runtime_unittests" --gtest_filter="$filter" \
      > "$OUT/unittests.txt" 2>&1
    tail -3 "$OUT/unittests.txt"
  fi
  RUNFLAGS="$(cat "$PACK/RUNFLAGS" 2>/dev/null)"
  export -f node_test; export RUN RUNFLAGS
  ls -d "$PACK"/node/*/ | xargs -P "${JOBS:-8}" -I{} bash -c 'node_test {}' \
    | sort -k2 > "$OUT/node-results.txt"
  grep '^FAIL ' "$OUT/node-results.txt" | cut -c6- > "$OUT/node-failures.txt"
  pass=$(grep -c '^PASS ' "$OUT/node-results.txt")
  fail=$(grep -c '^FAIL ' "$OUT/node-results.txt")
  echo "$SET tests: $pass of $((pass + fail)) that compile for the target pass" \
    | tee "$OUT/node-summary.txt"
  ;;
models*| resnet18)
  # OpenCL bundles run on NVIDIA's OpenCL alone (the image lists PoCL
  # first; hcc-bench takes the first OpenCL device).
  [ "$SET" = models-opencl ] && export OCL_ICD_FILENAMES=libnvidia-opencl.so.1
  for bundle in "$PACK"/models/*_fp32.hccb "$PACK"/models/*_tf32.hccb \
                "$PACK"/models/*_ocl.hccb; do
    [ -e "$bundle" ] || continue
    base="$(basename "$bundle" .hccb)"
    name="${base%_*}"
    [ -e "$PACK/models/${name}_input.npy" ] || continue
    HCC_TRACE="$OUT/$base.trace.json" "$RUN" "$bundle" \
      "$PACK/models/${name}_input.npy" -o "$OUT/$base" 2>&1 | tail -2
    "$PY" - "$OUT/$base/output_0.npy" "$PACK/models/${name}_expected.npy" "$base" <<'PYEOF'
import sys
import numpy as np
got, ref = np.load(sys.argv[1]), np.load(sys.argv[2])
err = float(np.max(np.abs(got - ref))); scale = float(np.max(np.abs(ref)))
print("%s: max abs err %.3g, scale %.3g (%.2g of scale) %s" % (
    sys.argv[3], err, scale, err / scale, "ok" if err <= 1e-3 * scale else "FAIL"))
PYEOF
    "$BENCH" "$bundle" --iterations 50 --warmup 5 | tee "$OUT/$base.bench.txt"
  done
  for bundle in "$PACK"/models/matmul4096_*.hccb; do
    [ -e "$bundle" ] || continue
    "$BENCH" "$bundle" --iterations 20 --warmup 3 | tee "$OUT/$(basename "$bundle" .hccb).bench.txt"
  done
  if ls "$PACK"/models/matmul4096_*.hccb >/dev/null 2>&1; then
    "$PY" - <<'PYEOF' | tee "$OUT/matmul4096-torch.txt"
import torch, time
for dtype in (torch.float32, torch.bfloat16, torch.float16):
    for tf32 in ((False, True) if dtype == torch.float32 else (False,)):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        a = torch.randn(4096, 4096, device="cuda", dtype=dtype)
        b = torch.randn(4096, 4096, device="cuda", dtype=dtype)
        for _ in range(3):
            a @ b
        torch.cuda.synchronize()
        t = time.perf_counter()
        for _ in range(20):
            a @ b
        torch.cuda.synchronize()
        ms = (time.perf_counter() - t) / 20 * 1e3
        print("torch %s%s: %.3f ms, %.1f TFLOP/s" % (
            dtype, " tf32" if tf32 else "", ms, 2 * 4096**3 / ms / 1e9))
PYEOF
  fi
  ;;
esac
