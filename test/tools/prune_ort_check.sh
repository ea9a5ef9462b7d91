#!/usr/bin/env bash
# Channel-pruned models run in ONNX Runtime: paddleocr-cls (25%, from the
# shared models; skipped when absent) and examples/vww (25%) are pruned by
# `edgec prune --method channel`, run with scripts/ort_run.js on their
# test input, and ORT's output is compared with edgec's interpreter on the
# same pruned model (rtol 1e-3, atol 1e-4) by edgec-export-test --compare.
#   prune_ort_check.sh EDGEC COMPARE_TOOL SOURCE_DIR
# Exits 77 (skip) without node or onnxruntime-node.
set -u
EDGEC="$1"
TOOL="$2"
SRC="$3"
# shellcheck source=../ort_env.sh
. "$SRC/test/ort_env.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passes=0
fails=0
check_model() { # check_model NAME MODEL INPUT_PB [prune flags...]
  local name="$1" model="$2" input="$3"; shift 3
  local out="$tmp/$name"
  mkdir -p "$out"
  if ! "$EDGEC" prune "$model" -o "$out/pruned.onnx" --method channel --sparsity 0.25 \
      --report "$out/report.json" "$@" >"$out/log" 2>&1; then
    echo "FAIL: $name: prune: $(tail -c 400 "$out/log")"; fails=$((fails + 1)); return
  fi
  if ! python3 -c "import json,sys; j=json.load(open(sys.argv[1])); t=j['totals']; sys.exit(0 if t['after']['parameters'] < t['before']['parameters'] else 1)" "$out/report.json"; then
    echo "FAIL: $name: the pruned model is not smaller"; fails=$((fails + 1)); return
  fi
  if ! node "$RUNNER" "$out/pruned.onnx" "$out/ort" "$input" >"$out/ortlog" 2>&1; then
    echo "FAIL: $name: onnxruntime: $(tail -c 600 "$out/ortlog")"; fails=$((fails + 1)); return
  fi
  if ! "$EDGEC" run "$out/pruned.onnx" --input "$input" --output-dir "$out/edgec" --format pb \
      >/dev/null 2>"$out/runerr"; then
    echo "FAIL: $name: edgec run: $(cat "$out/runerr")"; fails=$((fails + 1)); return
  fi
  local got=("$out"/edgec/*.pb)
  if ! "$TOOL" --compare "$out/ort/output_0.pb" "${got[0]}" 1e-3 1e-4 2>"$out/cmp"; then
    echo "FAIL: $name: ORT vs edgec: $(head -c 400 "$out/cmp")"; fails=$((fails + 1)); return
  fi
  echo "ok: $name"
  passes=$((passes + 1))
}

check_model vww "$SRC/examples/vww/model.onnx" "$SRC/examples/vww/input_0.pb"
P="$MODELS/paddleocr-cls"
if [ -f "$P/model.onnx" ]; then
  check_model paddleocr-cls "$P/model.onnx" "$P/test_data_set_0/input_0.pb" --input-shape x=1,3,48,192
else
  echo "note: $P absent, paddleocr-cls not checked"
fi
echo "ort.prune: $passes passed, $fails failed"
[ "$fails" = 0 ]
