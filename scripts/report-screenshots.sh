#!/usr/bin/env bash
# Regenerates the screenshots of the --html reports in docs/images/
# (report-quantize.png, report-compile.png, report-bench.png) from
# examples/vww with headless chromium at 1200x900. The bench page is the
# QEMU Cortex-M4 profile (per-layer instructions) when arm QEMU is present,
# host timing otherwise.
#   scripts/report-screenshots.sh [EDGEC]   (default: build/tools/edgec/edgec)
set -euo pipefail
cd "$(dirname "$0")/.."
EDGEC="${1:-build/tools/edgec/edgec}"
CHROMIUM="${EC_TEST_CHROMIUM:-chromium}"
command -v "$CHROMIUM" > /dev/null || { echo "error: $CHROMIUM missing (scripts/setup.sh installs it)" >&2; exit 3; }
MODEL=examples/vww/model.onnx
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/calib/s0" docs/images
cp examples/vww/input_0.pb "$W/calib/s0/input_0.pb"

"$EDGEC" quantize "$MODEL" -o "$W/q.onnx" --calib "$W/calib" --quiet --html "$W/quantize.html" > /dev/null
"$EDGEC" compile "$MODEL" --target mcu --cpu host -o "$W/pkg" -q --html "$W/compile.html"
if command -v arm-none-eabi-gcc > /dev/null && command -v qemu-system-arm > /dev/null; then
  "$EDGEC" bench "$MODEL" --cpu cortex-m4 --no-host --html "$W/bench.html" > /dev/null
else
  "$EDGEC" bench "$MODEL" --cpu host --runs 5 --html "$W/bench.html" > /dev/null
fi
for k in quantize compile bench; do
  timeout 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$W/profile" --hide-scrollbars --window-size=1200,900 \
    --screenshot="$PWD/docs/images/report-$k.png" "file://$W/$k.html" > /dev/null 2>&1
  echo "wrote docs/images/report-$k.png"
done
