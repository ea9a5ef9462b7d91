#!/usr/bin/env bash
# One command: install dependencies, build, then inspect, run and optimize the shipped
# demo model (MLPerf Tiny visual wake words, examples/vww).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
EDGEC=build/tools/edgec/edgec
echo "== edgec inspect examples/vww/model.onnx"
"$EDGEC" inspect examples/vww/model.onnx
echo
echo "== edgec run examples/vww/model.onnx --input input_1=examples/vww/input_0.pb"
"$EDGEC" run examples/vww/model.onnx --input input_1=examples/vww/input_0.pb --output-dir build/demo-out
echo "(outputs written to build/demo-out/)"
echo
echo "== edgec optimize examples/vww/model.onnx -O2 --layout nhwc -o build/demo-out/vww.opt.onnx"
"$EDGEC" optimize examples/vww/model.onnx -O2 --layout nhwc -o build/demo-out/vww.opt.onnx
echo
echo "== edgec run build/demo-out/vww.opt.onnx (same output as above)"
"$EDGEC" run build/demo-out/vww.opt.onnx --input input_1=examples/vww/input_0.pb --output-dir build/demo-out/opt
