#!/usr/bin/env bash
# Independent check of `edgec export --format tflite` with Arm NN 20.08's
# TFLite parser and CpuRef backend (Debian python3-pyarmnn,
# libarmnn-cpuref-backend22; label `armnn`). Exports the shared models
# (each .tflite round-tripped through the IR, the small float ONNX models,
# and paddleocr-cls quantized by `edgec quantize`), then
# test/tflite/armnn_check.py compares Arm NN with `edgec run` on the same
# input: float within rtol 1e-4, quantized outputs within one quantization
# step on >= 99% of the elements. Known deviations (the model and why) are
# listed in test/tflite/armnn_known.txt and reported, not failed.
#   armnn_check.sh EDGEC SOURCE_DIR
# Exits 77 (skip) when /usr/bin/python3 cannot import pyarmnn and numpy.
set -u
EDGEC="$1"
SRC="$2"
PY=/usr/bin/python3
MODELS="${EDGEC_MODELS:-${EDGEC_SHARED_DIR:+$EDGEC_SHARED_DIR/models}}"
MODELS="${MODELS:-$SRC/../shared/models}"
. "$SRC/test/skip.sh"
[ -d "$MODELS" ] || skip_data "no shared models in $MODELS"
[ -x "$PY" ] && "$PY" -c "import numpy, pyarmnn" >/dev/null 2>&1 ||
  skip_tool "pyarmnn is not importable by $PY"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
specs=()
fails=0
for f in "$MODELS"/mlperf-tiny-tflite/*.tflite "$MODELS"/wakeword-tflite/*.tflite; do
  [ -f "$f" ] || continue
  b=$(basename "$f" .tflite)
  extra=()
  case "$b" in melspectrogram) extra=(--input-shape serving_default_input:0=1,1280) ;; esac
  if "$EDGEC" export "$f" --format tflite -o "$tmp/$b.tflite" -q "${extra[@]}" >"$tmp/$b.log" 2>&1; then
    specs+=("$tmp/$b.tflite")
  else
    echo "FAIL: export $b: $(tail -c 300 "$tmp/$b.log")"; fails=$((fails + 1))
  fi
done
for d in mlperf-tiny-vww-onnx wakeword-alexa wakeword-hey-jarvis; do
  [ -f "$MODELS/$d/model.onnx" ] || continue
  if "$EDGEC" export "$MODELS/$d/model.onnx" --format tflite -o "$tmp/$d.tflite" -q >"$tmp/$d.log" 2>&1; then
    specs+=("$tmp/$d.tflite")
  else
    echo "FAIL: export $d: $(tail -c 300 "$tmp/$d.log")"; fails=$((fails + 1))
  fi
done
if [ -f "$MODELS/paddleocr-cls/model.onnx" ]; then
  if "$EDGEC" quantize "$MODELS/paddleocr-cls/model.onnx" -o "$tmp/cls.onnx" --calib-random 8 \
        --input-shape x=1,3,48,192 --quiet >"$tmp/cls.log" 2>&1 &&
     "$EDGEC" export "$tmp/cls.onnx" --format tflite -o "$tmp/paddleocr-cls-int8.tflite" -q \
        >>"$tmp/cls.log" 2>&1; then
    specs+=("$tmp/paddleocr-cls-int8.tflite:q:0.00390625")
  else
    echo "FAIL: quantize/export paddleocr-cls: $(tail -c 300 "$tmp/cls.log")"; fails=$((fails + 1))
  fi
fi
passes=0
known=0
for s in "${specs[@]}"; do
  line=$("$PY" "$SRC/test/tflite/armnn_check.py" "$EDGEC" "$tmp/work" "$s" 2>/dev/null | tail -1)
  [ -n "$line" ] || line="FAIL: $(basename "${s%%:*}"): Arm NN crashed"
  b=$(basename "${s%%:*}" .tflite)
  case "$line" in
    ok:*) passes=$((passes + 1)); echo "$line" ;;
    *)
      why=$(awk -v m="$b" '$1 == m { $1 = ""; print substr($0, 2) }' "$SRC/test/tflite/armnn_known.txt")
      if [ -n "$why" ]; then known=$((known + 1)); echo "known: $line ($why)"
      else fails=$((fails + 1)); echo "$line"; fi ;;
  esac
done
echo "armnn: $passes agree, $known known deviations, $fails failed"
[ "$fails" = 0 ] && [ "$passes" -gt 0 ]
