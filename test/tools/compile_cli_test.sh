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
. "$(dirname "$0")/cli_expect.sh"

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
g (float[4] x) => (int64[1,N] y) {
  a = Shrink(x)
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
contains "$W/err" "Shrink"
contains "$W/err" "NonZero"
[ -e "$W/p1" ] && { echo "FAIL: an unsupported model wrote files"; fail=1; }
expect_rc 0 "inspect --target" "$EDGEC" inspect "$W/bad.onnxtxt" --target mcu
contains "$W/out" "target mcu: 2 of 3 nodes not supported"
expect_rc 0 "inspect --target --json" "$EDGEC" inspect "$W/relu.onnxtxt" --target mcu --json
contains "$W/out" '"unsupported": \[\]'
contains "$W/out" '"placement": "target"'
contains "$W/out" '"policy": "all-or-error"'
expect_rc 2 "inspect unknown target" "$EDGEC" inspect "$W/relu.onnxtxt" --target fpga
# The target's pipeline runs in the driver: --print-after, --print-after-all, --stats.
expect_rc 0 "compile --print-after" "$EDGEC" compile "$W/relu.onnxtxt" --print-after fold-constants \
  --stats -o "$W/p6" --report "$W/r6.json"
contains "$W/err" "IR after fold-constants"
contains "$W/out" "pass statistics:"
contains "$W/r6.json" '"passes": \['
expect_rc 0 "compile --print-after-all" "$EDGEC" compile "$W/relu.onnxtxt" --print-after-all \
  -o "$W/p6" -q
contains "$W/err" "IR after eliminate-dead-code"
expect_rc 2 "compile --print-after unknown pass" "$EDGEC" compile "$W/relu.onnxtxt" \
  --print-after no-such-pass -o "$W/p7"
contains "$W/err" "unknown pass 'no-such-pass'"

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
  # --per-layer: the intermediate 'a' is returned and checked too.
  expect_rc 0 "validate --per-layer" "$EDGEC" validate "$W/relu.onnxtxt" --cpu host --per-layer \
    --json --dump-tensors "$W/vd"
  contains "$W/out" '"layers_out_of_tolerance": 0'
  contains "$W/out" '"first_divergence": null'
  contains "$W/out" '"op": "Relu"'
  [ "$(ls "$W/vd" | grep -c '\.npy$')" = 3 ] || { echo "FAIL: expected x, a, y dumped"; fail=1; }
  contains "$W/vd/manifest.json" '"name": "a"'
  expect_rc 0 "validate --per-layer text" "$EDGEC" validate "$W/relu.onnxtxt" --cpu host --per-layer
  contains "$W/out" "per layer: 1 intermediate values, 0 outside the tolerance"
  expect_rc 0 "bench host" "$EDGEC" bench "$W/relu.onnxtxt" --target host --runs 3 --json
  contains "$W/out" '"median_ns"'

  # --expect: a golden for the given inputs; the interpreter's outputs (from
  # `edgec run`) pass, another input's outputs fail with exit 8 in validate
  # and bench, a wrong shape is exit 6, a missing --input or a wrong count
  # exit 2.
  python3 - "$W" <<'PY'
import struct, sys
def npy(path, vals, shape):
    hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % "".join("%d," % d for d in shape)
    hdr += " " * (63 - (10 + len(hdr)) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) + hdr.encode())
        f.write(struct.pack("<%df" % len(vals), *vals))
npy(sys.argv[1] + "/x1.npy", [0.25 * i - 2 for i in range(16)], [2, 8])
npy(sys.argv[1] + "/x2.npy", [0.5 - 0.125 * i for i in range(16)], [2, 8])
npy(sys.argv[1] + "/short.npy", [0.0] * 8, [1, 8])
PY
  expect_rc 0 "run x1" "$EDGEC" run "$W/relu.onnxtxt" --input "$W/x1.npy" --output-dir "$W/y1"
  expect_rc 0 "run x2" "$EDGEC" run "$W/relu.onnxtxt" --input "$W/x2.npy" --output-dir "$W/y2"
  y1="$(ls "$W"/y1/*.npy | head -n 1)"
  y2="$(ls "$W"/y2/*.npy | head -n 1)"
  expect_rc 0 "validate --expect golden" "$EDGEC" validate "$W/relu.onnxtxt" --cpu host \
    --input "$W/x1.npy" --expect "$y1" --json
  contains "$W/out" '"expected_outputs_checked": 1'
  expect_rc 8 "validate --expect wrong golden" "$EDGEC" validate "$W/relu.onnxtxt" --cpu host \
    --input "$W/x1.npy" --expect "$y2"
  contains "$W/err" "the interpreter: output 'y' differs from its --expect file"
  expect_rc 8 "bench --expect wrong golden" "$EDGEC" bench "$W/relu.onnxtxt" --target host \
    --runs 2 --input "$W/x1.npy" --expect "$y2"
  [ -s "$W/out" ] && { echo "FAIL: bench printed figures for a wrong golden"; fail=1; }
  expect_rc 0 "bench --expect golden" "$EDGEC" bench "$W/relu.onnxtxt" --target host \
    --runs 2 --input "$W/x1.npy" --expect "$y1" --json
  contains "$W/out" '"expected_outputs_checked": 1'
  expect_rc 6 "validate --expect wrong shape" "$EDGEC" validate "$W/relu.onnxtxt" --cpu host \
    --input "$W/x1.npy" --expect "$W/short.npy"
  contains "$W/err" "does not match output 'y'"
  expect_rc 2 "validate --expect without --input" "$EDGEC" validate "$W/relu.onnxtxt" --cpu host \
    --expect "$y1"
  expect_rc 2 "validate --expect count" "$EDGEC" validate "$W/relu.onnxtxt" --cpu host \
    --input "$W/x1.npy" --expect "$y1" --expect "$y1"
fi
[ "$fail" = 0 ] && echo "compile CLI: all checks pass"
exit "$fail"
