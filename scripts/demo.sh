#!/usr/bin/env bash
# One command: install dependencies, build, then run the main job on the
# shipped model (MLPerf Tiny visual wake words, examples/vww): quantize it
# with the calibration samples shipped beside it, compile it for a
# Cortex-M4, validate it under QEMU, benchmark Cortex-M4, Cortex-M55 and
# the host, and compile it for the other targets (scripts/main-job.sh).
# Writes into build/demo-out/ only; exits non-zero if any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
scripts/main-job.sh build/tools/edgec/edgec build/demo-out
