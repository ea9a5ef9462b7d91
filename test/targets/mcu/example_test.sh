#!/usr/bin/env bash
# examples/wakeword-mcu: the firmware image builds for mps2-an386 and, under
# QEMU, prints the embedding ONNX Runtime computes for the shipped window
# (first 8 values to 1e-3). Runs in a copy of the example (the source tree
# stays clean). Skips (77) without ../shared, arm-none-eabi-gcc or QEMU.
#   example_test.sh EDGEC SOURCE_DIR
set -uo pipefail
EDGEC="$(realpath "$1")"
SRC="$2"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
MODEL="$SHARED/models/wakeword-embedding/model.onnx"
. "$SRC/test/skip.sh"
[ -f "$MODEL" ] || skip_data "shared model not found: $MODEL"
have_arm_qemu || skip_tool "arm-none-eabi-gcc or qemu-system-arm missing"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp "$SRC"/examples/wakeword-mcu/{Makefile,firmware.c,input.f32} "$WORK"/
MODEL="$(realpath "$MODEL")"
if ! make -s -C "$WORK" run EDGEC="$EDGEC" MODEL="$MODEL" > "$WORK/out.log" 2>&1; then
  echo "FAIL: make run"; tail -20 "$WORK/out.log"; exit 1
fi
cat "$WORK/out.log" | grep -E "^(wakeword|embedding)"
grep -q "on mps2-an386/cortex-m4: status 0" "$WORK/out.log" || { echo "FAIL: no status line"; exit 1; }
line=$(grep "^embedding\[0..7\]:" "$WORK/out.log")
# ONNX Runtime's output for the shipped window (shared test_data_set_0).
want="-25.5262 29.2545 8.1763 9.1927 -3.3925 19.8457 5.3444 -7.1923"
echo "$line" | awk -v want="$want" '{
  n = split(want, w, " ");
  for (i = 1; i <= n; ++i) {
    d = $(i + 1) - w[i]; if (d < 0) d = -d;
    if (d > 1e-3 * (w[i] < 0 ? -w[i] : w[i]) + 1e-3) { print "FAIL: value " i ": " $(i + 1) " vs " w[i]; exit 1 }
  }
  print "example output matches ONNX Runtime"
}'
