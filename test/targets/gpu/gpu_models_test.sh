#!/usr/bin/env bash
# Shared float models on the GPU target (OpenCL), validated against the
# interpreter (rtol 1e-4) on the OpenCL device found at run time (PoCL
# without a GPU), with random inputs; the package's harness poisons the
# arena and output device buffers before each run and fails on any output
# element left unwritten.
#   gpu_models_test.sh EDGEC MODEL...   (names under $EDGEC_SHARED_DIR/models)
# Skips (77) without the shared data; no OpenCL device is a skip, a failure
# under CI=true.
set -uo pipefail
EDGEC="$1"; shift
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
SHARED="${EDGEC_SHARED_DIR:-$ROOT/../shared}"
. "$(dirname "$0")/../../skip.sh"
[ -d "$SHARED/models" ] || skip_data "shared models absent ($SHARED/models)"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
for m in "$@"; do
  f="$SHARED/models/$m/model.onnx"
  [ -f "$f" ] || { echo "FAIL: $f missing"; fail=1; continue; }
  t0=$(date +%s)
  "$EDGEC" validate "$f" --target gpu --seed 3 > "$W/out" 2>&1; rc=$?
  if [ $rc -ne 0 ] && grep -q "no OpenCL device" "$W/out"; then
    skip_tool_after "$fail" "no OpenCL device (install pocl-opencl-icd)"
  fi
  if [ $rc -ne 0 ] || ! grep -q "^PASS" "$W/out"; then
    echo "FAIL: $m: exit $rc: $(tail -c 800 "$W/out")"; fail=1
  else
    echo "ok: $m ($(( $(date +%s) - t0 )) s)"
  fi
done
[ $fail -eq 0 ] && echo "PASS: gpu models"
exit $fail
