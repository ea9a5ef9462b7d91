#!/usr/bin/env bash
# Builds the libFuzzer harnesses of test/fuzz with clang (ASan + UBSan) into
# build-fuzz/ and runs each for SECONDS (docs/testing.md, "Fuzzing").
#
#   scripts/fuzz.sh [SECONDS] [HARNESS...]     (default: $EDGEC_FUZZ_SECONDS or 60; all)
#
# Per harness, under build-fuzz/fuzz/<harness>/: corpus/ (the seeds, copied
# from test/ and ../shared, EDGEC_SHARED_DIR, plus what the fuzzer found
# new: it grows run after run), crashes/ (an input that crashed, timed out
# or ran out of memory), log. Exit status 1 when any harness failed, 77
# when clang or libFuzzer is missing (1 under CI=true: scripts/setup.sh
# installs them).
#
# EDGEC_FUZZ_RUNS=N bounds a run by inputs, not time (what CI does): each
# harness starts from the seeds alone (a fresh smoke-corpus/, not the grown
# one), with libFuzzer's -seed=1 and exactly N inputs; SECONDS is then only
# a time limit. Close to reproducible, not exactly: coverage of containers
# keyed by pointers varies between runs.
#
# Reproduce a crash: build-fuzz/test/fuzz/<harness> build-fuzz/fuzz/<harness>/crashes/<file>
set -uo pipefail
cd "$(dirname "$0")/.."
SRC="$PWD"
SECONDS_EACH="${1:-${EDGEC_FUZZ_SECONDS:-60}}"
RUNS="${EDGEC_FUZZ_RUNS:-}"
shift || true
BUILD="${EDGEC_FUZZ_BUILD_DIR:-build-fuzz}"
SHARED="${EDGEC_SHARED_DIR:-../shared}"
NODE="$SHARED/onnx-node-tests"
TFL="$SHARED/models/mlperf-tiny-tflite"
# How many ONNX node-test files seed a harness (every k-th case, sorted,
# so the seeds span the op set; a short CI run spends less time on them).
MAX_NODE_SEEDS="${EDGEC_FUZZ_NODE_SEEDS:-300}"

. test/skip.sh

# clang and libFuzzer: a one-line fuzz target must link.
CXX="$(command -v clang++-14 || command -v clang++ || true)"
CC="$(command -v clang-14 || command -v clang || true)"
[ -n "$CXX" ] && [ -n "$CC" ] || skip_tool "clang++ not found"
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char *, unsigned long) { return 0; }' \
  > "$probe/probe.cpp"
"$CXX" -fsanitize=fuzzer,address,undefined "$probe/probe.cpp" -o "$probe/probe" 2> "$probe/log" ||
  skip_tool "$CXX cannot link libFuzzer (libclang-rt-14-dev): $(head -n 1 "$probe/log")"

echo "== build ($BUILD: $CXX, libFuzzer + ASan + UBSan)"
GEN=()
command -v ninja > /dev/null 2>&1 && GEN=(-G Ninja)
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  # -O1 and line tables only: the usual fuzzing trade of compile time
  # against speed; stack traces keep file:line.
  cmake -S . -B "$BUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
    -DEDGEC_FUZZ=ON -DEDGEC_BUILD_TESTS=OFF -DEDGEC_WERROR=ON > /dev/null || exit 1
fi

# Seeds: copy FILE... into corpus dir $1 (names made unique by path).
seed() {
  local dir="$1"
  shift
  for f in "$@"; do
    [ -f "$f" ] || continue
    local rel="${f#"$SRC"/}"
    rel="${rel#"$SHARED"/}"
    cp "$f" "$dir/seed_${rel//\//_}"
  done
}
# Every k-th of FILE... so that at most MAX_NODE_SEEDS remain.
spread() {
  local n=$# k i=0
  k=$(((n + MAX_NODE_SEEDS - 1) / MAX_NODE_SEEDS))
  [ "$k" -ge 1 ] || k=1
  for f in "$@"; do
    [ $((i % k)) -eq 0 ] && echo "$f"
    i=$((i + 1))
  done
}
node_models() { [ -d "$NODE" ] && find "$NODE" -name model.onnx -size -4k | sort; }
node_inputs() { [ -d "$NODE" ] && find "$NODE" -name 'input_*.pb' -size -4k | sort; }
small_tflite() { [ -d "$TFL" ] && find "$TFL" -maxdepth 1 -name '*.tflite' -size -100k | sort; }
onnx_text() { find "$SRC/test" -name '*.onnxtxt' | sort; ls "$SRC"/test/bad-models/text_*.onnx; }
# A .npy file of float32 zeros of shape (3, 4, 5) (the calibration models'
# input), written without numpy.
npy345() {
  local h="{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4, 5), }"
  while [ $(((10 + ${#h} + 1) % 64)) -ne 0 ]; do h="$h "; done
  printf '\x93NUMPY\x01\x00'
  printf "\\x$(printf %02x $((${#h} + 1)))\\x00"
  printf '%s\n' "$h"
  head -c 240 /dev/zero
}
# A calibration harness input: flags byte, then files joined by the
# separator of test/fuzz/CalibrationDataFuzz.cpp.
calib_seed() {
  local flags="$1" first=1
  shift
  printf "\\x$(printf %02x "$flags")"
  for f in "$@"; do
    [ "$first" = 1 ] || printf '\n--edgec-fuzz-file--\n'
    first=0
    cat "$f"
  done
}

seed_corpus() {
  local h="$1" dir="$2"
  case "$h" in
  OnnxFileFuzz)
    seed "$dir" $(spread $(node_models)) "$SRC"/test/bad-models/*.onnx ;;
  OnnxTextFuzz)
    seed "$dir" $(onnx_text) ;;
  TfliteImportFuzz | TfliteVerifyFuzz)
    seed "$dir" $(small_tflite) "$SRC"/test/bad-models/*.tflite ;;
  TensorFileFuzz)
    npy345 > "$dir/seed_zeros_3x4x5.npy"
    seed "$dir" $(spread $(node_inputs)) ;;
  CalibrationDataFuzz)
    local relu="$NODE/test_relu/test_data_set_0" add="$NODE/test_add/test_data_set_0"
    npy345 > "$probe/x.npy"
    calib_seed 8 "$probe/x.npy" > "$dir/seed_flat_npy"
    calib_seed 11 "$probe/x.npy" "$probe/x.npy" "$probe/x.npy" "$probe/x.npy" \
      > "$dir/seed_folders_npy"
    if [ -d "$add" ]; then
      calib_seed 0 "$relu/input_0.pb" > "$dir/seed_flat_pb"
      calib_seed 3 "$add/input_0.pb" "$add/input_1.pb" > "$dir/seed_folders_input_k"
      calib_seed 7 "$add/input_0.pb" "$add/input_1.pb" > "$dir/seed_folders_named"
    fi ;;
  CompileMcuFuzz)
    local t
    for t in relu add conv_with_strides_padding maxpool_2d_default averagepool_2d_default \
             gemm_default_no_bias matmul_2d softmax_axis_1 sigmoid concat_2d_axis_0 \
             reshape_reduced_dims transpose_default globalaveragepool; do
      seed "$dir" "$NODE/test_$t/model.onnx"
    done
    seed "$dir" "$TFL/kws_ref_model.tflite" ;;
  MlwDecodeFuzz)
    seed "$dir" "$SRC"/test/fuzz/seeds/mlw-*.bin ;;
  NpuPayloadFuzz)
    seed "$dir" "$SRC"/test/fuzz/seeds/cop1-*.bin ;;
  StatsFileFuzz)
    seed "$dir" "$SRC"/test/fuzz/seeds/*.json ;;
  esac
}

HARNESSES=("$@")
if [ ${#HARNESSES[@]} -eq 0 ]; then
  for f in test/fuzz/*Fuzz.cpp; do HARNESSES+=("$(basename "$f" .cpp)"); done
fi
cmake --build "$BUILD" -j "$(nproc)" --target "${HARNESSES[@]}" > "$BUILD/fuzz-build.log" 2>&1 ||
  { tail -n 40 "$BUILD/fuzz-build.log"; echo "FAIL: fuzz build"; exit 1; }
[ -d "$SHARED" ] || echo "note: $SHARED not found; seeds from test/ only"
failed=()
printf '%-22s %8s %10s %8s %8s  %s\n' harness seconds execs cov corpus result
for h in "${HARNESSES[@]}"; do
  bin="$BUILD/test/fuzz/$h"
  [ -x "$bin" ] || { echo "FAIL: no harness $h"; failed+=("$h"); continue; }
  work="$BUILD/fuzz/$h"
  corpus="$work/corpus"
  mode=()
  if [ -n "$RUNS" ]; then
    corpus="$work/smoke-corpus"
    rm -rf "$corpus"
    mode=(-runs="$RUNS" -seed=1)
  fi
  mkdir -p "$corpus" "$work/crashes"
  seed_corpus "$h" "$corpus"
  start=$(date +%s)
  # Leak checks stay on; halt on the first UBSan report.
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin" "$corpus" "${mode[@]}" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$work/crashes/" -print_final_stats=1 > "$work/log" 2>&1
  rc=$?
  took=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -n 1 | cut -d' ' -f2)
  size=$(find "$corpus" -type f | wc -l)
  result=ok
  if [ "$rc" -ne 0 ]; then
    result="FAILED (exit $rc): $(sed -n 's/.*Test unit written to //p' "$work/log" | tail -n 1)"
    failed+=("$h")
  fi
  printf '%-22s %8s %10s %8s %8s  %s\n' "$h" "$took" "${execs:-?}" "${cov:-?}" "$size" "$result"
  if [ "$rc" -ne 0 ]; then
    grep -m 1 -A 12 -E 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error' "$work/log"
    echo "  log: $work/log"
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "FAIL: ${failed[*]}"
  exit 1
fi
