#include "cumsum_any.h"

#include <string.h>

void ec_cumsum(const ec_cumsum_params *p, const void *in, const void *axis, void *out) {
  int64_t a = p->axis_bytes == 8 ? *(const int64_t *)axis : (int64_t)*(const int32_t *)axis;
  int32_t outer = 1, inner = 1, n, o, k, j, d, total = 1;
  for (d = 0; d < p->rank; ++d) total *= p->dims[d];
  if (a < 0) a += p->rank;
  if (a < 0 || a >= p->rank) {
    memset(out, 0, (size_t)total * (p->type == EC_CUMSUM_I64 ? 8u : 4u));
    return;
  }
  for (d = 0; d < (int32_t)a; ++d) outer *= p->dims[d];
  for (d = (int32_t)a + 1; d < p->rank; ++d) inner *= p->dims[d];
  n = p->dims[a];
  for (o = 0; o < outer; ++o)
    for (k = 0; k < inner; ++k) {
      double fs = p->product ? 1.0 : 0.0;
      uint64_t is = p->product ? 1u : 0u;
      for (j = 0; j < n; ++j) {
        const int32_t jj = p->reverse ? n - 1 - j : j;
        const int32_t i = (o * n + jj) * inner + k;
        if (p->type == EC_CUMSUM_I64) {
          const uint64_t v = (uint64_t)((const int64_t *)in)[i];
          if (!p->exclusive) is = p->product ? is * v : is + v;
          ((int64_t *)out)[i] = (int64_t)is;
          if (p->exclusive) is = p->product ? is * v : is + v;
        } else if (p->type == EC_CUMSUM_I32) {
          const uint64_t v = (uint64_t)(int64_t)((const int32_t *)in)[i];
          if (!p->exclusive) is = p->product ? is * v : is + v;
          ((int32_t *)out)[i] = (int32_t)(uint32_t)is;
          if (p->exclusive) is = p->product ? is * v : is + v;
        } else {
          const double v = (double)((const float *)in)[i];
          if (!p->exclusive) fs = p->product ? fs * v : fs + v;
          ((float *)out)[i] = (float)fs;
          if (p->exclusive) fs = p->product ? fs * v : fs + v;
        }
      }
    }
}
