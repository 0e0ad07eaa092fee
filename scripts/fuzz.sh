#!/usr/bin/env bash
# hcc's libFuzzer targets (fuzz/, docs/Fuzzing.md).
#
#   scripts/fuzz.sh build            configure and build the fuzz build
#                                    (clang-15, ASan+UBSan, coverage)
#   scripts/fuzz.sh run TARGET SECS [WORK_DIR]
#                                    replay TARGET's regression corpus, then
#                                    fuzz it SECS seconds from its seeds
#   scripts/fuzz.sh all SECS         every target in turn (3600: the opt-in
#                                    hour of `ninja -C build fuzz-hour`)
#
# TARGET: onnx, onnx-text, compile, bundle, c-api, tensor-file.
# Seeds come from the ONNX node tests, hcc's own test inputs and bundles the
# main build's hcc-compile makes; fuzz/regressions/TARGET holds minimized
# crashes found before, replayed first. A run prints one summary line:
#   hcc-fuzz-TARGET: N runs in S s, coverage C, corpus K inputs, 0 crashes
# and exits non-zero (keeping the crash and its log in WORK_DIR) otherwise.
#
# Environment: HCC_BUILD_DIR (main build, default build), HCC_FUZZ_BUILD_DIR
# (default build-fuzz), HCC_JOBS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${HCC_BUILD_DIR:-$ROOT/build}"
FUZZ_BUILD="${HCC_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
NODE_TESTS=/usr/share/libonnx-testdata/data/node
TARGETS=(onnx onnx-text compile bundle c-api tensor-file)
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}" CCACHE_NOHASHDIR=1

die() { echo "fuzz.sh: error: $*" >&2; exit 1; }

build() {
  command -v clang++-15 >/dev/null || die "clang++-15 not found (apt-get install clang-15)"
  local launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$ROOT" -B "$FUZZ_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-15 -DCMAKE_CXX_COMPILER=clang++-15 \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    "${launcher[@]}" -DHCC_ENABLE_FUZZING=ON -DHCC_BUILD_TESTS=OFF \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit >/dev/null
  local bins=()
  for t in "${TARGETS[@]}"; do bins+=("hcc-fuzz-$t"); done
  # The sanitized tools run the adversarial corpus (test/Hardening).
  cmake --build "$FUZZ_BUILD" -j "${HCC_JOBS:-$(nproc)}" --target "${bins[@]}" \
    hcc-compile hcc-translate hcc-run hcc-bench
}

# Fills $1 with TARGET's seeds.
seeds() {
  local target="$1" dir="$2"
  mkdir -p "$dir"
  case "$target" in
  onnx | compile)
    # A spread of node tests (every 7th; every 25th for the slow compile).
    local step=7
    [ "$target" = compile ] && step=25
    find "$NODE_TESTS" -name model.onnx | sort | awk "NR % $step == 1" |
      while read -r m; do cp "$m" "$dir/$(basename "$(dirname "$m")").onnx"; done
    if [ "$target" = onnx ]; then
      /usr/bin/python3 "$ROOT/test/Importer/ONNX/malformed/gen_malformed.py" \
        "$dir/malformed" >/dev/null
      find "$dir/malformed" -name '*.onnx' -type f -exec mv {} "$dir" \;
      rm -rf "$dir/malformed"
    fi
    ;;
  onnx-text)
    find "$ROOT/test" -name '*.onnxtxt' -type f | while read -r f; do
      cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-12).onnxtxt"
    done
    ;;
  bundle | c-api)
    local m
    for m in test_add test_conv_with_strides_padding test_matmul_2d test_gather_0 \
      test_reduce_sum_keepdims_example test_softmax_axis_1 test_concat_2d_axis_0 \
      test_where_example test_maxpool_2d_default test_gemm_default_single_elem_vector_bias; do
      [ -f "$NODE_TESTS/$m/model.onnx" ] || continue
      "$BUILD/bin/hcc-compile" "$NODE_TESTS/$m/model.onnx" -O1 -o "$dir/$m.hccb" \
        >/dev/null 2>&1 || true
    done
    ;;
  tensor-file)
    # First byte: 0 for .npy, 1 for .pb (tensor_file_fuzzer.cpp).
    find "$NODE_TESTS" -name 'input_0.pb' | sort | awk 'NR % 40 == 1' |
      while read -r f; do
        { printf '\001'; cat "$f"; } >"$dir/$(echo "$f" | md5sum | cut -c1-12).pb"
      done
    /usr/bin/python3 - "$dir" <<'PY'
import io, sys
import numpy as np
for i, (dt, shape) in enumerate([("f4", (2, 3)), ("f8", (4,)), ("i8", (1, 2, 2)),
                                 ("u1", (5,)), ("?", (3,)), ("f2", (2, 2)),
                                 ("i4", ()), ("<i2", (0, 3)), (">f4", (2,))]):
    b = io.BytesIO()
    np.save(b, np.zeros(shape, dtype=dt))
    open("%s/npy%d" % (sys.argv[1], i), "wb").write(b"\0" + b.getvalue())
PY
    ;;
  *) die "unknown target '$target' (targets: ${TARGETS[*]})" ;;
  esac
}

run() {
  local target="$1" secs="$2" work="${3:-}"
  local bin="$FUZZ_BUILD/fuzz/hcc-fuzz-$target"
  [ -x "$bin" ] || die "$bin not built (scripts/fuzz.sh build)"
  [[ "$secs" =~ ^[0-9]+$ ]] || die "seconds must be a number, got '$secs'"
  if [ -z "$work" ]; then work="$(mktemp -d)"; fi
  rm -rf "$work" && mkdir -p "$work/corpus" "$work/seeds"
  seeds "$target" "$work/seeds"
  # allow_user_poisoning=0: LLVM's headers poison allocator slabs under ASan, its
  # Debian libraries were built without it (false reports otherwise).
  export ASAN_OPTIONS="allocator_may_return_null=1:detect_leaks=1:abort_on_error=0:allow_user_poisoning=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-22/bin/llvm-symbolizer
  export HCC_FUZZ_STATS=1 TMPDIR="$work"
  if [ "$target" = c-api ]; then
    HCC_FUZZ_BUNDLES="$(find "$work/seeds" -name '*.hccb' | tr '\n' ':')"
    export HCC_FUZZ_BUNDLES
  fi
  local regress="$ROOT/fuzz/regressions/$target"
  if [ -d "$regress" ] && [ -n "$(ls -A "$regress")" ]; then
    if ! "$bin" "$regress"/* >"$work/regressions.log" 2>&1; then
      tail -40 "$work/regressions.log" >&2
      die "hcc-fuzz-$target: a regression input fails again (log: $work/regressions.log)"
    fi
  fi
  # ONNX's operator and attribute names (fuzz/dicts/gen_onnx_dict.py).
  local dict=()
  case "$target" in
  onnx | compile) dict=(-dict="$ROOT/fuzz/dicts/onnx.dict") ;;
  onnx-text) dict=(-dict="$ROOT/fuzz/dicts/onnx-text.dict") ;;
  esac
  local rc=0 start=$SECONDS
  (cd "$work" && "$bin" corpus seeds "${dict[@]}" -max_total_time="$secs" -timeout=30 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$work/") >"$work/fuzz.log" 2>&1 || rc=$?
  local runs cov corpus
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/fuzz.log" | grep -oE '[0-9]+$' || echo 0)
  cov=$(grep -oE 'cov: [0-9]+' "$work/fuzz.log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  corpus=$(find "$work/corpus" -type f | wc -l)
  local crashes
  crashes=$(find "$work" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*' \
    -o -maxdepth 1 -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' | wc -l)
  echo "hcc-fuzz-$target: $runs runs in $((SECONDS - start)) s, coverage $cov, corpus $corpus inputs, $crashes crashes"
  grep -h '^hcc-fuzz:' "$work/fuzz.log" | tail -1 || true
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    grep -E 'ERROR|runtime error|SUMMARY|hcc-fuzz:|==[0-9]+==' "$work/fuzz.log" | head -20 >&2
    die "hcc-fuzz-$target failed (exit $rc); the input and log are in $work"
  fi
}

case "${1:-}" in
build) build ;;
run) [ $# -ge 3 ] || die "usage: fuzz.sh run TARGET SECONDS [WORK_DIR]"; run "$2" "$3" "${4:-}" ;;
all)
  [ $# -ge 2 ] || die "usage: fuzz.sh all SECONDS"
  for t in "${TARGETS[@]}"; do run "$t" "$2" "$FUZZ_BUILD/fuzz-work/$t"; done
  ;;
*) die "usage: fuzz.sh build | run TARGET SECONDS [WORK_DIR] | all SECONDS" ;;
esac
