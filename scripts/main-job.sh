#!/usr/bin/env bash
# The main job on the shipped model (examples/vww, MLPerf Tiny visual wake
# words, float32): quantize it with the calibration samples shipped beside
# it, compile it for a Cortex-M4, validate the compiled code under QEMU,
# benchmark Cortex-M4, Cortex-M55 and the host, then compile it for every
# other target (the gpu target, fp32 only so far, compiles and validates
# the float model). scripts/demo.sh runs this after setup and build; ctest
# `cli.main-job` runs it with the build's edgec.
#   scripts/main-job.sh EDGEC OUTDIR
# Writes only into OUTDIR (emptied first). Exits non-zero at the first step
# that fails. Needs arm-none-eabi-gcc and qemu-system-arm (scripts/setup.sh).
set -euo pipefail
[ $# -eq 2 ] && [ -n "$2" ] || { echo "usage: scripts/main-job.sh EDGEC OUTDIR" >&2; exit 2; }
EDGEC="$1"
OUT="$2"
SRC="$(cd "$(dirname "$0")/.." && pwd)"
VWW="$SRC/examples/vww"
MODEL="$VWW/model.onnx"
INPUT="$VWW/input_0.pb"

[ -x "$EDGEC" ] || { echo "error: edgec not found at $EDGEC" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT/eval"
# Evaluate on the shipped input, which is not among the calibration samples.
cp "$INPUT" "$OUT/eval/input_0.pb"

step() { printf '\n== %s\n' "$*"; }

step "1/5 quantize: int8, calibrated on examples/vww/calib/ (8 samples), evaluated on input_0.pb"
"$EDGEC" quantize "$MODEL" -o "$OUT/vww.int8.onnx" --calib "$VWW/calib" --eval "$OUT/eval" \
  --report "$OUT/quantize.json" --html "$OUT/quantize.html" > "$OUT/quantize.txt"
sed -n '2,3p' "$OUT/quantize.txt"
# The output's error on the held-out input (the report's `outputs:` line):
# the int8 model must keep the float model's class and stay above 20 dB.
out_line="$(grep -A1 '^outputs:' "$OUT/quantize.txt" | tail -n 1)"
echo "int8 vs float on input_0.pb: $(sed 's/^ *//; s/  */ /g' <<< "$out_line")"
snr="$(sed -n 's/.*SNR *\([-0-9.]*\) dB.*/\1/p' <<< "$out_line")"
top1="$(sed -n 's/.*top-1 agreement *\([0-9.]*\)%.*/\1/p' <<< "$out_line")"
awk -v s="$snr" -v t="$top1" 'BEGIN { exit !(s != "" && s >= 20 && t == 100) }' || {
  echo "error: the int8 model drifts from the float model on input_0.pb (SNR $snr dB, top-1 $top1%)" >&2
  exit 1
}
echo "  float: $("$EDGEC" run "$MODEL" --input "input_1=$INPUT" --output-dir "$OUT/run-float")"
echo "  int8:  $("$EDGEC" run "$OUT/vww.int8.onnx" --integer --input "input_1=$INPUT" \
  --output-dir "$OUT/run-int8")"
echo "quantize report: $OUT/quantize.html"

step "2/5 compile --target mcu --cpu cortex-m4"
"$EDGEC" compile "$OUT/vww.int8.onnx" --target mcu --cpu cortex-m4 -o "$OUT/mcu-cortex-m4" \
  --report "$OUT/compile.json" --html "$OUT/compile.html" > "$OUT/compile.txt"
head -n 3 "$OUT/compile.txt"
tail -n 1 "$OUT/compile.txt"
echo "compile report: $OUT/compile.html"

step "3/5 validate under QEMU Cortex-M4 against the interpreter"
"$EDGEC" validate "$OUT/vww.int8.onnx" --target mcu --cpu cortex-m4 --input "$INPUT" \
  --keep "$OUT/validate-cortex-m4"

step "4/5 bench --targets mcu:cortex-m4,mcu:cortex-m55,mcu:host"
"$EDGEC" bench "$OUT/vww.int8.onnx" --targets mcu:cortex-m4,mcu:cortex-m55,mcu:host \
  --input "$INPUT" --runs 3 --warmup 1 --no-host --no-interpreter --keep "$OUT/bench" \
  --html "$OUT/bench.html" \
  | tee "$OUT/bench.txt"
echo "bench report: $OUT/bench.html"

step "5/5 the other targets (edgec targets)"
# The compile report's placement counts (JSON, read without a JSON tool).
n_on() { grep -o '"counts":{[^}]*}' <<< "$rep" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
for t in $("$EDGEC" targets | sed -n 's/^\([a-z0-9_-]*\): .*/\1/p'); do
  [ "$t" = mcu ] && continue
  opts=()
  # Channels-last input: the NCHW input's TRANSPOSE is not an Edge TPU op
  # and would leave the whole network on the CPU.
  [ "$t" = edgetpu ] && opts=(--option io-layout=nhwc)
  # The gpu target generates fp32 kernels only so far: the float model.
  m="$OUT/vww.int8.onnx"
  [ "$t" = gpu ] && m="$MODEL"
  rc=0
  "$EDGEC" compile "$m" --target "$t" "${opts[@]}" -o "$OUT/$t" \
    --report "$OUT/$t.json" > "$OUT/$t.txt" 2> "$OUT/$t.notes" || rc=$?
  [ "$rc" -eq 0 ] || { echo "error: compile --target $t: exit $rc: $(head -n 1 "$OUT/$t.notes")" >&2; exit 1; }
  rep="$(tr -d ' \n' < "$OUT/$t.json")"
  fb="$(grep -o '"fallback":"[a-z0-9_-]*"' <<< "$rep" | head -n 1 | cut -d'"' -f4)"
  line="$t: $(n_on target) nodes on $t"
  [ -n "$fb" ] && line="$line, $(n_on fallback) on its fallback $fb"
  mapped="$(sed -n 's/^Mapped fraction: \([^ ]*\) \(.*\)/\1 \2/p' "$OUT/$t.txt")"
  [ -n "$mapped" ] && line="$line; predicted Edge TPU mapping $mapped of the ops"
  # The npu target's code generation line (ethos-u operators, CPU builtins).
  cg="$(sed -n 's/^code generation: [^,]*, //p' "$OUT/$t.txt" | head -n 1)"
  [ -n "$cg" ] && line="$line; $cg"
  echo "$line; $(find "$OUT/$t" -type f | wc -l) file(s) in $OUT/$t/"
  # The NPU file (ethos-u operators through the functional model, CPU
  # builtins by the interpreter) against the interpreter on the int8 model.
  if [ "$t" = npu ]; then
    "$EDGEC" validate "$OUT/vww.int8.onnx" --target npu --input "$INPUT" > "$OUT/npu-validate.txt" ||
      { cat "$OUT/npu-validate.txt" >&2; echo "error: validate --target npu failed" >&2; exit 1; }
    echo "npu validate (functional model vs interpreter on input_0.pb): $(sed -n 's/^  \([^ ]*\) *\(PASS.*exact [0-9.]*%\).*/\1 \2/p' "$OUT/npu-validate.txt" | head -n 1)"
  fi
  # The float model's OpenCL package on the OpenCL device found at run time
  # (PoCL's CPU device after scripts/setup.sh) against the interpreter.
  if [ "$t" = gpu ]; then
    "$EDGEC" validate "$MODEL" --target gpu --input "$INPUT" > "$OUT/gpu-validate.txt" ||
      { cat "$OUT/gpu-validate.txt" >&2; echo "error: validate --target gpu failed" >&2; exit 1; }
    echo "gpu validate (float model, OpenCL, vs interpreter on input_0.pb): $(sed -n 's/^  \([^ ]*\) *\(PASS.*\)/\1 \2/p' "$OUT/gpu-validate.txt" | head -n 1)"
  fi
done

step "done: HTML reports"
echo "$OUT/quantize.html $OUT/compile.html $OUT/bench.html"
