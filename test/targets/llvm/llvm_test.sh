#!/usr/bin/env bash
# The llvm target (issue 14): shared float and int8 models compiled to one
# object per model and validated against the interpreter (float rtol 1e-4,
# int8 bit-exact: `edgec validate` allows 0 integer steps) on the host
# (x86_64-linux-gnu, linked with cc), under qemu-aarch64
# (aarch64-linux-gnu, linked with aarch64-linux-gnu-gcc) and in the QEMU
# Cortex-M4 firmware (thumbv7em-none-eabihf, arm-none-eabi-gcc); objects
# byte-identical across two compiles; NAME.h byte-identical to the MCU
# package's (--cpu host: the same C API and arena); `nm` shows no
# undefined symbol outside memcpy/memmove/memset and single-precision libm
# (never malloc/free/printf). Skips (77) without ../shared; the tools
# (clang-14, qemu-aarch64, aarch64-linux-gnu-gcc, arm-none-eabi-gcc,
# qemu-system-arm) are installed by setup.sh.
#   llvm_test.sh EDGEC SOURCE_DIR
set -uo pipefail
EDGEC="$1"
SRC="$2"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
M="$SHARED/models"
. "$SRC/test/skip.sh"
[ -d "$M" ] || skip_data "shared data not found at $SHARED"
command -v clang-14 > /dev/null || skip_tool "clang-14 not found"
command -v nm > /dev/null || skip_tool "nm not found"
aarch64=1
{ command -v qemu-aarch64 && command -v aarch64-linux-gnu-gcc; } > /dev/null || aarch64=0
m4=1
have_arm_qemu || m4=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { # LABEL COMMAND...: runs a validate, prints PASS/FAIL with its first output line
  local label="$1" out
  shift
  if out=$("$@" 2>&1); then
    echo "PASS $label: $(echo "$out" | grep -E '^  ' | head -1 | tr -s ' ')"
  else
    echo "FAIL $label: $(echo "$out" | tail -c 600)"; fail=1
  fi
}
# model | extra args | also under qemu-aarch64 and QEMU Cortex-M4 (1)
cases=(
  "$M/mlperf-tiny-tflite/kws_ref_model.tflite||1"
  "$M/mlperf-tiny-tflite/vww_96_int8.tflite||0"
  "$M/mlperf-tiny-vww-onnx/model.onnx||1"
  "$M/mlperf-tiny-tflite/kws_ref_model_float32.tflite||0"
  "$M/wakeword-embedding/model.onnx||0"
  "$M/paddleocr-cls/model.onnx|--input-shape x=1,3,48,192|0"
)
for c in "${cases[@]}"; do
  IFS='|' read -r model extra onarm <<< "$c"
  if [ ! -f "$model" ]; then echo "skip (absent): $model"; continue; fi
  name="${model#$M/}"
  # shellcheck disable=SC2086
  check "x86_64  $name" "$EDGEC" validate "$model" --target llvm $extra
  if [ "$aarch64" = 1 ] && [ "$onarm" = 1 ]; then
    # shellcheck disable=SC2086
    check "aarch64 $name" "$EDGEC" validate "$model" --target llvm --triple aarch64-linux-gnu $extra
  fi
  if [ "$m4" = 1 ] && [ "$onarm" = 1 ]; then
    # shellcheck disable=SC2086
    check "M4      $name" "$EDGEC" validate "$model" --target llvm --triple thumbv7em-none-eabihf $extra
  fi
done

# Determinism, the header contract and the undefined symbols.
allowed='^(memcpy|memmove|memset|(exp|expm1|log|log1p|sqrt|pow|tanh|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|asinh|acosh|atanh|erf|fmod|floor|ceil|round|trunc|rint|nearbyint|lrint|lround|fabs|fmin|fmax|exp2|log2|log10|cbrt|hypot|copysign|frexp|ldexp|modf|remainder)f?)$'
forbidden='^(malloc|calloc|realloc|free|printf|fprintf|puts|putchar|abort|exit)$'
for c in "kws|$M/mlperf-tiny-tflite/kws_ref_model.tflite|" "vww|$M/mlperf-tiny-vww-onnx/model.onnx|"; do
  IFS='|' read -r n model extra <<< "$c"
  [ -f "$model" ] || continue
  for triple in x86_64-linux-gnu aarch64-linux-gnu thumbv7em-none-eabihf; do
    for k in 1 2; do
      "$EDGEC" compile "$model" --target llvm --triple "$triple" --name "$n" -o "$T/$n-$triple-$k" > /dev/null 2>&1 ||
        { echo "FAIL compile $n $triple"; fail=1; }
    done
    if cmp -s "$T/$n-$triple-1/$n.o" "$T/$n-$triple-2/$n.o"; then
      echo "PASS $triple $n.o byte-identical across two compiles"
    else
      echo "FAIL $triple $n.o differs between two compiles"; fail=1
    fi
    undef=$(nm -u "$T/$n-$triple-1/$n.o" | awk '{print $NF}' | sort -u | tr '\n' ' ')
    bad=$(for s in $undef; do echo "$s"; done | grep -Ev "$allowed")
    defined=$(nm --defined-only -g "$T/$n-$triple-1/$n.o" | awk '{print $NF}' | sort | tr '\n' ' ')
    if [ -z "$bad" ] && ! echo "$undef" | tr ' ' '\n' | grep -Eq "$forbidden" &&
       [ "$defined" = "${n}_inputs ${n}_outputs ${n}_run ${n}_run_generic " ]; then
      echo "PASS $triple $n.o undefined: ${undef:-none}; global: $defined"
    else
      echo "FAIL $triple $n.o undefined: $undef (not allowed: $bad); global: $defined"; fail=1
    fi
  done
  "$EDGEC" compile "$model" --target mcu --cpu host --name "$n" -o "$T/$n-mcu" > /dev/null 2>&1
  if cmp -s "$T/$n-mcu/$n.h" "$T/$n-x86_64-linux-gnu-1/$n.h"; then
    echo "PASS $n.h of --target llvm identical to the MCU package's"
  else
    echo "FAIL $n.h differs from the MCU package's"; fail=1
  fi
done
# Usage errors: exit 2 with one line naming the bad value.
kws="$M/mlperf-tiny-tflite/kws_ref_model.tflite"
if [ -f "$kws" ]; then
  for bad in "--triple riscv64-linux-gnu|riscv64-linux-gnu" "--cpu no-such-cpu|no-such-cpu" \
             "--features avx2|avx2"; do
    IFS='|' read -r args word <<< "$bad"
    # shellcheck disable=SC2086
    out=$("$EDGEC" compile "$kws" --target llvm $args -o "$T/bad" 2>&1)
    rc=$?
    if [ "$rc" = 2 ] && echo "$out" | grep -q -- "$word"; then
      echo "PASS $args: exit 2 naming '$word'"
    else
      echo "FAIL $args: exit $rc: $out"; fail=1
    fi
  done
fi
[ "$aarch64" = 1 ] ||
  skip_tool_after "$fail" "qemu-aarch64 or aarch64-linux-gnu-gcc missing: the AArch64 runs were skipped"
[ "$m4" = 1 ] ||
  skip_tool_after "$fail" "arm-none-eabi-gcc or qemu-system-arm missing: the Cortex-M4 runs were skipped"
exit "$fail"
