#!/usr/bin/env bash
# edgec bench --targets (the benchmark matrix) on the MLPerf Tiny KWS int8
# model with TensorFlow Lite Micro's golden: Cortex-M4 and Cortex-M55 under
# QEMU and the host, one table with a row per entry, the
# edgec.bench-matrix.v1 JSON, and --baseline: the unchanged baseline
# passes, one 10% too strict figure fails with exit 9 naming it (a figure
# missing from the baseline is "new", host latency is not compared by
# default), a malformed baseline is exit 6, an unreadable one exit 3; bad
# entries are usage errors (exit 2) and a wrong golden fails the matrix.
#   bench_matrix_test.sh EDGEC SOURCE_DIR
# Skips (77) without ../shared (EDGEC_SHARED_DIR) or without
# arm-none-eabi-gcc / qemu-system-arm (a failure under CI=true).
set -uo pipefail
EDGEC="$1"
SRC="$2"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
TFL="$SHARED/models/mlperf-tiny-tflite"
KWS="$TFL/kws_ref_model.tflite"
GOLD="$TFL/golden/mlperf-tiny-kws-int8/test_data_set_0"
. "$SRC/test/skip.sh"
{ [ -f "$KWS" ] && [ -d "$GOLD" ]; } || skip_data "MLPerf Tiny KWS int8 model or golden not found under $TFL"
have_arm_qemu || skip_tool "arm-none-eabi-gcc or qemu-system-arm missing"
[ -x "$EDGEC" ] || { echo "FAIL: edgec not found at $EDGEC"; exit 1; }
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
. "$SRC/test/tools/cli_expect.sh"

TARGETS=mcu:cortex-m4,mcu:cortex-m55,mcu:host
# Host: 3 timed runs, no interpreter timing (the matrix is about the
# compiled code); --no-host leaves the host out of the Cortex-M entries
# only (their QEMU counts are deterministic).
ARGS=(--input "$GOLD/input_0.pb" --expect "$GOLD/output_0.pb" --runs 3 --warmup 1 --no-interpreter
      --no-host)

# Refused before any benching.
expect_rc 2 "unknown cpu" "$EDGEC" bench "$KWS" --targets mcu:cortex-m4,mcu:cortex-m9
contains "$W/err" "cortex-m9"
expect_rc 2 "unknown target" "$EDGEC" bench "$KWS" --targets fpga:x,mcu:host
contains "$W/err" "unknown target 'fpga'"
expect_rc 2 "repeated entry" "$EDGEC" bench "$KWS" --targets mcu:host,mcu:host
expect_rc 2 "--targets with --cpu" "$EDGEC" bench "$KWS" --targets mcu:host --cpu cortex-m4
expect_rc 2 "--baseline without --targets" "$EDGEC" bench "$KWS" --cpu host --baseline "$W/x.json"
printf '{"schema": "edgec.bench-matrix.v1", "entries": [' > "$W/truncated.json"
expect_rc 6 "malformed baseline" "$EDGEC" bench "$KWS" --targets mcu:host --baseline "$W/truncated.json"
contains "$W/err" "truncated.json"
[ "$(wc -l < "$W/err")" = 1 ] || { echo "FAIL: malformed baseline: not one line: $(cat "$W/err")"; fail=1; }
echo '{"schema": "edgec.bench-report.v1"}' > "$W/other.json"
expect_rc 6 "baseline of another schema" "$EDGEC" bench "$KWS" --targets mcu:host --baseline "$W/other.json"
contains "$W/err" "not an edgec.bench-matrix.v1 document"
expect_rc 3 "missing baseline" "$EDGEC" bench "$KWS" --targets mcu:host --baseline "$W/none.json"

# A failing entry fails the matrix with its error and prints no figures.
python3 - "$W/wrong.npy" <<'PY'
import struct, sys
hdr = "{'descr': '|i1', 'fortran_order': False, 'shape': (1, 12), }"
hdr += " " * (63 - (10 + len(hdr)) % 64) + "\n"
with open(sys.argv[1], "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) + hdr.encode() + bytes([0x80] * 12))
PY
expect_rc 8 "wrong golden" "$EDGEC" bench "$KWS" --targets mcu:host --input "$GOLD/input_0.pb" \
  --expect "$W/wrong.npy" --runs 1 --no-interpreter
contains "$W/err" "^error: mcu:host: "
[ -s "$W/out" ] && { echo "FAIL: the matrix printed figures for a wrong golden"; fail=1; }

# The matrix, as JSON.
t0=$SECONDS
expect_rc 0 "bench --targets --json" "$EDGEC" bench "$KWS" --targets "$TARGETS" "${ARGS[@]}" --json \
  --html "$W/matrix.html"
echo "matrix run (json): $((SECONDS - t0)) s"
cp "$W/out" "$W/matrix.json"
python3 - "$W/matrix.json" "$W" <<'PY' || fail=1
import json, re, sys
j = json.load(open(sys.argv[1]))
w = sys.argv[2]
bad = []
# --html: the comparison and, per Cortex-M entry, one layer bar per profiled layer.
page = open(w + "/matrix.html").read()
for e in j["entries"]:
    if e["entry"] == "mcu:host": continue
    svg = re.search(r'<svg[^>]*id="layers-%s-qemu".*?</svg>' % re.escape(e["entry"]), page, re.S)
    n = len(re.findall(r'<rect class="bar layer"', svg.group(0))) if svg else -1
    if n != len(e["bench"]["qemu"]["layers"]) or n <= 0:
        bad.append("%s: %d layer bars in the page, %d layers" % (e["entry"], n, len(e["bench"]["qemu"]["layers"])))
if j.get("schema") != "edgec.bench-matrix.v1": bad.append("schema %r" % j.get("schema"))
names = [e["entry"] for e in j["entries"]]
if names != ["mcu:cortex-m4", "mcu:cortex-m55", "mcu:host"]: bad.append("entries %r" % names)
for e in j["entries"]:
    f, b = e["figures"], e["bench"]
    want = ["arena_bytes", "arena_lower_bound_bytes"]
    want += ["host_median_ns"] if e["entry"] == "mcu:host" else \
        ["instructions", "macs_per_instruction", "flash_bytes", "ram_bytes"]
    for k in want:
        if not f.get(k, 0) > 0: bad.append("%s: %s = %r" % (e["entry"], k, f.get(k)))
    if e["entry"] != "mcu:host" and "host_median_ns" in f:
        bad.append("%s: --no-host did not leave the host out" % e["entry"])
    if b.get("schema") != "edgec.bench-report.v1" or b.get("expected_outputs_checked") != 1:
        bad.append("%s: bench report %r / %r" % (e["entry"], b.get("schema"), b.get("expected_outputs_checked")))
    if f.get("arena_lower_bound_bytes", 0) > f.get("arena_bytes", 0):
        bad.append("%s: arena below its lower bound" % e["entry"])
    if e["entry"] != "mcu:host" and f.get("instructions") != b["qemu"]["instructions"]:
        bad.append("%s: row instructions differ from the bench report" % e["entry"])
if bad:
    print("FAIL: matrix JSON: " + "; ".join(bad)); sys.exit(1)
# A baseline 10% too strict on one figure; one figure missing (new); a host
# latency 1000x too strict, ignored without --baseline-latency.
for e in j["entries"]:
    if e["entry"] == "mcu:cortex-m4": e["figures"]["instructions"] = int(e["figures"]["instructions"] * 0.9)
    if e["entry"] == "mcu:cortex-m55": del e["figures"]["ram_bytes"]
    if e["entry"] == "mcu:host": e["figures"]["host_median_ns"] //= 1000
json.dump(j, open(w + "/strict.json", "w"))
PY
PY_OK=$?

# The unchanged baseline passes; in text: the table.
t0=$SECONDS
expect_rc 0 "unchanged baseline" "$EDGEC" bench "$KWS" --targets "$TARGETS" "${ARGS[@]}" \
  --baseline "$W/matrix.json"
echo "matrix run (text, unchanged baseline): $((SECONDS - t0)) s"
cat "$W/out"
rows=$(grep -cE '^mcu +(cortex-m4|cortex-m55|host) ' "$W/out")
[ "$rows" = 3 ] || { echo "FAIL: expected 3 table rows, got $rows"; fail=1; }
contains "$W/out" "instructions"
contains "$W/out" "arena bound B"
grep -E '^mcu +host ' "$W/out" | grep -q ' - ' || { echo "FAIL: host row without '-' for its missing figures"; fail=1; }
contains "$W/out" "0 regressed"

if [ "$PY_OK" = 0 ]; then
  t0=$SECONDS
  expect_rc 9 "10% too strict baseline" "$EDGEC" bench "$KWS" --targets "$TARGETS" "${ARGS[@]}" \
    --baseline "$W/strict.json"
  echo "matrix run (text, strict baseline): $((SECONDS - t0)) s"
  cat "$W/err"
  contains "$W/err" "^regression: mcu:cortex-m4 instructions: baseline [0-9]*, now [0-9]* (+11\.[0-9]%, threshold 5%)"
  n=$(grep -c '^regression:' "$W/err")
  [ "$n" = 1 ] || { echo "FAIL: expected exactly 1 regression (latency not compared by default), got $n"; fail=1; }
  contains "$W/err" "^error: 1 figure(s) regressed"
  contains "$W/out" "^new: mcu:cortex-m55 ram_bytes"
  rows=$(grep -cE '^mcu +(cortex-m4|cortex-m55|host) ' "$W/out")
  [ "$rows" = 3 ] || { echo "FAIL: the table is not printed before a regression"; fail=1; }
fi

[ "$fail" = 0 ] && echo "PASS"
exit "$fail"
