#!/usr/bin/env bash
# Progress (tools/edgec/Progress.h): drawn on stderr when it is a terminal,
# never on stdout, never when stderr is not a terminal or with
# EDGEC_NO_PROGRESS=1. Each command runs under a pseudo-terminal (`script`
# from util-linux) with stdout to a file, and again without a terminal:
# the terminal shows the progress line, stdout (text or --json) is
# byte-identical to the plain run and holds no escape; with
# EDGEC_NO_PROGRESS=1 the terminal shows nothing.
#   progress_tty_test.sh EDGEC EDGEC_CONFORMANCE SOURCE_DIR
# Skips (77) without `script`. No QEMU: validate and bench run on the host.
set -uo pipefail
EDGEC="$(realpath "$1")"
CONF="$(realpath "$2")"
SRC="$(realpath "$3")"
. "$SRC/test/skip.sh"
command -v script > /dev/null 2>&1 || skip_tool "script (util-linux) missing"
VWW="$SRC/examples/vww"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
q() { printf '%q ' "$@"; }
ESC=$'\033'

# check NAME PATTERN [--same] CMD...: CMD under a terminal (stdout to a file)
# shows PATTERN on the terminal; without one, and with EDGEC_NO_PROGRESS=1
# under one, no progress; --same: stdout identical in all three runs.
check() {
  local name="$1" pat="$2" same=0
  shift 2
  [ "$1" = --same ] && { same=1; shift; }
  script -qec "$(q "$@") > $name.tty.out" /dev/null < /dev/null > "$name.tty" 2>&1 ||
    bad "$name: exit $? under a terminal"
  "$@" > "$name.plain.out" 2> "$name.plain.err" || bad "$name: exit $? without a terminal"
  EDGEC_NO_PROGRESS=1 script -qec "$(q "$@") > $name.off.out" /dev/null < /dev/null \
    > "$name.off" 2>&1 || bad "$name: exit $? with EDGEC_NO_PROGRESS=1"
  grep -q -- "$pat" "$name.tty" || bad "$name: no '$pat' on the terminal: $(cat -v "$name.tty")"
  for f in "$name.tty.out" "$name.plain.out" "$name.plain.err" "$name.off" "$name.off.out"; do
    if grep -q "$ESC\[K" "$f"; then bad "$name: progress in $f"; fi
  done
  [ -s "$name.tty.out" ] || bad "$name: nothing on stdout"
  if [ "$same" = 1 ]; then
    cmp -s "$name.tty.out" "$name.plain.out" || bad "$name: stdout differs with a terminal"
    cmp -s "$name.off.out" "$name.plain.out" || bad "$name: stdout differs with EDGEC_NO_PROGRESS=1"
  fi
}

check quantize 'calibrating \[' --same \
  "$EDGEC" quantize "$VWW/model.onnx" -o q.onnx --calib "$VWW/calib" --report q.json
check quantize-json 'calibrating \[' --same \
  "$EDGEC" quantize "$VWW/model.onnx" -o q2.onnx --calib "$VWW/calib" --report /dev/stdout
check compile 'compile: lowering and emitting' --same \
  "$EDGEC" compile q.onnx --target mcu --cpu cortex-m4 -o pkg --report /dev/stdout
check validate 'validate: building the package and running it on the host' --same \
  "$EDGEC" validate q.onnx --target mcu --cpu host --input "$VWW/input_0.pb" --json
# Host latency differs from run to run: the JSON is checked for its shape only.
check bench 'bench mcu:host: building the package and running it on the host' \
  "$EDGEC" bench q.onnx --target mcu --cpu host --runs 1 --warmup 0 --no-interpreter --json
{ [ "$(head -n 1 bench.tty.out)" = "{" ] && [ "$(grep -v '^$' bench.tty.out | tail -n 1)" = "}" ] &&
  grep -q '^  "schema": "edgec.bench-report.v1",$' bench.tty.out; } ||
  bad "bench --json under a terminal is not the JSON document alone: $(cat -v bench.tty.out)"

# The conformance runner, per case, on a folder of two cases made from the VWW example.
for c in a b; do
  mkdir -p "cases/$c/test_data_set_0"
  cp "$VWW/model.onnx" "cases/$c/"
  cp "$VWW/input_0.pb" "$VWW/output_0.pb" "cases/$c/test_data_set_0/"
done
check conformance 'conformance \[' --same "$CONF" cases --rtol 1e-3 --atol 1e-4

[ "$fail" -eq 0 ] || { echo "$fail failure(s)"; exit 1; }
echo "PASS: progress on the terminal only (quantize, compile, validate, bench, conformance)"
