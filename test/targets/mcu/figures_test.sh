#!/usr/bin/env bash
# Guards what users see of the MCU back end against regressions: for every
# shared model (float ONNX and TFLite, the four MLPerf Tiny int8 models and
# an edgec-quantized int8 CNN) on the host, Cortex-M4 and Cortex-M55, the
# compiled code's outputs on seeded inputs must match the interpreter (edgec
# bench checks them, rtol 1e-4 / exact for integers, before it measures) and
# be bit-identical to the recorded ones, and its arena, weight bytes and QEMU
# instructions per inference no larger. The record is test/targets/mcu/figures.tsv; after an
# intended improvement, re-record with --record (and say why in the commit);
# --record --only REGEX re-records the matching rows and keeps the others.
#
#   figures_test.sh EDGEC SOURCE_DIR [--record] [--only REGEX]
#
# Skips (77) without ../shared (EDGEC_SHARED_DIR) or without
# arm-none-eabi-gcc / qemu-system-arm (a failure under CI=true, which has
# them).
set -uo pipefail
EDGEC="$1"
SRC="$2"
shift 2
RECORD=0
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --record) RECORD=1 ;;
    --only) ONLY="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
M="$SHARED/models"
TSV="$SRC/test/targets/mcu/figures.tsv"
. "$SRC/test/skip.sh"
[ -d "$M" ] || skip_data "shared data not found at $SHARED"
have_arm_qemu || skip_tool "arm-none-eabi-gcc or qemu-system-arm missing"
[ -x "$EDGEC" ] || { echo "FAIL: edgec not found at $EDGEC"; exit 1; }

T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
TFL="$M/mlperf-tiny-tflite"

# An edgec-quantized CNN (random calibration is deterministic and enough:
# the figures, not the accuracy, are guarded here).
if ! "$EDGEC" quantize "$M/wakeword-embedding/model.onnx" -o "$T/embedding_int8.onnx" \
     --calib-random 8 --input-shape input_1=1,76,32,1 --quiet > "$T/q.log" 2>&1; then
  echo "FAIL: quantize wakeword-embedding: $(tail -c 400 "$T/q.log")"; exit 1
fi

# name | model | extra args | cpus
cases=(
  "kws-int8|$TFL/kws_ref_model.tflite||host cortex-m4 cortex-m55"
  "vww-int8|$TFL/vww_96_int8.tflite||host cortex-m4 cortex-m55"
  "resnet8-int8|$TFL/pretrainedResnet_quant.tflite||host cortex-m4 cortex-m55"
  "ad01-int8|$TFL/ad01_int8.tflite||host cortex-m4 cortex-m55"
  "embedding-int8|$T/embedding_int8.onnx||host cortex-m4 cortex-m55"
  "wakeword-embedding|$M/wakeword-embedding/model.onnx||host cortex-m4 cortex-m55"
  "wakeword-melspectrogram|$M/wakeword-melspectrogram/model.onnx|--input-shape input=1,32000|host cortex-m4 cortex-m55"
  "wakeword-alexa|$M/wakeword-alexa/model.onnx||host cortex-m4 cortex-m55"
  "wakeword-hey-jarvis|$M/wakeword-hey-jarvis/model.onnx||host cortex-m4 cortex-m55"
  "wakeword-hey-mycroft|$M/wakeword-hey-mycroft/model.onnx||host cortex-m4 cortex-m55"
  "wakeword-hey-rhasspy|$M/wakeword-hey-rhasspy/model.onnx||host cortex-m4 cortex-m55"
  "vww-onnx|$M/mlperf-tiny-vww-onnx/model.onnx||host cortex-m4 cortex-m55"
  "paddleocr-cls|$M/paddleocr-cls/model.onnx|--input-shape x=1,3,48,192|host cortex-m4 cortex-m55"
  "squeezenet|$M/onnx-squeezenet/model.onnx||host"
  "shufflenet|$M/onnx-shufflenet/model.onnx||host"
  "vww-float-tflite|$TFL/vww_96_float.tflite||host cortex-m4 cortex-m55"
  "kws-float-tflite|$TFL/kws_ref_model_float32.tflite||host cortex-m4 cortex-m55"
  "ad01-float-tflite|$TFL/ad01_fp32.tflite||host cortex-m4 cortex-m55"
  "resnet8-float-tflite|$TFL/pretrainedResnet.tflite||host cortex-m4 cortex-m55"
  "embedding-tflite|$M/wakeword-tflite/embedding_model.tflite||host cortex-m4 cortex-m55"
  "melspectrogram-tflite|$M/wakeword-tflite/melspectrogram.tflite|--input-shape serving_default_input:0=1,32000|host cortex-m4 cortex-m55"
  "alexa-tflite|$M/wakeword-tflite/alexa_v0.1.tflite||host cortex-m4 cortex-m55"
  "hey-jarvis-tflite|$M/wakeword-tflite/hey_jarvis_v0.1.tflite||host cortex-m4 cortex-m55"
)

# Measures one (model, cpu): prints "name cpu arena weights instructions hash".
measure() {
  local name="$1" model="$2" extra="$3" cpu="$4" d="$T/$1.$4" host=()
  [ "$cpu" = host ] || host=(--no-host)
  # shellcheck disable=SC2086
  if ! "$EDGEC" bench "$model" --cpu "$cpu" $extra "${host[@]}" --runs 1 --warmup 0 \
       --no-interpreter --seed 1 --json --keep "$d" > "$T/out.json" 2> "$T/err.log"; then
    echo "ERROR $name $cpu: $(tail -c 600 "$T/err.log")"
    return 1
  fi
  python3 - "$T/out.json" "$d" "$name" "$cpu" <<'PY'
import glob, hashlib, json, os, sys
j = json.load(open(sys.argv[1]))
d, name, cpu = sys.argv[2], sys.argv[3], sys.argv[4]
h = hashlib.sha256()
files = sorted(glob.glob(os.path.join(d, "edgec_out*.bin")), key=lambda p: int(p.rsplit("out", 1)[1][:-4]))
for f in files:
    h.update(open(f, "rb").read())
ins = j["qemu"]["instructions"] if cpu != "host" else 0
if cpu != "host" and ins <= 0:
    print(f"ERROR {name} {cpu}: no instruction count in the bench report"); sys.exit(1)
if not files:
    print(f"ERROR {name} {cpu}: no outputs"); sys.exit(1)
print(f"{name}\t{cpu}\t{j['arena_bytes']}\t{j['weight_bytes']}\t{ins}\t{h.hexdigest()[:32]}")
PY
}

fail=0
rows=()
for c in "${cases[@]}"; do
  IFS='|' read -r name model extra cpus <<< "$c"
  [[ -n "$ONLY" && ! "$name" =~ $ONLY ]] && continue
  if [ ! -f "$model" ]; then echo "FAIL: model missing: $model"; fail=1; continue; fi
  for cpu in $cpus; do
    if row=$(measure "$name" "$model" "$extra" "$cpu"); then rows+=("$row")
    else echo "$row"; fail=1; fi
    rm -rf "$T/$name.$cpu"
  done
done

if [ "$RECORD" = 1 ]; then
  [ "$fail" = 0 ] || { echo "not recording: some measurements failed"; exit 1; }
  if [ -n "$ONLY" ] && [ -f "$TSV" ]; then
    # --only: the measured rows replace theirs in place, the others stay.
    printf '%s\n' "${rows[@]}" > "$T/new.tsv"
    python3 - "$TSV" "$T/new.tsv" <<'PY'
import sys
old, new = open(sys.argv[1]).read().splitlines(), open(sys.argv[2]).read().splitlines()
fresh = {tuple(r.split("\t")[:2]): r for r in new}
out = [fresh.pop(tuple(r.split("\t")[:2]), r) if not r.startswith("#") else r for r in old]
open(sys.argv[1], "w").write("\n".join(out + [r for r in new if tuple(r.split("\t")[:2]) in fresh]) + "\n")
PY
  else
    {
      echo "# model	cpu	arena_bytes	weight_bytes	qemu_instructions	outputs_sha256_128"
      printf '%s\n' "${rows[@]}"
    } > "$TSV"
  fi
  echo "recorded ${#rows[@]} rows in $TSV"
  exit 0
fi

[ -f "$TSV" ] || { echo "FAIL: no record at $TSV (run with --record)"; exit 1; }
for row in "${rows[@]}"; do
  IFS=$'\t' read -r name cpu arena weights ins hash <<< "$row"
  rec=$(awk -F'\t' -v n="$name" -v c="$cpu" '$1 == n && $2 == c' "$TSV")
  if [ -z "$rec" ]; then echo "FAIL $name $cpu: not in the record"; fail=1; continue; fi
  IFS=$'\t' read -r _ _ rarena rweights rins rhash <<< "$rec"
  bad=""
  [ "$hash" = "$rhash" ] || bad+=" outputs differ (sha $hash, recorded $rhash);"
  [ "$arena" -le "$rarena" ] || bad+=" arena $arena > $rarena;"
  [ "$weights" -le "$rweights" ] || bad+=" weights $weights > $rweights;"
  [ "$ins" -le "$rins" ] || bad+=" instructions $ins > $rins;"
  if [ -n "$bad" ]; then echo "FAIL $name $cpu:$bad"; fail=1
  else echo "ok   $name $cpu: arena $arena ($rarena), instructions $ins ($rins)"; fi
done
# Every recorded row must have been measured (a vanished model is a failure).
if [ -z "$ONLY" ]; then
  n=$(grep -vc '^#' "$TSV")
  [ "$n" -eq "${#rows[@]}" ] || { echo "FAIL: measured ${#rows[@]} rows, recorded $n"; fail=1; }
fi
exit "$fail"
