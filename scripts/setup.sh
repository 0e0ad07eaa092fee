#!/usr/bin/env bash
# Installs everything hcc needs (idempotent), builds it, and runs the built-in
# example. Usage: scripts/setup.sh [--no-build] [--no-example]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# ccache hits across clones: paths below the checkout are hashed relative.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}" CCACHE_NOHASHDIR=1
BUILD_DIR="${HCC_BUILD_DIR:-$ROOT/build}"
DO_BUILD=1
DO_EXAMPLE=1
for arg in "$@"; do
  case "$arg" in
  --no-build) DO_BUILD=0 ;;
  --no-example) DO_EXAMPLE=0 ;;
  *) echo "setup.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

APT_PACKAGES=(
  cmake ninja-build ccache g++ clang-format python3 python3-pip nlohmann-json3-dev
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libonnx-dev libonnx-testdata libprotobuf-dev protobuf-compiler
  python3-onnx python3-numpy python3-protobuf python3-torch python3-torchvision
  python3-venv
  libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev libzstd-dev libedit-dev libxml2-dev libcurl4-openssl-dev
  pocl-opencl-icd ocl-icd-opencl-dev opencl-headers clinfo clang-15
  libxgboost-dev
  python3-dev pybind11-dev python3-pybind11 python3-pytest graphviz
)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Python test tools (lit is shipped by Debian's llvm-22-tools; FileCheck too).
# onnxruntime is test tooling only: the performance baseline of bench/.
PY=/usr/bin/python3
if ! "$PY" -c "import lit" 2>/dev/null && [ ! -x /usr/lib/llvm-22/bin/lit ]; then
  "$PY" -m pip install --break-system-packages -q lit
fi
# --no-deps: its protobuf requirement would shadow Debian's python3-protobuf
# (which python3-onnx is built against); inference needs only these two.
if ! "$PY" -c "import onnxruntime" 2>/dev/null; then
  "$PY" -m pip install --break-system-packages -q --no-deps \
    onnxruntime flatbuffers packaging ||
    echo "setup.sh: warning: could not install onnxruntime; bench/ needs it"
fi

# pip install . (the Python package) builds with scikit-build-core.
if ! "$PY" -c "import scikit_build_core" 2>/dev/null; then
  "$PY" -m pip install --break-system-packages -q "scikit-build-core>=0.10" ||
    echo "setup.sh: warning: could not install scikit-build-core; the Python package is not installed"
fi

# The newest ONNX whose wheel still ships the node tests, in its own
# environment (Debian's python3-onnx 1.12 stays the system one): its schemas
# generate the graph dialect (utils/generate_graph_ops.py), its node tests
# (opsets up to 27) and reference evaluator check hcc, and ONNX Runtime there
# is the second opinion of the per-version tests. Test tooling only.
VENV="$ROOT/.venv-onnx"
ONNX_PIN="onnx==1.22.0"
ORT_PIN="onnxruntime==1.32.0"
if ! "$VENV/bin/python" -c "import onnx, onnxruntime
assert onnx.__version__ == '1.22.0'" 2>/dev/null; then
  echo "== installing $ONNX_PIN and $ORT_PIN into $VENV"
  { "$PY" -m venv "$VENV" && "$VENV/bin/pip" install -q "$ONNX_PIN" "$ORT_PIN"; } ||
    echo "setup.sh: warning: could not install $ONNX_PIN; the tests that need it are skipped"
fi

[ "$DO_BUILD" = 1 ] || exit 0

echo "== configuring and building in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja \
  -DCMAKE_BUILD_TYPE="${HCC_BUILD_TYPE:-Release}" \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
  -DPython3_EXECUTABLE="$PY" \
  ${HCC_CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j "${HCC_JOBS:-$(nproc)}"

# The Python package (docs/Python.md), installed for $PY: pip install . in
# the same build directory, so only the package is packed.
if [ -d "$BUILD_DIR/python/hcc" ] && "$PY" -c "import scikit_build_core" 2>/dev/null; then
  echo "== installing the Python package (pip install .)"
  "$PY" -m pip install --break-system-packages --no-build-isolation --no-deps -q \
    --config-settings=build-dir="$BUILD_DIR" "$ROOT" ||
    { echo "setup.sh: pip install . failed" >&2; exit 1; }
fi

[ "$DO_EXAMPLE" = 1 ] || exit 0
echo "== built-in example"
"$ROOT/scripts/example.sh" "$BUILD_DIR"
