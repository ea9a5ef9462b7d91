#!/usr/bin/env bash
# Runs the real edgec on every model of this folder and checks the exit code
# and the single "error: ..." line of each <case>.expected (see
# scripts/make_bad_models.py for the format).
#   run_cli.sh EDGEC_BINARY BAD_MODELS_DIR
set -u
EDGEC="$1"
DIR="$2"
# edgec is built with the tests: its absence is a failure, not a skip.
if [ ! -x "$EDGEC" ]; then
  echo "error: $EDGEC is not an executable edgec binary" >&2
  exit 1
fi
shopt -s nullglob
cases=("$DIR"/*.expected)
if [ "${#cases[@]}" -eq 0 ]; then
  echo "error: no <case>.expected files in $DIR" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
for exp in "${cases[@]}"; do
  name=$(basename "$exp" .expected)
  model="$DIR/$name.onnx"
  [ -e "$model" ] || model="$DIR/$name.tflite"
  [ -e "$model" ] || model="$DIR/$name.npy"
  [ -e "$model" ] || model="$DIR/$name.pb"
  [ -e "$model" ] || model="$DIR/$name/model.onnx"
  if [ ! -e "$model" ]; then
    echo "FAIL $name: no $name.onnx, .tflite, .npy, .pb or $name/model.onnx beside $exp"
    fails=$((fails + 1))
    continue
  fi
  code=$(sed -n 1p "$exp")
  want=$(sed -n 2p "$exp")
  stage=$(sed -n 3p "$exp")
  args=(inspect "$model")
  [ "$stage" = run ] && args=(run "$model")
  # A tensor file case: the one input of input_model.onnx.
  [ "$stage" = input ] && args=(run "$DIR/input_model.onnx" --input "$model")
  timeout 120 "$EDGEC" "${args[@]}" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  lines=$(wc -l <"$tmp/err")
  first=$(head -n 1 "$tmp/err")
  if [ "$rc" != "$code" ]; then
    echo "FAIL $name: exit $rc, expected $code: $first"
    fails=$((fails + 1))
  elif [ "$lines" -ne 1 ] || [ "${first#error: }" = "$first" ]; then
    echo "FAIL $name: stderr is not one 'error: ' line:"
    cat "$tmp/err"
    fails=$((fails + 1))
  elif [[ "$first" != *"$want"* ]]; then
    echo "FAIL $name: '$first' does not contain '$want'"
    fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
done
echo "bad models: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
