/*
 * Float ONNX Resize (opset 10+) / Upsample with the scales, sizes and roi
 * read at run time (any of them may also be a constant), the output shape
 * static: nearest (every nearest_mode, the legacy opset-10 rounding),
 * linear and cubic (cubic_coeff_a), every coordinate_transformation_mode
 * (tf_crop_and_resize with extrapolation_value), exclude_outside,
 * antialias, the axes attribute and keep_aspect_ratio_policy. As the ONNX
 * reference: per axis, each output index maps to a few (input index,
 * weight) taps (built once per call in the scratch buffer, max_taps per
 * output index); an output element is the sum over the product of its
 * axes' taps, in double.
 */
#ifndef EDGEC_RESIZE_RT_F32_H
#define EDGEC_RESIZE_RT_F32_H

#include "edgec_rt.h"

#define EC_RESIZE_NEAREST 0
#define EC_RESIZE_LINEAR 1
#define EC_RESIZE_CUBIC 2

#define EC_CTM_HALF_PIXEL 0
#define EC_CTM_HALF_PIXEL_SYMMETRIC 1
#define EC_CTM_PYTORCH_HALF_PIXEL 2
#define EC_CTM_ALIGN_CORNERS 3
#define EC_CTM_ASYMMETRIC 4
#define EC_CTM_TF_CROP_AND_RESIZE 5
#define EC_CTM_TF_HALF_PIXEL_FOR_NN 6

#define EC_NEAREST_ROUND_PREFER_FLOOR 0
#define EC_NEAREST_ROUND_PREFER_CEIL 1
#define EC_NEAREST_FLOOR 2
#define EC_NEAREST_CEIL 3
#define EC_NEAREST_LEGACY 4 /* Upsample / Resize-10: floor up-, ceil downsampling */

#define EC_KEEP_STRETCH 0
#define EC_KEEP_NOT_LARGER 1
#define EC_KEEP_NOT_SMALLER 2

typedef struct {
  int32_t rank;
  int32_t in_dims[6], out_dims[6];
  int32_t n_axes, axes[6]; /* the dims scales/sizes/roi entries apply to */
  int32_t mode, ctm, nearest, policy;
  int32_t exclude_outside, antialias;
  int32_t max_taps;     /* taps per output index in the scratch tables */
  float cubic_a, extrapolation;
} ec_resize_rt_f32_params;

/* Bytes of scratch for p: sum over dims of out_dims * (1 + 2 * max_taps) * 4. */
/* roi, scales and sizes may be NULL (absent); one of scales and sizes is
 * given. scratch: int32-aligned, the size above. */
void ec_resize_rt_f32(const ec_resize_rt_f32_params *p, const float *in, const float *roi,
                      const float *scales, const int64_t *sizes, void *scratch, float *out);

#endif
