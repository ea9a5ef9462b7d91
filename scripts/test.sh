#!/usr/bin/env bash
# One command: install dependencies, build with warnings as errors, run every
# test (unit, lit, CLI, conformance); then rebuild with ASan+UBSan and run the
# whole suite again. Set EDGEC_SKIP_SANITIZERS=1 to skip the second pass.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
JOBS="$(nproc)"

echo "== build (release, -Werror)"
EDGEC_BUILD_DIR=build scripts/build.sh >/dev/null
echo "== tests (release)"
ctest --test-dir build --output-on-failure -j "$JOBS"

if [ "${EDGEC_SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== build (ASan+UBSan)"
  EDGEC_BUILD_DIR=build-asan scripts/build.sh -DEDGEC_SANITIZE=ON >/dev/null
  echo "== tests (ASan+UBSan)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$JOBS"
fi
