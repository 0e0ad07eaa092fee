#!/usr/bin/env bash
# Builds hcc-translate with AddressSanitizer + UndefinedBehaviorSanitizer
# (HCC_ENABLE_SANITIZERS=ON) in its own build directory and runs the
# malformed-model corpus and the ONNX node-test import under it. Any
# sanitizer report fails the corpus check. Opt-in (not part of CI: the extra
# build takes ~15 minutes on 2 cores).
# usage: scripts/sanitize.sh [BUILD_DIR]   (default: build-asan)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${1:-$ROOT/build-asan}"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DHCC_ENABLE_SANITIZERS=ON \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit >/dev/null
cmake --build "$BUILD_DIR" -j "${HCC_JOBS:-$(nproc)}" --target hcc-translate
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=99"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
corpus="$scratch/corpus"
/usr/bin/python3 "$ROOT/test/Importer/ONNX/malformed/gen_malformed.py" "$corpus"
echo "== malformed corpus under ASan/UBSan"
/usr/bin/python3 "$ROOT/test/Importer/ONNX/malformed/check_malformed.py" \
  "$BUILD_DIR/bin/hcc-translate" "$corpus" --timeout 60
echo "== ONNX node-test import under ASan/UBSan"
/usr/bin/python3 "$ROOT/test/Conformance/import_node_tests.py" \
  "$BUILD_DIR/bin/hcc-translate" --timeout 60
