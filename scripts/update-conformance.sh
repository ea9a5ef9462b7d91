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
for v in "O3:--optimize 3" "O2-nhwc:--optimize 2 --layout nhwc"; do
  n=${v%%:*}; a=${v#*:}
  # shellcheck disable=SC2086
  "$BIN" "$NODE" $a --roundtrip --title "Optimizer property test ($n), ONNX node tests" \
    --write-expect "$tmp/node_$n" --report "$tmp/node_$n.md" \
    --expect "test/conformance/node_tests_$n.expected" | tail -n 3
  # shellcheck disable=SC2086
  "$BIN" "$MODELS" --rtol 1e-3 --atol 1e-4 $a --roundtrip --opt-rtol 1e-4 --opt-atol 1e-5 \
    --title "Optimizer property test ($n), shared real models" \
    --write-expect "$tmp/models_$n" --report "$tmp/models_$n.md" \
    --expect "test/conformance/models_$n.expected" | tail -n 3
done
for f in node_tests:node models:models node_tests_O3:node_O3 models_O3:models_O3 \
         node_tests_O2-nhwc:node_O2-nhwc models_O2-nhwc:models_O2-nhwc; do
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
  echo
  echo "## Optimizer property tests"
  echo
  echo "Every case above that the interpreter passes, optimized (then exported"
  echo "to ONNX and re-imported), must reproduce the unoptimized outputs"
  echo "(docs/passes.md). Cases the interpreter does not pass count as unsupported."
  echo
  for n in O3 O2-nhwc; do
    for k in node models; do
      echo "- $(head -n 1 "$tmp/${k}_$n.md" | sed 's/^# //'): $(grep -m1 '^\*\*' "$tmp/${k}_$n.md")"
    done
  done
} > docs/conformance.md
echo "updated docs/conformance.md and test/conformance/*.expected"
