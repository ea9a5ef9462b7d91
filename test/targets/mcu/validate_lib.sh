# validate_lib.sh - sourced by the MCU kernel tests: `edgec validate` of a
# model or an ONNX node test (its test_data_set_0 inputs) against the
# interpreter on one CPU (host, or a Cortex-M core under QEMU).
# The caller sets EDGEC, NODE (the node-test folder), WORK (a scratch
# folder), PASSES=0 and FAILS=0; each check adds to one of them.

# validate LABEL CPU MODEL [edgec args...]
validate() {
  local label="$1" cpu="$2" model="$3"
  shift 3
  if "$EDGEC" validate "$model" --target mcu --cpu "$cpu" "$@" > "$WORK/out.log" 2>&1; then
    echo "ok:   $label ($cpu)"
    PASSES=$((PASSES + 1))
  else
    echo "FAIL: $label ($cpu)"
    sed -n 1,25p "$WORK/out.log"
    FAILS=$((FAILS + 1))
  fi
}

node_test() { # CPU TEST
  local cpu="$1" t="$2" d="$NODE/$2"
  if [ ! -f "$d/model.onnx" ]; then
    echo "FAIL: $t: no $d/model.onnx in the node-test data"
    FAILS=$((FAILS + 1))
    return
  fi
  local inputs=()
  local f
  for f in "$d"/test_data_set_0/input_*.pb; do
    [ -f "$f" ] && inputs+=("$f")
  done
  if [ "${#inputs[@]}" -gt 0 ]; then
    validate "$t" "$cpu" "$d/model.onnx" --input "${inputs[@]}"
  else
    validate "$t" "$cpu" "$d/model.onnx"
  fi
}
