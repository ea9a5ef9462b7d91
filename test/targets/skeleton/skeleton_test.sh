#!/usr/bin/env bash
# The skeleton target end to end: a model whose nodes split between the
# skeleton (float Add/Sub/Mul/Relu) and its fallback mcu, compiled into one
# package, built and run on the host and compared with the interpreter;
# placements in the compile report and in `inspect --target`; options routed
# to the fallback; determinism; errors for nodes nobody runs. Needs a C
# compiler and make (setup.sh installs them).
#   skeleton_test.sh EDGEC
set -uo pipefail
EDGEC="$1"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
. "$(dirname "$0")/../../skip.sh"
command -v cc > /dev/null && command -v make > /dev/null || skip_tool "cc or make missing"
. "$(dirname "$0")/../../tools/cli_expect.sh"
count() { grep -o -- "$2" "$1" | wc -l; }

# Conv, Sigmoid and Softmax run on mcu; the Add, the Mul and the Sub on the
# skeleton (the Relu after the Mul fuses into it).
# The model is split.onnxtxt (test/report/html_browser_test.sh uses it too).
cp "$(dirname "$0")/split.onnxtxt" "$W/split.onnxtxt"

expect_rc 0 "compile --target skeleton" "$EDGEC" compile "$W/split.onnxtxt" --target skeleton \
  --cpu host -o "$W/pkg" --report "$W/r.json"
contains "$W/r.json" '"target": "skeleton"'
contains "$W/r.json" '"policy": "fallback"'
contains "$W/r.json" '"fallback": "mcu"'
on=$(count "$W/r.json" '"placement": "target"'); fb=$(count "$W/r.json" '"placement": "fallback"')
[ "$on" -ge 3 ] && [ "$fb" -ge 3 ] || { echo "FAIL: expected >= 3 nodes on each side, got $on on skeleton, $fb on mcu"; fail=1; }
contains "$W/r.json" '"kernel": "skel_eltwise_f32"'
contains "$W/r.json" '"kernel": "conv_f32'
contains "$W/out" "falls back to mcu (Conv is not one of the skeleton's ops"
for f in model.c model.h runtime/kernels/skeleton/eltwise_f32.c runtime/kernels/reference/conv_f32.c; do
  [ -f "$W/pkg/$f" ] || { echo "FAIL: package lacks $f"; fail=1; }
done
grep -q "ec_skel_eltwise_f32(&" "$W/pkg/model.c" || { echo "FAIL: no skeleton call in model.c"; fail=1; }
expect_rc 0 "compile again" "$EDGEC" compile "$W/split.onnxtxt" --target skeleton --cpu host \
  -o "$W/pkg2" --report "$W/r2.json" -q
diff -r "$W/pkg" "$W/pkg2" > /dev/null || { echo "FAIL: skeleton compile is not deterministic"; fail=1; }
cmp -s "$W/r.json" "$W/r2.json" || { echo "FAIL: skeleton report is not deterministic"; fail=1; }

# The mixed package computes what the interpreter computes.
expect_rc 0 "validate --target skeleton" "$EDGEC" validate "$W/split.onnxtxt" --target skeleton \
  --cpu host --json
contains "$W/out" '"pass": true'
# Narrowing the skeleton's ops moves nodes to mcu; still correct.
expect_rc 0 "validate ops=Add" "$EDGEC" validate "$W/split.onnxtxt" --target skeleton \
  --option ops=Add --cpu host --json
contains "$W/out" '"pass": true'
# Options reach the fallback target by its name.
expect_rc 0 "fallback option" "$EDGEC" compile "$W/split.onnxtxt" --target skeleton \
  --option mcu.in-place=off --option mcu.alignment=64 -o "$W/pkg3" --report "$W/r3.json" -q
contains "$W/r3.json" '"alignment": 64'
expect_rc 2 "bad fallback option" "$EDGEC" compile "$W/split.onnxtxt" --target skeleton \
  --option mcu.colour=blue -o "$W/p4"
contains "$W/err" "target mcu has no option 'colour'"
expect_rc 2 "option for another target" "$EDGEC" compile "$W/split.onnxtxt" --target skeleton \
  --option npu.x=1 -o "$W/p4"
expect_rc 2 "bad skeleton option" "$EDGEC" compile "$W/split.onnxtxt" --target skeleton \
  --option ops=Div -o "$W/p4"

# inspect --target lists each node's placement with the reason.
expect_rc 0 "inspect --target skeleton --json" "$EDGEC" inspect "$W/split.onnxtxt" \
  --target skeleton --json
contains "$W/out" '"placement": "fallback"'
contains "$W/out" '"placement": "target"'
contains "$W/out" "is not one of the skeleton's ops (Add, Mul, Relu, Sub; option ops)"
expect_rc 0 "inspect --target mcu --json" "$EDGEC" inspect "$W/split.onnxtxt" --target mcu --json
contains "$W/out" '"policy": "all-or-error"'

# A node neither target runs: one error naming it and both refusals.
cat > "$W/bad.onnxtxt" <<'M'
<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[4] x) => (float[4] y) {
  a = Relu(x)
  y = Shrink(a)
}
M
expect_rc 5 "unsupported by both" "$EDGEC" compile "$W/bad.onnxtxt" --target skeleton -o "$W/p5"
contains "$W/err" "not supported by target 'skeleton' or its fallback 'mcu'"
contains "$W/err" "Shrink"
[ -e "$W/p5" ] && { echo "FAIL: an unsupported model wrote files"; fail=1; }

[ "$fail" = 0 ] && echo "skeleton target: all checks pass"
exit "$fail"
