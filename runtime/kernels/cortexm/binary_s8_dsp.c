#include "binary_s8_dsp.h"
#include "dsp_q.h"

void ec_binary_s8_dsp(const ec_binary_s8_params *p, const int8_t *a, const int8_t *b,
                      int8_t *out) {
  int32_t i;
  if (p->rank == 0 && p->tab_a && (p->op == EC_BIN_S8_ADD || p->op == EC_BIN_S8_SUB)) {
    const int32_t *ta = p->tab_a + 128, *tb = p->tab_b + 128;
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
