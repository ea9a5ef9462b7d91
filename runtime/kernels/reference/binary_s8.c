#include "binary_s8.h"

static int32_t ec_binary_one(const ec_binary_s8_params *p, int32_t x, int32_t y) {
  int32_t r;
  switch (p->op) {
  case EC_BIN_S8_ADD:
  case EC_BIN_S8_SUB: {
    const int32_t u = ec_mbqm((int32_t)((uint32_t)(x - p->a_zp) << p->left_shift), p->m1, p->s1);
    const int32_t v = ec_mbqm((int32_t)((uint32_t)(y - p->b_zp) << p->left_shift), p->m2, p->s2);
    const int32_t raw = (int32_t)(p->op == EC_BIN_S8_ADD ? (uint32_t)u + (uint32_t)v
                                                      : (uint32_t)u - (uint32_t)v);
    r = ec_mbqm(raw, p->mo, p->so);
    r = ec_clamp_i32(r, -128 - p->out_zp, 127 - p->out_zp) + p->out_zp;
    break;
  }
  case EC_BIN_S8_MUL:
    r = ec_mbqm((x - p->a_zp) * (y - p->b_zp), p->mo, p->so);
    r = ec_clamp_i32(r, -128 - p->out_zp, 127 - p->out_zp) + p->out_zp;
    break;
  default: {
    const int32_t u = p->lut_a ? p->lut_a[x + 128] : x;
    const int32_t v = p->lut_b ? p->lut_b[y + 128] : y;
    r = p->op == EC_BIN_S8_MAX ? (u > v ? u : v) : (u < v ? u : v);
    break;
  }
  }
  return ec_clamp_i32(r, p->act_min, p->act_max);
}

void ec_binary_s8(const ec_binary_s8_params *p, const int8_t *a, const int8_t *b,
                  int8_t *out) {
  int32_t i;
  if (p->rank == 0 && p->tab_a && (p->op == EC_BIN_S8_ADD || p->op == EC_BIN_S8_SUB)) {
    const int32_t *const ta = p->tab_a + 128, *const tb = p->tab_b + 128;
    const int32_t n = p->count, zp = p->out_zp, mo = p->mo;
    for (i = 0; i < n; ++i) {
      const int32_t raw = (int32_t)((uint32_t)ta[a[i]] + (uint32_t)tb[b[i]]);
      int32_t r = ec_mbqm(raw, mo, p->so);
      r = ec_clamp_i32(r, -128 - zp, 127 - zp) + zp;
      out[i] = (int8_t)ec_clamp_i32(r, p->act_min, p->act_max);
    }
    return;
  }
  if (p->rank == 0) {
    for (i = 0; i < p->count; ++i) out[i] = (int8_t)ec_binary_one(p, a[i], b[i]);
    return;
  }
  {
    int32_t idx[EC_BIN_S8_MAX_RANK] = {0, 0, 0, 0, 0, 0};
    int32_t oa = 0, ob = 0, d;
    const int32_t last = p->rank - 1;
    for (i = 0; i < p->count; ++i) {
      out[i] = (int8_t)ec_binary_one(p, a[oa], b[ob]);
      for (d = last; d >= 0; --d) {
        oa += p->sa[d];
        ob += p->sb[d];
        if (++idx[d] < p->dims[d]) break;
        oa -= p->sa[d] * p->dims[d];
        ob -= p->sb[d] * p->dims[d];
        idx[d] = 0;
      }
    }
  }
}
