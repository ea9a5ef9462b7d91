#!/usr/bin/env bash
# One verifier (docs/cli.md): every command runs the same model verification
# after loading. Each invalid model below is rejected by inspect, run,
# optimize, quantize, prune, export, compile, validate and bench with exit 4
# (invalid-model) and the same single "error: ..." line naming the model
# element; inspect still describes it and marks the invalid node. Valid
# models are accepted by all of them. Models are written here.
#   verifier_cli_test.sh EDGEC
set -uo pipefail
EDGEC="$1"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
. "$(dirname "$0")/cli_expect.sh"

HEADER='<
  ir_version: 8,
  opset_import: ["" : 13]
>'
model() { printf '%s\n%s\n' "$HEADER" "$2" > "$W/$1.onnxtxt"; }

# A float32 .npy of the given shape filled with 0.5.
npy() {
  python3 - "$1" "$2" <<'PY'
import struct, sys
shape = [int(x) for x in sys.argv[2].split(",")]
n = 1
for d in shape: n *= d
hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
    ",".join(map(str, shape)) + ("," if len(shape) == 1 else ""))
hdr += " " * (63 - (10 + len(hdr)) % 64) + "\n"
with open(sys.argv[1], "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) + hdr.encode())
    f.write(struct.pack("<%df" % n, *[0.5] * n))
PY
}
npy "$W/x23.npy" 2,3
npy "$W/x1344.npy" 1,3,4,4
npy "$W/x1322.npy" 1,3,2,2

# name | input file | substring the error line must contain
model reshape_constant 'g (float[2,3] x) => (float[4,4] y) <int64[2] s = {4, 4}> {
  y = Reshape(x, s)
}'
model initializer_size 'g (float[2,3] x) => (float[2,3] y) <float[2,3] w = {1, 2, 3, 4, 5}> {
  y = Add(x, w)
}'
model conv_channels 'g (float[1,3,4,4] x) => (float[1,2,4,4] y) <float[2,4,1,1] w = {1, 1, 1, 1, 1, 1, 1, 1}> {
  y = Conv(x, w)
}'
model type_mismatch 'g (float[2,3] x) => (float[2,3] y) <int64[2,3] c = {1, 2, 3, 4, 5, 6}> {
  y = Add(x, c)
}'
model batchnorm_params 'g (float[1,3,2,2] x) => (float[1,3,2,2] y) <float[2] s = {1, 1}, float[3] b = {0, 0, 0}, float[3] m = {0, 0, 0}, float[3] v = {1, 1, 1}> {
  y = BatchNormalization(x, s, b, m, v)
}'
model dangling_input 'g (float[2,3] x) => (float[2,3] y) {
  y = Add(x, z)
}'
model declared_output 'g (float[2,3] x) => (float[3,2] y) {
  r = Relu(x)
  y = Sigmoid(r)
}'
model valid_conv 'g (float[1,3,4,4] x) => (float[1,2,4,4] y) <float[2,3,1,1] w = {1, 1, 1, 1, 1, 1}> {
  c = Conv(x, w)
  y = Relu(c)
}'
model valid_reshape 'g (float[2,3] x) => (float[3,2] y) <int64[2] s = {3, 2}, float[3,2] b = {1, 2, 3, 4, 5, 6}> {
  r = Reshape(x, s)
  y = Add(r, b)
}'

CASES="reshape_constant|x23|node 'Reshape_0' (Reshape): cannot reshape 6 elements into 16
initializer_size|x23|initializer 'w': float_data has 5 values but f32[2,3] needs 6
conv_channels|x1344|node 'Conv_0' (Conv): weights f32[2,4,1,1] do not match input f32[1,3,4,4] with group 1
type_mismatch|x23|node 'Add_0' (Add): input types differ (f32 vs i64)
batchnorm_params|x1322|node 'BatchNormalization_0' (BatchNormalization): parameter 1 f32[2] does not match the channel count 3
dangling_input|x23|node 'Add_0' (Add): input 'z' is not defined
declared_output|x23|node 'Sigmoid_1' (Sigmoid): output 'y' is declared f32[3,2] but the model computes f32[2,3]"
COMMANDS="inspect run optimize quantize prune export compile validate bench"

# Runs one command on a model file; stdout to $W/out, stderr to $W/err,
# exit code in $rc.
run_cmd() {
  local c="$1" f="$2" in="$3" o="$W/o.$1"
  rm -rf "$o" "$o".*
  local args=()
  case "$c" in
    run) args=(--input "$W/$in.npy") ;;
    optimize|prune) args=(-o "$o.onnx") ;;
    quantize) args=(-o "$o.onnx" --calib-random 2) ;;
    export) args=(--format tflite -o "$o.tflite") ;;
    compile) args=(--target mcu --cpu host -o "$o") ;;
    validate|bench) args=(--target mcu --cpu host) ;;
  esac
  timeout 300 "$EDGEC" "$c" "$f" "${args[@]}" > "$W/out" 2> "$W/err"
  rc=$?
}

# Every command on file $1 (input $2): exit 4, one error line, equal to
# "error: $1: $3" and the same for all.
expect_rejected() {
  local file="$1" in="$2" want="$3" m first="" c line
  m=$(basename "$file"); m="${m%.*}"
  for c in $COMMANDS; do
    run_cmd "$c" "$file" "$in"
    line=$(head -n 1 "$W/err")
    if [ "$rc" != 4 ]; then
      echo "FAIL: $m: $c exits $rc, expected 4: $(head -c 300 "$W/err")"; fail=1; continue
    fi
    if [ "$(wc -l < "$W/err")" -ne 1 ]; then
      echo "FAIL: $m: $c: stderr is not one error line:"; cat "$W/err"; fail=1; continue
    fi
    if [ "$line" != "error: $file: $want" ]; then
      echo "FAIL: $m: $c: '$line' is not 'error: $file: $want'"; fail=1
    fi
    [ -z "$first" ] && first="$line"
    if [ "$line" != "$first" ]; then
      echo "FAIL: $m: $c says '$line', inspect said '$first'"; fail=1
    fi
    for f in "$W"/o."$c"*; do
      [ -e "$f" ] && { echo "FAIL: $m: $c wrote $f for an invalid model"; fail=1; }
    done
    if [ "$c" = inspect ]; then
      # Described, not measured: the invalid node is marked, no MACs.
      case "$m" in
        reshape_constant|conv_channels|type_mismatch|batchnorm_params|declared_output)
          contains "$W/out" "^INVALID: $file: "
          contains "$W/out" "<-- invalid"
          if grep -q "^MACs" "$W/out"; then echo "FAIL: $m: inspect prints MACs"; fail=1; fi ;;
      esac
    fi
  done
  # --json: the same error and exit code, nothing on stdout.
  expect_rc 4 "$m: inspect --json" "$EDGEC" inspect "$file" --json
  [ -s "$W/out" ] && { echo "FAIL: $m: inspect --json printed a report"; fail=1; }
}

while IFS='|' read -r m in want; do
  expect_rejected "$W/$m.onnxtxt" "$in" "$want"
done <<< "$CASES"

# TFLite goes through the same verifier: valid_reshape exported, then its
# shape constant {3, 2} (the last such int32 pair: the buffers follow the
# graph) patched to {4, 4}.
expect_rc 0 "export valid_reshape" "$EDGEC" export "$W/valid_reshape.onnxtxt" --format tflite -o "$W/reshape.tflite"
python3 - "$W/reshape.tflite" "$W/reshape_constant_tflite.tflite" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
at = b.rfind(struct.pack("<ii", 3, 2))
assert at >= 0, "no shape constant"
b[at:at + 8] = struct.pack("<ii", 4, 4)
open(sys.argv[2], "wb").write(b)
PY
for c in $COMMANDS; do
  run_cmd "$c" "$W/reshape.tflite" x23
  [ "$rc" = 0 ] || { echo "FAIL: reshape.tflite: $c exits $rc: $(head -c 300 "$W/err")"; fail=1; }
done
expect_rejected "$W/reshape_constant_tflite.tflite" x23 "node 'r' (Reshape): cannot reshape 6 elements into 16"

# The marked node is the failing one.
expect_rc 4 "inspect conv_channels" "$EDGEC" inspect "$W/conv_channels.onnxtxt"
contains "$W/out" "^  node 'Conv_0' (Conv)  <-- invalid$"

# Valid models: every command succeeds.
for m in valid_conv:x1344 valid_reshape:x23; do
  for c in $COMMANDS; do
    run_cmd "$c" "$W/${m%%:*}.onnxtxt" "${m#*:}"
    [ "$rc" = 0 ] || { echo "FAIL: ${m%%:*}: $c exits $rc: $(head -c 300 "$W/err")"; fail=1; }
  done
done
expect_rc 0 "inspect valid_conv" "$EDGEC" inspect "$W/valid_conv.onnxtxt"
contains "$W/out" "^MACs: 96$"

# Shapes fixed by --input-shape are verified too: unknown N cannot
# contradict the Reshape constant, N=4 does.
model dyn_reshape 'g (float[N,3] x) => (float[3,2] y) <int64[2] s = {3, 2}> {
  y = Reshape(x, s)
}'
expect_rc 0 "inspect dyn_reshape" "$EDGEC" inspect "$W/dyn_reshape.onnxtxt"
expect_rc 0 "inspect dyn_reshape N=2" "$EDGEC" inspect "$W/dyn_reshape.onnxtxt" --input-shape x=2,3
for c in inspect compile; do
  args=(); [ "$c" = compile ] && args=(--target mcu --cpu host -o "$W/o.dyn")
  expect_rc 4 "$c dyn_reshape N=4" "$EDGEC" "$c" "$W/dyn_reshape.onnxtxt" --input-shape x=4,3 "${args[@]}"
  contains "$W/err" "^error: $W/dyn_reshape.onnxtxt: node 'Reshape_0' (Reshape): cannot reshape 12 elements into 6$"
done

[ "$fail" = 0 ] && echo "verifier CLI: all commands agree"
exit "$fail"
