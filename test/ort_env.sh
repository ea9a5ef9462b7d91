# Sourced by the ONNX Runtime check scripts (label `ort`): sets RUNNER to
# scripts/ort_run.js and MODELS to the shared models, and exits 77 (skip)
# when node or onnxruntime-node is missing. Needs SRC (the source dir).
RUNNER="$SRC/scripts/ort_run.js"
MODELS="${EDGEC_MODELS:-$SRC/../shared/models}"
. "$SRC/test/skip.sh"
command -v node >/dev/null 2>&1 || skip_tool "node is not installed"
node "$RUNNER" --check >/dev/null 2>&1
rc=$?
[ "$rc" = 77 ] && { echo "SKIP: onnxruntime-node not installed"; exit 77; }
[ "$rc" = 0 ] || { echo "FAIL: $RUNNER --check exited $rc"; exit 1; }
