# Sourced by the test scripts: how a check reports what it could not run.
# Exit 77 is registered as SKIP_RETURN_CODE, so ctest shows a skip, never a
# pass. A tool scripts/setup.sh installs is present in CI: there (CI=true)
# its absence is a failure. Shared data (../shared) is not installed by
# setup.sh: its absence is a skip everywhere.
#   skip_data MESSAGE        shared data absent: exit 77
#   skip_tool MESSAGE        a tool setup.sh installs is missing: exit 77, 1 under CI=true
#   skip_tool_after FAILS MESSAGE
#                            the same after a partial run: exit 1 when FAILS > 0
#   have_arm_qemu            arm-none-eabi-gcc and qemu-system-arm on PATH

skip_data() {
  echo "SKIP: $1"
  exit 77
}

skip_tool() {
  if [ "${CI:-}" = true ]; then
    echo "FAIL: $1 (CI=true: scripts/setup.sh installs it)"
    exit 1
  fi
  echo "SKIP: $1"
  exit 77
}

skip_tool_after() {
  if [ "$1" -ne 0 ]; then
    echo "FAIL: $1 failure(s) before the skipped part ($2)"
    exit 1
  fi
  skip_tool "$2"
}

have_arm_qemu() {
  command -v "${EC_TEST_ARM_GCC:-arm-none-eabi-gcc}" > /dev/null 2>&1 &&
    command -v "${EC_TEST_QEMU:-qemu-system-arm}" > /dev/null 2>&1
}
