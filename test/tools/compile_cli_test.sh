#!/usr/bin/env bash
# edgec targets / compile / validate / bench on the command line: listings,
# exit codes of bad options and unsupported models, the report, name
# sanitizing, validate on the host. Uses models written here (no ../shared).
#   compile_cli_test.sh EDGEC
set -uo pipefail
EDGEC="$1"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
expect_rc() { # expected-rc description command...
  local want="$1" what="$2"; shift 2
  "$@" > "$W/out" 2> "$W/err"; local rc=$?
  if [ "$rc" != "$want" ]; then
    echo "FAIL: $what: exit $rc, expected $want: $(head -c 400 "$W/err")"; fail=1
  fi
}
contains() { grep -q -- "$2" "$1" || { echo "FAIL: '$2' not in $1: $(head -c 400 "$1")"; fail=1; }; }

cat > "$W/relu.onnxtxt" <<'M'
<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[2,8] x) => (float[2,8] y) {
  a = Relu(x)
  y = Sigmoid(a)
}
M
cat > "$W/bad.onnxtxt" <<'M'
<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[4] x) => (float[4] y) {
  a = Hardmax(x)
  b = Relu(a)
  y = NonZero(b)
}
M

expect_rc 0 "targets" "$EDGEC" targets
contains "$W/out" "^mcu: "
contains "$W/out" "cortex-m55"
expect_rc 0 "targets --json" "$EDGEC" targets mcu --json
contains "$W/out" '"name": "mcu"'
expect_rc 2 "unknown target" "$EDGEC" targets fpga
expect_rc 2 "unknown cpu" "$EDGEC" compile "$W/relu.onnxtxt" --cpu cortex-a53 -o "$W/p0"
contains "$W/err" "unknown cpu 'cortex-a53'"
expect_rc 2 "unknown option" "$EDGEC" compile "$W/relu.onnxtxt" --option colour=blue -o "$W/p0"
expect_rc 2 "malformed option" "$EDGEC" compile "$W/relu.onnxtxt" --option colour -o "$W/p0"
expect_rc 3 "missing model" "$EDGEC" compile "$W/nothere.onnx" -o "$W/p0"
expect_rc 5 "unsupported nodes" "$EDGEC" compile "$W/bad.onnxtxt" -o "$W/p1"
contains "$W/err" "2 nodes not supported by target 'mcu'"
contains "$W/err" "Hardmax"
contains "$W/err" "NonZero"
[ -e "$W/p1" ] && { echo "FAIL: an unsupported model wrote files"; fail=1; }
expect_rc 0 "inspect --target" "$EDGEC" inspect "$W/bad.onnxtxt" --target mcu
contains "$W/out" "target mcu: 2 of 3 nodes not supported"
expect_rc 0 "inspect --target --json" "$EDGEC" inspect "$W/relu.onnxtxt" --target mcu --json
contains "$W/out" '"unsupported": \[\]'
expect_rc 2 "inspect unknown target" "$EDGEC" inspect "$W/relu.onnxtxt" --target fpga

expect_rc 0 "compile" "$EDGEC" compile "$W/relu.onnxtxt" --cpu cortex-m7 --name "my-model.v1" \
  -o "$W/p2" --report "$W/r.json"
contains "$W/err" "using 'my_model_v1'"
for f in my_model_v1.h my_model_v1.c main.c Makefile CMakeLists.txt sources.mk runtime/include/edgec_rt.h; do
  [ -f "$W/p2/$f" ] || { echo "FAIL: missing $f"; fail=1; }
done
contains "$W/r.json" '"schema": "edgec.compile-report.v1"'
contains "$W/r.json" '"cpu": "cortex-m7"'
contains "$W/out" "arena: "
expect_rc 0 "compile again" "$EDGEC" compile "$W/relu.onnxtxt" --cpu cortex-m7 --name "my-model.v1" \
  -o "$W/p3" --report "$W/r3.json" -q
diff -r "$W/p2" "$W/p3" > /dev/null || { echo "FAIL: compile is not deterministic"; fail=1; }
cmp -s "$W/r.json" "$W/r3.json" || { echo "FAIL: report is not deterministic"; fail=1; }

if command -v cc > /dev/null && command -v make > /dev/null; then
  expect_rc 0 "validate host" "$EDGEC" validate "$W/relu.onnxtxt" --cpu host --json
  contains "$W/out" '"pass": true'
  expect_rc 0 "bench host" "$EDGEC" bench "$W/relu.onnxtxt" --target host --runs 3 --json
  contains "$W/out" '"median_ns"'
fi
[ "$fail" = 0 ] && echo "compile CLI: all checks pass"
exit "$fail"
