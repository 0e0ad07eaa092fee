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
# The Python package's tests (pytest, test/Python), counted with the rest.
py_passed=0 py_failed=0 py_skipped=0
py_out="$BUILD_DIR/pytest-results.txt"
if [ -f "$BUILD_DIR/python/hcc/__init__.py" ] && /usr/bin/python3 -c "import pytest" 2>/dev/null; then
  echo "== the Python package's tests (pytest test/Python)"
  PYTHONPATH="$BUILD_DIR/python" /usr/bin/python3 -m pytest -q -rs \
    -p no:cacheprovider "$ROOT/test/Python" 2>&1 | tee "$py_out"
  [ "${PIPESTATUS[0]}" = 0 ] || rc=1
  summary=$(tail -n 1 "$py_out")
  py_passed=$(echo "$summary" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || true)
  py_failed=$(echo "$summary" | grep -oE '[0-9]+ (failed|errors?)' | awk '{n += $1} END {if (NR) print n}')
  py_skipped=$(echo "$summary" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+' || true)
  # pytest that ran nothing, or crashed, is a failure.
  if [ -z "$py_passed" ] && [ -z "$py_failed" ]; then py_failed=1; fi
else
  echo "skipped: the Python package's tests (the package is not built: pybind11 or pytest missing)"
  py_skipped=1
fi
passed=$((${passed:-0} + ${py_passed:-0}))
failed=$((failed + ${py_failed:-0}))

# Skipped suites (a missing package or device: lit's UNSUPPORTED) are
# counted and named, never folded into the failures or the passes.
skipped=$(grep -oE '^ *Unsupported *: *[0-9]+' "$out" | grep -oE '[0-9]+$' || true)
skipped=$((${skipped:-0} + ${py_skipped:-0}))
if [ "${skipped:-0}" -gt 0 ]; then
  echo "skipped (missing package or device):"
  # lit -s names them only in its "Unsupported Tests (N):" block.
  sed -n '/^Unsupported Tests (/,/^$/p' "$out" | grep -E '^  ' || true
  grep -E '^SKIPPED' "$py_out" 2>/dev/null | sed 's/^/  pytest: /' || true
fi
echo "${passed:-0} passed, ${failed} failed, ${skipped:-0} skipped"
exit $rc
