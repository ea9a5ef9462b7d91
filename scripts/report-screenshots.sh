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
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
EDGEC="$(realpath "$EDGEC")"
IMAGES="$PWD/docs/images"
mkdir -p "$W/calib/s0" "$IMAGES"
cp examples/vww/input_0.pb "$W/calib/s0/input_0.pb"
cp examples/vww/model.onnx "$W/vww.onnx"
cd "$W" # the pages name files as given: short relative names

"$EDGEC" quantize vww.onnx -o vww.int8.onnx --calib calib --quiet --html quantize.html > /dev/null
"$EDGEC" compile vww.onnx --target mcu --cpu host -o pkg -q --html compile.html
if command -v arm-none-eabi-gcc > /dev/null && command -v qemu-system-arm > /dev/null; then
  "$EDGEC" bench vww.onnx --cpu cortex-m4 --no-host --html bench.html > /dev/null
else
  "$EDGEC" bench vww.onnx --cpu host --runs 5 --html bench.html > /dev/null
fi
for k in quantize compile bench; do
  timeout 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$W/profile" --hide-scrollbars --window-size=1200,900 \
    --screenshot="$IMAGES/report-$k.png" "file://$W/$k.html" > /dev/null 2>&1
  echo "wrote docs/images/report-$k.png"
done
