#include "attention_f32.h"

#include <math.h>

/* Row j of keys (or values) of batch bi, kv head kh. */
static const float *kv_row(const ec_attention_f32_params *p, const float *cur,
                           const float *past, int32_t sb, int32_t sh, int32_t ss,
                           int32_t width, int32_t bi, int32_t kh, int32_t j) {
  if (j < p->past)
    return past + ((bi * p->hkv + kh) * p->past + j) * width;
  return cur + bi * sb + kh * sh + (j - p->past) * ss;
}

static void copy_present(const ec_attention_f32_params *p, const float *cur,
                         const float *past, int32_t sb, int32_t sh, int32_t ss,
                         int32_t width, float *present) {
  int32_t bi, kh, j, c;
  if (!present) return;
  for (bi = 0; bi < p->b; ++bi)
    for (kh = 0; kh < p->hkv; ++kh)
      for (j = 0; j < p->skv; ++j) {
        const float *src = kv_row(p, cur, past, sb, sh, ss, width, bi, kh, j);
        float *dst = present + ((bi * p->hkv + kh) * p->skv + j) * width;
        for (c = 0; c < width; ++c) dst[c] = src[c];
      }
}

/* The bias of score (bi, hi, i, j) from the mask, causality and padding. */
static float bias_of(const ec_attention_f32_params *p, const void *mask,
                     const int64_t *nonpad, int32_t bi, int32_t hi, int32_t i,
                     int32_t j) {
  float b = 0.0f;
  int64_t offset = p->past;
  if (p->mask_kind != EC_ATT_MASK_NONE) {
    if (j >= p->mask_len) {
      b = -INFINITY;
    } else {
      const int32_t at = bi * p->m_sb + hi * p->m_sh + i * p->m_si + j;
      if (p->mask_kind == EC_ATT_MASK_BOOL)
        b = ((const uint8_t *)mask)[at] ? 0.0f : -INFINITY;
      else
        b = ((const float *)mask)[at];
    }
  }
  if (!p->has_past && nonpad) offset = nonpad[bi] - p->sq;
  if (p->causal && (int64_t)j > (int64_t)i + offset) b += -INFINITY;
  if (nonpad && (int64_t)j >= nonpad[bi]) b += -INFINITY;
  return b;
}

void ec_attention_f32(const ec_attention_f32_params *p, const float *q, const float *k,
                      const float *v, const void *mask, const float *past_k,
                      const float *past_v, const int64_t *nonpad, float *y,
                      float *present_k, float *present_v, float *qk, float *row) {
  const int32_t group = p->hq / p->hkv;
  int32_t bi, hi, i, j, c;
  for (bi = 0; bi < p->b; ++bi)
    for (hi = 0; hi < p->hq; ++hi) {
      const int32_t kh = hi / group;
      for (i = 0; i < p->sq; ++i) {
        const float *qr = q + bi * p->q_sb + hi * p->q_sh + i * p->q_ss;
        float *yr = y + bi * p->y_sb + hi * p->y_sh + i * p->y_ss;
        float *qo = qk ? qk + ((bi * p->hq + hi) * p->sq + i) * p->skv : 0;
        float mx = -INFINITY, sum = 0.0f;
        for (j = 0; j < p->skv; ++j) {
          const float *kr = kv_row(p, k, past_k, p->k_sb, p->k_sh, p->k_ss, p->d, bi, kh, j);
          float acc = 0.0f;
          for (c = 0; c < p->d; ++c) acc += qr[c] * kr[c];
          acc *= p->scale;
          if (p->softcap > 0.0f) acc = p->softcap * tanhf(acc / p->softcap);
          if (qo && p->qk_mode <= 1) qo[j] = acc;
          row[j] = acc + bias_of(p, mask, nonpad, bi, hi, i, j);
          if (qo && p->qk_mode == 2) qo[j] = row[j];
          if (mx < row[j]) mx = row[j];
        }
        for (j = 0; j < p->skv; ++j) {
          row[j] = mx == -INFINITY ? 0.0f : expf(row[j] - mx);
          sum += row[j];
        }
        for (j = 0; j < p->skv; ++j) {
          if (mx != -INFINITY) row[j] /= sum;
          if (qo && p->qk_mode == 3) qo[j] = row[j];
        }
        for (c = 0; c < p->dv; ++c) yr[c] = 0.0f;
        for (j = 0; j < p->skv; ++j) {
          const float *vr = kv_row(p, v, past_v, p->v_sb, p->v_sh, p->v_ss, p->dv, bi, kh, j);
          for (c = 0; c < p->dv; ++c) yr[c] += row[j] * vr[c];
        }
      }
    }
  copy_present(p, k, past_k, p->k_sb, p->k_sh, p->k_ss, p->d, present_k);
  copy_present(p, v, past_v, p->v_sb, p->v_sh, p->v_ss, p->dv, present_v);
}
