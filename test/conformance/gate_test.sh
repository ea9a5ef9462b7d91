#!/usr/bin/env bash
# gate_test.sh - the conformance gate refuses what it must (docs/testing.md,
# "Conformance"). Three fake cases in a temporary data folder, one of each
# outcome: `pass` (y = x + x, right output), `fail` (same model, wrong
# output) and `unsupported` (an op the interpreter lacks). Then:
#   consistent lists -> 0; a FAIL in no list -> 1; a listed case without a
#   folder -> 1 (also when --filter leaves it out); each outcome change
#   (PASS <-> FAIL <-> UNSUPPORTED against the lists) -> 1; a missing or
#   unreadable list, or a malformed line (a known failure without a reason,
#   a passing line of two words) -> 2; no data folder -> 77;
#   --write-expect / --write-known-failures give lists the gate accepts.
#
# Usage: gate_test.sh EDGEC_CONFORMANCE EDGEC
set -u
CONF="${1:?usage: gate_test.sh EDGEC_CONFORMANCE EDGEC}"
EDGEC="${2:?usage: gate_test.sh EDGEC_CONFORMANCE EDGEC}"
W="$(mktemp -d "${TMPDIR:-/tmp}/ec_gate.XXXXXX")"
trap 'rm -rf "$W"' EXIT
FAILS=0

# TensorProto of a float32 vector [a, b]: dims (field 1), data_type FLOAT
# (field 2), raw_data (field 9) with the little-endian bytes given.
tensor2() { printf '\x08\x02\x10\x01\x4a\x08'"$1" > "$2"; }
ONE_TWO='\x00\x00\x80\x3f\x00\x00\x00\x40'   # [1, 2]
TWO_FOUR='\x00\x00\x00\x40\x00\x00\x80\x40'  # [2, 4]
TWO_FIVE='\x00\x00\x00\x40\x00\x00\xa0\x40'  # [2, 5]

model() { # NAME OP
  cat > "$W/$1.onnxtxt" <<M
<
  ir_version: 8,
  opset_import: ["" : 22]
>
g (float[2] x) => (float[2] y) {
  y = $2
}
M
  "$EDGEC" export "$W/$1.onnxtxt" --format onnx -o "$W/$1.onnx" > /dev/null ||
    { echo "FAIL: cannot write the $1 model"; exit 1; }
}
model add "Add(x, x)"
model random "RandomUniformLike(x)"

DATA="$W/data"
make_case() { # NAME MODEL OUTPUT_BYTES
  mkdir -p "$DATA/$1/test_data_set_0"
  cp "$W/$2.onnx" "$DATA/$1/model.onnx"
  tensor2 "$ONE_TWO" "$DATA/$1/test_data_set_0/input_0.pb"
  tensor2 "$3" "$DATA/$1/test_data_set_0/output_0.pb"
}
make_case pass add "$TWO_FOUR"
make_case fail add "$TWO_FIVE"
make_case unsupported random "$TWO_FOUR"

KNOWN='# known\nfail  output 0 differs on purpose\n'
printf '# passing\npass\n' > "$W/pass.ok"
printf "$KNOWN" > "$W/fail.ok"

# expect RC LABEL [MUST-CONTAIN] -- ARGS...
expect() {
  local want="$1" label="$2" grepfor="$3"
  shift 4
  "$CONF" "$@" > "$W/out.log" 2>&1
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL: $label: exit $rc, expected $want"
    sed -n 1,20p "$W/out.log"
    FAILS=$((FAILS + 1))
  elif [ -n "$grepfor" ] && ! grep -q -- "$grepfor" "$W/out.log"; then
    echo "FAIL: $label: output lacks '$grepfor'"
    sed -n 1,20p "$W/out.log"
    FAILS=$((FAILS + 1))
  else
    echo "ok:   $label (exit $rc)"
  fi
}

# The fake cases give the outcomes they are named for.
expect 0 "outcomes" "FAIL fail: output 0" -- "$DATA" --verbose
grep -q "^PASS pass" "$W/out.log" && grep -q "^UNSUPPORTED unsupported" "$W/out.log" ||
  { echo "FAIL: outcomes: want PASS pass and UNSUPPORTED unsupported"; FAILS=$((FAILS + 1)); }

# gate RC LABEL MUST-CONTAIN PASSING KNOWN: the two lists' lines (printf
# formats) against the three cases.
gate() {
  printf "$4" > "$W/p.list"
  printf "$5" > "$W/k.list"
  expect "$1" "$2" "$3" -- "$DATA" --expect "$W/p.list" --known-failures "$W/k.list"
}
gate 0 "consistent lists" "1 passed, 1 failed, 1 unsupported" 'pass\n' "$KNOWN"
gate 1 "new FAIL" "NEW FAIL fail: FAIL: output 0" 'pass\n' '# none\n'
expect 1 "new FAIL, no known-failures list" "NEW FAIL fail" -- "$DATA" --expect "$W/pass.ok"
gate 1 "listed case without a folder" "MISSING CASE gone" 'pass\ngone\n' "$KNOWN"
gate 1 "known failure without a folder" "MISSING CASE gone2" 'pass\n' 'fail  r\ngone2  r\n'
gate 1 "passing list names a FAIL" "REGRESSION fail" 'pass\nfail\n' "$KNOWN"
gate 1 "passing list names an UNSUPPORTED" "REGRESSION unsupported" 'pass\nunsupported\n' "$KNOWN"
gate 1 "a PASS in no list" "NEW PASS pass" '# none\n' "$KNOWN"
gate 1 "a known failure passes" "FIXED pass" '# none\n' 'fail  r\npass  r\n'
gate 1 "a known failure is unsupported" "CHANGED unsupported" 'pass\n' 'fail  r\nunsupported  r\n'
gate 2 "known failure without a reason" "has no reason" 'pass\n' 'fail\n'
gate 2 "passing list line with two words" "expected one case name" 'pass  why\n' "$KNOWN"
printf 'pass\ngone\n' > "$W/gone.ok"
expect 1 "listed case without a folder, filtered out" "MISSING CASE gone" -- \
  "$DATA" --filter '^pass$' --expect "$W/gone.ok" --known-failures "$W/fail.ok"
expect 2 "missing passing list" "error: expectation list $W/absent.expected" -- \
  "$DATA" --expect "$W/absent.expected" --known-failures "$W/fail.ok"
expect 2 "unreadable passing list (a folder)" "error: expectation list" -- \
  "$DATA" --expect "$W" --known-failures "$W/fail.ok"
expect 2 "missing known-failures list" "error: expectation list $W/absent.kf" -- \
  "$DATA" --expect "$W/pass.ok" --known-failures "$W/absent.kf"
expect 2 "missing list, absent data" "error: expectation list" -- \
  "$W/nodata" --expect "$W/absent.expected"

expect 77 "no data folder" "skipping" -- \
  "$W/nodata" --expect "$W/pass.ok" --known-failures "$W/fail.ok"
EC_GATE_TEST_DATA="$W/nodata" expect 77 "data folder from --dir-env absent" "skipping" -- \
  "$DATA" --dir-env EC_GATE_TEST_DATA --expect "$W/pass.ok" --known-failures "$W/fail.ok"

expect 0 "write the lists" "" -- "$DATA" --write-expect "$W/w.expected" \
  --write-known-failures "$W/w.kf" --expect "$W/pass.ok" --known-failures "$W/fail.ok"
grep -qx "fail  output 0 differs on purpose" "$W/w.kf" ||
  { echo "FAIL: written known failures lose the reviewed reason"; FAILS=$((FAILS + 1)); }
expect 0 "written lists accepted" "" -- "$DATA" --expect "$W/w.expected" --known-failures "$W/w.kf"

echo "conformance gate: $FAILS failed"
[ "$FAILS" -eq 0 ]
