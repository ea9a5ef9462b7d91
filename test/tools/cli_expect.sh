# Shared helpers of the CLI test scripts (sourced; needs $W, a scratch
# directory, and a `fail` variable that the caller reads at the end).
#   expect_rc WANT WHAT COMMAND...   runs COMMAND (stdout to $W/out, stderr
#                                    to $W/err); FAIL unless it exits WANT
#   contains FILE PATTERN            FAIL unless grep finds PATTERN in FILE
expect_rc() {
  local want="$1" what="$2"; shift 2
  "$@" > "$W/out" 2> "$W/err"; local rc=$?
  if [ "$rc" != "$want" ]; then
    echo "FAIL: $what: exit $rc, expected $want: $(head -c 600 "$W/err")"; fail=1
  fi
}
contains() { grep -q -- "$2" "$1" || { echo "FAIL: '$2' not in $1: $(head -c 600 "$1")"; fail=1; }; }
