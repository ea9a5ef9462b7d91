#!/usr/bin/env bash
# The CUDA dialect of the GPU kernels, compile-only: the test models'
# kernels printed as CUDA C++ (--option cuda-kernels=on, from the same
# descriptions as the OpenCL ones) compiled by nvcc for sm_87 (Jetson Orin)
# and sm_90 with warnings as errors, and no register spills (ptxas
# --resource-usage). Skips (77) where nvcc is absent (the CUDA toolkit is
# not a Debian package; setup.sh does not install it).
#   gpu_cuda_compile_test.sh EDGEC
set -uo pipefail
EDGEC="$1"
D="$(cd "$(dirname "$0")" && pwd)"
NVCC="$(command -v nvcc || true)"
[ -n "$NVCC" ] || [ ! -x /usr/local/cuda/bin/nvcc ] || NVCC=/usr/local/cuda/bin/nvcc
[ -n "$NVCC" ] || { echo "SKIP: nvcc not found (CUDA toolkit absent)"; exit 77; }
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
fail=0
for m in ops ops2 ops3 chain; do
  "$EDGEC" compile "$D/$m.onnxtxt" --target gpu --option cuda-kernels=on -o "$W/$m" -q ||
    { echo "FAIL: compile $m"; fail=1; continue; }
  k=$(grep -c '__global__ void' "$W/$m/model_kernels.cu")
  [ "$k" = "$(grep -c '__kernel void' "$W/$m/model_kernels.c")" ] ||
    { echo "FAIL: $m: the CUDA and OpenCL kernel counts differ"; fail=1; }
  for arch in sm_87 sm_90; do
    if ! "$NVCC" -c -arch=$arch -Werror all-warnings --resource-usage "$W/$m/model_kernels.cu" \
         -o "$W/$m.$arch.o" > "$W/$m.$arch.log" 2>&1; then
      echo "FAIL: nvcc $arch $m: $(head -c 800 "$W/$m.$arch.log")"; fail=1; continue
    fi
    if grep -E "[1-9][0-9]* bytes spill (stores|loads)" "$W/$m.$arch.log" > /dev/null; then
      echo "FAIL: $m $arch: register spills"; fail=1
    fi
    n=$(grep -c "Compiling entry function" "$W/$m.$arch.log")
    [ "$n" = "$k" ] || { echo "FAIL: $m $arch: ptxas compiled $n of $k kernels"; fail=1; }
  done
done
[ $fail -eq 0 ] && echo "PASS: gpu cuda compile"
exit $fail
