#!/usr/bin/env bash
# Regenerates docs/conformance.md and the expectation lists from a fresh run.
# The expectation lists only grow: a case that passed before and fails now is
# a regression to fix, not to drop (the script refuses unless FORCE=1).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${EDGEC_BUILD_DIR:-build}/test/conformance/edgec-conformance"
SHARED="${EDGEC_SHARED_DIR:-../shared}"
NODE="${EDGEC_ONNX_NODE_TESTS:-$SHARED/onnx-node-tests}"
MODELS="${EDGEC_MODELS:-$SHARED/models}"
tmp=$(mktemp -d)
"$BIN" "$NODE" --write-expect "$tmp/node" --report "$tmp/node.md" \
  --expect test/conformance/node_tests.expected | tail -n 3
"$BIN" "$MODELS" --rtol 1e-3 --atol 1e-4 --title "Shared real models" \
  --write-expect "$tmp/models" --report "$tmp/models.md" \
  --expect test/conformance/models.expected | tail -n 3
for f in node_tests:node models:models; do
  old="test/conformance/${f%%:*}.expected"; new="$tmp/${f##*:}"
  if [ "${FORCE:-0}" != 1 ] && [ -n "$(comm -23 <(grep -v '^#' "$old" | sort) <(grep -v '^#' "$new" | sort))" ]; then
    echo "error: $old lists cases that no longer pass; fix them (or FORCE=1)" >&2
    exit 1
  fi
  cp "$new" "$old"
done
{
  cat "$tmp/node.md"
  echo
  sed 's/^# /## /' "$tmp/models.md"
} > docs/conformance.md
echo "updated docs/conformance.md and test/conformance/*.expected"
