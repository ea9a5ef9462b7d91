#!/usr/bin/env bash
# Every shared float model through the MCU target: compiled, built with
# -Werror and run on the host and under QEMU Cortex-M4 (mps2-an386), each
# output within rtol 1e-4 / atol 1e-5 of the interpreter (edgec validate).
# The ONNX zoo "light" models carry 45-550 MB of weights: far beyond any
# MCU's flash, they are validated on the host only, and only with
# EDGEC_MCU_ALL_MODELS=1 (their C sources take minutes to compile).
# Skips (77) without ../shared; the QEMU leg needs arm-none-eabi-gcc and
# qemu-system-arm.
#   models_test.sh EDGEC SOURCE_DIR
set -uo pipefail
EDGEC="$1"
SRC="$2"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
M="$SHARED/models"
. "$SRC/test/skip.sh"
[ -d "$M" ] || skip_data "shared data not found at $SHARED"
qemu=1
have_arm_qemu || qemu=0
fail=0
# model | extra args | qemu (1: also under QEMU M4)
cases=(
  "$M/wakeword-embedding/model.onnx||1"
  "$M/wakeword-melspectrogram/model.onnx|--input-shape input=1,32000|1"
  "$M/wakeword-alexa/model.onnx||1"
  "$M/wakeword-hey-jarvis/model.onnx||1"
  "$M/wakeword-hey-mycroft/model.onnx||1"
  "$M/wakeword-hey-rhasspy/model.onnx||1"
  "$M/mlperf-tiny-vww-onnx/model.onnx||1"
  "$M/paddleocr-cls/model.onnx|--input-shape x=1,3,48,192|1"
  "$M/onnx-squeezenet/model.onnx||0"
  "$M/onnx-shufflenet/model.onnx||0"
  "$M/mlperf-tiny-tflite/vww_96_float.tflite||1"
  "$M/mlperf-tiny-tflite/kws_ref_model_float32.tflite||1"
  "$M/mlperf-tiny-tflite/ad01_fp32.tflite||1"
  "$M/mlperf-tiny-tflite/pretrainedResnet.tflite||1"
  "$M/wakeword-tflite/embedding_model.tflite||1"
  "$M/wakeword-tflite/melspectrogram.tflite|--input-shape serving_default_input:0=1,32000|1"
  "$M/wakeword-tflite/alexa_v0.1.tflite||1"
  "$M/wakeword-tflite/hey_jarvis_v0.1.tflite||1"
  "$M/wakeword-tflite/hey_mycroft_v0.1.tflite||0"
  "$M/wakeword-tflite/hey_rhasspy_v0.1.tflite||0"
)
if [ "${EDGEC_MCU_ALL_MODELS:-0}" = 1 ]; then
  for z in resnet50 inception_v1 inception_v2 densenet121 bvlc_alexnet zfnet512 vgg19; do
    cases+=("$M/onnx-$z/model.onnx||0")
  done
fi
for c in "${cases[@]}"; do
  IFS='|' read -r model extra onqemu <<< "$c"
  if [ ! -f "$model" ]; then echo "skip (absent): $model"; continue; fi
  name="${model#$M/}"
  # shellcheck disable=SC2086
  if out=$("$EDGEC" validate "$model" --cpu host $extra 2>&1); then
    echo "PASS host      $name: $(echo "$out" | grep -E '^  ' | head -1 | tr -s ' ')"
  else
    echo "FAIL host      $name: $(echo "$out" | tail -c 600)"; fail=1
  fi
  if [ "$qemu" = 1 ] && [ "$onqemu" = 1 ]; then
    # shellcheck disable=SC2086
    if out=$("$EDGEC" validate "$model" --cpu cortex-m4 $extra 2>&1); then
      echo "PASS cortex-m4 $name: $(echo "$out" | grep -E '^  ' | head -1 | tr -s ' ')"
    else
      echo "FAIL cortex-m4 $name: $(echo "$out" | tail -c 600)"; fail=1
    fi
  fi
done
[ "$qemu" = 1 ] ||
  skip_tool_after "$fail" "arm-none-eabi-gcc or qemu-system-arm missing: the Cortex-M4 runs were skipped"
exit "$fail"
