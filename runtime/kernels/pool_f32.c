#include "pool_f32.h"

#include "activation_f32.h"

#include <math.h>

void ec_pool_f32(const ec_pool_f32_params *p, const float *in, float *out) {
  int32_t n, c, y, x, ky, kx;
  for (n = 0; n < p->n; ++n)
    for (c = 0; c < p->c; ++c) {
      const float *ic = in + n * p->in_sn + c * p->in_sc;
      float *oc = out + n * p->out_sn + c * p->out_sc;
      for (y = 0; y < p->oh; ++y)
        for (x = 0; x < p->ow; ++x) {
          float acc = p->kind == EC_POOL_MAX ? -INFINITY : 0.0f;
          int32_t count = 0;
          for (ky = 0; ky < p->kh; ++ky) {
            int32_t iy = y * p->sh - p->pt + ky * p->dh;
            int32_t yin = iy >= 0 && iy < p->ih;
            int32_t ypad = iy >= -p->pt && iy < p->ih + p->pb;
            for (kx = 0; kx < p->kw; ++kx) {
              int32_t ix = x * p->sw - p->pl + kx * p->dw;
              if (yin && ix >= 0 && ix < p->iw) {
                float v = ic[iy * p->in_sh + ix * p->in_sw];
                if (p->kind == EC_POOL_MAX) {
                  if (v > acc || count == 0) acc = v;
                } else {
                  acc += v;
                }
                ++count;
              } else if (p->count_include_pad && ypad && ix >= -p->pl &&
                         ix < p->iw + p->pr) {
                ++count;
              }
            }
          }
          if (p->kind == EC_POOL_AVG) acc = count > 0 ? acc / (float)count : 0.0f;
          oc[y * p->out_sh + x * p->out_sw] = ec_activate_f32(acc, &p->act);
        }
    }
}
