#!/usr/bin/env bash
# float_kernels_test.sh - end-to-end check of the MCU float32 kernels: for
# ONNX node tests covering every float kernel and option path, and for the
# small shared float models, `edgec validate --cpu host` compiles the model,
# builds the C package with -Werror, runs it and compares it with the
# reference interpreter. A short leg does the same under QEMU (cortex-m4).
#
# Node tests the MCU back end cannot take as they are (a parameter the
# lowering needs as a constant is a graph input there, int32 or float64
# data, extra outputs) run as variants: test/targets/mcu/float_kernels/
# TEST.onnxtxt, the same op and attributes with the node test's parameter
# values as initializers (each file says what differs), fed the node test's
# data input where its type is unchanged.
#
# Usage: float_kernels_test.sh EDGEC SOURCE_DIR
# Data: $EDGEC_SHARED_DIR (default SOURCE_DIR/../shared) with
#   onnx-node-tests/<test>/model.onnx + test_data_set_0/input_*.pb, models/.
# Exit: 0 pass, 1 fail, 77 skip (no shared data; without QEMU/arm gcc the
# host part runs, then the test skips, or fails under CI=true).
set -u
EDGEC="${1:?usage: float_kernels_test.sh EDGEC SOURCE_DIR}"
SRC="${2:?usage: float_kernels_test.sh EDGEC SOURCE_DIR}"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
NODE="$SHARED/onnx-node-tests"
MODELS="$SHARED/models"
. "$SRC/test/skip.sh"
[ -d "$NODE" ] || [ -d "$MODELS" ] || skip_data "no shared test data at $SHARED"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ec_float_kernels.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
FAILS=0
PASSES=0
SKIPS=0

. "$SRC/test/targets/mcu/validate_lib.sh"

VARIANTS="$SRC/test/targets/mcu/float_kernels"
# variant_test CPU TEST INPUT: the variant of node test TEST; INPUT is
# `node` (the node test's data input), `npy` (TEST.x.npy and TEST.y.npy
# beside the variant) or `random` (validate's seeded inputs).
variant_test() {
  local cpu="$1" t="$2" how="$3" v="$VARIANTS/$2.onnxtxt"
  local inputs=()
  case "$how" in
    node) inputs=(--input "$NODE/$t/test_data_set_0/input_0.pb") ;;
    npy) inputs=(--input "$VARIANTS/$t.x.npy" "$VARIANTS/$t.y.npy") ;;
  esac
  if [ ! -f "$v" ] || { [ "$how" = node ] && [ ! -f "${inputs[1]}" ]; }; then
    echo "FAIL: $t (variant): missing $v or its input"
    FAILS=$((FAILS + 1))
    return
  fi
  validate "$t (constant-parameter variant)" "$cpu" "$v" "${inputs[@]}"
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
  # normalization
  test_instancenorm_example test_instancenorm_epsilon
  test_lrn test_lrn_default
)
# Variants (see the top): TEST:INPUT.
VARIANT_TESTS=(
  test_equal_bcast:npy
  # data movement
  test_slice:node test_slice_neg_steps:node test_slice_negative_axes:node
  test_slice_default_steps:node
  test_expand_dim_changed:node test_tile:node test_gather_0:node test_gather_1:node
  test_gather_negative_indices:node
  test_constant_pad:node test_edge_pad:random test_reflect_pad:random test_wrap_pad:random
  test_resize_upsample_scales_nearest:node test_resize_downsample_scales_nearest:node
  test_resize_upsample_scales_linear:node test_resize_downsample_scales_linear:node
  test_resize_upsample_scales_linear_align_corners:node
  test_resize_upsample_sizes_nearest_ceil_half_pixel:node
  test_resize_upsample_sizes_nearest_floor_align_corners:node
  test_upsample_nearest:node
  # reductions
  test_reduce_mean_default_axes_keepdims_example:node test_reduce_sum_keepdims_example:node
  test_reduce_max_keepdims_example:node test_reduce_min_do_not_keepdims_example:node
  test_reduce_prod_keepdims_example:node test_reduce_l2_keep_dims_example:node
  test_reduce_log_sum_exp_keepdims_example:random test_reduce_sum_square_keepdims_example:node
  test_reduce_l1_keep_dims_example:node
  # normalization
  test_batchnorm_example:node test_batchnorm_epsilon:node
  test_layer_normalization_2d_axis1:node test_layer_normalization_3d_axis1_epsilon:node
  test_layer_normalization_4d_axis_negative_1:node
)
MODEL_TESTS=(
  "wakeword-embedding --input-shape input_1=1,76,32,1"
  "wakeword-melspectrogram --input-shape input=1,1280"
  "wakeword-alexa"
  "wakeword-hey-mycroft"
  "wakeword-hey-rhasspy"
  "mlperf-tiny-vww-onnx"
)

if [ -d "$NODE" ]; then
  for t in "${NODE_TESTS[@]}"; do node_test host "$t"; done
  for tv in "${VARIANT_TESTS[@]}"; do variant_test host "${tv%%:*}" "${tv##*:}"; done
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
  # The melspectrogram front end on its data set's 2 s of audio.
  mel="$MODELS/wakeword-melspectrogram"
  if [ -f "$mel/test_data_set_0/input_0.pb" ]; then
    validate "wakeword-melspectrogram (data set, 1x32000)" host "$mel/model.onnx" \
      --input-shape input=1,32000 --input "$mel/test_data_set_0/input_0.pb"
  fi
fi

# QEMU leg.
HAVE_QEMU=1
have_arm_qemu || HAVE_QEMU=0
if [ "$HAVE_QEMU" = 1 ]; then
  if [ -d "$NODE" ]; then
    for t in test_conv_with_strides_and_asymmetric_padding test_averagepool_2d_pads \
             test_softmax_axis_1 test_gemm_all_attributes; do
      node_test cortex-m4 "$t"
    done
    variant_test cortex-m4 test_resize_upsample_scales_linear node
    variant_test cortex-m4 test_layer_normalization_4d_axis_negative_1 node
  fi
  if [ -f "$MODELS/wakeword-hey-rhasspy/model.onnx" ]; then
    validate wakeword-hey-rhasspy cortex-m4 "$MODELS/wakeword-hey-rhasspy/model.onnx"
  fi
fi

echo "float kernels: $PASSES passed, $FAILS failed, $SKIPS skipped"
[ "$FAILS" -eq 0 ] || exit 1
[ "$HAVE_QEMU" = 1 ] || skip_tool_after 0 "arm-none-eabi-gcc or qemu-system-arm missing: the QEMU leg was skipped"
exit 0
