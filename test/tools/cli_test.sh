#!/usr/bin/env bash
# End-to-end checks of the edgec tool: version, help, inspect (text and a
# byte-identical --json across runs), run with .pb/.npy outputs, exit codes.
#   cli_test.sh EDGEC_BINARY SOURCE_DIR
set -u
EDGEC="$1"
SRC="$2"
MODEL="$SRC/examples/vww/model.onnx"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
check() { # check NAME EXPECTED_RC ACTUAL_RC
  if [ "$2" = "$3" ]; then passes=$((passes + 1)); else
    echo "FAIL: $1 (expected exit $2, got $3)"; fails=$((fails + 1)); fi
}
expect_true() { # expect_true NAME COMMAND...
  local name="$1"; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name"; fails=$((fails + 1)); fi
}

"$EDGEC" --version >"$tmp/v" 2>&1; check "--version" 0 $?
expect_true "version text" grep -q '^edgec [0-9]' "$tmp/v"
"$EDGEC" inspect --help >"$tmp/h" 2>&1; check "inspect --help" 0 $?
expect_true "help has examples" grep -q 'Examples' "$tmp/h"

"$EDGEC" inspect "$MODEL" >"$tmp/i.txt" 2>&1; check "inspect" 0 $?
expect_true "inspect lists input" grep -q 'input_1: f32\[' "$tmp/i.txt"
expect_true "inspect reports MACs" grep -q '^MACs: [0-9]' "$tmp/i.txt"

"$EDGEC" inspect "$MODEL" --json -o "$tmp/a.json"; check "inspect --json 1" 0 $?
"$EDGEC" inspect "$MODEL" --json -o "$tmp/b.json"; check "inspect --json 2" 0 $?
expect_true "json byte-identical across runs" cmp -s "$tmp/a.json" "$tmp/b.json"
expect_true "json schema key" grep -q '"schema": "edgec.inspect/1"' "$tmp/a.json"

"$EDGEC" run "$MODEL" --input "input_1=$SRC/examples/vww/input_0.pb" \
  --output-dir "$tmp/out" --format pb >"$tmp/r.txt" 2>&1; check "run" 0 $?
expect_true "run wrote output" test -s "$tmp/out/Identity.pb"
expect_true "run printed summary" grep -q '^Identity: f32\[1,2\]' "$tmp/r.txt"
"$EDGEC" run "$MODEL" --input "$SRC/examples/vww/input_0.pb" --output-dir "$tmp/out2" >/dev/null 2>&1
check "run with single unnamed input, npy output" 0 $?
expect_true "npy output written" test -s "$tmp/out2/Identity.npy"

"$EDGEC" inspect "$tmp/does-not-exist.onnx" 2>"$tmp/e"; check "missing file -> io" 3 $?
expect_true "one-line error" test "$(wc -l <"$tmp/e")" -eq 1
"$EDGEC" inspect 2>/dev/null; check "missing argument -> usage" 2 $?
"$EDGEC" frobnicate 2>/dev/null; check "unknown command -> usage" 2 $?
"$EDGEC" inspect "$MODEL" --input-shape 'input_1=1,3,x' 2>/dev/null; check "bad --input-shape -> usage" 2 $?
"$EDGEC" inspect "$MODEL" --input-shape 'nope=1,2' 2>/dev/null; check "--input-shape unknown input -> usage" 2 $?
"$EDGEC" run "$MODEL" 2>"$tmp/e"; check "run without inputs -> usage" 2 $?
expect_true "names the missing input" grep -q "input_1" "$tmp/e"
printf 'garbage' >"$tmp/bad.npy"
"$EDGEC" run "$MODEL" --input "input_1=$tmp/bad.npy" 2>/dev/null; check "bad input file -> invalid-input" 6 $?

# Every shared model: inspect (byte-identical --json across two runs) and run
# on its reference inputs. Skipped when the shared data is absent.
MODELS="${EDGEC_MODELS:-$SRC/../shared/models}"
if [ -d "$MODELS" ]; then
  for dir in "$MODELS"/*/; do
    [ -f "$dir/model.onnx" ] || continue
    name=$(basename "$dir")
    "$EDGEC" inspect "$dir/model.onnx" --json -o "$tmp/$name.1.json"; check "inspect $name" 0 $?
    "$EDGEC" inspect "$dir/model.onnx" --json -o "$tmp/$name.2.json"
    expect_true "inspect --json deterministic: $name" cmp -s "$tmp/$name.1.json" "$tmp/$name.2.json"
    args=()
    for f in "$dir"/test_data_set_0/input_*.pb; do args+=(--input "$f"); done
    "$EDGEC" run "$dir/model.onnx" "${args[@]}" --output-dir "$tmp/run-$name" >/dev/null 2>"$tmp/err"
    check "run $name" 0 $?
  done
else
  echo "shared models not found at $MODELS: skipping the per-model checks"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
