#!/usr/bin/env bash
# optimized_kernels_test.sh SOURCE_DIR [CASES] - every optimized kernel in
# runtime/kernels/cortexm/ is bit-identical to its portable reference in
# runtime/kernels/reference/ on CASES (default: the harness's) seeded random
# cases per kernel (harness: test/runtime/kernels/, weights repacked by the
# compiler's own targets/mcu/lower/DspWeightPacking.c):
#  * on the host with cc and clang (the plain-C emulation of the DSP
#    instructions),
#  * under QEMU on Cortex-M4, M7 and M55 (the DSP instructions themselves)
#    and on Cortex-M3 (the emulation on a core without them),
#  * every file in runtime/kernels/cortexm/ has cases (a new file without
#    them fails), and the outputs hash the same on every platform.
# Exit: 0 pass, 1 fail, 77 skip when arm-none-eabi-gcc / qemu-system-arm
# are missing (after the host runs; a failure under CI=true, which has them).
set -u
SRC="$(cd "${1:?usage: optimized_kernels_test.sh SOURCE_DIR [CASES]}" && pwd)"
CASES="${2:-}"
MK="$SRC/test/runtime/kernels/Makefile"
CORTEXM="$SRC/runtime/kernels/cortexm"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ec_optimized_kernels.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export EC_TIMEOUT=300
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
pass() { echo "ok:   $*"; }
. "$SRC/test/skip.sh"
missing() { # what: a tool setup.sh installs is missing
  if [ "${CI:-}" = true ]; then fail "$1 (CI=true: scripts/setup.sh installs it)"
  else echo "note: $1: skipped"; SKIPPED=1; fi
}
SKIPPED=0
HASHES=""

# run NAME MAKE-ARGS...: build and run the harness, check its verdict, the
# coverage of every cortexm/ file and the output hashes.
run() {
  local name="$1" out="$WORK/$1.out" f n before="$FAILS"
  shift
  if ! make -s -f "$MK" EC_BUILD_DIR="$WORK/build/$name" "$@" build > "$WORK/$name.build" 2>&1; then
    fail "$name: build"; sed -n 1,30p "$WORK/$name.build"; return
  fi
  make -s -f "$MK" EC_BUILD_DIR="$WORK/build/$name" "$@" run ARGS="${CASES:+-n $CASES }-s 1" \
    > "$out" 2>&1
  local rc=$?
  grep -E '^(group|MISMATCH|  byte)' "$out" | sed "s/^/  [$name] /"
  if [ "$rc" -ne 0 ] || ! grep -q '^all optimized kernels bit-exact$' "$out"; then
    fail "$name: optimized kernels differ from their references (rc=$rc)"; tail -n 5 "$out"; return
  fi
  for f in "$CORTEXM"/*; do
    f="$(basename "$f")"
    n="$(awk -v f="kernels/cortexm/$f" '$1 == "covered" && $2 == f { print $3 }' "$out")"
    if [ -z "$n" ] || [ "$n" -lt "${CASES:-1}" ]; then
      fail "$name: runtime/kernels/cortexm/$f has no cases (add a group to test/runtime/kernels/)"
    fi
  done
  local h
  h="$(grep '^group' "$out" | awk '{ print $2, $NF }')"
  if [ -z "$HASHES" ]; then HASHES="$h"
  elif [ "$h" != "$HASHES" ]; then fail "$name: outputs differ from the first platform's"
  fi
  [ "$FAILS" = "$before" ] && pass "$name: every optimized kernel bit-exact ($(grep '^platform' "$out"))"
}

run host-cc CPU=host CC=cc
if command -v clang > /dev/null; then run host-clang CPU=host CC=clang
else missing "clang not installed"; fi
if have_arm_qemu; then
  for cpu in cortex-m4 cortex-m7 cortex-m55 cortex-m3; do run "$cpu" CPU="$cpu"; done
else
  missing "arm-none-eabi-gcc or qemu-system-arm missing: the DSP instructions were not checked"
fi

if [ "$FAILS" -ne 0 ]; then echo "$FAILS check(s) failed"; exit 1; fi
[ "$SKIPPED" = 1 ] && exit 77
echo "optimized kernels: all bit-exact"
exit 0
