#!/usr/bin/env bash
# A quantized ONNX (QDQ, NCHW) model runs channels-last in the MCU target:
# after fold-qdq the pipeline converts the integer graph to NHWC
# (convert-to-nhwc), so pointwise and depthwise convolutions take the
# Cortex-M DSP kernels the same model gets when it comes from TFLite, with
# one layout Transpose at the float input. Checked on the shipped
# examples/vww model quantized with its shipped calibration samples:
#  1. the compile report's kernels: every depthwise conv on dwconv_s8_dsp,
#     every 1x1 conv on conv1x1_s8_dsp, no grouped reference conv, at most
#     one Transpose;
#  2. validate under QEMU Cortex-M4: the package's outputs equal the
#     interpreter's on the held-out input, bit for bit;
#  3. bench: MACs per instruction at least 0.35 (0.14 before, NCHW).
#   qdq_channels_last_test.sh EDGEC SOURCE_DIR
set -uo pipefail
EDGEC="$1"
SRC="$2"
. "$SRC/test/skip.sh"
have_arm_qemu || skip_tool "arm-none-eabi-gcc or qemu-system-arm missing"
PY=/usr/bin/python3
VWW="$SRC/examples/vww"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

"$EDGEC" quantize "$VWW/model.onnx" -o "$T/q.onnx" --calib "$VWW/calib" > "$T/q.log" 2>&1 ||
  { echo "FAIL: quantize: $(tail -c 400 "$T/q.log")"; exit 1; }
"$EDGEC" compile "$T/q.onnx" --target mcu --cpu cortex-m4 -o "$T/pkg" -q --report "$T/r.json" \
  > "$T/c.log" 2>&1 || { echo "FAIL: compile: $(tail -c 400 "$T/c.log")"; exit 1; }
if ! "$PY" - "$T/r.json" <<'PY'
import json, sys
layers = json.load(open(sys.argv[1]))['layers']
bad = []
dw = pw = transposes = 0
for l in layers:
    k, op = l['kernel'], l['op']
    if op == 'Transpose':
        transposes += 1
    if op != 'Conv':
        continue
    # inputs[0] is the activation, NHWC after the conversion: [N, H, W, C]
    w = l['inputs'][1]
    dims = [int(d) for d in w[w.index('[') + 1:-1].split(',')]
    if dims[1] == 1 and dims[0] > 1:           # depthwise: [C, 1, kh, kw] or [1, kh, kw, C]
        dw += 1
        if k != 'dwconv_s8_dsp': bad.append(f"{l['name']}: depthwise on {k}")
    elif dims[2:] == [1, 1] or dims[1:3] == [1, 1]:
        pw += 1
        if k != 'conv1x1_s8_dsp': bad.append(f"{l['name']}: pointwise on {k}")
    if 'grouped' in k: bad.append(f"{l['name']}: {k}")
print(f"depthwise convs {dw}, pointwise convs {pw}, transposes {transposes}")
if transposes > 1: bad.append(f'{transposes} Transpose layers (at most the input one expected)')
if dw == 0 or pw == 0: bad.append('no depthwise or no pointwise conv found: report format changed?')
for b in bad: print('FAIL:', b)
sys.exit(1 if bad else 0)
PY
then fail "kernels of the QDQ model are not the channels-last DSP ones"; fi

if ! "$EDGEC" validate "$T/q.onnx" --target mcu --cpu cortex-m4 --input "$VWW/input_0.pb" \
     > "$T/v.log" 2>&1; then
  fail "validate under QEMU: $(tail -c 400 "$T/v.log")"
fi
if "$EDGEC" bench "$T/q.onnx" --target mcu --cpu cortex-m4 --no-host --no-interpreter \
     --input "$VWW/input_0.pb" > "$T/b.log" 2>&1; then
  mpi="$(sed -n 's/.* \([0-9.]*\) MACs\/instruction.*/\1/p' "$T/b.log" | head -n 1)"
  echo "Cortex-M4: $mpi MACs/instruction"
  awk -v m="$mpi" 'BEGIN { exit !(m != "" && m >= 0.35) }' || fail "MACs/instruction $mpi < 0.35"
else
  fail "bench: $(tail -c 400 "$T/b.log")"
fi
[ "$fails" -eq 0 ] && echo "PASS" || exit 1
