#!/usr/bin/env bash
# NPU code generation end to end (ctest npu.codegen, label npu):
# - small int8 QDQ models (test/targets/npu/codegen_*.onnxtxt: conv 3x3
#   stride 1 and 2 with symmetric and asymmetric padding, per-tensor and
#   per-channel weights, ReLU and ReLU6; depthwise 3x3; max pool; average
#   pool with padding; a reshape and two fully connected layers; two ADDs,
#   one scaling each operand, with and without ReLU, and a MUL) compile with
#   `--target npu` to NAME_npu.tflite; `edgec run` on it (the Ethos-U
#   functional model) gives the same output bytes as `edgec run` (the
#   reference interpreter's integer kernels) on the int8 TFLite form of the
#   original model (`edgec export --format tflite`: the graph the NPU target
#   compiles), on pseudo-random int8 inputs; two compiles give identical
#   files;
# - `validate --target npu` (the ethos-u executor) passes on them, exactly;
# - broadcasting (codegen_broadcast: a MUL by a [1,1,1,C] operand, an ADD
#   whose first operand is [1,H,W,1]) through `validate --target npu`;
# - a convolution with a fused LeakyRelu (codegen_leaky: no TFLite form,
#   so through `validate --target npu` only): two convolutions and a MAX;
# - an average pool whose output is quantized unlike its input
#   (codegen_avgpool_rescale, validate only): the global-scale AVERAGE;
#   a GlobalAveragePool (TFLite's MEAN, 35 positions) likewise (codegen_gap);
# - lookup-table activations (codegen_lut: LOGISTIC, then MUL, TANH,
#   LEAKY_RELU and HARD_SWISH, each a table DMAed into the internal buffer
#   and a 1x1 pool through it), all on the NPU, bit-exact as above;
# - CPU fallback (codegen_fallback: NPU, CPU, NPU): two `ethos-u`
#   operators with TFLite builtins between them, bit-exact as above;
# - a model with no operator on the NPU is refused (exit 5, one line);
# - Vela's KWS file exported by `edgec export` (the TFLite writer writes its
#   `ethos-u` operator back) runs to the same output;
# - each MLPerf Tiny int8 model compiles (twice, the same bytes; the final
#   SOFTMAX of KWS, VWW and ResNet as a CPU builtin after the `ethos-u`
#   operator) and its output on the golden input is byte for byte the
#   interpreter's on the original file and TFLM's golden output.
#   npu_codegen_test.sh EDGEC SOURCE_DIR
# Exits 77 when python3 is missing.
set -uo pipefail
EDGEC="$1"
SRC="$2"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
T="$SHARED/models/mlperf-tiny-tflite"
. "$SRC/test/skip.sh"
command -v python3 > /dev/null || skip_tool "no python3"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
P="$SRC/test/targets/npu"

# npy FILE SHAPE SEED: pseudo-random int8 .npy (format 1.0).
npy() {
  python3 - "$@" <<'PY'
import random, struct, sys
path, shape, seed = sys.argv[1], [int(d) for d in sys.argv[2].split(",")], int(sys.argv[3])
n = 1
for d in shape: n *= d
r = random.Random(seed)
data = bytes(r.randint(0, 255) for _ in range(n))
hdr = "{'descr': '|i1', 'fortran_order': False, 'shape': (%s), }" % "".join("%d, " % d for d in shape)
hdr += " " * ((64 - (10 + len(hdr) + 1) % 64) % 64) + "\n"
open(path, "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) + hdr.encode() + data)
PY
}

while read -r model input shape; do
  m="$P/$model.onnxtxt"
  for run in 1 2; do
    if ! "$EDGEC" compile "$m" --target npu --name "$model" -o "$W/$model.$run" > "$W/$model.log" 2>&1; then
      echo "FAIL $model: compile failed: $(tail -1 "$W/$model.log")"
      fail=1
      continue 2
    fi
  done
  f="$W/$model.1/${model}_npu.tflite"
  if ! "$EDGEC" export "$m" --format tflite -o "$W/$model.tflite" > "$W/$model.log" 2>&1; then
    echo "FAIL $model: export failed: $(tail -1 "$W/$model.log")"; fail=1; continue
  fi
  if [ ! -s "$f" ]; then echo "FAIL $model: no ${model}_npu.tflite"; fail=1; continue; fi
  if ! cmp -s "$f" "$W/$model.2/${model}_npu.tflite"; then
    echo "FAIL $model: two compiles differ"; fail=1
  fi
  for seed in 1 2 3; do
    args=()
    k=0
    for name in ${input//,/ }; do
      k=$((k + 1))
      npy "$W/in$k.npy" "$shape" "$((seed * 10 + k))"
      args+=(--input "$name=$W/in$k.npy")
    done
    rm -rf "$W/npu" "$W/ref"
    if ! "$EDGEC" run "$f" "${args[@]}" --output-dir "$W/npu" > "$W/run.log" 2>&1; then
      echo "FAIL $model: edgec run on the NPU file: $(tail -1 "$W/run.log")"; fail=1; continue
    fi
    if ! "$EDGEC" run "$W/$model.tflite" "${args[@]}" --output-dir "$W/ref" > "$W/run.log" 2>&1; then
      echo "FAIL $model: edgec run on the int8 TFLite form: $(tail -1 "$W/run.log")"; fail=1; continue
    fi
    for o in "$W/ref"/*.npy; do
      if ! cmp -s "$o" "$W/npu/$(basename "$o")"; then
        echo "FAIL $model seed $seed: $(basename "$o") differs from the interpreter"; fail=1
      else
        echo "ok $model seed $seed: $(basename "$o") byte for byte"
      fi
    done
  done
done << 'LIST'
codegen_conv_pool x 1,9,9,3
codegen_fc x 1,5,8
codegen_add a,b 1,4,5,8
codegen_fallback a,b 1,4,5,8
codegen_lut x 1,4,5,8
LIST

# validate --target npu: the ethos-u executor against the interpreter.
for m in "$P/codegen_conv_pool.onnxtxt" "$P/codegen_fc.onnxtxt" "$P/codegen_add.onnxtxt" \
  "$P/codegen_fallback.onnxtxt" "$P/codegen_lut.onnxtxt" "$P/codegen_broadcast.onnxtxt" \
  "$P/codegen_leaky.onnxtxt" "$P/codegen_avgpool_rescale.onnxtxt" \
  "$P/codegen_gap.onnxtxt"; do
  if "$EDGEC" validate "$m" --target npu > "$W/val.log" 2>&1 && grep -q "exact 100.00%" "$W/val.log" &&
    [ "$(tail -1 "$W/val.log")" = PASS ]; then
    echo "ok validate $(basename "$m"): PASS, exact"
  else
    echo "FAIL validate $(basename "$m"): $(tail -2 "$W/val.log")"; fail=1
  fi
done

# CPU fallback: codegen_fallback's NPU ADD, then ReduceMax and its
# DEQUANTIZE/QUANTIZE on the CPU, then MUL and ADD on the NPU (the first
# ADD's output read by both): two `ethos-u` operators with three TFLite
# builtins between them, each CPU node named with its failing constraints.
"$EDGEC" compile "$P/codegen_fallback.onnxtxt" --target npu --name codegen_fallback \
  -o "$W/fb" > "$W/fb.log" 2>&1
n_eu="$("$EDGEC" inspect "$W/fb/codegen_fallback_npu.tflite" 2>&1 | sed -n 's/^  edgec.npu.EthosU: //p')"
n_rm="$("$EDGEC" inspect "$W/fb/codegen_fallback_npu.tflite" 2>&1 | sed -n 's/^  ReduceMax: //p')"
n_lut="$("$EDGEC" inspect "$W/codegen_lut.1/codegen_lut_npu.tflite" 2>&1 | grep -c '^  [A-Z]')"
[ "$n_lut" = 1 ] || { echo "FAIL codegen_lut: $n_lut operator types in the NPU file, want the ethos-u one"; fail=1; }
if [ "$n_eu" = 2 ] && [ "$n_rm" = 1 ] && grep -q "REDUCE_MAX 'ReduceMax_16' is a CPU only op" "$W/fb.log" &&
  grep -q "2 ethos-u operator(s).*3 node(s) as TFLite builtins" "$W/fb.log"; then
  echo "ok codegen_fallback: 2 ethos-u operators, ReduceMax a CPU builtin named with its constraint"
else
  echo "FAIL codegen_fallback: ethos-u operators '$n_eu', ReduceMax '$n_rm': $(tail -1 "$W/fb.log")"; fail=1
fi

# No operator on the NPU: refused, exit 5.
"$EDGEC" compile "$P/no_npu.onnxtxt" --target npu -o "$W/cpu" > "$W/cpu.log" 2>&1
rc=$?
if [ "$rc" -ne 5 ] || ! grep -q "no operator of the model runs on the NPU" "$W/cpu.log"; then
  echo "FAIL no_npu: exit $rc, expected 5 (no NPU operator): $(tail -1 "$W/cpu.log")"; fail=1
else
  echo "ok no_npu: refused (exit 5)"
fi

# MLPerf Tiny.
if [ -d "$T/golden" ]; then
  while read -r model golden; do
    src="$T/$model.tflite"
    g="$T/golden/mlperf-tiny-$golden-int8/test_data_set_0"
    "$EDGEC" compile "$src" --target npu --name "$model" -o "$W/$model" > "$W/$model.log" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ]; then
      echo "FAIL $model: compile exit $rc: $(tail -1 "$W/$model.log")"; fail=1; continue
    fi
    f="$W/$model/${model}_npu.tflite"
    "$EDGEC" compile "$src" --target npu --name "$model" -o "$W/$model.2" > /dev/null 2>&1
    cmp -s "$f" "$W/$model.2/${model}_npu.tflite" || { echo "FAIL $model: two compiles differ"; fail=1; }
    rm -rf "$W/npu" "$W/ref"
    "$EDGEC" run "$f" --input "$g/input_0.pb" --output-dir "$W/npu" --format pb > "$W/run.log" 2>&1 &&
      "$EDGEC" run "$src" --input "$g/input_0.pb" --output-dir "$W/ref" --format pb >> "$W/run.log" 2>&1
    if [ $? -ne 0 ]; then echo "FAIL $model: run: $(tail -1 "$W/run.log")"; fail=1; continue; fi
    out="$(ls "$W/ref"/*.pb)"
    if ! cmp -s "$out" "$W/npu/$(basename "$out")"; then
      echo "FAIL $model: NPU output differs from the interpreter"; fail=1
    elif ! cmp -s "$out" "$g/output_0.pb"; then
      echo "FAIL $model: output differs from TFLM's output_0.pb"; fail=1
    else
      echo "ok $model: compiled, output byte for byte the interpreter's and TFLM's"
    fi
  done << 'LIST'
ad01_int8 ad
kws_ref_model kws
vww_96_int8 vww
pretrainedResnet_quant resnet
LIST
else
  echo "note: MLPerf Tiny goldens not found at $T; skipped"
fi

# The TFLite writer writes an imported `ethos-u` operator back (Vela's KWS
# file through `edgec export`): the same output on the golden input.
V="$SHARED/vela/kws_ref_model/kws_ref_model_vela.tflite"
G="$T/golden/mlperf-tiny-kws-int8/test_data_set_0/input_0.pb"
if [ -f "$V" ] && [ -f "$G" ]; then
  rm -rf "$W/v1" "$W/v2"
  if "$EDGEC" export "$V" --format tflite -o "$W/vela_rt.tflite" > "$W/rt.log" 2>&1 &&
    "$EDGEC" run "$V" --input "$G" --output-dir "$W/v1" > /dev/null 2>&1 &&
    "$EDGEC" run "$W/vela_rt.tflite" --input "$G" --output-dir "$W/v2" > "$W/rt.log" 2>&1 &&
    cmp -s "$W/v1/Identity.npy" "$W/v2/Identity.npy"; then
    echo "ok Vela's KWS file written back by the TFLite writer: the same output"
  else
    echo "FAIL Vela's KWS file written back: $(tail -1 "$W/rt.log")"; fail=1
  fi
fi
exit $fail
