#!/usr/bin/env bash
# Checks the QDQ models `edgec quantize` writes with ONNX Runtime: each
# shared model (and the demo model) is quantized (int8, per channel,
# calibrated on its own test input: calibration quality does not matter
# here), ONNX Runtime
# runs the QDQ file on test_data_set_0, and edgec-qdq-check compares
# edgec's integer interpreter with ORT in quantization steps against two
# bounds per model, the largest difference in steps and the fraction of
# elements more than one step off (the `default` line of KNOWN, or the
# model's own line; both measured, see the file).
#   ort_quantized_check.sh EDGEC QDQ_CHECK SOURCE_DIR [KNOWN]
# KNOWN defaults to test/quant/ort_quantized_known.txt; EDGEC_QDQ_ONLY (a
# space-separated list of model folder names) limits the models checked
# (the negative test, ort.quantized-bounds, uses both).
# Models above EDGEC_QDQ_MAX_MACS multiply-accumulates (default 6e8) are
# skipped: the integer reference kernels are slow on the ImageNet models.
# Exits 77 (skip) when node or onnxruntime-node are absent.
set -u
EDGEC="$1"
CHECK="$2"
SRC="$3"
KNOWN="${4:-$SRC/test/quant/ort_quantized_known.txt}"
# shellcheck source=../ort_env.sh
. "$SRC/test/ort_env.sh"
MAX_MACS="${EDGEC_QDQ_MAX_MACS:-600000000}"

grep -q '^default ' "$KNOWN" ||
  { echo "FAIL: $KNOWN: a 'default' line is required (the bounds of unlisted models)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passes=0
fails=0
dirs=("$SRC/examples/vww/")
[ -d "$MODELS" ] && for d in "$MODELS"/*/; do dirs+=("$d"); done
for dir in "${dirs[@]}"; do
  [ -f "$dir/model.onnx" ] || continue
  base=$(basename "$dir")
  if [ -n "${EDGEC_QDQ_ONLY:-}" ] && [[ " $EDGEC_QDQ_ONLY " != *" $base "* ]]; then continue; fi
  macs=$("$EDGEC" inspect "$dir/model.onnx" --json 2>/dev/null |
         sed -n '/^  "macs": {/,/^  }/s/^    "total": \([0-9]*\).*/\1/p' | head -1)
  if [ -n "$macs" ] && [ "$macs" -gt "$MAX_MACS" ]; then
    echo "skip: $base ($macs MACs)"; continue
  fi
  inputs=()
  if [ -d "$dir/test_data_set_0" ]; then
    for f in "$dir"/test_data_set_0/input_*.pb; do inputs+=("$f"); done
  else
    for f in "$dir"/input_*.pb; do [ -f "$f" ] && inputs+=("$f"); done
  fi
  [ "${#inputs[@]}" -gt 0 ] || continue
  out="$tmp/$base"
  mkdir -p "$out"
  mkdir -p "$out/calib/sample0"
  k=0
  for f in "${inputs[@]}"; do cp "$f" "$out/calib/sample0/input_$k.pb"; k=$((k + 1)); done
  if ! "$EDGEC" quantize "$dir/model.onnx" -o "$out/q.onnx" --calib "$out/calib" --quiet \
      >"$out/log" 2>&1; then
    echo "FAIL: $base: quantize: $(tail -c 400 "$out/log")"; fails=$((fails + 1)); continue
  fi
  if ! node "$RUNNER" "$out/q.onnx" "$out/ort" "${inputs[@]}" >"$out/ortlog" 2>&1; then
    echo "FAIL: $base: onnxruntime: $(tail -c 600 "$out/ortlog")"; fails=$((fails + 1)); continue
  fi
  bounds=$(awk -v m="$base" '$1 == m { print $2, $3; found = 1 }
                              $1 == "default" { d = $2 " " $3 }
                              END { if (!found) print d }' "$KNOWN")
  read -r max_steps max_beyond <<<"$bounds"
  if "$CHECK" "$out/q.onnx" "$out/ort" "$max_steps" "$max_beyond" "${inputs[@]}" >"$out/cmp" 2>&1; then
    echo "ok: $base: $(tr '\n' ' ' <"$out/cmp")"; passes=$((passes + 1))
  else
    echo "FAIL: $base: $(tr '\n' ' ' <"$out/cmp" | head -c 600)"; fails=$((fails + 1))
  fi
done
echo "ort.quantized: $passes passed, $fails failed"
[ "$fails" = 0 ] && [ "$passes" -gt 0 ]
