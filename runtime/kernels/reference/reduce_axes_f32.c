#include "reduce_axes_f32.h"

#include <math.h>

void ec_reduce_axes_f32(const ec_reduce_axes_f32_params *p, const float *in,
                        const int64_t *axes, float *out) {
  ec_reduce_f32_params q;
  int32_t red[8], st[8], d, count = 1;
  for (d = 0; d < p->rank; ++d) red[d] = p->naxes == 0 && !p->noop;
  for (d = 0; d < p->naxes; ++d) {
    const int64_t a = axes[d] < 0 ? axes[d] + p->rank : axes[d];
    if (a < 0 || a >= p->rank) count = -1;
    else red[a] = 1;
  }
  q.op = p->op;
  q.keep_rank = q.red_rank = 0;
  for (d = p->rank - 1; d >= 0; --d) st[d] = d == p->rank - 1 ? 1 : st[d + 1] * p->dims[d + 1];
  for (d = 0; d < p->rank && count >= 0; ++d) {
    if (p->dims[d] == 1) continue;
    if (red[d]) {
      q.red_dims[q.red_rank] = p->dims[d];
      q.red_str[q.red_rank++] = st[d];
    } else {
      q.keep_dims[q.keep_rank] = p->dims[d];
      q.keep_str[q.keep_rank++] = st[d];
      count *= p->dims[d];
    }
  }
  if (count != p->out_count) {
    for (d = 0; d < p->out_count; ++d) out[d] = NAN;
    return;
  }
  ec_reduce_f32(&q, in, out);
}
