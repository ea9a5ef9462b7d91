#!/usr/bin/env bash
# op_kernels_test.sh - the MCU kernels of ConvTranspose, elementwise Where,
# integer and bool comparisons, logic and integer arithmetic (Mod,
# BitShift), ArgMax / ArgMin, CumSum, Cast between the 16/8/4-bit floats,
# sub-byte integers and float32, Attention, LayerNormalization's extra
# outputs and RMSNormalization, Trilu, Hardmax, TopK and reductions over
# run-time axes, NegativeLogLikelihoodLoss / SoftmaxCrossEntropyLoss, Resize
# with run-time parameters, Gather / GatherElements with run-time indices,
# Shape-like generators and Range, Scatter*, LpPool / LpNormalization,
# GridSample, Bitwise*, CumProd, OneHot, BitCast, GatherND and run-time
# Quantize/DequantizeLinear, end to end: ONNX node
# tests compiled with `edgec validate --target mcu`, built, run and compared
# with the interpreter, on the host and (a few) under QEMU on Cortex-M4.
# Short on purpose; docs/conformance.md ("MCU target") runs every node test.
#
# Usage: op_kernels_test.sh EDGEC SOURCE_DIR
# Data: $EDGEC_SHARED_DIR (default SOURCE_DIR/../shared)/onnx-node-tests.
# Exit: 0 pass, 1 fail, 77 skip (no shared data; without QEMU/arm gcc the
# host part runs, then the test skips, or fails under CI=true).
set -u
EDGEC="${1:?usage: op_kernels_test.sh EDGEC SOURCE_DIR}"
SRC="${2:?usage: op_kernels_test.sh EDGEC SOURCE_DIR}"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
NODE="$SHARED/onnx-node-tests"
. "$SRC/test/skip.sh"
[ -d "$NODE" ] || skip_data "no ONNX node tests at $NODE"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ec_op_kernels.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
FAILS=0
PASSES=0
. "$SRC/test/targets/mcu/validate_lib.sh"

HOST_TESTS=(
  # ConvTranspose: strides, pads, output_padding / output_shape, auto_pad,
  # dilations, groups, 1-D
  test_convtranspose test_convtranspose_1d test_convtranspose_pads
  test_convtranspose_output_shape test_convtranspose_autopad_same
  test_convtranspose_dilations test_convtranspose_group_2_image_3
  test_convtranspose_kernel_shape
  # Where with broadcasting; integer and bool comparisons; logic; integer
  # arithmetic
  test_where_example test_where_long_example test_equal test_equal_bcast
  test_equal_int8 test_less_int16 test_greater_equal_bcast
  test_and_bcast4v3d test_or_bcast3v1d test_xor4d test_not_3d
  test_add_int8 test_sub_int16 test_div_uint8 test_max_int32 test_min_uint32
  # ArgMax / ArgMin, CumSum (int32; the float node tests are float64)
  test_argmax_keepdims_random_select_last_index test_argmin_no_keepdims_example
  test_argmax_negative_axis_keepdims_random test_cumsum_2d_int32
  test_cumsum_1d_int32_exclusive
  # Cast: float8 (saturate and not), float16, bfloat16, float4, int4
  test_cast_FLOAT_to_FLOAT8E4M3FN test_cast_no_saturate_FLOAT_to_FLOAT8E5M2
  test_cast_FLOAT16_to_FLOAT8E4M3FNUZ test_cast_FLOAT_to_FLOAT16
  test_cast_FLOAT_to_BFLOAT16 test_cast_FLOAT4E2M1_to_FLOAT test_cast_FLOAT_to_INT4
  # Attention: GQA with past/present, causal 3-D, qk output, bool mask
  test_attention_4d_gqa_with_past_and_present test_attention_3d_causal
  test_attention_4d_with_qk_matmul_softmax test_attention_4d_attn_mask_bool
  # normalizations, Trilu, Hardmax, TopK, run-time reduce axes, Mod, BitShift
  test_layer_normalization_3d_axis1_epsilon test_rms_normalization_4d_axis1
  test_triu_neg test_hardmax_axis_1 test_top_k_smallest test_reduce_sum_keepdims_random
  test_mod_mixed_sign_int32 test_bitshift_right_uint16
  # losses; Resize with run-time scales/sizes/roi (cubic, antialias, crop,
  # aspect policy); Gather with run-time indices, GatherElements; Shape,
  # ConstantOfShape, EyeLike, Range; Scatter*; LpPool, LpNormalization;
  # GridSample
  test_nllloss_NCd1d2_with_weight_reduction_mean test_sce_mean_weight_ii_3d_log_prob
  test_nllloss_NCd1_weight_ii_expanded test_resize_downsample_scales_cubic_antialias
  test_resize_tf_crop_and_resize_axes_3_2 test_resize_upsample_sizes_nearest_not_larger
  test_resize_downsample_sizes_linear_pytorch_half_pixel test_gather_2d_indices
  test_gather_elements_negative_indices test_shape_start_1_end_negative_1
  test_constantofshape_int_zeros test_eyelike_populate_off_main_diagonal
  test_range_int32_type_negative_delta test_scatter_elements_with_reduction_max
  test_scatternd_multiply test_lppool_2d_same_upper test_lppool_3d_default
  test_l2normalization_axis_1 test_gridsample_bicubic test_gridsample_reflection_padding
  test_gridsample_volumetric_bilinear_align_corners_1
  # Bitwise*, CumProd, OneHot, BitCast, windows, GatherND, run-time
  # Quantize/DequantizeLinear (blocked, int4), DynamicQuantizeLinear
  test_bitwise_xor_ui8_bcast_4v3d test_bitwise_not_3d test_cumprod_2d_int32
  test_onehot_with_negative_axis test_bitcast_int32_to_float32 test_hannwindow_symmetric
  test_gathernd_example_int32_batch_dim1 test_quantizelinear_blocked_asymmetric
  test_dequantizelinear_int4 test_dynamicquantizelinear
)
QEMU_TESTS=(test_convtranspose_pads test_convtranspose_group_2_image_3
            test_where_long_example test_equal test_not_3d test_div_uint8 test_max_int32
            test_argmin_no_keepdims_example test_cumsum_1d_int32_exclusive
            test_cast_FLOAT_to_FLOAT8E4M3FN test_cast_FLOAT_to_FLOAT16
            test_attention_4d_gqa_with_past_and_present test_rms_normalization_4d_axis1
            test_top_k_smallest test_mod_mixed_sign_int32
            test_sce_mean_weight_ii_3d_log_prob test_resize_downsample_scales_cubic_antialias
            test_gather_elements_negative_indices test_scatternd_multiply
            test_lppool_2d_same_upper test_gridsample_bicubic
            test_quantizelinear_blocked_asymmetric)

for t in "${HOST_TESTS[@]}"; do node_test host "$t"; done
HAVE_QEMU=1
have_arm_qemu || HAVE_QEMU=0
if [ "$HAVE_QEMU" = 1 ]; then
  for t in "${QEMU_TESTS[@]}"; do node_test cortex-m4 "$t"; done
fi

echo "op kernels: $PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ] || exit 1
[ "$HAVE_QEMU" = 1 ] || skip_tool_after 0 "arm-none-eabi-gcc or qemu-system-arm missing: the QEMU leg was skipped"
exit 0
