/*
 * Float ONNX Attention (opsets 23/24), as the interpreter computes it
 * (lib/interp/kernels/Attention.cpp), in float instead of double:
 *   scores[i][j] = scale * dot(Q[b,h,i,:], K[b,h/group,j,:]),
 *   softcapped (softcap * tanh(s / softcap)) when softcap > 0, plus the
 *   bias: attn_mask (float: added; bool: 0 or -inf; j >= mask_len: -inf),
 *   -inf where causal and j > i + offset (offset: the past length, or
 *   nonpad_kv_seqlen[b] - sq without a past), -inf where j >=
 *   nonpad_kv_seqlen[b]; softmax over j (a row of only -inf gives zeros);
 *   Y[b,h,i,:] = sum_j p[j] * V[b,h/group,j,:].
 * Keys and values j < past come from past_key/past_value [b, hkv, past, d],
 * the rest from K/V; present_key/present_value [b, hkv, skv, d] receive
 * the concatenation when not null. Q, K, V and Y are addressed by strides
 * (3-D [B, S, H*D] or 4-D [B, H, S, D]); a mask's rank 1..4 shape is
 * broadcast by its strides. qk (when not null,
 * [b, hq, sq, skv]) receives the scores per qk_mode: 0/1 softcapped scores,
 * 2 with the bias added, 3 the probabilities.
 */
#ifndef EDGEC_ATTENTION_F32_H
#define EDGEC_ATTENTION_F32_H

#include "edgec_rt.h"

#define EC_ATT_MASK_NONE 0
#define EC_ATT_MASK_FLOAT 1
#define EC_ATT_MASK_BOOL 2

typedef struct {
  int32_t b, hq, hkv, sq, skv, d, dv;
  int32_t past, has_past;     /* past_key's length; 1 when given */
  int32_t q_sb, q_sh, q_ss;   /* element strides of Q's b, h, s */
  int32_t k_sb, k_sh, k_ss;   /* of K (the new keys) */
  int32_t v_sb, v_sh, v_ss;   /* of V */
  int32_t y_sb, y_sh, y_ss;   /* of Y */
  int32_t mask_kind;          /* EC_ATT_MASK_* */
  int32_t m_sb, m_sh, m_si;   /* mask strides of b, h, i (0: broadcast) */
  int32_t mask_len;           /* the mask's last dim (<= skv) */
  float scale, softcap;       /* softcap 0: none */
  int32_t causal, qk_mode;
} ec_attention_f32_params;

/* scratch: skv floats. mask is float or bool (uint8) per mask_kind;
 * past_k/past_v, nonpad (int64 [b]), present_k/present_v and qk may be null. */
void ec_attention_f32(const ec_attention_f32_params *p, const float *q, const float *k,
                      const float *v, const void *mask, const float *past_k,
                      const float *past_v, const int64_t *nonpad, float *y,
                      float *present_k, float *present_v, float *qk, float *scratch);

#endif
