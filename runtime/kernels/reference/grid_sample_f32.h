/*
 * Float GridSample over 1 to 3 spatial dims (X [N, C, in...], grid
 * [N, out..., r] with the innermost axis first): each grid point is
 * denormalised per align_corners, rounded half to even for nearest, clamped
 * (border) or reflected (reflection) when outside; linear uses 2 and cubic
 * (a = -0.75) 4 taps per axis, taps outside the image reading 0 (zeros),
 * the clamped (border) or the reflected pixel. Sums in double, as the ONNX
 * reference.
 */
#ifndef EDGEC_GRID_SAMPLE_F32_H
#define EDGEC_GRID_SAMPLE_F32_H

#include "edgec_rt.h"

#define EC_GS_NEAREST 0
#define EC_GS_LINEAR 1
#define EC_GS_CUBIC 2

#define EC_GS_ZEROS 0
#define EC_GS_BORDER 1
#define EC_GS_REFLECTION 2

typedef struct {
  int32_t n, c, rank;
  int32_t in[3], out[3];
  int32_t mode, padding, align_corners;
} ec_grid_sample_f32_params;

void ec_grid_sample_f32(const ec_grid_sample_f32_params *p, const float *x, const float *grid,
                        float *out);

#endif
