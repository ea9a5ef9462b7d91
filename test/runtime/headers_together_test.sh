#!/usr/bin/env bash
# Every runtime header in one translation unit, compiled with -Wall -Wextra
# -Werror by the host compiler (and arm-none-eabi-gcc when present): a
# package of a mixed-precision model includes float and integer kernel
# headers side by side, so no two headers may define the same macro, type
# or static function differently (EC_POOL_MAX meant 0 in pool_f32.h and 2 in
# pool_s8.h until the integer kernels' names gained _S8).
#   headers_together_test.sh SOURCE_DIR
set -uo pipefail
SRC="$1"
R="$SRC/runtime"
. "$SRC/test/skip.sh"
command -v cc > /dev/null || skip_tool "cc missing"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
{
  for h in "$R"/include/*.h "$R"/kernels/*/*.h; do
    echo "#include \"${h#$R/}\""
  done
  echo "int ec_headers_together(void);"
  echo "int ec_headers_together(void) { return 0; }"
} > "$W/all.c"
n="$(grep -c '^#include' "$W/all.c")"
[ "$n" -ge 20 ] || { echo "FAIL: only $n runtime headers found under $R"; exit 1; }
fail=0
cc -std=c99 -Wall -Wextra -Werror -I"$R" -I"$R/include" -c "$W/all.c" -o "$W/host.o" ||
  { echo "FAIL: the $n runtime headers do not compile together on the host"; fail=1; }
if command -v arm-none-eabi-gcc > /dev/null; then
  arm-none-eabi-gcc -std=c99 -mcpu=cortex-m4 -mthumb -Wall -Wextra -Werror -I"$R" -I"$R/include" \
    -c "$W/all.c" -o "$W/m4.o" ||
    { echo "FAIL: the $n runtime headers do not compile together for Cortex-M4"; fail=1; }
fi
[ "$fail" = 0 ] && echo "ok: $n runtime headers compile together"
exit "$fail"
