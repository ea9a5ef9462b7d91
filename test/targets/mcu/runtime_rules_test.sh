#!/usr/bin/env bash
# The rules for generated code and runtime/ (docs/targets.md): every
# package builds warning-free with -std=c99 -Wall -Wextra -Wvla -Werror
# -Wstack-usage=N under gcc, clang and arm-none-eabi-gcc, the model and
# kernel objects reference no symbol beyond memcpy/memset (and libm for float
# models: no malloc, free, printf, exit...), an integer model pulls in no
# floating-point helper on a soft-float core, and output is byte-identical
# across two compiles. Packages hold only the kernels they call: nothing
# from runtime/kernels/cortexm/ with portable kernels or on cores without
# the DSP extension, and on a DSP core only the cortexm files whose
# functions the package calls. Skips (77) without ../shared.
#   runtime_rules_test.sh EDGEC SOURCE_DIR
set -uo pipefail
EDGEC="$1"
SRC="$2"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
. "$SRC/test/skip.sh"
[ -d "$SHARED/models" ] || skip_data "shared data not found at $SHARED"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail=0
check() { if ! "$@"; then echo "FAIL: $*"; fail=1; fi; }

FLAGS="-std=c99 -O2 -Wall -Wextra -Wvla -Werror -Wstack-usage=2048 -Ipkg -Ipkg/runtime/include -Ipkg/runtime"
ALLOWED_INT='^(memcpy|memset)$'
ALLOWED_FLOAT='^(memcpy|memset|expf|logf|tanhf|sqrtf|powf|erff|sinf|cosf|floorf|ceilf|roundf|fabsf|fmaxf|fminf|fmodf|nearbyintf|rintf|log1pf|expm1f|atanf|asinf|acosf|sinhf|coshf|asinhf|acoshf|atanhf|tanf|lroundf|exp|log|pow|sqrt|floor|ceil)$'

# name model kind(float|int) extra-compile-args
cases=(
  "embedding|$SHARED/models/wakeword-embedding/model.onnx|float|"
  "alexa|$SHARED/models/wakeword-alexa/model.onnx|float|"
  "vww|$SHARED/models/mlperf-tiny-vww-onnx/model.onnx|float|"
  "ad01|$SHARED/models/mlperf-tiny-tflite/ad01_int8.tflite|int|"
  "kws|$SHARED/models/mlperf-tiny-tflite/kws_ref_model.tflite|int|"
)
for c in "${cases[@]}"; do
  IFS='|' read -r name model kind extra <<< "$c"
  [ -f "$model" ] || { echo "missing $model"; fail=1; continue; }
  d="$WORK/$name"
  if ! "$EDGEC" compile "$model" --target mcu --cpu cortex-m4 --name "$name" -o "$d/pkg" -q \
       --report "$d.json" $extra > "$d.log" 2>&1; then
    echo "FAIL: compile $name: $(tail -c 600 "$d.log")"; fail=1; continue
  fi
  # The arena plan stays within 1.1x of the planner's lower bound.
  ratio=$(/usr/bin/python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["arena"]; print(a["ratio"]); sys.exit(0 if a["bytes"] <= 1.1 * a["lower_bound"] else 1)' "$d.json")
  [ $? = 0 ] || { echo "FAIL: $name arena is $ratio x the lower bound"; fail=1; }
  echo "$name: arena/lower bound = $ratio"
  # Deterministic: a second compile gives the same bytes.
  "$EDGEC" compile "$model" --target mcu --cpu cortex-m4 --name "$name" -o "$d/pkg2" -q $extra > /dev/null 2>&1
  check diff -r "$d/pkg" "$d/pkg2" > /dev/null
  srcs=$(cd "$d" && ls pkg/"$name".c && find pkg/runtime/kernels -name '*.c' | sort)
  for cc in gcc clang arm-none-eabi-gcc; do
    command -v "$cc" > /dev/null || { echo "note: $cc not installed, skipped"; continue; }
    arch=""
    [ "$cc" = arm-none-eabi-gcc ] && arch="-mcpu=cortex-m3 -mthumb -mfloat-abi=soft"
    [ "$cc" = clang ] && FL="${FLAGS/-Wstack-usage=2048/}" || FL="$FLAGS"
    objs=""
    for s in $srcs; do
      o="$d/$(basename "$s" .c).$cc.o"
      if ! (cd "$d" && $cc $FL $arch -c "$s" -o "$o") > "$d/cc.log" 2>&1; then
        echo "FAIL: $cc $name $s: $(head -c 800 "$d/cc.log")"; fail=1
      fi
      objs="$objs $o"
    done
    nm_tool=nm
    ld_tool=ld
    [ "$cc" = arm-none-eabi-gcc ] && nm_tool=arm-none-eabi-nm && ld_tool=arm-none-eabi-ld
    # One relocatable object: what is still undefined comes from outside.
    $ld_tool -r -o "$d/all.$cc.o" $objs || { echo "FAIL: $ld_tool -r $name"; fail=1; continue; }
    undefined=$($nm_tool -u "$d/all.$cc.o" | awk '{ print $NF }' | sort -u)
    allowed="$ALLOWED_FLOAT"
    # Soft-float cores call the compiler's float helpers in float models.
    [ "$cc" = arm-none-eabi-gcc ] && allowed="${ALLOWED_FLOAT%)\$}|__aeabi_[a-z0-9]+)\$"
    [ "$kind" = int ] && allowed="$ALLOWED_INT"
    bad=$(echo "$undefined" | grep -v -E "$allowed" | grep -v '^$' || true)
    if [ -n "$bad" ]; then
      echo "FAIL: $name ($cc) references forbidden symbols: $(echo $bad)"; fail=1
    fi
    # Defined data must be read-only (no hidden mutable globals). Checked on
    # the non-PIC Cortex-M build: PIE host builds put constant tables holding
    # pointers in .data.rel.ro, which nm cannot tell from .data.
    mutable=""
    [ "$cc" = arm-none-eabi-gcc ] && mutable=$($nm_tool "$d/all.$cc.o" | awk '$2 ~ /^[bBdD]$/ { print $3 }' | sort -u)
    if [ -n "$mutable" ]; then
      echo "FAIL: $name ($cc) has mutable globals: $(echo $mutable)"; fail=1
    fi
  done
done
# Optimized kernels only where they are called (int8 models using every
# DSP kernel family: convolution, depthwise, matrix product, Add).
cortexm_cases=(
  "kws|$SHARED/models/mlperf-tiny-tflite/kws_ref_model.tflite"
  "resnet|$SHARED/models/mlperf-tiny-tflite/pretrainedResnet_quant.tflite"
)
mkdir -p "$WORK/cortexm"
for c in "${cortexm_cases[@]}"; do
  IFS='|' read -r name model <<< "$c"
  [ -f "$model" ] || { echo "missing $model"; fail=1; continue; }
  for cfg in cortex-m0 cortex-m3 "cortex-m4 --option kernels=portable" \
             "host --option kernels=portable" cortex-m4 host; do
    d="$WORK/cortexm/$name.${cfg// /_}"
    # shellcheck disable=SC2086
    if ! "$EDGEC" compile "$model" --target mcu --cpu $cfg --name "$name" -o "$d" -q \
         > "$d.log" 2>&1; then
      echo "FAIL: compile $name --cpu $cfg: $(tail -c 600 "$d.log")"; fail=1; continue
    fi
    files=$(cd "$d" && find runtime/kernels/cortexm -type f 2> /dev/null | sort)
    case "$cfg" in
    cortex-m4 | host) ;;
    *)
      if [ -n "$files" ]; then
        echo "FAIL: $name --cpu $cfg has optimized kernels: $(echo $files)"; fail=1
      fi
      continue ;;
    esac
    [ -n "$files" ] || { echo "FAIL: $name --cpu $cfg has no optimized kernel"; fail=1; }
    # Every function a cortexm object defines is called from another object.
    objs=""
    for s in "$d/$name.c" $(find "$d/runtime/kernels" -name '*.c' | sort); do
      o="$d/$(basename "$s" .c).o"
      (cd "$d" && cc -std=c99 -O2 -Werror -I. -Iruntime/include -Iruntime -c "$s" -o "$o") ||
        { echo "FAIL: $name --cpu $cfg: cc $s"; fail=1; }
      objs="$objs $o"
    done
    for s in $(cd "$d" && find runtime/kernels/cortexm -name '*.c' | sort); do
      o="$d/$(basename "$s" .c).o"
      others=$(for x in $objs; do [ "$x" = "$o" ] || nm -u "$x"; done | awk '{ print $NF }' | sort -u)
      for fn in $(nm --defined-only "$o" | awk '$2 == "T" { print $3 }'); do
        # A here-string, not a pipe: grep -q may exit before echo finishes
        # writing, and under pipefail that SIGPIPE read as "nothing calls".
        grep -qx "$fn" <<< "$others" ||
          { echo "FAIL: $name --cpu $cfg: $s defines $fn, which nothing calls"; fail=1; }
      done
    done
    echo "$name --cpu $cfg: optimized kernels $(echo $files | sed 's#runtime/kernels/cortexm/##g')"
  done
done

[ "$fail" = 0 ] && echo "runtime rules: all packages pass"
exit "$fail"
