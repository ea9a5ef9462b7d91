#include "binary_s8_dsp.h"
#include "dsp_q.h"

/* tab[v + 128] = MBQM((v - zp) << left, m, s) for every int8 v, negated
 * (modulo 2^32) when neg. */
static void ec_rescale_table(int32_t *tab, int32_t zp, int32_t left, int32_t m, int32_t s,
                             int neg) {
  int32_t v;
  for (v = -128; v < 128; ++v) {
    const uint32_t u = (uint32_t)ec_mbqm((int32_t)((uint32_t)(v - zp) << left), m, s);
    tab[v + 128] = (int32_t)(neg ? 0u - u : u);
  }
}

void ec_binary_s8_dsp(const ec_binary_s8_params *p, const int8_t *a, const int8_t *b,
                      int8_t *out, int32_t *tab_scratch) {
  int32_t i;
  const int addsub = p->op == EC_BIN_S8_ADD || p->op == EC_BIN_S8_SUB;
  if (p->rank == 0 && addsub && p->fast_out && !p->tab_a && tab_scratch) {
    ec_rescale_table(tab_scratch, p->a_zp, p->left_shift, p->m1, p->s1, 0);
    ec_rescale_table(tab_scratch + 256, p->b_zp, p->left_shift, p->m2, p->s2,
                     p->op == EC_BIN_S8_SUB);
  }
  if (p->rank == 0 && addsub && (p->tab_a || (tab_scratch && p->fast_out))) {
    const int32_t *ta = (p->tab_a ? p->tab_a : tab_scratch) + 128;
    const int32_t *tb = (p->tab_a ? p->tab_b : tab_scratch + 256) + 128;
    const int32_t n = p->count, zp = p->out_zp, mo = p->mo;
    const int32_t lo = p->act_min > -128 ? p->act_min : -128;
    const int32_t hi = p->act_max < 127 ? p->act_max : 127;
    if (p->fast_out && p->act_min <= 127 && p->act_max >= -128 && p->act_min <= p->act_max) {
      const int32_t e = -p->so;
#if defined(__GNUC__) || defined(__clang__)
      /* opaque to the optimizer, which would otherwise add the 128 to every
       * index inside the loop */
      __asm__("" : "+r"(ta), "+r"(tb));
#endif
      for (i = 0; i < n; ++i) {
        const int32_t raw = ta[a[i]] + tb[b[i]];
        int32_t r = ec_rshr_away(ec_smmulr(raw * 2, mo), e) + zp;
        r = r < lo ? lo : r;
        r = r > hi ? hi : r;
        out[i] = (int8_t)r;
      }
      return;
    }
  }
  ec_binary_s8(p, a, b, out);
}
