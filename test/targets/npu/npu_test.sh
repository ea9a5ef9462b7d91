#!/usr/bin/env bash
# The Ethos-U target's placement end to end (ctest targets.npu, label npu):
# - small QDQ models (test/targets/npu/*.onnxtxt and the Edge TPU pack's
#   float_op) put their unsupported nodes on the CPU (the mcu fallback),
#   each naming every Vela constraint it fails: a CONV_2D with stride 4 and
#   a 70-tall kernel names both, a CPU only REDUCE_MAX says so, a float EXP
#   names the type and quantization constraints;
# - options: --npu-config ethos-u65-256 gets Vela's U65 defaults, a
#   --system-config FILE.ini NAME is read, a malformed file is exit 2 naming
#   FILE:LINE, an unknown configuration exit 2;
# - compile of a model with CPU operators writes the placement (the same
#   bytes twice) and the NPU file, its CPU operators TFLite builtins;
# - the four MLPerf Tiny int8 models place 100% on the NPU, as Vela 3.10
#   does, and KWS compiles (../shared/vela/*/vela.log: "CPU operators = 0").
#   npu_test.sh EDGEC SOURCE_DIR
# Exits 77 when python3 is missing, and when the shared models are (after
# running every other check; a failure still exits 1).
set -uo pipefail
EDGEC="$1"
SRC="$2"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
T="$SHARED/models/mlperf-tiny-tflite"
V="$SHARED/vela"
. "$SRC/test/skip.sh"
command -v python3 > /dev/null || skip_tool "no python3"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
P="$SRC/test/targets/npu"

# node_failures JSON OPTYPE EXPECTED_IDS... : the first node of OPTYPE is
# on the CPU, run by mcu, and fails exactly these constraints.
node_failures() {
  python3 - "$@" <<'PY' || fail=1
import json, sys
path, op, want = sys.argv[1], sys.argv[2], set(sys.argv[3:])
d = json.load(open(path))
p = d["targets"][0]["prediction"] if "targets" in d else d
nodes = [n for n in p["nodes"] if n["op"] == op]
if not nodes:
    print("FAIL: %s: no %s node" % (path, op)); sys.exit(1)
n = nodes[0]
got = {f["constraint"] for f in n["failures"]}
bad = []
if n["placement"] != "cpu" or n["runs_on"] != "mcu":
    bad.append("placement %s on %s" % (n["placement"], n["runs_on"]))
if got != want:
    bad.append("failures %s, expected %s" % (sorted(got), sorted(want)))
if any(not f["sentence"] or "A.6" not in f["source"] and "writer" not in f["source"] for f in n["failures"]):
    bad.append("a failure without a sentence or source: %s" % n["failures"])
for b in bad:
    print("FAIL: %s %s: %s" % (path, op, b))
sys.exit(1 if bad else 0)
PY
}

# inspect_json MODEL OUT [OPTIONS...]
inspect_json() {
  local m="$1" out="$2"
  shift 2
  "$EDGEC" inspect "$m" --target npu --json "$@" > "$out" 2> "$W/err" ||
    { echo "FAIL: inspect $m --target npu: $(cat "$W/err")"; fail=1; }
}

inspect_json "$P/conv_limits.onnxtxt" "$W/conv.json"
node_failures "$W/conv.json" Conv conv.stride conv.dilated-height
inspect_json "$P/cpu_only.onnxtxt" "$W/cpu.json"
node_failures "$W/cpu.json" ReduceMax operator.npu generic.quantized generic.types
inspect_json "$SRC/test/targets/edgetpu/pack/float_op.onnxtxt" "$W/float.json"
node_failures "$W/float.json" Exp generic.quantized generic.types
# The text names each constraint with Vela's sentence, and the counts.
"$EDGEC" inspect "$P/conv_limits.onnxtxt" --target npu > "$W/conv.txt" 2>&1
for s in "Dilated kernel height must be in the range [1, 64]: dilated kernel height 70" \
         "stride 4x4 (WxH)" "CPU operators = 4 (66.7%)" "NPU operators = 2 (33.3%)" \
         "Accelerator configuration               Ethos_U55_128"; do
  grep -qF "$s" "$W/conv.txt" || { echo "FAIL: inspect conv_limits text lacks '$s'"; fail=1; }
done

# compile: the placement, then the NPU file with the CPU operators as
# TFLite builtins (CPU fallback).
"$EDGEC" compile "$P/conv_limits.onnxtxt" --target npu --npu-config ethos-u65-256 -o "$W/c1" \
  --report "$W/c1.json" > "$W/c1.out" 2> "$W/c1.err"
rc=$?
[ "$rc" = 0 ] || { echo "FAIL: compile --target npu exit $rc: $(cat "$W/c1.err")"; fail=1; }
[ -s "$W/c1/model_npu.tflite" ] || { echo "FAIL: compile wrote no model_npu.tflite"; fail=1; }
grep -qF "CPU operators = 4 (66.7%)" "$W/c1.out" || { echo "FAIL: compile printed no placement"; fail=1; }
python3 - "$W/c1/model_npu_placement.json" "$W/c1.json" <<'PY' || fail=1
import json, sys
p = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
want = {"accelerator": "Ethos_U65_256", "system_config": "Ethos_U65_Client_Server",
        "memory_mode": "Dedicated_Sram"}
bad = {k: p.get(k) for k in want if p.get(k) != want[k]}
if bad: print("FAIL: U65 defaults: %s" % bad); sys.exit(1)
if p["memory"] != {"const": "Dram", "arena": "Dram", "cache": "Sram", "arena_cache_size": 393216}:
    print("FAIL: Dedicated_Sram memory %s" % p["memory"]); sys.exit(1)
cg = r["code_generation"]
if r["npu"] != p or cg.get("ethosu_operators") != 1 or cg.get("cpu_operators", 0) < 4:
    print("FAIL: --report differs from the placement file or code generation: %s" % cg); sys.exit(1)
PY
"$EDGEC" compile "$P/conv_limits.onnxtxt" --target npu --npu-config ethos-u65-256 -o "$W/c2" > /dev/null 2>&1
cmp -s "$W/c1/model_npu_placement.json" "$W/c2/model_npu_placement.json" &&
  cmp -s "$W/c1/model_npu_placement.log" "$W/c2/model_npu_placement.log" ||
  { echo "FAIL: the placement differs between two runs"; fail=1; }

# A vendor system configuration, then malformed ones and unknown names.
cat > "$W/vendor.ini" <<'INI'
; a vendor's vela.ini
[System_Config.My_Board]
core_clock=250e6
axi0_port=Sram
axi1_port=OffChipFlash
OffChipFlash_clock_scale=0.25
[Memory_Mode.My_Mode]
inherit=Memory_Mode.Base
[Memory_Mode.Base]
const_mem_area=Axi1
arena_mem_area=Axi0
cache_mem_area=Axi0
INI
"$EDGEC" compile "$P/cpu_only.onnxtxt" --target npu --system-config "$W/vendor.ini" My_Board \
  --memory-mode My_Mode -o "$W/v" > "$W/v.out" 2>&1
grep -qF "Accelerator clock                                 250 MHz" "$W/v.out" &&
  grep -qF "Design peak Off-chip Flash bandwidth             0.50 GB/s" "$W/v.out" &&
  grep -qF "Memory mode                                   My_Mode" "$W/v.out" ||
  { echo "FAIL: the vendor system configuration was not used: $(head -8 "$W/v.out")"; fail=1; }
printf '[System_Config.My_Board]\ncore_clock=250e6\naxi0_port=Sram\naxi1_port=Flash\n' > "$W/bad.ini"
for args in "--system-config $W/bad.ini My_Board|bad.ini:4: axi1_port = 'Flash'" \
            "--option system-config=$W/bad.ini:Other|no section [System_Config.Other]" \
            "--npu-config ethos-u55-100|unknown NPU configuration 'ethos-u55-100'" \
            "--memory-mode no-such-mode|no section [Memory_Mode.no-such-mode]"; do
  a="${args%%|*}" want="${args#*|}"
  # shellcheck disable=SC2086
  "$EDGEC" compile "$P/cpu_only.onnxtxt" --target npu $a -o "$W/x" > /dev/null 2> "$W/x.err"
  rc=$?
  [ "$rc" = 2 ] && [ "$(grep -c . "$W/x.err")" = 1 ] && grep -qF "$want" "$W/x.err" ||
    { echo "FAIL: compile $a: exit $rc, '$(cat "$W/x.err")' (expected exit 2 naming '$want')"; fail=1; }
done

# The MLPerf Tiny int8 models: all on the NPU, as Vela places them.
[ -d "$T" ] || { [ "$fail" = 0 ] && skip_data "no MLPerf Tiny models in $T"; exit 1; }
for m in kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8; do
  inspect_json "$T/$m.tflite" "$W/$m.json"
  log="$V/$m/vela.log"
  python3 - "$W/$m.json" "$log" <<'PY' || fail=1
import json, os, re, sys
d = json.load(open(sys.argv[1]))["targets"][0]["prediction"]
bad = []
if d["operators"]["cpu"] != 0 or d["operators"]["npu_percent"] != 100.0 or d["operators"]["npu"] < 1:
    bad.append("operators %s" % d["operators"])
cpu = [n["node"] for n in d["nodes"] if n["placement"] != "npu"]
if cpu: bad.append("CPU nodes %s" % cpu)
if os.path.exists(sys.argv[2]):
    m = re.search(r"CPU operators = (\d+)", open(sys.argv[2]).read())
    if not m or int(m.group(1)) != d["operators"]["cpu"]:
        bad.append("Vela's log says %s CPU operators" % (m.group(1) if m else "?"))
for b in bad: print("FAIL: %s: %s" % (sys.argv[1], b))
sys.exit(1 if bad else 0)
PY
  "$EDGEC" inspect "$T/$m.tflite" --target npu > "$W/$m.txt" 2>&1
  grep -q "^CPU operators = 0 (0.0%)$" "$W/$m.txt" ||
    { echo "FAIL: $m: text lacks 'CPU operators = 0 (0.0%)'"; fail=1; }
  # The configuration lines and the CPU count are Vela's, byte for byte
  # (its logs are for the defaults: U55-128, High_End_Embedded, Shared_Sram).
  if [ -f "$log" ]; then
    for label in "Accelerator configuration" "System configuration" "Memory mode" \
                 "Accelerator clock" "Design peak SRAM bandwidth" \
                 "Design peak Off-chip Flash bandwidth" "CPU operators ="; do
      want="$(grep -m1 "^$label" "$log")"
      [ -n "$want" ] && grep -qxF "$want" "$W/$m.txt" ||
        { echo "FAIL: $m: Vela's line '$want' is not in the report"; fail=1; }
    done
  fi
done
# All on the NPU: compiled (code generation itself: npu_codegen_test.sh).
"$EDGEC" compile "$T/kws_ref_model.tflite" --target npu -o "$W/kws" > "$W/kws.out" 2> "$W/kws.err"
rc=$?
[ "$rc" = 0 ] && [ -s "$W/kws/model_npu.tflite" ] && grep -qF "CPU operators = 0 (0.0%)" "$W/kws.out" ||
  { echo "FAIL: compile kws --target npu: exit $rc, $(cat "$W/kws.err")"; fail=1; }
[ "$fail" = 0 ] && echo "PASS: npu placement" && exit 0
exit 1
