#!/usr/bin/env bash
# Installs edgec's build and test dependencies (Debian 12 packages) when
# missing. Quiet and idempotent: does nothing when everything is present.
set -euo pipefail

PACKAGES=(
  g++ make cmake ninja-build pkg-config ccache
  libprotobuf-dev protobuf-compiler libonnx-dev
  libcli11-dev libflatbuffers-dev flatbuffers-compiler libgtest-dev
  llvm-14-tools python3 python3-numpy
  clang libclang-rt-14-dev gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  python3-pyarmnn libarmnn-cpuref-backend22
  chromium  # headless, for the --html pages' browser test (test/report)
  pocl-opencl-icd ocl-icd-opencl-dev opencl-c-headers  # the GPU target's OpenCL path on the CPU (targets/gpu)
  llvm-14-dev gcc-aarch64-linux-gnu qemu-user  # the LLVM target (targets/llvm): objects for x86-64/AArch64, run under qemu-aarch64
)

# Node.js runs ONNX Runtime (onnxruntime-node, installed from npm by
# scripts/test.sh) for the reference checks. Debian's nodejs and npm only
# when no node/npm is on PATH: a NodeSource nodejs already bundles npm and
# conflicts with Debian's npm package.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "error: missing packages (${missing[*]}) and not root; install them or run as root" >&2
    exit 3
  fi
fi

echo "edgec setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
