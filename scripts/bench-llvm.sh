#!/usr/bin/env bash
# Measures the llvm target (issue 14) for docs/performance.md and prints
# markdown tables: compile time and peak memory of `edgec compile --target
# llvm` on the large shared models, and host latency (one thread, median and
# minimum of RUNS runs, outputs checked by bench first) of the MCU target's C
# package (--cpu host, gcc -O2) against the llvm object for the baseline
# x86-64 and for x86-64-v3 (AVX2, FMA), with ONNX Runtime (scripts/ort_bench.js)
# in the same run where onnxruntime-node is installed; and QEMU Cortex-M4
# instructions per inference of the four MLPerf Tiny int8 models, C package
# (arm-none-eabi-gcc -O2) against the thumbv7em-none-eabihf object.
#   scripts/bench-llvm.sh          (EDGEC=..., EDGEC_SHARED_DIR=..., RUNS=50)
#   TABLES=compile scripts/bench-llvm.sh   only the compile time/memory table
set -euo pipefail
cd "$(dirname "$0")/.."
EDGEC="${EDGEC:-build/tools/edgec/edgec}"
SHARED="${EDGEC_SHARED_DIR:-../shared}"
RUNS="${RUNS:-50}"
PY=/usr/bin/python3
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
M="$SHARED/models"
TFL="$M/mlperf-tiny-tflite"
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
echo "Machine: $cpu, $(nproc) cores (shared with other jobs: minimum and median both shown); $(clang-14 --version | head -1)"
echo

echo "### Compile time and peak memory (--target llvm, x86_64-linux-gnu)"
echo
echo "| model | weights B | object B | wall s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
for z in resnet50 vgg19 squeezenet; do
  f="$M/onnx-$z/model.onnx"
  [ -f "$f" ] || continue
  /usr/bin/time -f "%e %M" -o "$T/time" "$EDGEC" compile "$f" --target llvm -o "$T/c_$z" -q \
    --report "$T/c_$z.json"
  read -r wall rss < "$T/time"
  $PY - "$z" "$T/c_$z.json" "$wall" "$rss" <<'PY'
import json, sys
name, rep, wall, rss = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3], int(sys.argv[4])
print(f"| {name} | {rep['weight_bytes']:,} | {rep['object_bytes']:,} | {float(wall):.1f} | {rss / 1024:.0f} |")
PY
done
echo

[ "${TABLES:-all}" = compile ] && exit 0
echo "### int8 under QEMU Cortex-M4 (mps2-an386, -icount shift=0): instructions per inference"
echo
echo "| model | C package (gcc -O2) | llvm thumbv7em object | llvm / C |"
echo "|---|---:|---:|---:|"
for m in kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8; do
  f="$TFL/$m.tflite"
  [ -f "$f" ] || continue
  "$EDGEC" bench "$f" --target mcu --cpu cortex-m4 --no-host --json > "$T/c.json"
  "$EDGEC" bench "$f" --target llvm --triple thumbv7em-none-eabihf --no-host --json > "$T/l.json"
  $PY - "$m" "$T/c.json" "$T/l.json" <<'PY'
import json, sys
name, c, l = sys.argv[1], json.load(open(sys.argv[2]))["qemu"], json.load(open(sys.argv[3]))["qemu"]
print(f"| {name} | {c['instructions']:,} | {l['instructions']:,} | {l['instructions'] / c['instructions']:.3f} |")
PY
done
echo

bench() { # MODEL SHAPE ARGS... -> "median min" in ms
  local model="$1" shape="$2"
  shift 2
  local sh=()
  [ -n "$shape" ] && sh=(--input-shape "$shape")
  "$EDGEC" bench "$model" "${sh[@]}" "$@" --runs "$RUNS" --warmup 5 --json > "$T/b.json" 2> "$T/b.err" ||
    { echo "failed failed"; return; }
  $PY - "$T/b.json" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["host"]
print(f"{h['median_ns'] / 1e6:.3f} {h['min_ns'] / 1e6:.3f}")
PY
}

echo "### Host latency, one thread: ms median (min) of $RUNS runs"
echo
echo "| model | C package (gcc -O2) | llvm x86-64 | llvm x86-64-v3 | ONNX Runtime |"
echo "|---|---:|---:|---:|---:|"
for m in "vww (MobileNetV1)|$M/mlperf-tiny-vww-onnx/model.onnx|" \
         "paddleocr-cls|$M/paddleocr-cls/model.onnx|x=1,3,48,192" \
         "wakeword-embedding|$M/wakeword-embedding/model.onnx|" \
         "squeezenet|$M/onnx-squeezenet/model.onnx|" \
         "shufflenet|$M/onnx-shufflenet/model.onnx|" \
         "kws int8|$TFL/kws_ref_model.tflite|" \
         "vww int8|$TFL/vww_96_int8.tflite|"; do
  IFS='|' read -r name file shape <<< "$m"
  [ -f "$file" ] || continue
  read -r cm cn <<< "$(bench "$file" "$shape" --target mcu --cpu host)"
  read -r lm ln <<< "$(bench "$file" "$shape" --target llvm)"
  read -r vm vn <<< "$(bench "$file" "$shape" --target llvm --cpu x86-64-v3)"
  ort=n/a
  if [ "${file%.onnx}" != "$file" ]; then
    o=$(node scripts/ort_bench.js "$file" "$RUNS" ${shape:+--shape "$shape"} 2>/dev/null || true)
    om=$(echo "$o" | sed -n 's/.*ort_median_ms=\([0-9.]*\).*/\1/p')
    on=$(echo "$o" | sed -n 's/.*ort_min_ms=\([0-9.]*\).*/\1/p')
    [ -n "$om" ] && ort="$om ($on)"
  fi
  echo "| $name | $cm ($cn) | $lm ($ln) | $vm ($vn) | $ort |"
done
