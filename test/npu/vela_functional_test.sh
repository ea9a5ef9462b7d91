#!/usr/bin/env bash
# The Ethos-U functional model on Arm Vela 3.10's streams
# (../shared/vela/<model>/<model>_vela.tflite, U55-128): `edgec run` on the
# MLPerf Tiny golden inputs must reproduce TensorFlow Lite Micro's
# output_0.pb byte for byte (twice, identically), and every feature map an
# NPU operation completes that exists among TFLM's intermediate tensors
# (tflm-tensors/<model>/a) must match it bit for bit
# (edgec-npu-tensor-check; at least the counts below are compared).
#
#   vela_functional_test.sh EDGEC NPU_TENSOR_CHECK SOURCE_DIR
#
# Also: KWS's listing holds the 72 operation commands Vela's disassembly
# counts (NPU-EDGETPU.md A.3); `inspect --json` is byte-identical twice and
# its per-operation MACs add up to Vela's "Neural network macs" (vela.log);
# `--npu-config ethos-u55-256` refuses the U55-128 payload (exit 4), as the
# driver does. First checks that the tensor check fails on one changed
# byte. Skips (77)
# without ../shared (EDGEC_SHARED_DIR).
set -uo pipefail
EDGEC="$1"
CHECK="$2"
SRC="$3"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
VELA="$SHARED/vela"
TFL="$SHARED/models/mlperf-tiny-tflite"
. "$SRC/test/skip.sh"
[ -d "$VELA" ] || skip_data "Vela outputs not found at $VELA"
[ -d "$TFL/golden" ] && [ -d "$TFL/tflm-tensors" ] || skip_data "MLPerf Tiny goldens/tensors not found at $TFL"
command -v python3 > /dev/null || skip_tool "python3 missing"
[ -x "$EDGEC" ] && [ -x "$CHECK" ] || { echo "FAIL: edgec or edgec-npu-tensor-check missing"; exit 1; }
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail=0

# The check itself: one changed byte in a compared tensor must fail it.
cp -r "$TFL/tflm-tensors/kws_ref_model/a" "$T/self"
victim="$(ls "$T/self"/t30_*.npy)"
printf '\x55' | dd of="$victim" bs=1 seek=$(( $(stat -c %s "$victim") - 7 )) conv=notrunc 2> /dev/null
if "$CHECK" "$VELA/kws_ref_model/kws_ref_model_vela.tflite" "$T/self" > "$T/self.log" 2>&1; then
  echo "FAIL: edgec-npu-tensor-check accepted a changed byte"
  fail=$((fail + 1))
fi

# model golden-name minimum-compared-tensors
while read -r model golden want; do
  m="$VELA/$model/${model}_vela.tflite"
  g="$TFL/golden/mlperf-tiny-$golden-int8/test_data_set_0"
  for run in 1 2; do
    mkdir -p "$T/$model.$run"
    if ! "$EDGEC" run "$m" --input "$g/input_0.pb" --output-dir "$T/$model.$run" --format pb > "$T/$model.log" 2>&1; then
      echo "FAIL $model: edgec run failed: $(tail -1 "$T/$model.log")"
      fail=$((fail + 1))
      continue 2
    fi
  done
  out="$(ls "$T/$model.1"/*.pb)"
  if ! cmp -s "$out" "$g/output_0.pb"; then
    echo "FAIL $model: output differs from TFLM's output_0.pb"
    fail=$((fail + 1))
  elif ! cmp -s "$out" "$T/$model.2/$(basename "$out")"; then
    echo "FAIL $model: two runs differ"
    fail=$((fail + 1))
  else
    echo "ok $model: output_0.pb byte for byte"
  fi
  "$CHECK" "$m" "$TFL/tflm-tensors/$model/a" > "$T/$model.tensors" 2>&1
  rc=$?
  summary="$(tail -1 "$T/$model.tensors")"
  compared="$(sed -n 's/^compared \([0-9]*\) tensors.*/\1/p' <<< "$summary")"
  if [ "$rc" -ne 0 ] || [ -z "$compared" ] || [ "$compared" -lt "$want" ]; then
    echo "FAIL $model: intermediate tensors: $summary (exit $rc, want >= $want compared)"
    grep MISMATCH "$T/$model.tensors" | head -5
    fail=$((fail + 1))
  else
    echo "ok $model: $summary"
  fi
done << 'LIST'
kws_ref_model kws 12
vww_96_int8 vww 30
pretrainedResnet_quant resnet 15
ad01_int8 ad 10
LIST
# The listing: KWS's operation commands as Vela's own disassembly counts
# them (../shared/NPU-EDGETPU.md A.3), and the first DMA of 0x460 bytes.
"$EDGEC" inspect "$VELA/kws_ref_model/kws_ref_model_vela.tflite" --npu-stream > "$T/kws.lst" 2>&1
hist="$(grep -oE '^0x[0-9a-f]+: .* - NPU_OP_[A-Z_]+' "$T/kws.lst" | grep -oE 'NPU_OP_[A-Z_]+' | sort | uniq -c |
        awk '{printf "%s=%s ", $2, $1}')"
want="NPU_OP_CONV=7 NPU_OP_DEPTHWISE=4 NPU_OP_DMA_START=11 NPU_OP_DMA_WAIT=11 NPU_OP_ELEMENTWISE=29 NPU_OP_KERNEL_WAIT=6 NPU_OP_POOL=3 NPU_OP_STOP=1 "
if [ "$hist" != "$want" ] || ! grep -q 'region 0 0x1ba0 -> region 1 0x2e20, 1120 bytes' "$T/kws.lst"; then
  echo "FAIL: KWS listing: $hist"
  fail=$((fail + 1))
else
  echo "ok: KWS listing has Vela's 72 operation commands"
fi
# inspect --json: byte-identical twice; the MACs of all operations equal
# Vela's "Neural network macs" (vela.log).
for model in kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8; do
  m="$VELA/$model/${model}_vela.tflite"
  "$EDGEC" inspect "$m" --json -o "$T/$model.1.json" && "$EDGEC" inspect "$m" --json -o "$T/$model.2.json"
  vela_macs="$(sed -n 's/^Neural network macs *\([0-9]*\) MACs.*/\1/p' "$VELA/$model/vela.log")"
  our_macs="$(python3 -c 'import json, sys
print(sum(o["macs"] for p in json.load(open(sys.argv[1]))["npu_payloads"] for o in p["per_operation"]))' "$T/$model.1.json")"
  if ! cmp -s "$T/$model.1.json" "$T/$model.2.json"; then
    echo "FAIL $model: inspect --json differs between runs"
    fail=$((fail + 1))
  elif [ -z "$vela_macs" ] || [ "$our_macs" != "$vela_macs" ]; then
    echo "FAIL $model: MACs $our_macs, Vela's $vela_macs"
    fail=$((fail + 1))
  else
    echo "ok $model: $our_macs MACs as Vela counts them"
  fi
done

# The driver's configuration check: a U55-128 payload on a U55-256 is refused.
g="$TFL/golden/mlperf-tiny-kws-int8/test_data_set_0"
"$EDGEC" run "$VELA/kws_ref_model/kws_ref_model_vela.tflite" --input "$g/input_0.pb" \
  --npu-config ethos-u55-256 > "$T/cfg.out" 2> "$T/cfg.err"
rc=$?
if [ "$rc" -ne 4 ] || ! grep -q "does not match ethos-u55-256 (payload vs hardware: log2 MACs 7 vs 8)" "$T/cfg.err"; then
  echo "FAIL: --npu-config ethos-u55-256 on a U55-128 payload: exit $rc: $(cat "$T/cfg.err")"
  fail=$((fail + 1))
else
  echo "ok: a U55-128 payload is refused on ethos-u55-256"
fi
[ "$fail" -eq 0 ] || { echo "$fail failure(s)"; exit 1; }
