#!/usr/bin/env bash
# The README's main job (scripts/main-job.sh, what scripts/demo.sh runs after
# setup and build) with the build's edgec: quantize the shipped VWW model on
# its shipped calibration samples, compile for Cortex-M4, validate under
# QEMU, the bench matrix, the other targets. Checks exit 0, a comparison
# table with one row per entry (3), the three HTML reports and a line per
# other target.
#   main_job_test.sh EDGEC SOURCE_DIR
# Skips (77) without arm-none-eabi-gcc / qemu-system-arm (a failure under
# CI=true). Needs no shared data: everything ships in examples/vww.
set -uo pipefail
EDGEC="$1"
SRC="$2"
. "$SRC/test/skip.sh"
have_arm_qemu || skip_tool "arm-none-eabi-gcc or qemu-system-arm missing"
[ -x "$EDGEC" ] || { echo "FAIL: edgec not found at $EDGEC"; exit 1; }
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

"$SRC/scripts/main-job.sh" "$EDGEC" "$W/out" > "$W/stdout" 2> "$W/stderr"
rc=$?
[ "$rc" -eq 0 ] || { bad "main-job.sh exit $rc"; cat "$W/stdout" "$W/stderr"; exit 1; }

# The comparison table: the header, then exactly one row per --targets entry.
table="$(sed -n '/^target  *cpu  *executors/,/^$/p' "$W/stdout")"
rows="$(grep -cE '^mcu +(cortex-m4|cortex-m55|host) ' <<< "$table")"
[ "$rows" -eq 3 ] || bad "bench table has $rows rows, want 3: $table"
grep -qE '^mcu +cortex-m4 +qemu +- +[0-9]+ ' <<< "$table" || bad "no QEMU instruction count for cortex-m4"
for h in quantize compile bench; do
  [ -s "$W/out/$h.html" ] || bad "$h.html missing"
  grep -q "$W/out/$h.html" "$W/stdout" || bad "$h.html path not printed"
done
grep -q '^PASS$' "$W/stdout" || bad "validate did not PASS"
grep -q 'int8 vs float on input_0.pb: Identity SNR .* top-1 agreement 100.0%' "$W/stdout" ||
  bad "no int8-vs-float line with top-1 agreement"
grep -qE "^npu: [0-9]+ nodes on npu.*ethos-u operator" "$W/stdout" || bad "no code generation line for target npu"
grep -qE "^npu validate .*PASS .*exact 100.00%" "$W/stdout" || bad "npu validate not exact"
[ -s "$W/out/npu/model_npu.tflite" ] || bad "no NPU file"
grep -qE "^gpu validate .*PASS" "$W/stdout" || bad "gpu validate did not PASS"
[ -s "$W/out/llvm/model.o" ] || bad "no llvm object"
for t in skeleton edgetpu tflite llvm gpu; do
  grep -qE "^$t: [0-9]+ nodes on $t" "$W/stdout" || bad "no line for target $t"
done
[ -s "$W/out/edgetpu/model_edgetpu_ready.tflite" ] || bad "no Edge TPU file"
# Only the output folder is written.
[ -z "$(find "$W" -mindepth 1 -maxdepth 1 ! -name out ! -name stdout ! -name stderr)" ] ||
  bad "files outside the output folder"

[ "$fail" -eq 0 ] || { echo "$fail failure(s)"; exit 1; }
echo "PASS: main job ($rows bench rows, 3 HTML reports)"
