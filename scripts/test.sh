#!/usr/bin/env bash
# One command: install dependencies, build with warnings as errors, run every
# test (unit, lit, CLI, conformance); then rebuild with ASan+UBSan and run the
# whole suite again (less the ONNX Runtime checks, label `ort`, and the
# shared-data accuracy runs, label `accuracy`, the Arm NN checks, label
# `armnn`, the MCU and GPU node-test conformance runs, labels `mcu-conformance`
# and `gpu-conformance`, and
# the MCU figures guard, label `figures`, the per-layer package check
# against TFLite Micro, label `mcu-layers`, and the libFuzzer smoke run,
# label `fuzz`, which has its own sanitizer build, build-fuzz/). Set
# EDGEC_SKIP_SANITIZERS=1 to skip the second pass, EDGEC_NO_NPM=1 to skip
# installing onnxruntime-node.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
JOBS="$(nproc)"
# ONNX Runtime for the reference checks of exported models (tests labelled
# `ort`); optional: they skip when node/npm or the registry are unavailable.
if [ "${EDGEC_NO_NPM:-0}" != 1 ] && command -v npm >/dev/null 2>&1 &&
   [ ! -d node_modules/onnxruntime-node ]; then
  echo "== npm install --ignore-scripts onnxruntime-node (optional)"
  timeout 600 npm install --ignore-scripts --no-save --no-audit --no-fund onnxruntime-node \
    >/dev/null 2>&1 || echo "note: onnxruntime-node unavailable; ort tests will skip"
fi

echo "== build (release, -Werror)"
EDGEC_BUILD_DIR=build scripts/build.sh >/dev/null
echo "== tests (release)"
ctest --test-dir build --output-on-failure -j "$JOBS"

if [ "${EDGEC_SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== build (ASan+UBSan)"
  EDGEC_BUILD_DIR=build-asan scripts/build.sh -DEDGEC_SANITIZE=ON >/dev/null
  echo "== tests (ASan+UBSan)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$JOBS" -LE "ort|accuracy|armnn|mcu-conformance|gpu-conformance|figures|mcu-layers|fuzz"
fi
