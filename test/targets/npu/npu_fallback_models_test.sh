#!/usr/bin/env bash
# CPU fallback on shared float models quantized by `edgec quantize`
# (ctest npu.fallback-models, label npu):
# - paddleocr-cls (MobileNetV3: HARD_SWISH, squeeze-excitation
#   GlobalAveragePool/HardSigmoid/broadcast MUL, SOFTMAX), the wake-word
#   "alexa" head (Gemm, Relu, Sigmoid) and the wake-word embedding model
#   (convolutions with a fused LeakyRelu, MAXIMUMs of differently
#   quantized operands on the CPU) compile for `--target npu` into one
#   NAME_npu.tflite whose NPU runs are `ethos-u` operators and whose other
#   nodes are TFLite builtins between them (LOGISTIC, HARD_SWISH and
#   HardSigmoid as lookup tables on the NPU; paddleocr-cls is one
#   `ethos-u` operator between its input's QUANTIZE/RESHAPE and its
#   SOFTMAX/DEQUANTIZE); every node left to the CPU is
#   named in the report with its reasons (the placement's constraints or
#   the lowering's), two compiles give the same bytes;
# - `validate --target npu` on the model's shipped input (the file read
#   back: ethos-u operators on the functional model, builtins on the
#   interpreter) matches the interpreter on the quantized model exactly.
#   npu_fallback_models_test.sh EDGEC SOURCE_DIR
# Exits 77 when python3 or the shared models are missing.
set -uo pipefail
EDGEC="$1"
SRC="$2"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
M="$SHARED/models"
. "$SRC/test/skip.sh"
command -v python3 > /dev/null || skip_tool "no python3"
[ -f "$M/paddleocr-cls/model.onnx" ] && [ -f "$M/wakeword-alexa/model.onnx" ] &&
  [ -f "$M/wakeword-embedding/model.onnx" ] ||
  skip_tool "no shared models in $M"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0

# dir shape-args min-ethos-u
while read -r dir shape min_eu; do
  args=()
  [ "$shape" != - ] && args=(--input-shape "$shape")
  if ! "$EDGEC" quantize "$M/$dir/model.onnx" "${args[@]}" --calib-random 2 -o "$W/$dir.onnx" \
    --quiet > "$W/q.log" 2>&1; then
    echo "FAIL $dir: quantize: $(tail -1 "$W/q.log")"; fail=1; continue
  fi
  for run in 1 2; do
    if ! "$EDGEC" compile "$W/$dir.onnx" "${args[@]}" --target npu --name m -o "$W/$dir.$run" \
      --report "$W/$dir.json" > "$W/$dir.txt" 2>&1; then
      echo "FAIL $dir: compile: $(tail -1 "$W/$dir.txt")"; fail=1; continue 2
    fi
  done
  cmp -s "$W/$dir.1/m_npu.tflite" "$W/$dir.2/m_npu.tflite" || { echo "FAIL $dir: two compiles differ"; fail=1; }
  python3 - "$W/$dir.json" "$min_eu" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
cg, nodes = r["code_generation"], r["npu"]["nodes"]
name = sys.argv[1]
if cg["ethosu_operators"] < int(sys.argv[2]) or cg["cpu_operators"] < 1:
    print("FAIL %s: %s" % (name, cg)); sys.exit(1)
# Every CPU node names why: the placement's failing constraints or the
# lowering's reason.
moved = {f["node"]: f["reason"] for f in cg["lowering_fallbacks"]}
for n in nodes:
    if n["placement"] != "npu" and not n["failures"]:
        print("FAIL %s: CPU node %s names no constraint" % (name, n["node"])); sys.exit(1)
if any(not why for why in moved.values()):
    print("FAIL %s: lowering fallbacks %s" % (name, moved)); sys.exit(1)
print("ok %s: %d ethos-u operators, %d CPU builtins, %d named lowering fallbacks"
      % (name.split("/")[-1], cg["ethosu_operators"], cg["cpu_operators"], len(moved)))
PY
  if "$EDGEC" validate "$W/$dir.onnx" "${args[@]}" --target npu --input "$M/$dir/test_data_set_0/input_0.pb" \
    > "$W/val.log" 2>&1 && grep -q "exact 100.00%" "$W/val.log" && [ "$(tail -1 "$W/val.log")" = PASS ]; then
    echo "ok $dir: validate --target npu PASS, exact"
  else
    echo "FAIL $dir: validate: $(tail -2 "$W/val.log")"; fail=1
  fi
done << 'LIST'
paddleocr-cls x=1,3,48,192 1
wakeword-alexa - 1
wakeword-embedding input_1=1,76,32,1 10
LIST

[ "$fail" = 0 ] || exit 1
echo "npu fallback models: all checks passed"
