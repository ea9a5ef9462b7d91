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

# run --dump-tensors: every tensor as .npy with a manifest, byte-identical
# across runs; the graph output's file equals --output-dir's.
for k in 1 2; do
  "$EDGEC" run "$MODEL" --input "$SRC/examples/vww/input_0.pb" --dump-tensors "$tmp/dump$k" \
    >/dev/null 2>&1; check "run --dump-tensors $k" 0 $?
done
expect_true "dump is deterministic" diff -r "$tmp/dump1" "$tmp/dump2"
expect_true "dump manifest lists every file" python3 - "$tmp/dump1" <<'PY'
import json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, 'manifest.json')))
files = sorted(f for f in os.listdir(d) if f.endswith('.npy'))
names = [t['name'] for t in m['tensors']]
assert sorted(t['file'] for t in m['tensors']) == files, 'manifest and files differ'
assert names[0] == 'input_1' and m['tensors'][0]['producer'] is None, names[:1]
assert 'Identity' in names and len(names) > 10, names
assert all(t['op'] for t in m['tensors'][1:]), 'a computed tensor without its op'
PY
expect_true "dumped output equals the output file" cmp -s \
  "$tmp/out2/Identity.npy" "$(ls "$tmp"/dump1/*_Identity.npy)"
printf 'x' >"$tmp/afile"
"$EDGEC" run "$MODEL" --input "$SRC/examples/vww/input_0.pb" --dump-tensors "$tmp/afile/d" \
  2>"$tmp/e"; check "dump into a file -> io" 3 $?

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

# optimize: help, a byte-identical model and report across runs, the
# exported model runs and gives the same output, bad pass names are usage
# errors.
"$EDGEC" optimize --help >"$tmp/oh" 2>&1; check "optimize --help" 0 $?
expect_true "optimize help has examples" grep -q 'Examples' "$tmp/oh"
"$EDGEC" optimize --list-passes >"$tmp/lp" 2>&1; check "optimize --list-passes" 0 $?
expect_true "lists fuse-batchnorm" grep -q '^fuse-batchnorm' "$tmp/lp"
"$EDGEC" optimize "$MODEL" -o "$tmp/o1.onnx" --stats >"$tmp/o.txt" 2>&1; check "optimize" 0 $?
expect_true "optimize prints before/after" grep -q '^  nodes ' "$tmp/o.txt"
expect_true "optimize prints stats" grep -q 'fuse-activation: ' "$tmp/o.txt"
"$EDGEC" optimize "$MODEL" -o "$tmp/o2.onnx" >/dev/null 2>&1; check "optimize again" 0 $?
expect_true "optimized model byte-identical across runs" cmp -s "$tmp/o1.onnx" "$tmp/o2.onnx"
"$EDGEC" optimize "$MODEL" -O3 --layout nhwc --json --json-output "$tmp/oa.json"; check "optimize --json" 0 $?
"$EDGEC" optimize "$MODEL" -O3 --layout nhwc --json --json-output "$tmp/ob.json"
expect_true "optimize --json byte-identical" cmp -s "$tmp/oa.json" "$tmp/ob.json"
expect_true "optimize --json has after.nodes" grep -q '"after"' "$tmp/oa.json"
"$EDGEC" run "$tmp/o1.onnx" --input "$SRC/examples/vww/input_0.pb" --output-dir "$tmp/oout" >/dev/null 2>&1
check "run the optimized model" 0 $?
"$EDGEC" run "$MODEL" --input "$SRC/examples/vww/input_0.pb" --output-dir "$tmp/rout" >/dev/null 2>&1
expect_true "optimized output matches" python3 - "$tmp/oout/Identity.npy" "$tmp/rout/Identity.npy" <<'PY'
import sys, struct
def load(p):
    b = open(p, 'rb').read()
    hl = struct.unpack('<H', b[8:10])[0]
    d = b[10 + hl:]
    return struct.unpack('<%df' % (len(d) // 4), d)
a, b = load(sys.argv[1]), load(sys.argv[2])
sys.exit(0 if len(a) == len(b) and all(abs(x - y) <= 1e-5 + 1e-4 * abs(y) for x, y in zip(a, b)) else 1)
PY
"$EDGEC" optimize "$MODEL" --passes=no-such-pass 2>"$tmp/e"; check "unknown pass -> usage" 2 $?
expect_true "names the pass" grep -q "no-such-pass" "$tmp/e"
"$EDGEC" optimize "$MODEL" --print-after=nope 2>/dev/null; check "unknown --print-after -> usage" 2 $?
"$EDGEC" optimize "$MODEL" --passes=fuse-activation --print-after=fuse-activation 2>"$tmp/pa" >/dev/null
expect_true "--print-after dumps the IR" grep -q 'IR after fuse-activation' "$tmp/pa"
"$EDGEC" optimize "$tmp/does-not-exist.onnx" 2>/dev/null; check "optimize missing file -> io" 3 $?

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


# quantize: QDQ output, a loud warning for noise calibration, byte-identical
# output and report across runs, usage errors, and run --integer on the
# result.
mkdir -p "$tmp/calib/s0"
cp "$SRC/examples/vww/input_0.pb" "$tmp/calib/s0/input_0.pb"
"$EDGEC" quantize "$MODEL" -o "$tmp/q1.onnx" --calib "$tmp/calib" --report "$tmp/q1.json" \
  >"$tmp/q.txt" 2>&1; check "quantize" 0 $?
cp "$tmp/q1.onnx" "$tmp/q1.first.onnx"; cp "$tmp/q1.json" "$tmp/q1.first.json"
"$EDGEC" quantize "$MODEL" -o "$tmp/q1.onnx" --calib "$tmp/calib" --report "$tmp/q1.json" \
  >/dev/null 2>&1; check "quantize again" 0 $?
expect_true "quantized model byte-identical across runs" cmp -s "$tmp/q1.onnx" "$tmp/q1.first.onnx"
expect_true "quantize report byte-identical across runs" cmp -s "$tmp/q1.json" "$tmp/q1.first.json"
expect_true "quantize prints the layer table" grep -q 'per-layer accuracy' "$tmp/q.txt"
expect_true "quantize report schema" grep -q '"schema": "edgec.quantize-report.v1"' "$tmp/q1.json"
expect_true "QDQ model has QuantizeLinear" grep -q 'QuantizeLinear' "$tmp/q1.onnx"
"$EDGEC" run "$tmp/q1.onnx" --integer --input "$SRC/examples/vww/input_0.pb" >"$tmp/qr.txt" 2>&1
check "run --integer" 0 $?
expect_true "run --integer prints the output" grep -q '^Identity: f32\[1,2\]' "$tmp/qr.txt"
"$EDGEC" quantize "$MODEL" -o "$tmp/q3.onnx" --calib-random 2 --quiet >/dev/null 2>"$tmp/qw"
check "quantize --calib-random" 0 $?
expect_true "calib-random warns" grep -q 'NOT meant for deployment' "$tmp/qw"
"$EDGEC" quantize "$MODEL" -o "$tmp/q4.onnx" 2>/dev/null; check "quantize without data -> usage" 2 $?
"$EDGEC" quantize "$MODEL" -o "$tmp/q4.onnx" --calib "$tmp/calib" --activations int4 2>/dev/null
check "quantize --activations int4 -> usage" 2 $?
"$EDGEC" quantize "$MODEL" -o "$tmp/q4.onnx" --calib "$tmp/calib" --keep-float nope 2>/dev/null
check "quantize --keep-float unknown -> usage" 2 $?
"$EDGEC" quantize "$MODEL" -o "$tmp/q4.onnx" --calib "$tmp/calib" --target-accuracy 1 2>/dev/null
check "quantize --target-accuracy without labels -> usage" 2 $?
"$EDGEC" quantize "$MODEL" -o "$tmp/q4.onnx" --calib "$tmp/calib" --method median 2>/dev/null
check "quantize --method median -> usage" 2 $?
# Mixed precision: the search tunes on the first eval samples and the
# report is computed on the others; the report says which (disjoint).
for d in e0 e1 e2 e3; do
  mkdir -p "$tmp/eval/$d"; cp "$SRC/examples/vww/input_0.pb" "$tmp/eval/$d/input_0.pb"
done
"$EDGEC" quantize "$MODEL" -o "$tmp/q5.onnx" --calib "$tmp/calib" --eval "$tmp/eval" \
  --target-snr 1 --tune-samples 1 --report "$tmp/q5.json" --quiet >"$tmp/q5.txt" 2>&1
check "quantize --target-snr --tune-samples 1" 0 $?
expect_true "report: tuning [0], evaluation [1, 2, 3], disjoint, accuracy on the 3 held out" \
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); u=d['samples']; sys.exit(0 if u['tuning'] == [0] and u['evaluation'] == [1, 2, 3] and not set(u['tuning']) & set(u['evaluation']) and d['accuracy']['samples'] == 3 else 1)" "$tmp/q5.json"
expect_true "text names the held-out and tuning samples" \
  grep -q '(3 samples: 1-3; 0 tuned the mixed-precision search)' "$tmp/q5.txt"
"$EDGEC" quantize "$MODEL" -o "$tmp/q5.onnx" --calib "$tmp/calib" --eval "$tmp/eval" \
  --report "$tmp/q6.json" --quiet >/dev/null 2>&1
check "quantize without a search" 0 $?
expect_true "report without a search: no tuning, every eval sample evaluated" \
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); u=d['samples']; sys.exit(0 if u['tuning'] is None and u['evaluation'] == [0, 1, 2, 3] and d['accuracy']['samples'] == 4 else 1)" "$tmp/q6.json"
"$EDGEC" quantize "$MODEL" -o "$tmp/q5.onnx" --calib "$tmp/calib" --eval "$tmp/eval" \
  --target-snr 1 --tune-samples 4 2>/dev/null
check "quantize --tune-samples leaving nothing held out -> usage" 2 $?
"$EDGEC" quantize "$MODEL" -o "$tmp/q5.onnx" --calib "$tmp/calib" --target-snr 1 2>/dev/null
check "quantize --target-snr with one sample (nothing to hold out) -> usage" 2 $?
"$EDGEC" quantize "$MODEL" -o "$tmp/q5.onnx" --calib "$tmp/calib" --eval "$tmp/eval" \
  --tune-samples 2 2>/dev/null
check "quantize --tune-samples without a target -> usage" 2 $?
mkdir -p "$tmp/badcalib/s0"
cp "$SRC/examples/vww/input_0.pb" "$tmp/badcalib/s0/other_name.pb"
"$EDGEC" quantize "$MODEL" -o "$tmp/q4.onnx" --calib "$tmp/badcalib" 2>"$tmp/e"
rc=$?
expect_true "quantize with unmatched calibration files fails cleanly ($rc)" test "$rc" -ne 0 -a "$rc" -lt 70
expect_true "calibration error is one line" test "$(wc -l <"$tmp/e")" -eq 1

# quantize and prune take .tflite models too (by content).
TFL="${EDGEC_SHARED_DIR:-$SRC/../shared}/models/mlperf-tiny-tflite/vww_96_float.tflite"
if [ -f "$TFL" ]; then
  "$EDGEC" quantize "$TFL" -o "$tmp/tq.onnx" --calib-random 2 --quiet >/dev/null 2>&1
  check "quantize a .tflite" 0 $?
  "$EDGEC" prune "$TFL" -o "$tmp/tp.onnx" --sparsity 0.3 >/dev/null 2>&1
  check "prune a .tflite" 0 $?
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
