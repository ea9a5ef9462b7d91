#include "topk_any.h"

#include <math.h>
#include <string.h>

/* Whether element a comes before element b (flat offsets ia, ib; indices
 * along the axis a, b). */
static int before(const ec_topk_params *p, const void *in, int32_t ia, int32_t a, int32_t ib,
                  int32_t b) {
  if (p->type == EC_TOPK_F32) {
    const float va = ((const float *)in)[ia], vb = ((const float *)in)[ib];
    const int na = isnan(va) != 0, nb = isnan(vb) != 0;
    if (na || nb) return na && nb ? a < b : (p->largest ? na : nb);
    if (va != vb) return p->largest ? va > vb : va < vb;
  } else {
    const int64_t va = p->type == EC_TOPK_I32 ? ((const int32_t *)in)[ia] : ((const int64_t *)in)[ia];
    const int64_t vb = p->type == EC_TOPK_I32 ? ((const int32_t *)in)[ib] : ((const int64_t *)in)[ib];
    if (va != vb) return p->largest ? va > vb : va < vb;
  }
  return a < b;
}

void ec_topk(const ec_topk_params *p, const void *in, void *values, int64_t *indices) {
  const size_t size = p->type == EC_TOPK_I64 ? 8u : 4u;
  int32_t o, c, j, e;
  for (o = 0; o < p->outer; ++o)
    for (c = 0; c < p->inner; ++c) {
      const int32_t base = o * p->n * p->inner + c;
      int32_t prev = -1;
      for (j = 0; j < p->k; ++j) {
        int32_t best = -1;
        const int32_t oi = (o * p->k + j) * p->inner + c;
        for (e = 0; e < p->n; ++e) {
          const int32_t ie = base + e * p->inner;
          if (prev >= 0 && !before(p, in, base + prev * p->inner, prev, ie, e)) continue;
          if (best < 0 || before(p, in, ie, e, base + best * p->inner, best)) best = e;
        }
        if (best < 0) best = 0; /* unreachable: k <= n */
        memcpy((uint8_t *)values + (size_t)oi * size,
               (const uint8_t *)in + (size_t)(base + best * p->inner) * size, size);
        indices[oi] = best;
        prev = best;
      }
    }
}
