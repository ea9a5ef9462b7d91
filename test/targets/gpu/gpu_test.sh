#!/usr/bin/env bash
# The GPU target (OpenCL) end to end on the OpenCL device found at run time
# (PoCL on a machine without a GPU): a model covering every kernel family
# validated against the interpreter (rtol 1e-4) under PoCL's default and
# `repl` work-group methods, byte-identical packages across two compiles, a
# lint over the generated OpenCL C (the gid guard first, no barrier, no
# local memory, no OpenCL SDK header in the host part), the no-device
# error, and the refusals (unsupported ops all named at once, combinations
# not generated yet, bad option values). No OpenCL device: a skip, a
# failure under CI=true (setup.sh installs PoCL).
#   gpu_test.sh EDGEC
set -uo pipefail
EDGEC="$1"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
D="$(cd "$(dirname "$0")" && pwd)"
. "$D/../../skip.sh"
. "$D/../../tools/cli_expect.sh"
command -v cc > /dev/null && command -v make > /dev/null || skip_tool "cc or make missing"

# Refusals first (no device needed).
expect_rc 5 "--api cuda" "$EDGEC" compile "$D/ops.onnxtxt" --target gpu --api cuda -o "$W/x"
contains "$W/err" "api cuda is not generated yet"
expect_rc 5 "--precision fp16" "$EDGEC" compile "$D/ops.onnxtxt" --target gpu --precision fp16 -o "$W/x"
contains "$W/err" "precision fp16 is not generated yet"
expect_rc 2 "--precision bad" "$EDGEC" compile "$D/ops.onnxtxt" --target gpu --precision fp64 -o "$W/x"
contains "$W/err" "precision must be fp32, fp16 or int8"
expect_rc 2 "work-group=3" "$EDGEC" compile "$D/ops.onnxtxt" --target gpu --option work-group=3 -o "$W/x"
expect_rc 5 "unsupported ops" "$EDGEC" compile "$D/unsupported.onnxtxt" --target gpu -o "$W/x"
contains "$W/err" "2 nodes not supported by target 'gpu'"
contains "$W/err" "(Hardmax): no GPU kernel for this op"
contains "$W/err" "(TopK): no GPU kernel for this op"

# Determinism and the lint.
expect_rc 0 "compile" "$EDGEC" compile "$D/ops.onnxtxt" --target gpu -o "$W/p1" --report "$W/r.json"
expect_rc 0 "compile again" "$EDGEC" compile "$D/ops.onnxtxt" --target gpu -o "$W/p2" -q
diff -r "$W/p1" "$W/p2" > /dev/null || { echo "FAIL: gpu packages differ across compiles"; fail=1; }
contains "$W/r.json" '"target": "gpu"'
contains "$W/r.json" '"kernel_launches"'
for f in model.h model.c model_kernels.c model_weights.c main.c Makefile CMakeLists.txt; do
  [ -f "$W/p1/$f" ] || { echo "FAIL: package lacks $f"; fail=1; }
done
K="$W/p1/model_kernels.c"
kernels=$(grep -c "__kernel void" "$K"); guards=$(grep -c 'if (gid >= [0-9]*) return;' "$K")
[ "$kernels" -ge 10 ] && [ "$kernels" = "$guards" ] ||
  { echo "FAIL: $kernels kernels, $guards gid guards"; fail=1; }
# The guard is the statement right after the index, in every kernel.
awk '/__kernel void/ {k=1; next} k==1 {if ($0 !~ /get_global_id/) bad=1; k=2; next}
     k==2 {if ($0 !~ /if \(gid >= [0-9]+\) return;/) bad=1; k=0} END {exit bad}' "$K" ||
  { echo "FAIL: a kernel does not start with its gid guard"; fail=1; }
if grep -qE "barrier|__local|mem_fence" "$K"; then echo "FAIL: barrier or local memory in kernels"; fail=1; fi
if grep -qE "#include <CL/|#include \"CL/" "$W/p1"/*.c "$W/p1"/*.h; then
  echo "FAIL: the host part includes an OpenCL SDK header"; fail=1
fi
# The host part builds with warnings as errors and without an OpenCL SDK.
make -s -C "$W/p1" CFLAGS="-O1 -std=c99 -Wall -Wextra -Werror" model_test > "$W/build.log" 2>&1 ||
  { echo "FAIL: the package does not build with -Werror: $(head -c 800 "$W/build.log")"; fail=1; }

# No device: a clear error (exit 7), never a pass.
OCL_ICD_VENDORS="$W/none" expect_rc 7 "no device" "$EDGEC" validate "$D/ops.onnxtxt" --target gpu
contains "$W/err" "no OpenCL device"

# On the device.
"$EDGEC" validate "$D/ops.onnxtxt" --target gpu > "$W/v.out" 2>&1; rc=$?
if [ $rc -ne 0 ] && grep -q "no OpenCL device" "$W/v.out"; then
  skip_tool_after "$fail" "no OpenCL device (install pocl-opencl-icd)"
fi
[ $rc -eq 0 ] || { echo "FAIL: validate ops.onnxtxt: $(tail -c 800 "$W/v.out")"; fail=1; }
# A pointwise chain of seven nodes is one kernel, and its values need no arena.
expect_rc 0 "compile chain" "$EDGEC" compile "$D/chain.onnxtxt" --target gpu -o "$W/chain" --report "$W/c.json"
contains "$W/c.json" '"kernel_launches": 1'
contains "$W/c.json" '"nodes_fused_into_pointwise_chains": 6'
[ "$(grep -c "__kernel void" "$W/chain/model_kernels.c")" = 1 ] || { echo "FAIL: chain not one kernel"; fail=1; }
expect_rc 0 "validate chain.onnxtxt" "$EDGEC" validate "$D/chain.onnxtxt" --target gpu
expect_rc 0 "validate ops2.onnxtxt (reductions)" "$EDGEC" validate "$D/ops2.onnxtxt" --target gpu
expect_rc 0 "validate ops3.onnxtxt (select, slice, pad, gather)" "$EDGEC" validate "$D/ops3.onnxtxt" --target gpu
POCL_WORK_GROUP_METHOD=repl expect_rc 0 "validate (pocl repl)" "$EDGEC" validate "$D/ops.onnxtxt" \
  --target gpu --seed 7
expect_rc 0 "bench" "$EDGEC" bench "$D/ops.onnxtxt" --target gpu --runs 3
[ $fail -eq 0 ] && echo "PASS: gpu"
exit $fail
