#!/usr/bin/env bash
# Regenerates docs/workflows/diagrams/ID.dot, ID.mmd and ID.svg for every workflow in workflows/,
# from the YAML through `sitecycle graph` and Graphviz. tests/adapters/workflow_docs_test.cpp
# fails while a committed diagram differs from what this script writes.
# Usage: docs/workflows/render-diagrams.sh [path/to/sitecycle]
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/packages.sh
# The diagrams label states in Chinese, so Graphviz needs a CJK font to measure them.
sitecycle_install_packages graphviz fonts-noto-cjk

sitecycle=${1:-build/asan/api/cli/sitecycle}
if [ ! -x "$sitecycle" ]; then
  echo "error: $sitecycle not found; build first (./test.sh) or pass the binary as the first argument" >&2
  exit 2
fi

out=docs/workflows/diagrams
mkdir -p "$out"
for file in workflows/*.yaml; do
  case "$(basename "$file")" in roles.yaml | agencies.yaml) continue ;; esac
  id=$(sed -n 's/^id: *\([a-z0-9_]*\).*/\1/p' "$file" | head -n 1)
  "$sitecycle" graph "$id" --format dot >"$out/$id.dot"
  "$sitecycle" graph "$id" --format mermaid >"$out/$id.mmd"
  dot -Tsvg "$out/$id.dot" >"$out/$id.svg"
  echo "rendered $out/$id.svg"
done
