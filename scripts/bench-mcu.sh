#!/usr/bin/env bash
# Measures the MCU back end for docs/performance.md and prints markdown
# tables: int8 MLPerf Tiny models (and the int8 wake-word embedding CNN and
# the shipped VWW ONNX model, both quantized by edgec from ONNX)
# under QEMU Cortex-M4 (instructions per inference, MACs per instruction,
# flash, RAM, stack), arena against the planner's lower bound, host latency
# of compiled float code against the interpreter and ONNX Runtime (one
# thread, same run), and compile time.
#   scripts/bench-mcu.sh            (EDGEC=..., EDGEC_SHARED_DIR=..., CPU=cortex-m4)
#   TABLES=int8 scripts/bench-mcu.sh   only the QEMU table (instruction counts
#                                      do not depend on the machine's load;
#                                      host latencies do)
set -euo pipefail
cd "$(dirname "$0")/.."
EDGEC="${EDGEC:-build/tools/edgec/edgec}"
SHARED="${EDGEC_SHARED_DIR:-../shared}"
CPU="${CPU:-cortex-m4}"
PY=/usr/bin/python3
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
M="$SHARED/models"
TFL="$M/mlperf-tiny-tflite"

# The int8 embedding: edgec quantize (calibrated on random inputs: the
# instruction count does not depend on the ranges).
"$EDGEC" quantize "$M/wakeword-embedding/model.onnx" -o "$T/embedding_int8.onnx" \
  --calib-random 8 --input-shape input_1=1,76,32,1 --quiet > /dev/null 2>&1
# The shipped VWW ONNX model (NCHW, float) quantized with its shipped
# calibration samples: the QDQ path, run channels-last by the MCU pipeline.
"$EDGEC" quantize examples/vww/model.onnx -o "$T/vww_onnx_int8.onnx" --calib examples/vww/calib \
  > /dev/null 2>&1

echo "### int8 under QEMU $CPU (-icount shift=0)"
echo
echo "| model | MACs | instructions | MACs/instruction | arena B (lower bound) | arena+I/O B | weights B | model flash B (kernel code) | stack B |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
# The MLPerf Tiny models run on TensorFlow Lite Micro's golden input and must
# reproduce its golden output (bench --expect) before they are measured.
for m in "kws:$TFL/kws_ref_model.tflite:kws" "vww:$TFL/vww_96_int8.tflite:vww" \
         "resnet8:$TFL/pretrainedResnet_quant.tflite:resnet" "ad01:$TFL/ad01_int8.tflite:ad" \
         "wakeword-embedding:$T/embedding_int8.onnx:" "vww-onnx-qdq:$T/vww_onnx_int8.onnx:"; do
  IFS=: read -r name file golden <<< "$m"
  io=()
  if [ -n "$golden" ]; then
    g="$TFL/golden/mlperf-tiny-$golden-int8/test_data_set_0"
    io=(--input "$g/input_0.pb" --expect "$g/output_0.pb")
  fi
  "$EDGEC" compile "$file" --target mcu --cpu "$CPU" -o "$T/pkg_$name" -q --report "$T/$name.json"
  "$EDGEC" bench "$file" --target mcu --cpu "$CPU" --no-host --json "${io[@]}" > "$T/$name.bench.json"
  $PY - "$name" "$T/$name.json" "$T/$name.bench.json" <<'PY'
import json, sys
name, rep, bench = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
q, a = bench["qemu"], rep["arena"]
print(f"| {name} | {rep['macs']:,} | {q['instructions']:,} | {q['macs_per_instruction']:.3f} | "
      f"{a['bytes']:,} ({a['lower_bound']:,}) | {a['bytes_with_io']:,} | {rep['weight_bytes']:,} | "
      f"{q['model_flash_bytes']:,} ({q['kernel_code_bytes']:,}) | {q['stack_bytes']} |")
PY
done
[ "${TABLES:-all}" = int8 ] && exit 0
echo
echo "### float32 on the host (median of 50 runs, one thread)"
echo
echo "| model | compiled C (ms) | interpreter (ms) | ONNX Runtime (ms) | arena B (lower bound) | compile time (s) |"
echo "|---|---:|---:|---:|---:|---:|"
for m in "wakeword-embedding|$M/wakeword-embedding/model.onnx|input_1=1,76,32,1" \
         "vww (MobileNetV1)|$M/mlperf-tiny-vww-onnx/model.onnx|input_1=1,3,96,96" \
         "paddleocr-cls|$M/paddleocr-cls/model.onnx|x=1,3,48,192" \
         "wakeword-alexa|$M/wakeword-alexa/model.onnx|onnx::Flatten_0=1,16,96"; do
  IFS='|' read -r name file shape <<< "$m"
  start=$(date +%s.%N)
  "$EDGEC" compile "$file" --target mcu --cpu host --input-shape "$shape" -o "$T/f" -q --report "$T/f.json"
  end=$(date +%s.%N)
  "$EDGEC" bench "$file" --target host --input-shape "$shape" --runs 50 --warmup 5 --json > "$T/fb.json"
  ort=$(node scripts/ort_bench.js "$file" 50 --shape "$shape" 2>/dev/null | sed -n 's/.*ort_median_ms=\([0-9.]*\).*/\1/p' || true)
  $PY - "$name" "$T/f.json" "$T/fb.json" "${ort:-n/a}" "$start" "$end" <<'PY'
import json, sys
name, rep, b, ort, s, e = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), sys.argv[4], float(sys.argv[5]), float(sys.argv[6])
h, a = b["host"], rep["arena"]
print(f"| {name} | {h['median_ns']/1e6:.3f} | {h['interpreter_median_ns']/1e6:.3f} | {ort} | "
      f"{a['bytes']:,} ({a['lower_bound']:,}) | {e - s:.2f} |")
PY
done
