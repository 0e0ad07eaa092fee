#!/usr/bin/env bash
# Regenerates the dialect and pass references in docs/ from ODS with
# mlir-tblgen (the same generators as add_mlir_doc / `ninja mlir-doc`).
# usage: scripts/update-docs.sh [--check]
#   --check: write nothing; exit 1 if a checked-in reference is stale.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TBLGEN="${MLIR_TBLGEN:-/usr/lib/llvm-22/bin/mlir-tblgen}"
INCLUDES=(-I "$ROOT" -I "$ROOT/include" -I /usr/lib/llvm-22/include)
CHECK=0
[ "${1:-}" = "--check" ] && CHECK=1
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/Dialects" "$out/Passes"

# One reference per dialect (dialects/<Name>/IR/<Name>Ops.td) and per
# Passes.td (named after its directory: Graph, Conversion, ...).
for td in "$ROOT"/dialects/*/IR/*Ops.td; do
  name="$(basename "$(dirname "$(dirname "$td")")")"
  [ "$(basename "$td")" = "${name}Ops.td" ] || continue
  dialect="$(echo "$name" | tr '[:upper:]' '[:lower:]')"
  "$TBLGEN" -gen-dialect-doc -dialect="$dialect" "${INCLUDES[@]}" \
    -I "$(dirname "$td")" "$td" \
    > "$out/Dialects/$name.md"
done
while IFS= read -r td; do
  dir="$(dirname "$td")"
  name="$(basename "$dir")"
  [ "$name" = Transforms ] && name="$(basename "$(dirname "$dir")")"
  "$TBLGEN" -gen-pass-doc "${INCLUDES[@]}" "$td" > "$out/Passes/$name.md"
done < <(find "$ROOT/dialects" "$ROOT/include" "$ROOT/lib" -name Passes.td | sort)

stale=0
for f in $(cd "$out" && find . -name '*.md' | sort); do
  if ! cmp -s "$out/$f" "$ROOT/docs/$f"; then
    stale=1
    if [ $CHECK = 1 ]; then
      echo "docs/${f#./} is stale: run scripts/update-docs.sh"
    else
      mkdir -p "$(dirname "$ROOT/docs/$f")"
      cp "$out/$f" "$ROOT/docs/$f"
      echo "wrote docs/${f#./}"
    fi
  fi
done
[ $CHECK = 1 ] && [ $stale = 1 ] && exit 1
exit 0
