#!/usr/bin/env bash
# Runs hcc's whole test suite (lit: dialect, importer, malformed corpus, ONNX
# node-test import, format check, fuzz smoke runs, sanitizers) and ends with
# `N passed, N failed`.
# usage: scripts/test.sh [BUILD_DIR]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# ccache hits across clones: paths below the checkout are hashed relative.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}" CCACHE_NOHASHDIR=1
BUILD_DIR="${1:-${HCC_BUILD_DIR:-$ROOT/build}}"
cmake --build "$BUILD_DIR" -j "${HCC_JOBS:-$(nproc)}" || exit 1
# The fuzz build (clang-15, ASan + UBSan, libFuzzer; docs/Hardening.md):
# the 60-second fuzz runs of test/Fuzz and the adversarial corpus under
# sanitizers need it. Without clang-15, or with HCC_FUZZ=0, those tests are
# reported as skipped.
if [ "${HCC_FUZZ:-1}" != 0 ] && command -v clang++-15 >/dev/null; then
  HCC_BUILD_DIR="$BUILD_DIR" "$ROOT/scripts/fuzz.sh" build || exit 1
fi
out="$BUILD_DIR/test-results.txt"
/usr/lib/llvm-22/bin/lit -sv --show-unsupported --time-tests "$BUILD_DIR/test" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
passed=$(grep -oE '^ *Passed *: *[0-9]+' "$out" | grep -oE '[0-9]+' || echo 0)
failed=0
for kind in Failed 'Unexpectedly Passed' Unresolved 'Timed Out'; do
  n=$(grep -oE "^ *$kind *: *[0-9]+" "$out" | grep -oE '[0-9]+$' || true)
  failed=$((failed + ${n:-0}))
done
# Skipped suites (a missing package or device: lit's UNSUPPORTED) are
# counted and named, never folded into the failures or the passes.
skipped=$(grep -oE '^ *Unsupported *: *[0-9]+' "$out" | grep -oE '[0-9]+$' || true)
if [ "${skipped:-0}" -gt 0 ]; then
  echo "skipped (missing package or device):"
  # lit -s names them only in its "Unsupported Tests (N):" block.
  sed -n '/^Unsupported Tests (/,/^$/p' "$out" | grep -E '^  ' || true
fi
echo "${passed:-0} passed, ${failed} failed, ${skipped:-0} skipped"
exit $rc
