#!/usr/bin/env bash
# The table of docs/targets.md "The Ethos-U cycle estimate" (and
# docs/performance.md): edgec's estimate of Arm Vela 3.10's U55-128 streams
# (EDGEC_SHARED_DIR/vela/<model>/<model>_vela.tflite,
# Ethos_U55_High_End_Embedded, Shared_Sram) against Vela's own figures (its
# summary CSVs). Prints Markdown to stdout. A second table puts edgec's own
# streams (`edgec compile MODEL --target npu`, same configuration) beside
# Vela's, both estimated by edgec: total cycles, SRAM and flash used.
#
#   EDGEC=build/tools/edgec/edgec EDGEC_SHARED_DIR=../shared scripts/npu-estimate-table.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EDGEC="${EDGEC:-$ROOT/build/tools/edgec/edgec}"
VELA="${EDGEC_SHARED_DIR:-$ROOT/../shared}/vela"
SHARED_MODELS="${EDGEC_SHARED_DIR:-$ROOT/../shared}/models/mlperf-tiny-tflite"
SYS=Ethos_U55_High_End_Embedded
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for model in kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8; do
  "$EDGEC" inspect "$VELA/$model/${model}_vela.tflite" --npu-estimate --system-config "$SYS" \
    --memory-mode shared-sram --npu-csv "$T" > /dev/null
  mkdir -p "$T/edgec/$model"
  "$EDGEC" compile "$SHARED_MODELS/$model.tflite" --target npu --npu-config ethos-u55-128 \
    --system-config "$SYS" --memory-mode shared-sram -o "$T/c_$model" -q > /dev/null
  "$EDGEC" inspect "$T/c_$model/model_npu.tflite" --npu-estimate --system-config "$SYS" \
    --memory-mode shared-sram --npu-csv "$T/edgec/$model" > /dev/null
done
python3 - "$T" "$VELA" "$SYS" <<'PY'
import csv, sys
out, vela, sys_cfg = sys.argv[1:]
names = {"kws_ref_model": "KWS (DS-CNN)", "vww_96_int8": "VWW (MobileNet 0.25)",
         "pretrainedResnet_quant": "ResNet-8", "ad01_int8": "AD (autoencoder)"}
print("| model | Vela NPU cycles | edgec NPU cycles | Vela total cycles | edgec total cycles | edgec vs Vela | "
      "edgec bound by | edgec inferences/s |")
print("|---|---:|---:|---:|---:|---:|---|---:|")
for m, label in names.items():
    v = next(csv.DictReader(open(f"{vela}/{m}/{m}_summary_{sys_cfg}.csv")))
    e = next(csv.DictReader(open(f"{out}/{m}_summary_{sys_cfg}.csv")))
    vt, et = float(v["cycles_total"]), float(e["cycles_total"])
    keys = ["cycles_npu", "cycles_sram_access", "cycles_dram_access", "cycles_on_chip_flash_access",
            "cycles_off_chip_flash_access"]
    bound = max(keys, key=lambda k: float(e[k])).replace("cycles_", "").replace("_access", " access")
    print(f"| {label} | {float(v['cycles_npu']):,.0f} | {float(e['cycles_npu']):,.0f} | {vt:,.0f} | {et:,.0f} | "
          f"{100 * (et / vt - 1):+.1f}% | {bound} | {float(e['inferences_per_second']):,.0f} |")
print()
print("| model | Vela's stream: total cycles | SRAM KiB | flash KiB | edgec's stream: total cycles | SRAM KiB | flash KiB | "
      "edgec's stream bound by |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for m, label in names.items():
    v = next(csv.DictReader(open(f"{out}/{m}_summary_{sys_cfg}.csv")))
    e = next(csv.DictReader(open(f"{out}/edgec/{m}/model_npu_summary_{sys_cfg}.csv")))
    keys = ["cycles_npu", "cycles_sram_access", "cycles_dram_access", "cycles_on_chip_flash_access",
            "cycles_off_chip_flash_access"]
    bound = max(keys, key=lambda k: float(e[k])).replace("cycles_", "").replace("_access", " access")
    row = [label]
    for r in (v, e):
        row += [f"{float(r['cycles_total']):,.0f}", f"{float(r['sram_memory_used']):.2f}",
                f"{float(r['off_chip_flash_memory_used']):.2f}"]
    print("| " + " | ".join(row) + f" | {bound} |")
PY
