#!/usr/bin/env bash
# float_kernels_test.sh - end-to-end check of the MCU float32 kernels: for
# ONNX node tests covering every float kernel and option path, and for the
# small shared float models, `edgec validate --cpu host` compiles the model,
# builds the C package with -Werror, runs it and compares it with the
# reference interpreter. A short leg does the same under QEMU (cortex-m4).
#
# Usage: float_kernels_test.sh EDGEC SOURCE_DIR
# Data: $EDGEC_SHARED_DIR (default SOURCE_DIR/../shared) with
#   onnx-node-tests/<test>/model.onnx + test_data_set_0/input_*.pb, models/.
# Exit: 0 pass, 1 fail, 77 skip (no shared data).
set -u
EDGEC="${1:?usage: float_kernels_test.sh EDGEC SOURCE_DIR}"
SRC="${2:?usage: float_kernels_test.sh EDGEC SOURCE_DIR}"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
NODE="$SHARED/onnx-node-tests"
MODELS="$SHARED/models"
if [ ! -d "$NODE" ] && [ ! -d "$MODELS" ]; then
  echo "skip: no shared test data at $SHARED"
  exit 77
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ec_float_kernels.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
FAILS=0
PASSES=0
SKIPS=0

# validate LABEL CPU MODEL [edgec args...]
validate() {
  local label="$1" cpu="$2" model="$3"
  shift 3
  if "$EDGEC" validate "$model" --target mcu --cpu "$cpu" "$@" > "$WORK/out.log" 2>&1; then
    echo "ok:   $label ($cpu)"
    PASSES=$((PASSES + 1))
  else
    echo "FAIL: $label ($cpu)"
    sed -n 1,25p "$WORK/out.log"
    FAILS=$((FAILS + 1))
  fi
}

node_test() { # CPU TEST
  local cpu="$1" t="$2" d="$NODE/$2"
  if [ ! -f "$d/model.onnx" ]; then
    echo "skip: $t (absent)"
    SKIPS=$((SKIPS + 1))
    return
  fi
  local inputs=()
  local f
  for f in "$d"/test_data_set_0/input_*.pb; do
    [ -f "$f" ] && inputs+=("$f")
  done
  if [ "${#inputs[@]}" -gt 0 ]; then
    validate "$t" "$cpu" "$d/model.onnx" --input "${inputs[@]}"
  else
    validate "$t" "$cpu" "$d/model.onnx"
  fi
}

NODE_TESTS=(
  # Conv: pads, strides, asymmetric pads, auto_pad, 1-D, groups, dilations
  test_conv_with_strides_padding test_conv_with_strides_no_padding
  test_conv_with_strides_and_asymmetric_padding test_conv_with_autopad_same
  test_basic_conv_with_padding test_basic_conv_without_padding
  test_conv_with_strides_no_padding
  # Gemm / MatMul
  test_gemm_all_attributes test_gemm_alpha test_gemm_beta test_gemm_transposeA
  test_gemm_transposeB test_gemm_default_matrix_bias test_gemm_default_no_bias
  test_gemm_default_scalar_bias test_gemm_default_vector_bias
  test_gemm_default_single_elem_vector_bias
  test_matmul_2d test_matmul_3d test_matmul_4d test_matmul_1d_1d test_matmul_bcast
  # pools
  test_maxpool_2d_default test_maxpool_2d_pads test_maxpool_2d_strides
  test_maxpool_2d_ceil test_maxpool_2d_dilations test_maxpool_2d_same_upper
  test_maxpool_2d_same_lower test_maxpool_1d_default test_maxpool_2d_precomputed_pads
  test_averagepool_2d_default test_averagepool_2d_pads
  test_averagepool_2d_pads_count_include_pad test_averagepool_2d_ceil
  test_averagepool_2d_strides test_averagepool_2d_same_upper
  test_averagepool_2d_same_lower test_averagepool_1d_default
  test_averagepool_2d_dilations test_averagepool_2d_precomputed_same_upper
  test_averagepool_2d_ceil_last_window_starts_on_pad
  test_globalaveragepool test_globalmaxpool test_globalaveragepool_precomputed
  # binary with broadcasting, variadic
  test_add test_add_bcast test_sub_bcast test_mul_bcast test_div_bcast test_pow
  test_pow_bcast_array test_pow_bcast_scalar test_max_example test_min_example
  test_sum_example test_sum_one_input test_mean_example test_max_one_input
  test_prelu_example test_prelu_broadcast test_mod_mixed_sign_float32
  test_greater_equal_bcast test_less 
  # unary
  test_exp test_log test_sqrt test_abs test_neg test_reciprocal test_floor test_ceil
  test_round test_erf test_sin test_cos test_softplus test_elu test_selu test_celu
  test_gelu_default_1 test_gelu_tanh_1 test_mish test_softsign test_thresholdedrelu
  # softmax
  test_softmax_axis_0 test_softmax_axis_1 test_softmax_axis_2 test_softmax_default_axis
  test_softmax_negative_axis test_logsoftmax_axis_1 test_logsoftmax_default_axis
  # data movement
  test_concat_1d_axis_0 test_concat_2d_axis_1 test_concat_3d_axis_negative_2
  test_split_equal_parts_1d_opset18 test_split_variable_parts_2d_opset18
  
  test_transpose_default test_transpose_all_permutations_3
  
  
    # reductions
    # normalization
  test_instancenorm_example
  test_instancenorm_epsilon 
  
  test_lrn test_lrn_default
)
MODEL_TESTS=(
  "wakeword-embedding --input-shape input_1=1,76,32,1"
  "wakeword-alexa"
  "wakeword-hey-mycroft"
  "wakeword-hey-rhasspy"
  "mlperf-tiny-vww-onnx"
)

if [ -d "$NODE" ]; then
  for t in "${NODE_TESTS[@]}"; do node_test host "$t"; done
fi
if [ -d "$MODELS" ]; then
  for m in "${MODEL_TESTS[@]}"; do
    set -- $m
    name="$1"
    shift
    if [ -f "$MODELS/$name/model.onnx" ]; then
      validate "$name" host "$MODELS/$name/model.onnx" "$@"
    else
      echo "skip: $name (absent)"
      SKIPS=$((SKIPS + 1))
    fi
  done
fi

# QEMU leg.
if command -v qemu-system-arm > /dev/null 2>&1 && command -v arm-none-eabi-gcc > /dev/null 2>&1; then
  if [ -d "$NODE" ]; then
    for t in test_conv_with_strides_and_asymmetric_padding test_averagepool_2d_pads \
             test_softmax_axis_1 test_gemm_all_attributes; do
      node_test cortex-m4 "$t"
    done
  fi
  if [ -f "$MODELS/wakeword-hey-rhasspy/model.onnx" ]; then
    validate wakeword-hey-rhasspy cortex-m4 "$MODELS/wakeword-hey-rhasspy/model.onnx"
  fi
else
  echo "skip: QEMU leg (no qemu-system-arm / arm-none-eabi-gcc)"
fi

echo "float kernels: $PASSES passed, $FAILS failed, $SKIPS skipped"
[ "$FAILS" -eq 0 ] || exit 1
exit 0
