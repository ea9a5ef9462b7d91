#!/usr/bin/env bash
# Checks optimized models with ONNX Runtime: every shared model is optimized
# by `edgec optimize` (-O2, and -O3 with the NHWC layout), exported, run with
# scripts/ort_run.js, and ORT's outputs are compared with the reference
# outputs of test_data_set_0 (rtol 1e-3, atol 1e-4) by edgec-export-test.
#   ort_optimized_check.sh EDGEC COMPARE_TOOL SOURCE_DIR
# Exits 77 (skip) when node, onnxruntime-node or the shared models are absent.
set -u
EDGEC="$1"
TOOL="$2"
SRC="$3"
# shellcheck source=../ort_env.sh
. "$SRC/test/ort_env.sh"
[ -d "$MODELS" ] || skip_data "no shared models at $MODELS"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passes=0
fails=0
for dir in "$MODELS"/*/; do
  [ -f "$dir/model.onnx" ] && [ -d "$dir/test_data_set_0" ] || continue
  base=$(basename "$dir")
  inputs=()
  for f in "$dir"/test_data_set_0/input_*.pb; do inputs+=("$f"); done
  for variant in "O2:-O2" "O3-nhwc:-O3 --layout nhwc"; do
    vname=${variant%%:*}
    # shellcheck disable=SC2086
    flags=${variant#*:}
    name="$base ($vname)"
    out="$tmp/$base-$vname"
    mkdir -p "$out"
    # shellcheck disable=SC2086
    if ! "$EDGEC" optimize "$dir/model.onnx" $flags -o "$out/model.onnx" >/dev/null 2>"$out/err"; then
      echo "FAIL: $name: optimize: $(cat "$out/err")"; fails=$((fails + 1)); continue
    fi
    if ! node "$RUNNER" "$out/model.onnx" "$out/ort" "${inputs[@]}" >"$out/log" 2>&1; then
      echo "FAIL: $name: onnxruntime: $(tail -c 600 "$out/log")"; fails=$((fails + 1)); continue
    fi
    ok=1
    n=0
    while [ -f "$dir/test_data_set_0/output_$n.pb" ]; do
      if ! "$TOOL" --compare "$out/ort/output_$n.pb" "$dir/test_data_set_0/output_$n.pb" 1e-3 1e-4 \
          2>"$out/cmp"; then
        echo "FAIL: $name: output $n: $(head -c 400 "$out/cmp")"; ok=0
      fi
      n=$((n + 1))
    done
    if [ "$ok" = 1 ] && [ "$n" -gt 0 ]; then passes=$((passes + 1)); else fails=$((fails + 1)); fi
  done
done
echo "ort.optimized: $passes passed, $fails failed"
[ "$fails" = 0 ]
