#!/usr/bin/env bash
# Quantization accuracy on the shared datasets (the quantization issue's
# acceptance numbers), through the CLI and its JSON report:
#  - paddleocr-cls, int8 per channel, calibrated on half of `textlines`,
#    evaluated on the other half: top-1 accuracy within 1 point of float;
#  - wakeword-embedding, int8, calibrated on mel windows of half the
#    `speech` clips: mean cosine of int8 vs float embeddings >= 0.99 on
#    windows of the other half;
#  - wakeword-melspectrogram in 16x8 mode with automatic mixed precision
#    (--target-snr 30: the power-spectrum layers whose dynamic range int16
#    cannot hold stay in float): the search tunes on the first 8 eval
#    windows, and the SNR >= 30 dB is required on the other eval windows
#    (the report's `samples` must show the two sets disjoint and the
#    accuracy computed on the held-out ones only).
#   accuracy_check.sh EDGEC SOURCE_DIR
# Shared data: $EDGEC_SHARED_DIR or SOURCE_DIR/../shared. Exits 77 (skip)
# without it or without Debian's python3-numpy (which scripts/setup.sh
# installs: a failure under CI=true).
set -u
EDGEC="$1"
SRC="$2"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
PY=/usr/bin/python3
. "$SRC/test/skip.sh"
[ -x "$PY" ] && "$PY" -c 'import numpy' 2>/dev/null || skip_tool "python3-numpy missing"
[ -d "$SHARED/datasets/textlines" ] && [ -d "$SHARED/models/paddleocr-cls" ] ||
  skip_data "no shared datasets/models at $SHARED"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
json() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

"$PY" "$SRC/scripts/prepare-textlines.py" "$SHARED/datasets/textlines" "$tmp/text" >/dev/null ||
  { echo "FAIL: prepare-textlines"; exit 1; }
if "$EDGEC" quantize "$SHARED/models/paddleocr-cls/model.onnx" -o "$tmp/cls.onnx" \
    --calib "$tmp/text/calib" --eval "$tmp/text/eval" --eval-labels "$tmp/text/labels.txt" \
    --report "$tmp/cls.json" >"$tmp/cls.log" 2>&1; then
  f=$(json "$tmp/cls.json" 'd["accuracy"]["accuracy"]["float_top1"]')
  q=$(json "$tmp/cls.json" 'd["accuracy"]["accuracy"]["quantized_top1"]')
  echo "paddleocr-cls: float top-1 $f, int8 top-1 $q"
  grep -A3 '^outputs:' "$tmp/cls.log"
  "$PY" -c "import sys; sys.exit(0 if $q >= $f - 0.01 else 1)" || { echo "FAIL: paddleocr-cls loses more than 1 point"; fails=$((fails + 1)); }
else
  echo "FAIL: paddleocr-cls: $(tail -c 400 "$tmp/cls.log")"; fails=$((fails + 1))
fi

"$PY" "$SRC/scripts/prepare-speech.py" "$EDGEC" "$SHARED/models/wakeword-melspectrogram/model.onnx" \
  "$SHARED/datasets/speech" "$tmp/speech" --every 3 >/dev/null || { echo "FAIL: prepare-speech"; exit 1; }
if "$EDGEC" quantize "$SHARED/models/wakeword-embedding/model.onnx" -o "$tmp/emb.onnx" \
    --calib "$tmp/speech/emb-calib" --eval "$tmp/speech/emb-eval" --report "$tmp/emb.json" \
    --quiet >"$tmp/emb.log" 2>&1; then
  c=$(json "$tmp/emb.json" 'd["accuracy"]["outputs"][0]["cosine"]')
  n=$(json "$tmp/emb.json" 'd["accuracy"]["samples"]')
  echo "wakeword-embedding: mean cosine int8 vs float $c over $n eval windows"
  "$PY" -c "import sys; sys.exit(0 if $c >= 0.99 else 1)" || { echo "FAIL: embedding cosine below 0.99"; fails=$((fails + 1)); }
else
  echo "FAIL: wakeword-embedding: $(tail -c 400 "$tmp/emb.log")"; fails=$((fails + 1))
fi
if "$EDGEC" quantize "$SHARED/models/wakeword-melspectrogram/model.onnx" -o "$tmp/mel.onnx" \
    --activations int16 --target-snr 30 --calib "$tmp/speech/mel-calib" --eval "$tmp/speech/mel-eval" \
    --report "$tmp/mel.json" --quiet >"$tmp/mel.log" 2>&1; then
  s=$(json "$tmp/mel.json" 'd["accuracy"]["outputs"][0]["snr_db"]')
  split=$(json "$tmp/mel.json" '"%d tuning, %d held out, %d evaluated, %d shared" % (len(d["samples"]["tuning"]), len(d["samples"]["evaluation"]), d["accuracy"]["samples"], len(set(d["samples"]["tuning"]) & set(d["samples"]["evaluation"])))')
  echo "wakeword-melspectrogram (16x8, --target-snr 30): output SNR $s dB on held-out windows ($split)"
  json "$tmp/mel.json" 'sys.exit(0 if d["samples"]["tuning"] and d["samples"]["evaluation"] and not set(d["samples"]["tuning"]) & set(d["samples"]["evaluation"]) and d["accuracy"]["samples"] == len(d["samples"]["evaluation"]) else 1)' >/dev/null ||
    { echo "FAIL: melspectrogram: tuning and evaluation samples overlap or the report is not on the held-out ones"; fails=$((fails + 1)); }
  grep -A8 'mixed precision' "$tmp/mel.log"
  "$PY" -c "import sys; sys.exit(0 if $s >= 30 else 1)" || { echo "FAIL: melspectrogram SNR below 30 dB"; fails=$((fails + 1)); }
else
  echo "FAIL: wakeword-melspectrogram: $(tail -c 400 "$tmp/mel.log")"; fails=$((fails + 1))
fi
[ "$fails" = 0 ]
