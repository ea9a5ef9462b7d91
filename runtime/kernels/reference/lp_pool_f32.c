#include "lp_pool_f32.h"

#include <math.h>

void ec_lp_pool_f32(const ec_lp_pool_f32_params *p, const float *in, float *out) {
  int32_t i, a, o[3], kk[3], in_size = 1, out_size = 1;
  const double pw = (double)p->p;
  for (a = 0; a < p->rank; ++a) {
    in_size *= p->in[a];
    out_size *= p->out[a];
  }
  for (i = 0; i < p->planes; ++i) {
    const float *x = in + i * in_size;
    int32_t oi;
    for (a = 0; a < p->rank; ++a) o[a] = 0;
    for (oi = 0; oi < out_size; ++oi) {
      double acc = 0;
      int done = 0;
      for (a = 0; a < p->rank; ++a) kk[a] = 0;
      while (!done) {
        int32_t off = 0, inside = 1;
        for (a = 0; a < p->rank; ++a) {
          const int32_t c = o[a] * p->s[a] - p->pad[a] + kk[a] * p->d[a];
          if (c < 0 || c >= p->in[a]) inside = 0;
          off = off * p->in[a] + c;
        }
        if (inside) {
          const double v = fabs((double)x[off]);
          acc += pw == 2.0 ? v * v : pw == 1.0 ? v : pow(v, pw);
        }
        for (a = p->rank - 1; a >= 0; --a) {
          if (++kk[a] < p->k[a]) break;
          kk[a] = 0;
        }
        done = a < 0;
      }
      out[i * out_size + oi] = (float)pow(acc, 1.0 / pw);
      for (a = p->rank - 1; a >= 0; --a) {
        if (++o[a] < p->out[a]) break;
        o[a] = 0;
      }
    }
  }
}
