#!/usr/bin/env bash
# Installs the runtime from BUILD_DIR into a temporary prefix, builds
# examples/embed against it with find_package(hcc), and runs it on a bundle.
# usage: test_install.sh BUILD_DIR WORK_DIR BUNDLE
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$1" work="$2" bundle="$3"
rm -rf "$work/prefix" "$work/embed"
cmake --install "$build" --component hcc_runtime --prefix "$work/prefix" >/dev/null
cmake -S "$root/examples/embed" -B "$work/embed" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/embed" >/dev/null
# The example must depend on the installed library, not the build tree.
# (ldd's output is captured first: `ldd | grep -q` under pipefail fails
# whenever grep exits before ldd has written everything.)
deps="$(ldd "$work/embed/hcc-embed")"
grep -q "$work/prefix/lib/libhcc_runtime.so" <<<"$deps"
"$work/embed/hcc-embed" "$bundle"
