#!/usr/bin/env bash
# Checks exported models with ONNX Runtime: every shared model (exported by
# edgec-export-test) and the exporter's samples (fused activations and
# expansions of newer ops, written by edgec-export-test --samples) are run
# with scripts/ort_run.js, and ORT's outputs are compared with the reference
# outputs of test_data_set_0 (rtol 1e-3, atol 1e-4).
#   ort_check.sh EXPORT_TOOL SOURCE_DIR
# Exits 77 (skip) when node or onnxruntime-node is missing. EDGEC_MODELS
# points at another model folder.
set -u
TOOL="$1"
SRC="$2"
RUNNER="$SRC/scripts/ort_run.js"
RTOL=1e-3
ATOL=1e-4

. "$SRC/test/skip.sh"
command -v node >/dev/null 2>&1 || skip_tool "node is not installed"
node "$RUNNER" --check
rc=$?
if [ "$rc" = 77 ]; then
  echo "SKIP: onnxruntime-node not found in $SRC/node_modules" \
       "(cd $SRC && npm install --ignore-scripts onnxruntime-node)"
  exit 77
elif [ "$rc" != 0 ]; then
  echo "FAIL: $RUNNER --check exited $rc"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0

# check_case NAME MODEL DATA_DIR: runs MODEL with ORT on DATA_DIR's inputs
# and compares with its outputs.
check_case() {
  local name="$1" model="$2" data="$3" out="$tmp/out/$1"
  local inputs=() i=0
  while [ -f "$data/input_$i.pb" ]; do inputs+=("$data/input_$i.pb"); i=$((i + 1)); done
  if ! node "$RUNNER" "$model" "$out" "${inputs[@]}" >"$tmp/ort.log" 2>&1; then
    echo "FAIL: $name: onnxruntime: $(tail -c 600 "$tmp/ort.log")"
    fails=$((fails + 1))
    return
  fi
  local ok=1 n=0
  while [ -f "$data/output_$n.pb" ]; do
    if [ ! -f "$out/output_$n.pb" ]; then
      echo "FAIL: $name: onnxruntime wrote no output_$n.pb"
      ok=0
    elif ! "$TOOL" --compare "$out/output_$n.pb" "$data/output_$n.pb" $RTOL $ATOL \
        2>"$tmp/cmp.log"; then
      echo "FAIL: $name: $(head -c 400 "$tmp/cmp.log")"
      ok=0
    fi
    n=$((n + 1))
  done
  if [ "$n" = 0 ]; then
    echo "FAIL: $name: no reference outputs in $data"
    ok=0
  fi
  if [ "$ok" = 1 ]; then
    echo "ok: $name ($n outputs)"
    passes=$((passes + 1))
  else
    fails=$((fails + 1))
  fi
}

# 1. Exporter samples: fused activations and expansions.
if "$TOOL" --samples "$tmp/samples" >"$tmp/samples.log" 2>&1; then
  for dir in "$tmp/samples"/*/; do
    name="sample/$(basename "$dir")"
    check_case "$name" "$dir/model.onnx" "$dir/test_data_set_0"
  done
else
  echo "FAIL: $TOOL --samples: $(cat "$tmp/samples.log")"
  fails=$((fails + 1))
fi

# 2. Every shared model with reference outputs.
MODELS="${EDGEC_MODELS:-$SRC/../shared/models}"
if [ -d "$MODELS" ]; then
  for dir in "$MODELS"/*/; do
    model="$dir/model.onnx"
    if [ ! -f "$model" ]; then
      model=$(ls "$dir"*.onnx 2>/dev/null | sort | head -n 1)
      [ -n "$model" ] || continue
    fi
    [ -d "$dir/test_data_set_0" ] || continue
    name="model/$(basename "$dir")"
    exported="$tmp/export/$(basename "$dir").onnx"
    mkdir -p "$tmp/export"
    if ! "$TOOL" "$model" "$exported" 2>"$tmp/export.log"; then
      echo "FAIL: $name: export: $(cat "$tmp/export.log")"
      fails=$((fails + 1))
      continue
    fi
    check_case "$name" "$exported" "$dir/test_data_set_0"
  done
else
  echo "note: no shared models at $MODELS; checked the samples only"
fi

echo "ort.export: $passes passed, $fails failed"
[ "$fails" = 0 ]
