#!/usr/bin/env bash
# edgec's CMake package (docs/cmake.md) from a clean install: installs the
# build into a temporary prefix (`cmake --install`), configures a copy of
# examples/cmake-firmware from scratch with find_package(edgec) under Ninja
# and Unix Makefiles, builds it with -j2 and runs the host firmware, which
# checks both models' outputs against `edgec run`'s. Then, per generator:
# a no-op rebuild runs nothing; touching one model, or touching, removing
# or adding one of its calibration files, re-runs edgec for exactly that
# model; so does editing its OPTIONS in CMakeLists.txt; a new edgec
# executable re-runs both. The report JSON is where <lib>_REPORT says. Last, the same project cross-built for
# Cortex-M4 with the package's toolchain file runs under QEMU and passes
# the same checks.
#   cmake_package_test.sh BUILD_DIR SOURCE_DIR
# Skips (77) when cmake, ninja, make, cc, arm-none-eabi-gcc or
# qemu-system-arm is missing (a failure under CI=true: setup.sh installs them).
set -uo pipefail
BUILD="$(realpath "$1")"
SRC="$(realpath "$2")"
. "$SRC/test/skip.sh"
for t in cmake ninja make cc arm-none-eabi-gcc qemu-system-arm; do
  command -v "$t" > /dev/null || skip_tool "$t missing"
done
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
P="$W/prefix"
if ! cmake --install "$BUILD" --prefix "$P" > "$W/install.log" 2>&1; then
  echo "FAIL: cmake --install"; tail -20 "$W/install.log"; exit 1
fi
for f in bin/edgec lib/cmake/edgec/edgecConfig.cmake lib/cmake/edgec/edgecConfigVersion.cmake \
         share/edgec/runtime/include/edgec_rt.h; do
  [ -f "$P/$f" ] || { echo "FAIL: $f not installed"; fail=1; }
done
E="$P/bin/edgec"

# The references: `edgec run` on the float model, on the quantized one
# (--integer: the kernels the compiled code runs).
X="$SRC/examples"
T="$X/cmake-firmware/models/tiny"
R="$W/ref"
"$E" run "$X/vww/model.onnx" --input "input_1=$X/vww/input_0.pb" --output-dir "$R/vww" \
  --dump-tensors "$R/vww-dump" > /dev/null &&
  "$E" quantize "$T/model.onnxtxt" --calib "$T/calib" -o "$R/tiny.onnx" --quiet > /dev/null &&
  "$E" run "$R/tiny.onnx" --integer --input "x=$T/input.npy" --output-dir "$R/tiny" > /dev/null ||
  { echo "FAIL: reference outputs"; exit 1; }
ARGS=("$R/vww-dump/0000_input_1.npy" "$R/vww/Identity.npy" "$T/input.npy" "$R/tiny/y.npy")

# build TAG LOG: cmake --build -j2 of $W/b-TAG, output in LOG.
build() {
  cmake --build "$W/b-$1" -j2 > "$2" 2>&1 || { echo "FAIL: $1: build"; tail -30 "$2"; return 1; }
}
# compiled LOG LIB: how many times LOG shows edgec compiling LIB.
compiled() { grep -c "edgec: compiling model $2 " "$1"; }
# expect_compiles TAG WHAT LOG VWW TINY: edgec ran VWW / TINY times.
expect_compiles() {
  local v t
  v=$(compiled "$3" vww_model); t=$(compiled "$3" tiny_model)
  if [ "$v" != "$4" ] || [ "$t" != "$5" ]; then
    echo "FAIL: $1: $2: edgec ran for vww_model $v, tiny_model $t times (want $4, $5)"; fail=1
  fi
}
# stamps TAG: the modification times of both packages, reports and the firmware.
stamps() {
  local b="$W/b-$1"
  stat -c '%n %.9Y' "$b/edgec/vww_model/vww.c" "$b/edgec/vww_model.report.json" \
    "$b/edgec/tiny_model/tiny.c" "$b/edgec/tiny_model.report.json" "$b"/firmware*
}
# changed BEFORE AFTER: the files whose time differs.
changed() { diff <(echo "$1") <(echo "$2") | sed -n 's/^> \([^ ]*\) .*/\1/p' | xargs -r -n1 basename | tr '\n' ' '; }
run_host() {
  "$W/b-$1/firmware" "${ARGS[@]}" > "$W/run-$1.log" 2>&1 &&
    grep -q "^firmware on host: ok" "$W/run-$1.log" ||
    { echo "FAIL: $1: $2: host firmware"; cat "$W/run-$1.log"; fail=1; }
}

for gen in Ninja "Unix Makefiles"; do
  tag=${gen// /-}
  S="$W/src-$tag"
  mkdir -p "$S"
  cp -r "$X/cmake-firmware" "$X/vww" "$S"/
  if ! cmake -S "$S/cmake-firmware" -B "$W/b-$tag" -G "$gen" -DCMAKE_PREFIX_PATH="$P" \
       > "$W/configure-$tag.log" 2>&1; then
    echo "FAIL: $tag: configure"; tail -30 "$W/configure-$tag.log"; fail=1; continue
  fi
  build "$tag" "$W/log" || { fail=1; continue; }
  expect_compiles "$tag" "first build" "$W/log" 1 1
  report="$W/b-$tag/edgec/vww_model.report.json"
  grep -q "vww report: $report" "$W/configure-$tag.log" ||
    { echo "FAIL: $tag: vww_model_REPORT is not $report"; fail=1; }
  grep -q '"schema": "edgec.compile-report.v1"' "$report" ||
    { echo "FAIL: $tag: no compile report at $report"; fail=1; }
  run_host "$tag" "first build"
  sed -n 's/^/  /p' "$W/run-$tag.log"

  sleep 1 # coarse file times: what changes next is newer than the outputs
  before=$(stamps "$tag")
  build "$tag" "$W/log" || { fail=1; continue; }
  expect_compiles "$tag" "no-op rebuild" "$W/log" 0 0
  [ "$gen" = Ninja ] && ! grep -q "no work to do" "$W/log" &&
    { echo "FAIL: $tag: no-op rebuild did work: $(head -5 "$W/log")"; fail=1; }
  [ "$(stamps "$tag")" = "$before" ] ||
    { echo "FAIL: $tag: no-op rebuild changed $(changed "$before" "$(stamps "$tag")")"; fail=1; }

  touch "$S/cmake-firmware/models/tiny/model.onnxtxt"
  build "$tag" "$W/log" || { fail=1; continue; }
  expect_compiles "$tag" "touched tiny model" "$W/log" 0 1
  now=$(stamps "$tag")
  [ "$(changed "$before" "$now")" = "tiny.c tiny_model.report.json firmware " ] ||
    { echo "FAIL: $tag: touching the tiny model changed: $(changed "$before" "$now")"; fail=1; }
  run_host "$tag" "after touching a model"

  sleep 1
  touch "$S/cmake-firmware/models/tiny/calib/sample_2.npy"
  build "$tag" "$W/log" || { fail=1; continue; }
  expect_compiles "$tag" "touched a calibration file" "$W/log" 0 1
  rm "$S/cmake-firmware/models/tiny/calib/sample_3.npy"
  build "$tag" "$W/log" || { fail=1; continue; }
  expect_compiles "$tag" "removed a calibration file" "$W/log" 0 1
  cp "$T/calib/sample_3.npy" "$S/cmake-firmware/models/tiny/calib/"
  build "$tag" "$W/log" || { fail=1; continue; }
  expect_compiles "$tag" "added a calibration file" "$W/log" 0 1

  sleep 1
  sed -i 's/OPTIONS alignment=16/OPTIONS alignment=32/' "$S/cmake-firmware/CMakeLists.txt"
  build "$tag" "$W/log" || { fail=1; continue; }
  expect_compiles "$tag" "changed OPTIONS" "$W/log" 0 1
  grep -q "#define tiny_ARENA_ALIGN 32u" "$W/b-$tag/edgec/tiny_model/tiny.h" ||
    { echo "FAIL: $tag: the new alignment is not in tiny.h"; fail=1; }
  run_host "$tag" "after changing OPTIONS"

  sleep 1
  touch "$E"
  build "$tag" "$W/log" || { fail=1; continue; }
  expect_compiles "$tag" "new edgec executable" "$W/log" 1 1
  echo "$tag: first build, no-op, model, calibration (touched, removed, added), options and edgec rebuilds checked"
done

# Cortex-M4: the toolchain file, the platform layer, QEMU (the command
# edgec_board.mk defines).
tag=cortex-m4
if ! cmake -S "$W/src-Ninja/cmake-firmware" -B "$W/b-$tag" -G Ninja -DCMAKE_PREFIX_PATH="$P" \
     -DCMAKE_TOOLCHAIN_FILE="$P/lib/cmake/edgec/edgec-arm-none-eabi.cmake" -DEDGEC_CPU=cortex-m4 \
     > "$W/configure-$tag.log" 2>&1; then
  echo "FAIL: $tag: configure"; tail -30 "$W/configure-$tag.log"; fail=1
elif build "$tag" "$W/log"; then
  expect_compiles "$tag" "first build" "$W/log" 1 1
  grep -q "edgec: compiling model vww_model (mcu cortex-m4)" "$W/log" ||
    { echo "FAIL: $tag: not compiled for cortex-m4"; fail=1; }
  run=$(make -s -f "$P/share/edgec/runtime/platform/edgec_board.mk" CPU=cortex-m4 EC_TIMEOUT=120 \
        EC_EXE="$W/b-$tag/firmware.elf" ARGS="${ARGS[*]}" ec-print-EC_RUN)
  eval "$run" > "$W/run-$tag.log" 2>&1
  sed -n 's/^/  /p' "$W/run-$tag.log"
  grep -q "^firmware on mps2-an386/cortex-m4: ok" "$W/run-$tag.log" ||
    { echo "FAIL: $tag: firmware under QEMU"; fail=1; }
else
  fail=1
fi

[ "$fail" = 0 ] && echo "cmake package: all checks passed"
exit "$fail"
