#!/usr/bin/env bash
# The cycle estimator (lib/npu/estimate) calibrated on Arm Vela 3.10's
# U55-128 streams (../shared/vela/<model>/, Ethos_U55_High_End_Embedded,
# Shared_Sram): `edgec inspect --npu-estimate --npu-csv` must land within
# +-15% of Vela's own cycles_total (its summary CSV) on each of the four
# models; on KWS every layer Vela estimates at 1000 cycles or more must be
# within +-15% too (layers aligned by their MACs; the spread is printed).
# The CSV headers must equal Vela's, the reports must be byte-identical
# twice, and the estimate must run on the other configurations and scale
# the right way (NPU cycles: U55-64 > U55-128 > U55-256). Skips (77)
# without ../shared (EDGEC_SHARED_DIR).
#
#   npu_estimate_test.sh EDGEC SOURCE_DIR
set -uo pipefail
EDGEC="$1"
SRC="$2"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
VELA="$SHARED/vela"
. "$SRC/test/skip.sh"
[ -d "$VELA" ] || skip_data "Vela outputs not found at $VELA"
command -v python3 > /dev/null || skip_tool "python3 missing"
[ -x "$EDGEC" ] || { echo "FAIL: edgec missing"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
FAILS=0
SYS=Ethos_U55_High_End_Embedded

for model in kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8; do
  m="$VELA/$model/${model}_vela.tflite"
  [ -f "$m" ] || skip_data "$m not found"
  for run in 1 2; do
    if ! "$EDGEC" inspect "$m" --npu-estimate --system-config "$SYS" --memory-mode shared-sram \
        --npu-csv "$T/$run" > "$T/$model.$run.txt" 2>&1; then
      echo "FAIL $model: inspect --npu-estimate failed:"; cat "$T/$model.$run.txt"; FAILS=$((FAILS + 1)); continue 2
    fi
  done
  for f in "${model}_summary_$SYS.csv" "${model}_per-layer.csv" ; do
    cmp -s "$T/1/$f" "$T/2/$f" || { echo "FAIL $model: $f differs between runs"; FAILS=$((FAILS + 1)); }
  done
  cmp -s "$T/$model.1.txt" "$T/$model.2.txt" || { echo "FAIL $model: summary differs between runs"; FAILS=$((FAILS + 1)); }
  grep -q "edgec estimate" "$T/$model.1.txt" || { echo "FAIL $model: summary not labelled an estimate"; FAILS=$((FAILS + 1)); }
  python3 - "$T/1/${model}_summary_$SYS.csv" "$VELA/$model/${model}_summary_$SYS.csv" "$model" <<'PY' || FAILS=$((FAILS + 1))
import csv, sys
ours_f, vela_f, model = sys.argv[1:]
ours_h = open(ours_f).readline()
vela_h = open(vela_f).readline()
if ours_h != vela_h:
    print(f"FAIL {model}: summary CSV header differs from Vela's"); sys.exit(1)
ours = next(csv.DictReader(open(ours_f)))
vela = next(csv.DictReader(open(vela_f)))
o, v = float(ours["cycles_total"]), float(vela["cycles_total"])
r = o / v - 1
print(f"{model}: edgec {o:.0f} cycles, Vela {v:.0f}, {100 * r:+.1f}%")
if abs(r) > 0.15:
    print(f"FAIL {model}: estimate off Vela's total by more than 15%"); sys.exit(1)
if ours["nn_macs"] != vela["nn_macs"]:
    print(f"FAIL {model}: MACs {ours['nn_macs']} != Vela's {vela['nn_macs']}"); sys.exit(1)
PY
done

# KWS per layer: Vela's rows against the stream's operations, grouped so
# that the MACs agree (Vela splits none; the stream may split an operator).
python3 - "$T/1/kws_ref_model_per-layer.csv" "$VELA/kws_ref_model/kws_ref_model_per-layer.csv" <<'PY' || FAILS=$((FAILS + 1))
import csv, sys
ours_f, vela_f = sys.argv[1:]
if open(ours_f).readline() != open(vela_f).readline():
    print("FAIL kws: per-layer CSV header differs from Vela's"); sys.exit(1)
ours = list(csv.reader(open(ours_f)))[1:]
vela = list(csv.reader(open(vela_f)))[1:]
# Columns (Vela's): 4 Op Cycles, 11 MAC Count.
i, ratios, bad = 0, [], 0
for row in vela:
    want_macs, cyc, macs = int(row[11]), 0.0, 0
    while i < len(ours):
        cyc += float(ours[i][4]); macs += int(ours[i][11]); i += 1
        if macs >= want_macs: break
    if macs != want_macs:
        print(f"FAIL kws: cannot align layer {row[14][:40]} (MACs {macs} vs {want_macs})"); sys.exit(1)
    v = float(row[4])
    ratios.append(cyc / v)
    if v >= 1000 and abs(cyc / v - 1) > 0.15:
        print(f"FAIL kws layer {row[1]} {row[14][:40]}: edgec {cyc:.0f} vs Vela {v:.0f}"); bad += 1
big = sorted(r for r, row in zip(ratios, vela) if float(row[4]) >= 1000)
print(f"kws per layer: {len(vela)} rows; layers >= 1000 cycles: {len(big)}, edgec/Vela {min(big):.3f}..{max(big):.3f}; "
      f"all rows {min(ratios):.2f}..{max(ratios):.2f}")
sys.exit(1 if bad else 0)
PY

# Other configurations: runs, and more MACs per cycle means fewer NPU cycles.
kws="$VELA/kws_ref_model/kws_ref_model_vela.tflite"
prev=""
for cfg in ethos-u55-64 ethos-u55-128 ethos-u55-256; do
  n=$("$EDGEC" inspect "$kws" --npu-estimate --npu-config "$cfg" --json \
      | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["npu_estimate"][0]["npu_cycles"]))') \
    || { echo "FAIL: estimate on $cfg failed"; FAILS=$((FAILS + 1)); continue; }
  echo "kws on $cfg: $n NPU cycles"
  if [ -n "$prev" ] && [ "$n" -ge "$prev" ]; then echo "FAIL: $cfg not faster than the smaller configuration"; FAILS=$((FAILS + 1)); fi
  prev=$n
done
"$EDGEC" inspect "$kws" --npu-estimate --npu-config ethos-u65-256 > "$T/u65.txt" 2>&1 \
  && grep -q "Ethos_U65_256" "$T/u65.txt" || { echo "FAIL: estimate on ethos-u65-256"; cat "$T/u65.txt"; FAILS=$((FAILS + 1)); }

[ "$FAILS" -eq 0 ] && echo "PASS" || { echo "$FAILS failure(s)"; exit 1; }
