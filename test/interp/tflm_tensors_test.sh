#!/usr/bin/env bash
# Every intermediate tensor of the four MLPerf Tiny int8 models, byte for
# byte against TensorFlow Lite Micro's reference kernels
# (../shared/models/mlperf-tiny-tflite/tflm-tensors: each operator's output
# on fixed inputs). Final outputs alone are mostly saturated; this catches a
# rounding difference in any inner layer.
#
#   tflm_tensors_test.sh EDGEC SOURCE_DIR [interp|package]
#
# interp:  `edgec run --dump-tensors` (the reference interpreter);
# package: `edgec validate --per-layer --dump-tensors` (the MCU package with
#          every layer as an output) on the host and under QEMU Cortex-M4 and
#          Cortex-M55, optimized and portable kernels.
# First checks that the comparator reports a changed byte and a missing
# tensor. Skips (77) without ../shared (EDGEC_SHARED_DIR) and, for
# package, without arm-none-eabi-gcc / qemu-system-arm (a failure under
# CI=true).
set -uo pipefail
EDGEC="$1"
SRC="$2"
MODE="${3:-interp}"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
TFL="$SHARED/models/mlperf-tiny-tflite"
REF="$TFL/tflm-tensors"
CMP="$SRC/test/interp/compare_tensor_dumps.py"
. "$SRC/test/skip.sh"
[ -d "$REF" ] || skip_data "TFLM tensor dumps not found at $REF"
if [ "$MODE" = package ]; then
  have_arm_qemu || skip_tool "arm-none-eabi-gcc or qemu-system-arm missing"
fi
[ -x "$EDGEC" ] || { echo "FAIL: edgec not found at $EDGEC"; exit 1; }
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail=0

# The comparator itself: a changed byte and a missing tensor must fail.
first="$(ls -d "$REF"/*/*/ | head -1)"
cp -r "$first" "$T/self"
victim="$(ls "$T/self"/t*.npy | tail -1)"
printf '\x01' | dd of="$victim" bs=1 seek=$(( $(stat -c %s "$victim") - 1 )) conv=notrunc 2> /dev/null
if python3 "$CMP" "$first" "$T/self" > "$T/self.log"; then
  echo "FAIL: the comparator missed a changed byte"; fail=1
fi
grep -q "^differs: .*1 of" "$T/self.log" || { echo "FAIL: no difference line"; cat "$T/self.log"; fail=1; }
python3 - "$T/self/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m['tensors'] = m['tensors'][:-1]
json.dump(m, open(sys.argv[1], 'w'))
PY
if python3 "$CMP" "$first" "$T/self" > "$T/self.log"; then
  echo "FAIL: the comparator missed a missing tensor"; fail=1
fi
grep -q "^missing: " "$T/self.log" || { echo "FAIL: no missing line"; cat "$T/self.log"; fail=1; }

check() { # name refdir dumpdir
  if out="$(python3 "$CMP" "$2" "$3")"; then
    echo "ok   $1: $(echo "$out" | tail -1)"
  else
    echo "FAIL $1:"; echo "$out" | tail -20; fail=1
  fi
}

n=0
for dir in "$REF"/*/*/; do
  dir="${dir%/}"
  input="$(basename "$dir")"
  stem="$(basename "$(dirname "$dir")")"
  model="$TFL/$stem.tflite"
  [ -f "$model" ] || { echo "FAIL: $model missing"; fail=1; continue; }
  n=$((n + 1))
  if [ "$MODE" = interp ]; then
    d="$T/$stem-$input"
    if "$EDGEC" run "$model" --input "$dir/input.npy" --dump-tensors "$d" > "$d.log" 2>&1; then
      check "$stem/$input interpreter" "$dir" "$d"
    else
      echo "FAIL $stem/$input: edgec run: $(tail -3 "$d.log")"; fail=1
    fi
    continue
  fi
  for variant in host:optimized host:portable cortex-m4:optimized cortex-m4:portable \
                 cortex-m55:optimized cortex-m55:portable; do
    cpu="${variant%%:*}"
    kernels="${variant##*:}"
    d="$T/$stem-$input-$cpu-$kernels"
    if "$EDGEC" validate "$model" --target mcu --cpu "$cpu" --option kernels="$kernels" \
         --per-layer --input "$dir/input.npy" --dump-tensors "$d" > "$d.log" 2>&1; then
      check "$stem/$input $cpu $kernels" "$dir" "$d"
    else
      echo "FAIL $stem/$input $cpu $kernels: edgec validate: $(tail -5 "$d.log")"; fail=1
    fi
  done
done
[ "$n" -ge 4 ] || { echo "FAIL: expected the four MLPerf Tiny models, found $n input sets"; fail=1; }
[ "$fail" = 0 ] && echo "PASS ($n input sets, $MODE)"
exit "$fail"
