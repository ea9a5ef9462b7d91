#include "pool_s8.h"

void ec_pool_s8(const ec_pool_s8_params *p, const int8_t *in, int8_t *out) {
  int32_t b, c, oh, ow, kh, kw;
  for (b = 0; b < p->batch; ++b)
    for (c = 0; c < p->channels; ++c) {
      const int8_t *ip = in + (size_t)b * (size_t)p->in_sn + (size_t)c * (size_t)p->in_sc;
      int8_t *op = out + (size_t)b * (size_t)p->out_sn + (size_t)c * (size_t)p->out_sc;
      for (oh = 0; oh < p->out_h; ++oh)
        for (ow = 0; ow < p->out_w; ++ow) {
          const int32_t h0 = oh * p->stride_h - p->pad_t, w0 = ow * p->stride_w - p->pad_l;
          int32_t acc = 0, count = 0, pad = 0, mx = -128, r;
          if (h0 >= 0 && w0 >= 0 && h0 + (p->k_h - 1) * p->dil_h < p->in_h &&
              w0 + (p->k_w - 1) * p->dil_w < p->in_w) {
            /* the window inside the image: no bounds checks */
            const int32_t xs = p->dil_w * p->in_sw, ys = p->dil_h * p->in_sh, KW = p->k_w;
            const int8_t *row = ip + (size_t)h0 * (size_t)p->in_sh + (size_t)w0 * (size_t)p->in_sw;
            count = p->k_h * KW;
            if (p->mode == EC_POOL_S8_MAX) {
              for (kh = 0; kh < p->k_h; ++kh, row += ys) {
                const int8_t *x = row;
                for (kw = 0; kw < KW; ++kw, x += xs) {
                  const int32_t v = *x;
                  mx = v > mx ? v : mx;
                }
              }
            } else {
              for (kh = 0; kh < p->k_h; ++kh, row += ys) {
                const int8_t *x = row;
                for (kw = 0; kw + 1 < KW; kw += 2, x += 2 * xs) acc += (int32_t)x[0] + (int32_t)x[xs];
                if (kw < KW) acc += *x;
              }
            }
          } else
          for (kh = 0; kh < p->k_h; ++kh) {
            const int32_t ih = h0 + kh * p->dil_h;
            for (kw = 0; kw < p->k_w; ++kw) {
              const int32_t iw = w0 + kw * p->dil_w;
              if (ih >= 0 && ih < p->in_h && iw >= 0 && iw < p->in_w) {
                const int32_t v = ip[(size_t)ih * (size_t)p->in_sh + (size_t)iw * (size_t)p->in_sw];
                acc += v;
                if (v > mx) mx = v;
                ++count;
              } else if (ih < p->lim_h && iw < p->lim_w) {
                ++pad;
              }
            }
          }
          if (p->mode == EC_POOL_S8_MAX) {
            r = p->requant ? p->requant[mx + 128] : mx;
          } else if (p->mode == EC_POOL_S8_AVG_RESCALE) {
            const int32_t off = acc - count * p->in_zp;
            if (p->include_pad) count += pad;
            r = ec_mbqm(off, p->count_mult[count], p->count_shift[count]);
            r = ec_clamp_i32(r, -128 - p->out_zp, 127 - p->out_zp) + p->out_zp;
          } else {
            if (p->include_pad) {
              acc += pad * p->in_zp;
              count += pad;
            }
            r = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          }
          op[(size_t)oh * (size_t)p->out_sh + (size_t)ow * (size_t)p->out_sw] =
              (int8_t)ec_clamp_i32(r, p->act_min, p->act_max);
        }
    }
}

void ec_mean_s8(const ec_mean_s8_params *p, const int8_t *in, int8_t *out) {
  const int32_t n = p->reduce, inner = p->inner;
  int32_t o, i, k;
  for (o = 0; o < p->outer; ++o)
    for (i = 0; i < inner; ++i) {
      const int8_t *x = in + (size_t)o * (size_t)n * (size_t)inner + i;
      int32_t acc = 0, mx = -128, r;
      for (k = 0; k < n; ++k) {
        const int32_t v = x[(size_t)k * (size_t)inner];
        acc += v;
        if (v > mx) mx = v;
      }
      if (p->mode == EC_MEAN_MAX) {
        r = p->requant ? p->requant[mx + 128] : mx;
      } else if (p->mode == EC_MEAN_RESCALE) {
        r = ec_mbqm(acc - n * p->in_zp, p->mult, p->shift);
        r = ec_clamp_i32(r, -128 - p->out_zp, 127 - p->out_zp) + p->out_zp;
      } else {
        r = acc / n;
      }
      out[(size_t)o * (size_t)inner + i] = (int8_t)ec_clamp_i32(r, p->act_min, p->act_max);
    }
}
