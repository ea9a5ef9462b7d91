#!/usr/bin/env bash
# int8_kernels_test.sh EDGEC SOURCE_DIR - the MCU target's integer kernels:
#  * the four MLPerf Tiny int8 .tflite models reproduce TensorFlow Lite
#    Micro's golden outputs byte for byte (the package's own output file
#    against output_0.pb) on the host, with optimized and portable kernels,
#    and under QEMU on cortex-m4 (DSP kernels) and cortex-m55;
#  * ONNX models quantized by edgec are bit-exact against the interpreter.
# Shared data: $EDGEC_SHARED_DIR (default SOURCE_DIR/../shared).
# Exit: 0 pass, 1 fail, 77 skip (no shared models; without QEMU/arm gcc the
# host part runs, then the test skips, or fails under CI=true).
set -u
EDGEC="$1"
SRC="$2"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
M="$SHARED/models/mlperf-tiny-tflite"
. "$SRC/test/skip.sh"
[ -d "$M/golden" ] || skip_data "no MLPerf Tiny models under $SHARED"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ec_int8_test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
pass() { echo "ok:   $*"; }
HAVE_QEMU=1
have_arm_qemu || HAVE_QEMU=0

golden() { # model -> golden dir
  case "$1" in
  kws_ref_model) echo "$M/golden/mlperf-tiny-kws-int8/test_data_set_0" ;;
  vww_96_int8) echo "$M/golden/mlperf-tiny-vww-int8/test_data_set_0" ;;
  pretrainedResnet_quant) echo "$M/golden/mlperf-tiny-resnet-int8/test_data_set_0" ;;
  ad01_int8) echo "$M/golden/mlperf-tiny-ad-int8/test_data_set_0" ;;
  esac
}

# check_golden model tag cpu [options...]: validate (package == interpreter,
# exactly) and the package's output bytes == output_0.pb's raw data.
check_golden() {
  local model="$1" tag="$2" cpu="$3"
  shift 3
  local g dir n
  g="$(golden "$model")"
  dir="$WORK/$model.$tag"
  if ! "$EDGEC" validate "$M/$model.tflite" --cpu "$cpu" --input "$g/input_0.pb" \
      --keep "$dir" "$@" > "$dir.log" 2>&1; then
    fail "$model $tag: validate"
    tail -n 15 "$dir.log"
    return
  fi
  n="$(wc -c < "$dir/edgec_out0.bin")"
  if tail -c "$n" "$g/output_0.pb" | cmp -s - "$dir/edgec_out0.bin"; then
    pass "$model $tag: golden output byte for byte ($n bytes)"
  else
    fail "$model $tag: package output differs from TFLite Micro's golden"
  fi
  cp "$dir/edgec_out0.bin" "$WORK/$model.$tag.out"
  rm -rf "$dir"
}

MODELS="kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8"
for m in $MODELS; do
  check_golden "$m" host host
  check_golden "$m" host-portable host --option kernels=portable
  if [ "$HAVE_QEMU" = 1 ]; then
    check_golden "$m" m4 cortex-m4
  fi
done
if [ "$HAVE_QEMU" = 1 ]; then
  check_golden kws_ref_model m55 cortex-m55
  check_golden ad01_int8 m7-portable cortex-m7 --option kernels=portable
fi
for m in $MODELS; do
  for t in host-portable m4; do
    [ -f "$WORK/$m.$t.out" ] || continue
    if cmp -s "$WORK/$m.host.out" "$WORK/$m.$t.out"; then
      pass "$m: host optimized == $t"
    else
      fail "$m: host optimized != $t"
    fi
  done
done

# ONNX models quantized by edgec (random calibration), bit-exact on the host.
quantized() { # name model [extra args...]
  local name="$1" model="$2"
  shift 2
  if [ ! -f "$model" ]; then
    echo "note: $model absent"
    return
  fi
  if "$EDGEC" validate "$model" --cpu host --quantize --calib-random 4 "$@" \
      > "$WORK/$name.log" 2>&1; then
    pass "$name (edgec-quantized int8): bit-exact on host"
  else
    fail "$name (edgec-quantized int8)"
    tail -n 15 "$WORK/$name.log"
  fi
}
quantized wakeword-embedding "$SHARED/models/wakeword-embedding/model.onnx" \
  --input-shape input_1=1,76,32,1
quantized mlperf-tiny-vww-onnx "$SHARED/models/mlperf-tiny-vww-onnx/model.onnx"
quantized paddleocr-cls "$SHARED/models/paddleocr-cls/model.onnx" --input-shape x=1,3,48,192

if [ "$FAILS" -ne 0 ]; then
  echo "$FAILS check(s) failed"
  exit 1
fi
[ "$HAVE_QEMU" = 1 ] ||
  skip_tool_after 0 "arm-none-eabi-gcc or qemu-system-arm missing: the host checks passed, the emulated runs were skipped"
echo "all integer-kernel checks passed"
exit 0
