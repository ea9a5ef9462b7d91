#!/usr/bin/env bash
# The negative test of ort.quantized: its bounds can fail. On the demo VWW
# model (examples/vww, fast), ort_quantized_check.sh must
#  - pass with the recorded bounds (test/quant/ort_quantized_known.txt), so
#    the failures below come from the bounds, not from a broken setup;
#  - fail with a max-steps bound below the measured difference;
#  - fail with a max fraction of elements more than one step off below the
#    measured one;
#  - refuse a fraction bound of 1, which could never fail.
#   ort_quantized_bounds_check.sh EDGEC QDQ_CHECK SOURCE_DIR
# Exits 77 (skip) when node or onnxruntime-node are absent.
set -u
EDGEC="$1"
CHECK="$2"
SRC="$3"
RUN="$SRC/test/quant/ort_quantized_check.sh"
export EDGEC_QDQ_ONLY=vww
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# expect NAME RC OUTPUT_PATTERN KNOWN_FILE
expect() {
  "$RUN" "$EDGEC" "$CHECK" "$SRC" "$4" >"$tmp/out" 2>&1
  local rc=$?
  [ "$rc" = 77 ] && { cat "$tmp/out"; exit 77; }
  if [ "$rc" = "$2" ] && grep -q -- "$3" "$tmp/out"; then
    echo "ok: $1 (exit $rc)"
  else
    echo "FAIL: $1: expected exit $2 and '$3', got exit $rc:"; cat "$tmp/out"
    fails=$((fails + 1))
  fi
}
known="$SRC/test/quant/ort_quantized_known.txt"
expect "recorded bounds pass" 0 "^ok: vww" "$known"
# The vww line with one bound tightened (the other column kept).
steps=$(awk '$1 == "vww" { print $2 }' "$known")
beyond=$(awk '$1 == "vww" { print $3 }' "$known")
[ -n "$steps" ] && [ -n "$beyond" ] || { echo "FAIL: no vww line in $known"; exit 1; }
printf 'default 1 0.01\nvww %s %s\n' "$(awk -v s="$steps" 'BEGIN { print s - 1 }')" "$beyond" >"$tmp/steps.txt"
expect "max steps below the measured difference fails" 1 "exceeds MAX_STEPS" "$tmp/steps.txt"
printf 'default 1 0.01\nvww %s 0.4\n' "$steps" >"$tmp/beyond.txt"
expect "fraction beyond one step below the measured one fails" 1 "exceeds MAX_BEYOND" "$tmp/beyond.txt"
printf 'default 1 0.01\nvww %s 1.0\n' "$steps" >"$tmp/vacuous.txt"
expect "a bound that cannot fail is refused" 1 "cannot fail" "$tmp/vacuous.txt"
printf 'vww %s %s\n' "$steps" "$beyond" >"$tmp/nodefault.txt"
expect "a file without a default line is refused" 1 "'default' line is required" "$tmp/nodefault.txt"
[ "$fails" = 0 ]
