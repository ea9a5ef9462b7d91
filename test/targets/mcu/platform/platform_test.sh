#!/usr/bin/env bash
# platform_test.sh - checks runtime/platform on the host and on emulated
# Cortex-M (QEMU -icount shift=0): build through edgec_board.mk, binary file
# in/out through semihosting, exit-status propagation, fault handler, and the
# instruction counter against loops of known instruction count.
# Exit: 0 pass, 1 fail, 77 skip (no arm-none-eabi-gcc / qemu-system-arm; the
# host part has still been checked then).
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MK="$HERE/Makefile"
. "$HERE/../../../skip.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ec_platform_test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export EC_TIMEOUT=30
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
pass() { echo "ok:   $*"; }

cd "$WORK" || exit 1

# deterministic input: bytes 0..255 (every value), four times, plus a tail
blk=""
for i in $(seq 0 255); do blk="$blk\\$(printf %03o "$i")"; done
for k in 1 2 3 4; do printf "$blk"; done > in.bin
printf 'edgec\r\n\000tail' >> in.bin
[ "$(wc -c < in.bin)" -eq 1036 ] || { echo "input generation failed"; exit 1; }

build() { # name make-args...
  local name="$1"; shift
  if ! make -s -f "$MK" EC_BUILD_DIR="$WORK/build/$name" "$@" build > "build_$name.log" 2>&1; then
    fail "$name: build"; sed -n 1,20p "build_$name.log"; return 1
  fi
}
run() { # name make-args... -- program-args...   (runs in $WORK; sets RC)
  local name="$1"; shift
  local margs=() cmd
  while [ "$1" != "--" ]; do margs+=("$1"); shift; done; shift
  cmd="$(make -s -f "$MK" EC_BUILD_DIR="$WORK/build/$name" "${margs[@]}" ARGS="$*" ec-print-EC_RUN)"
  eval "$cmd" > "run.out" 2> "run.err" < /dev/null
  RC=$?
}

# ------------------------------------------------------------------ host
ref_line=""
for cc in cc clang; do
  command -v "$cc" > /dev/null 2>&1 || continue
  build "host-$cc" CC="$cc" EXTRA_CFLAGS=-Werror || continue
  run "host-$cc" CC="$cc" -- in.bin "out_host_$cc.bin"
  if [ "$RC" -ne 0 ]; then fail "host-$cc: files run rc=$RC"; continue; fi
  line="$(grep '^FILES' run.out | sed 's/ platform=[^ ]*//; s/ work=.*//')"
  [ -z "$ref_line" ] && { ref_line="$line"; cp "out_host_$cc.bin" ref.bin; }
  if [ "$line" = "$ref_line" ] && cmp -s ref.bin "out_host_$cc.bin"; then pass "host-$cc: files ($line)"
  else fail "host-$cc: output differs"; fi
  run "host-$cc" CC="$cc" -- --exit 5; [ "$RC" -eq 5 ] && pass "host-$cc: exit 5" || fail "host-$cc: exit rc=$RC"
  run "host-$cc" CC="$cc" -- --pexit 42
  [ "$RC" -eq 42 ] && grep -q 'pexit 42' run.out && pass "host-$cc: ec_platform_exit 42" || fail "host-$cc: pexit rc=$RC"
done
[ -n "$ref_line" ] || { echo "FAIL: no host compiler"; exit 1; }
# the transform part of the reference, checked independently of C: size n+12
[ "$(wc -c < ref.bin)" -eq 1048 ] || fail "reference output size"

have_arm_qemu ||
  skip_tool_after "$FAILS" "arm-none-eabi-gcc or qemu-system-arm not found (the host part ran)"

# ------------------------------------------------------------------ Cortex-M
# name:CPU:QEMU_MACHINE:extra make args
TARGETS="m0:cortex-m0:mps2-an385:
m3:cortex-m3:mps2-an385:
m4:cortex-m4:mps2-an386:
m7:cortex-m7:mps2-an500:
m33:cortex-m33:mps2-an505:
m55:cortex-m55:mps3-an547:
m0-microbit:cortex-m0:microbit:EC_STACK_SIZE=0x800 EC_MIN_HEAP=0x1800"
CALIB_SUMMARY=""
while IFS=: read -r name cpu mach extra; do
  # shellcheck disable=SC2206
  xargs=($extra)
  cflags="-Werror"
  [ "$mach" = microbit ] && cflags="-Werror -DSAMPLE_BUF=1100"
  m=(CPU="$cpu" QEMU_MACHINE="$mach" "${xargs[@]}")
  build "$name" "${m[@]}" EXTRA_CFLAGS="$cflags" || continue
  tag="$name ($cpu on $mach)"

  run "$name" "${m[@]}" -- in.bin "out_$name.bin"
  line="$(grep '^FILES' run.out | sed 's/ platform=[^ ]*//; s/ work=.*//')"
  if [ "$RC" -eq 0 ] && [ "$line" = "$ref_line" ] && cmp -s ref.bin "out_$name.bin"; then
    pass "$tag: files in/out via semihosting, bytes match host"
  else fail "$tag: files rc=$RC line='$line'"; cat run.err; fi

  run "$name" "${m[@]}" -- --exit 5; [ "$RC" -eq 5 ] && pass "$tag: return 5 from main -> qemu rc 5" || fail "$tag: exit rc=$RC"
  run "$name" "${m[@]}" -- --exit 0; [ "$RC" -eq 0 ] || fail "$tag: exit 0 rc=$RC"
  run "$name" "${m[@]}" -- --pexit 42
  [ "$RC" -eq 42 ] && grep -q 'pexit 42' run.out && pass "$tag: ec_platform_exit(42) -> qemu rc 42, stdout flushed" || fail "$tag: pexit rc=$RC"
  run "$name" "${m[@]}" -- --fault
  [ "$RC" -eq 134 ] && grep -q 'fatal exception' run.err && pass "$tag: fault -> report + rc 134" || fail "$tag: fault rc=$RC"
  if [ "$mach" != microbit ]; then # 2 KiB stack there: --stack needs ~5 KiB
    run "$name" "${m[@]}" -- --stack
    peak="$(sed -n 's/^STACK peak=\([0-9]*\) .*/\1/p' run.out)"
    size="$(sed -n 's/^STACK .* size=\([0-9]*\) .*/\1/p' run.out)"
    [ "$RC" -eq 0 ] && [ "${peak:-0}" -gt 4608 ] && [ "${peak:-0}" -lt "${size:-0}" ] &&
      pass "$tag: stack peak $peak of $size B" || fail "$tag: stack rc=$RC peak=$peak size=$size"
  fi

  run "$name" "${m[@]}" -- --calib
  if [ "$RC" -eq 0 ] && grep -q 'PASS' run.out; then pass "$tag: $(grep CALIB run.out)"
  else fail "$tag: calibration rc=$RC $(cat run.out)"; fi
  CALIB_SUMMARY="$CALIB_SUMMARY
  $name: $(grep CALIB run.out | sed 's/CALIB //; s/ unit=instructions//')"

  # 64-bit extension across many SysTick wraps (reload lowered to 0x3FFF)
  build "$name-wrap" "${m[@]}" EXTRA_CFLAGS="$cflags -DEC_SYSTICK_RELOAD=0x3FFF" || continue
  run "$name-wrap" "${m[@]}" EXTRA_CFLAGS="$cflags -DEC_SYSTICK_RELOAD=0x3FFF" -- --wrap 5000000
  if [ "$RC" -eq 0 ]; then pass "$tag: $(grep WRAP run.out)"; else fail "$tag: wrap rc=$RC $(cat run.out)"; fi
done <<< "$TARGETS"

# production reload: one real 2^24-tick wrap (> 671 M instructions) on mps2-an386
run m4 CPU=cortex-m4 -- --wrap 400000000
[ "$RC" -eq 0 ] && pass "m4: production SysTick wrap: $(grep WRAP run.out)" || fail "m4: production wrap rc=$RC $(cat run.out)"

# make targets of the fragment
if make -s -f "$MK" EC_BUILD_DIR="$WORK/build/m4" CPU=cortex-m4 size > size.out 2>&1 && grep -q '\.text' size.out; then pass "make size"
else fail "make size"; fi
if make -s -f "$MK" EC_BUILD_DIR="$WORK/build/m4" CPU=cortex-m4 stack-usage > su.out 2>&1 && grep -q 'worst frame' su.out; then pass "make stack-usage ($(grep 'worst frame' su.out))"
else fail "make stack-usage"; fi
if make -s -f "$MK" EC_BUILD_DIR="$WORK/build/m4" CPU=cortex-m4 run ARGS="--exit 3" > /dev/null 2>&1; then fail "make run did not fail on exit 3"
else pass "make run propagates a non-zero exit"; fi

echo "calibration (known = 2*100000 loop instructions; errors in 1/1000 instruction):$CALIB_SUMMARY"
if [ "$FAILS" -ne 0 ]; then echo "platform_test: $FAILS failure(s)"; exit 1; fi
echo "platform_test: all passed"
