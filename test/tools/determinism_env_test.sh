#!/usr/bin/env bash
# Determinism across environments: every command that writes files
# (optimize, quantize, prune, export, compile for mcu and edgetpu, inspect
# --json, run --dump-tensors, the --html pages) runs twice, from different
# working directories (one deeper, with a space), with different TZ, locale,
# umask, HOME and TMPDIR; model and outputs are given by the same relative
# paths (reports name the model as given). Every file written must have the same
# SHA-256 in both runs, and both runs must write the same set of files.
#   determinism_env_test.sh EDGEC SOURCE_DIR
set -uo pipefail
EDGEC="$(realpath "$1")"
SRC="$(realpath "$2")"
MODEL="$SRC/examples/vww/model.onnx"
INPUT="$SRC/examples/vww/input_0.pb"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0

# A locale that writes numbers differently from C when one is installed
# (comma decimal separator), otherwise C.UTF-8 against C.
other_locale="$(locale -a 2>/dev/null | grep -iE '^(de_DE|fr_FR|ru_RU|nl_NL)\.utf-?8$' | head -n 1)"
[ -n "$other_locale" ] || other_locale=C.UTF-8

# jobs OUT MODEL: the file-writing commands, outputs under OUT (relative or
# absolute as given), MODEL as given.
jobs() {
  local out="$1" model="$2" rc=0
  mkdir -p "$out"
  "$EDGEC" optimize "$model" -O3 -o "$out/opt.onnx" --json --json-output "$out/opt.json" > /dev/null || rc=1
  "$EDGEC" quantize "$model" -o "$out/q.onnx" --calib-random 4 --report "$out/q.json" \
    --html "$out/q.html" > /dev/null || rc=1
  "$EDGEC" prune "$model" -o "$out/p.onnx" --method channel --sparsity 0.25 \
    --report "$out/p.json" > /dev/null || rc=1
  "$EDGEC" export "$out/q.onnx" --format tflite -o "$out/q.tflite" > /dev/null || rc=1
  "$EDGEC" compile "$model" --target mcu --cpu cortex-m4 -o "$out/mcu" \
    --report "$out/mcu.json" --html "$out/mcu.html" > /dev/null || rc=1
  "$EDGEC" compile "$out/q.tflite" --target edgetpu -o "$out/edgetpu" \
    --report "$out/edgetpu.json" --html "$out/edgetpu.html" > /dev/null || rc=1
  "$EDGEC" inspect "$model" --json -o "$out/inspect.json" || rc=1
  "$EDGEC" run "$model" --input "$INPUT" --output-dir "$out/run" \
    --dump-tensors "$out/tensors" > /dev/null || rc=1
  return "$rc"
}

# Run A: C locale, UTC, umask 022.
mkdir -p "$W/a/home" "$W/a/tmp"
cp "$MODEL" "$W/a/model.onnx"
( cd "$W/a" && umask 022 &&
  env -i PATH="$PATH" HOME="$W/a/home" TMPDIR="$W/a/tmp" LC_ALL=C TZ=UTC \
    bash -c "$(declare -f jobs); EDGEC='$EDGEC' INPUT='$INPUT' jobs out model.onnx" ) ||
  { echo "FAIL: run A: a command failed"; fail=1; }

# Run B: another locale, a far time zone, umask 077, a deeper working
# directory with a space.
mkdir -p "$W/b/deep dir/x/home" "$W/b/deep dir/x/tmp"
cp "$MODEL" "$W/b/deep dir/x/model.onnx"
( cd "$W/b/deep dir/x" && umask 077 &&
  env -i PATH="$PATH" HOME="$W/b/deep dir/x/home" TMPDIR="$W/b/deep dir/x/tmp" \
    LC_ALL="$other_locale" LANG="$other_locale" TZ=Pacific/Chatham \
    bash -c "$(declare -f jobs); EDGEC='$EDGEC' INPUT='$INPUT' jobs out model.onnx" ) ||
  { echo "FAIL: run B: a command failed"; fail=1; }

# sums DIR: "sha256  relative-path" for every file, sorted by path.
sums() { ( cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum ); }
sums "$W/a/out" > "$W/a.sums"
sums "$W/b/deep dir/x/out" > "$W/b.sums"
n="$(wc -l < "$W/a.sums")"
# optimize, quantize, prune and export write 8 files, the two compiles at
# least 10, inspect 1, run and dump at least 2: a short list means a command
# wrote nothing.
[ "$n" -ge 20 ] || { echo "FAIL: only $n files written"; fail=1; }
if ! diff "$W/a.sums" "$W/b.sums" > "$W/diff"; then
  echo "FAIL: outputs differ between the two environments (A: C/UTC/022, B: $other_locale/Pacific/Chatham/077):"
  head -n 40 "$W/diff"; fail=1
fi
[ "$fail" = 0 ] && echo "ok: $n files byte-identical across working directory, TZ, locale ($other_locale), umask, HOME and TMPDIR"
exit "$fail"
