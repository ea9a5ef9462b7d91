#!/usr/bin/env bash
# The --html pages in a real browser: quantize, compile (mcu, and the
# skeleton target whose nodes split between two targets) and bench (host
# timing; per-layer instructions under QEMU Cortex-M4 when arm QEMU is
# present) on examples/vww, each page loaded in headless chromium. Checks:
# no console message (the pages run no script and load nothing, so any
# message is an error or a blocked load), and in the rendered DOM exactly
# one bar / rectangle per layer, output, buffer or node of the JSON report of
# the same run (check_html_dom.py); byte-identical pages across runs; the
# unwritable-path error. The checks themselves are shown to fail on a page
# with a blocked load and on a DOM missing a bar.
#   html_browser_test.sh EDGEC SOURCE_DIR
# EC_TEST_CHROMIUM overrides the browser (default: chromium).
set -uo pipefail
EDGEC="$1"
SRC="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/../skip.sh"
CHROMIUM="${EC_TEST_CHROMIUM:-chromium}"
command -v "$CHROMIUM" > /dev/null || skip_tool "$CHROMIUM missing (scripts/setup.sh installs chromium)"
command -v python3 > /dev/null || skip_tool "python3 missing"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
. "$HERE/../tools/cli_expect.sh"
MODEL="$SRC/examples/vww/model.onnx"

# load PAGE: the rendered DOM to PAGE.dom, the browser's log to PAGE.log.
load() {
  timeout 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$W/profile" --enable-logging=stderr --v=0 \
    --dump-dom "file://$1" > "$1.dom" 2> "$1.log"
}
# console_clean PAGE: no console message and no uncaught exception.
console_clean() {
  ! grep -E ':CONSOLE[:(]|Uncaught' "$1.log"
}
# browser_check KIND PAGE JSON
browser_check() {
  if ! load "$2"; then
    echo "FAIL: chromium could not load $2: $(grep -v dbus "$2.log" | tail -3)"; fail=1; return
  fi
  console_clean "$2" || { echo "FAIL: console messages loading $(basename "$2")"; fail=1; }
  python3 "$HERE/check_html_dom.py" "$1" "$2.dom" "$3" || fail=1
}

# The checks can fail: a blocked load shows on the console, a missing bar in
# the counts.
printf '%s\n' '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy"' \
  "content=\"default-src 'none'\"></head><body><img src=\"http://192.0.2.1/x.png\"></body></html>" \
  > "$W/bad.html"
load "$W/bad.html"
if console_clean "$W/bad.html" > /dev/null; then
  echo "FAIL: the console check missed a blocked load: $(grep -v dbus "$W/bad.html.log" | tail -3)"
  fail=1
fi

# quantize: calibrated on the example input, twice for determinism.
mkdir -p "$W/calib/s0"
cp "$SRC/examples/vww/input_0.pb" "$W/calib/s0/input_0.pb"
for k in 1 2; do
  expect_rc 0 "quantize --html ($k)" "$EDGEC" quantize "$MODEL" -o "$W/q.onnx" --calib "$W/calib" \
    --quiet --report "$W/q.json" --html "$W/q$k.html"
done
cmp -s "$W/q1.html" "$W/q2.html" || { echo "FAIL: quantize --html differs across runs"; fail=1; }
browser_check quantize "$W/q1.html" "$W/q.json"
if python3 - "$W/q1.html.dom" > "$W/q-missing.dom" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding='utf-8').read()
# drop the first SNR bar
print(re.sub(r'<rect class="bar layer snr[^>]*>.*?</rect>', '', dom, count=1, flags=re.S))
PY
then
  if python3 "$HERE/check_html_dom.py" quantize "$W/q-missing.dom" "$W/q.json" > /dev/null; then
    echo "FAIL: the DOM check missed a missing bar"; fail=1
  fi
fi

# compile: mcu on the host (no QEMU needed), twice; unwritable path.
for k in 1 2; do
  expect_rc 0 "compile --html ($k)" "$EDGEC" compile "$MODEL" --target mcu --cpu host -o "$W/pkg" \
    -q --report "$W/c.json" --html "$W/c$k.html"
done
cmp -s "$W/c1.html" "$W/c2.html" || { echo "FAIL: compile --html differs across runs"; fail=1; }
browser_check compile "$W/c1.html" "$W/c.json"
expect_rc 3 "compile --html to an unwritable path" "$EDGEC" compile "$MODEL" --target mcu \
  --cpu host -o "$W/pkg" -q --html "$W/no/such/dir/c.html"
[ "$(wc -l < "$W/err")" = 1 ] || { echo "FAIL: the unwritable-path error is not one line"; fail=1; }
contains "$W/err" "no/such/dir/c.html"

# compile: the skeleton target, nodes on two targets (colours per target).
expect_rc 0 "compile --target skeleton --html" "$EDGEC" compile \
  "$SRC/test/targets/skeleton/split.onnxtxt" \
  --target skeleton --cpu host -o "$W/skel" -q --report "$W/s.json" --html "$W/s.html"
browser_check compile "$W/s.html" "$W/s.json"

# bench: host timing.
expect_rc 0 "bench --html (host)" "$EDGEC" bench "$MODEL" --cpu host --runs 3 --warmup 1 --json \
  --html "$W/bh.html"
cp "$W/out" "$W/bh.json"
browser_check bench-host "$W/bh.html" "$W/bh.json"

# bench: per-layer instructions under QEMU (deterministic: twice).
if ! have_arm_qemu; then
  skip_tool_after "$fail" "arm-none-eabi-gcc or qemu-system-arm missing: per-layer bench page not checked"
fi
for k in 1 2; do
  expect_rc 0 "bench --html (qemu, $k)" "$EDGEC" bench "$MODEL" --cpu cortex-m4 --no-host --json \
    --html "$W/bq$k.html"
done
cp "$W/out" "$W/bq.json"
cmp -s "$W/bq1.html" "$W/bq2.html" || { echo "FAIL: bench --html (qemu) differs across runs"; fail=1; }
browser_check bench-qemu "$W/bq1.html" "$W/bq.json"

[ "$fail" = 0 ] && echo "PASS: html reports in chromium"
exit "$fail"
