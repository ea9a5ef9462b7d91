#!/usr/bin/env bash
# End-to-end checks of `edgec prune` on examples/vww/model.onnx: both
# methods write a loadable, runnable model and a deterministic JSON report
# with the documented keys; channel pruning really shrinks parameters and
# MACs; --eval reports the output deviation; bad options are one-line usage
# errors (exit 2).
#   prune_cli_test.sh EDGEC_BINARY SOURCE_DIR
set -u
EDGEC="$1"
SRC="$2"
MODEL="$SRC/examples/vww/model.onnx"
INPUT="$SRC/examples/vww/input_0.pb"
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
json_check() { # json_check NAME FILE PYTHON_EXPR (j is the document)
  expect_true "$1" python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($3) else 1)" "$2"
}

"$EDGEC" prune --help >"$tmp/h" 2>&1; check "prune --help" 0 $?
expect_true "prune help has examples" grep -q 'Examples' "$tmp/h"
mkdir -p "$tmp/eval"
cp "$INPUT" "$tmp/eval/sample0.pb"

# magnitude, global 50%
"$EDGEC" prune "$MODEL" -o "$tmp/m.onnx" --sparsity 0.5 --report "$tmp/m.json" \
  --eval "$tmp/eval" >"$tmp/m.txt" 2>&1; check "prune magnitude" 0 $?
expect_true "magnitude table" grep -q '^  overall ' "$tmp/m.txt"
json_check "magnitude schema" "$tmp/m.json" 'j["schema"] == "edgec.prune/1" and j["method"] == "magnitude"'
json_check "magnitude overall sparsity 0.5" "$tmp/m.json" 'abs(j["summary"]["sparsity_after"] - 0.5) < 1e-4'
json_check "magnitude per-layer entries" "$tmp/m.json" 'len(j["layers"]) == 28 and all("sparsity_after" in l for l in j["layers"])'
json_check "magnitude keeps shapes" "$tmp/m.json" 'j["totals"]["after"]["parameters"] == j["totals"]["before"]["parameters"] and j["totals"]["after"]["nonzero_parameters"] < j["totals"]["before"]["nonzero_parameters"]'
json_check "magnitude eval" "$tmp/m.json" 'j["eval"]["samples"] == 1 and "max_abs_error" in j["eval"]["outputs"][0]'
"$EDGEC" run "$tmp/m.onnx" --input "$INPUT" >/dev/null 2>&1; check "run magnitude-pruned model" 0 $?
"$EDGEC" prune "$MODEL" --sparsity 0.8 --per-layer --report "$tmp/p.json" >/dev/null 2>&1
check "prune magnitude --per-layer" 0 $?
json_check "per-layer: every layer at 80%" "$tmp/p.json" 'all(l["zeros_after"] >= int(0.8 * l["weights"]) for l in j["layers"])'

# channel, 25%
"$EDGEC" prune "$MODEL" -o "$tmp/c.onnx" --method channel --sparsity 0.25 \
  --report "$tmp/c.json" --eval "$tmp/eval" >"$tmp/c.txt" 2>&1; check "prune channel" 0 $?
expect_true "channel table has totals" grep -q '^  MACs ' "$tmp/c.txt"
expect_true "channel reports deviation" grep -q 'top-1 agreement' "$tmp/c.txt"
json_check "channel schema" "$tmp/c.json" 'j["method"] == "channel" and j["norm"] == "l1"'
json_check "channel shrinks parameters and MACs" "$tmp/c.json" 'j["totals"]["after"]["parameters"] < 0.8 * j["totals"]["before"]["parameters"] and j["totals"]["after"]["macs"] < 0.8 * j["totals"]["before"]["macs"]'
json_check "channel per-layer channels" "$tmp/c.json" 'any(l["out_channels_after"] is not None and l["out_channels_after"] < l["out_channels_before"] for l in j["layers"])'
json_check "channel output layer fixed" "$tmp/c.json" 'j["layers"][-1]["out_channels_after"] == 2 and "fixed" in j["layers"][-1]["note"]'
json_check "channel eval metrics" "$tmp/c.json" 'set(["max_abs_error","mean_cosine","snr_db","top1_agreement"]) <= set(j["eval"]["outputs"][0])'
"$EDGEC" inspect "$tmp/c.onnx" >"$tmp/ci.txt" 2>&1; check "inspect channel-pruned model" 0 $?
"$EDGEC" run "$tmp/c.onnx" --input "$INPUT" >"$tmp/cr.txt" 2>&1; check "run channel-pruned model" 0 $?
expect_true "pruned output shape kept" grep -q '^Identity: f32\[1,2\]' "$tmp/cr.txt"
cp "$tmp/c.onnx" "$tmp/c1.onnx"; cp "$tmp/c.json" "$tmp/c1.json"
"$EDGEC" prune "$MODEL" -o "$tmp/c.onnx" --method channel --sparsity 0.25 \
  --report "$tmp/c.json" --eval "$tmp/eval" >/dev/null 2>&1
expect_true "pruned model byte-identical across runs" cmp -s "$tmp/c.onnx" "$tmp/c1.onnx"
expect_true "report byte-identical across runs" cmp -s "$tmp/c.json" "$tmp/c1.json"
"$EDGEC" prune "$MODEL" --method channel --norm l2 --sparsity 0.5 --eval-random 2 \
  --report "$tmp/l2.json" >/dev/null 2>"$tmp/l2.err"; check "prune channel --norm l2 --eval-random" 0 $?
expect_true "--eval-random warns" grep -q 'warning' "$tmp/l2.err"
json_check "l2 report" "$tmp/l2.json" 'j["norm"] == "l2" and j["eval"]["source"] == "random"'

# errors: one line, documented exit codes
err() { # err NAME EXPECTED_RC ARGS...
  local name="$1" rc="$2"; shift 2
  "$EDGEC" prune "$@" >/dev/null 2>"$tmp/e"; check "$name" "$rc" $?
  expect_true "$name: one-line error" test "$(wc -l <"$tmp/e")" -eq 1
}
err "--sparsity 1 -> usage" 2 "$MODEL" --sparsity 1
err "--sparsity -0.5 -> usage" 2 "$MODEL" --sparsity -0.5
expect_true "names the option" grep -q -- '--sparsity must be in \[0, 1)' "$tmp/e"
err "unknown --layers -> usage" 2 "$MODEL" --layers nope
expect_true "names the layer" grep -q "unknown layer 'nope'" "$tmp/e"
err "--method bogus -> usage" 2 "$MODEL" --method bogus
err "--per-layer with channel -> usage" 2 "$MODEL" --method channel --per-layer
err "--norm with magnitude -> usage" 2 "$MODEL" --norm l2
err "--eval-labels without --eval -> usage" 2 "$MODEL" --eval-labels x.txt
err "missing model -> io" 3 "$tmp/none.onnx"
err "missing eval dir -> io" 3 "$MODEL" --eval "$tmp/none"

echo "prune cli: $passes passed, $fails failed"
[ "$fails" = 0 ]
