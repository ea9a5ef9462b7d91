// Attention (opsets 23, 24) and RotaryEmbedding (opset 23).
//
// Attention follows the ONNX reference: 3-D Q/K/V [B, S, H*D] are split into
// heads; past_key/past_value are concatenated in front of K/V along the
// sequence axis (giving present_key/present_value); the bias combines
// attn_mask (bool: false = masked; float: added; a last dim shorter than the
// total sequence is padded with masked entries), the causal mask
// (bottom-right aligned: query i sees key j iff j <= i + offset, where offset
// is the past length, or nonpad_kv_seqlen[b] - q_len without a past) and
// the nonpad_kv_seqlen padding mask. Scores are softcapped *before* the bias
// is added (so -inf stays -inf). Grouped-query attention maps query head h to
// KV head h / (Hq / Hkv). All math is in float; outputs take Q's type.
//
// A fully masked row (every score -inf) gets all-zero probabilities, hence a
// zero output row (as the ONNX conformance tests expect), instead of NaN.
#include "interp/KernelUtil.h"

#include <cmath>
#include <limits>

namespace edgec {
namespace {

std::vector<float> toFloats(const Tensor &t) {
  std::vector<float> v((size_t)t.numElements());
  dispatchType(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *d = t.data<T>();
    for (size_t i = 0; i < v.size(); ++i) v[i] = (float)d[i];
  });
  return v;
}

Tensor fromFloats(DataType dt, const TensorShape &shape,
                  const std::vector<float> &v) {
  Tensor t(dt, shape);
  dispatchType(dt, [&](auto tag) {
    using T = decltype(tag);
    T *d = t.data<T>();
    for (size_t i = 0; i < v.size(); ++i) d[i] = T(v[i]);
  });
  return t;
}

/// A [B, H, S, D] float view built from a 3-D [B, S, H*D] or 4-D tensor.
struct Heads {
  int64_t b = 0, h = 0, s = 0, d = 0;
  std::vector<float> v;
  float *at(int64_t bi, int64_t hi, int64_t si) {
    return v.data() + ((bi * h + hi) * s + si) * d;
  }
};

Expected<Heads> toHeads(const NodeContext &ctx, const Tensor &t,
                        int64_t numHeads, const char *what) {
  Heads r;
  std::vector<float> src = toFloats(t);
  if (t.rank() == 4) {
    r.b = t.dim(0), r.h = t.dim(1), r.s = t.dim(2), r.d = t.dim(3);
    r.v = std::move(src);
    return r;
  }
  if (t.rank() != 3)
    return ctx.error(std::string(what) + " must have rank 3 or 4");
  if (numHeads <= 0 || t.dim(2) % numHeads != 0)
    return ctx.error(std::string(what) + " hidden size " +
                     std::to_string(t.dim(2)) +
                     " is not divisible by the head count " +
                     std::to_string(numHeads));
  r.b = t.dim(0), r.h = numHeads, r.s = t.dim(1), r.d = t.dim(2) / numHeads;
  r.v.resize(src.size());
  for (int64_t bi = 0; bi < r.b; ++bi)
    for (int64_t si = 0; si < r.s; ++si)
      for (int64_t hi = 0; hi < r.h; ++hi)
        for (int64_t di = 0; di < r.d; ++di)
          r.v[((bi * r.h + hi) * r.s + si) * r.d + di] =
              src[((bi * r.s + si) * r.h + hi) * r.d + di];
  return r;
}

/// Concatenates past (may be absent) and cur along the sequence axis.
Expected<Heads> concatPast(const NodeContext &ctx, const Tensor *past,
                           Heads cur, const char *what) {
  if (!past) return cur;
  if (past->rank() != 4 || past->dim(0) != cur.b || past->dim(1) != cur.h ||
      past->dim(3) != cur.d)
    return ctx.error(std::string(what) + " has shape " +
                     shapeToString(past->shape()) + ", incompatible with " +
                     "[" + std::to_string(cur.b) + "," + std::to_string(cur.h) +
                     ",*," + std::to_string(cur.d) + "]");
  Heads r;
  r.b = cur.b, r.h = cur.h, r.d = cur.d, r.s = past->dim(2) + cur.s;
  std::vector<float> p = toFloats(*past);
  r.v.resize((size_t)(r.b * r.h * r.s * r.d));
  int64_t ps = past->dim(2);
  for (int64_t bi = 0; bi < r.b; ++bi)
    for (int64_t hi = 0; hi < r.h; ++hi) {
      float *dst = r.at(bi, hi, 0);
      const float *pp = p.data() + (bi * r.h + hi) * ps * r.d;
      std::copy(pp, pp + ps * r.d, dst);
      const float *cp = cur.at(bi, hi, 0);
      std::copy(cp, cp + cur.s * r.d, dst + ps * r.d);
    }
  return r;
}

Status runAttention(KernelContext &ctx) {
  const Tensor &q = ctx.input(0);
  DataType dt = q.dtype();
  if (!isFloatType(dt)) return ctx.error("Q must be floating point");
  if (q.rank() != ctx.input(1).rank() || q.rank() != ctx.input(2).rank())
    return ctx.error("Q, K and V must have the same rank");
  int64_t qHeads = ctx.attrInt("q_num_heads", 0);
  int64_t kvHeads = ctx.attrInt("kv_num_heads", 0);
  EDGEC_ASSIGN_OR_RETURN(Heads Q, toHeads(ctx, q, qHeads, "Q"));
  EDGEC_ASSIGN_OR_RETURN(Heads K, toHeads(ctx, ctx.input(1), kvHeads, "K"));
  EDGEC_ASSIGN_OR_RETURN(Heads V, toHeads(ctx, ctx.input(2), kvHeads, "V"));
  const Tensor *pastK = ctx.hasInput(4) ? &ctx.input(4) : nullptr;
  const Tensor *pastV = ctx.hasInput(5) ? &ctx.input(5) : nullptr;
  int64_t pastLen = pastK ? (pastK->rank() == 4 ? pastK->dim(2) : 0) : 0;
  EDGEC_ASSIGN_OR_RETURN(K, concatPast(ctx, pastK, std::move(K), "past_key"));
  EDGEC_ASSIGN_OR_RETURN(V,
                         concatPast(ctx, pastV, std::move(V), "past_value"));
  if (K.b != Q.b || V.b != Q.b) return ctx.error("batch sizes differ");
  if (K.d != Q.d) return ctx.error("Q and K head sizes differ");
  if (K.s != V.s || K.h != V.h)
    return ctx.error("K and V sequence lengths or head counts differ");
  if (K.h == 0 || Q.h % K.h != 0)
    return ctx.error("q head count " + std::to_string(Q.h) +
                     " is not a multiple of the kv head count " +
                     std::to_string(K.h));
  int64_t B = Q.b, Hq = Q.h, Sq = Q.s, D = Q.d, Hkv = K.h, Skv = K.s,
          Dv = V.d;
  int64_t group = Hq / Hkv;
  double scale = ctx.hasAttr("scale") ? (double)ctx.attrFloat("scale", 1.0f)
                                      : 1.0 / std::sqrt((double)D);
  float softcap = ctx.attrFloat("softcap", 0.0f);
  bool causal = ctx.attrInt("is_causal", 0) != 0;
  int64_t qkMode = ctx.attrInt("qk_matmul_output_mode", 0);
  const float inf = std::numeric_limits<float>::infinity();

  // Bias [B, Hq, Sq, Skv] built from the mask pieces.
  EDGEC_ASSIGN_OR_RETURN(Tensor biasCheck,
                         Tensor::create(DataType::Float32, {B, Hq, Sq, Skv}));
  (void)biasCheck;
  std::vector<float> bias((size_t)(B * Hq * Sq * Skv), 0.0f);
  if (ctx.hasInput(3)) {
    const Tensor &m = ctx.input(3);
    if (m.rank() < 1 || m.rank() > 4)
      return ctx.error("attn_mask must have rank 1 to 4");
    bool isBool = m.dtype() == DataType::Bool;
    // Right-aligned broadcast against [B, Hq, Sq, Skv]; the last dim may be
    // shorter (padded with masked entries).
    TensorShape full{B, Hq, Sq, Skv};
    TensorShape ms(4, 1);
    for (size_t i = 0; i < m.rank(); ++i) ms[4 - m.rank() + i] = m.dim(i);
    for (int a = 0; a < 3; ++a)
      if (ms[a] != 1 && ms[a] != full[a])
        return ctx.error("attn_mask shape " + shapeToString(m.shape()) +
                         " does not broadcast to " + shapeToString(full));
    if (ms[3] > Skv)
      return ctx.error("attn_mask is longer than the total sequence");
    std::vector<double> mv = m.toDoubleVector();
    for (int64_t bi = 0; bi < B; ++bi)
      for (int64_t hi = 0; hi < Hq; ++hi)
        for (int64_t i = 0; i < Sq; ++i)
          for (int64_t j = 0; j < Skv; ++j) {
            float v;
            if (j >= ms[3]) {
              v = -inf;
            } else {
              int64_t idx =
                  (((ms[0] == 1 ? 0 : bi) * ms[1] + (ms[1] == 1 ? 0 : hi)) *
                       ms[2] +
                   (ms[2] == 1 ? 0 : i)) *
                      ms[3] +
                  j;
              v = isBool ? (mv[idx] != 0 ? 0.0f : -inf) : (float)mv[idx];
            }
            bias[((bi * Hq + hi) * Sq + i) * Skv + j] = v;
          }
  }
  std::vector<int64_t> nonpad;
  if (ctx.hasInput(6)) {
    nonpad = ctx.input(6).toInt64Vector();
    if ((int64_t)nonpad.size() != B)
      return ctx.error("nonpad_kv_seqlen must have one entry per batch");
  }
  for (int64_t bi = 0; bi < B; ++bi) {
    int64_t offset = pastLen;
    if (!pastK && !nonpad.empty()) offset = nonpad[bi] - Sq;
    for (int64_t hi = 0; hi < Hq; ++hi)
      for (int64_t i = 0; i < Sq; ++i)
        for (int64_t j = 0; j < Skv; ++j) {
          float &b = bias[((bi * Hq + hi) * Sq + i) * Skv + j];
          if (causal && j > i + offset) b += -inf;
          if (!nonpad.empty() && j >= nonpad[bi]) b += -inf;
        }
  }

  std::vector<float> y((size_t)(B * Hq * Sq * Dv), 0.0f);
  bool wantQk = ctx.wantsOutput(3);
  std::vector<float> qkOut(wantQk ? (size_t)(B * Hq * Sq * Skv) : 0);
  std::vector<double> row((size_t)Skv), raw((size_t)Skv);
  for (int64_t bi = 0; bi < B; ++bi)
    for (int64_t hi = 0; hi < Hq; ++hi) {
      int64_t kh = hi / group;
      for (int64_t i = 0; i < Sq; ++i) {
        const float *qr = Q.at(bi, hi, i);
        const float *br = bias.data() + ((bi * Hq + hi) * Sq + i) * Skv;
        for (int64_t j = 0; j < Skv; ++j) {
          const float *kr = K.at(bi, kh, j);
          double acc = 0;
          for (int64_t d = 0; d < D; ++d) acc += (double)qr[d] * kr[d];
          acc *= scale;
          raw[j] = acc;
          if (softcap > 0) acc = softcap * std::tanh(acc / softcap);
          row[j] = acc + br[j];
        }
        float *qo = wantQk ? qkOut.data() + ((bi * Hq + hi) * Sq + i) * Skv
                           : nullptr;
        if (qo && qkMode == 0)
          for (int64_t j = 0; j < Skv; ++j)
            qo[j] = (float)(softcap > 0 ? softcap * std::tanh(raw[j] / softcap)
                                        : raw[j]);
        if (qo && qkMode == 1)
          for (int64_t j = 0; j < Skv; ++j)
            qo[j] = (float)(softcap > 0 ? softcap * std::tanh(raw[j] / softcap)
                                        : raw[j]);
        if (qo && qkMode == 2)
          for (int64_t j = 0; j < Skv; ++j) qo[j] = (float)row[j];
        // Softmax over the row.
        double mx = -std::numeric_limits<double>::infinity();
        for (int64_t j = 0; j < Skv; ++j) mx = std::max(mx, row[j]);
        if (mx == -std::numeric_limits<double>::infinity()) {
          std::fill(row.begin(), row.end(), 0.0);
        } else {
          double sum = 0;
          for (int64_t j = 0; j < Skv; ++j) {
            row[j] = std::exp(row[j] - mx);
            sum += row[j];
          }
          for (int64_t j = 0; j < Skv; ++j) row[j] /= sum;
        }
        if (qo && qkMode == 3)
          for (int64_t j = 0; j < Skv; ++j) qo[j] = (float)row[j];
        float *yr = y.data() + ((bi * Hq + hi) * Sq + i) * Dv;
        for (int64_t j = 0; j < Skv; ++j) {
          const float *vr = V.at(bi, kh, j);
          double p = row[j];
          for (int64_t d = 0; d < Dv; ++d) yr[d] += (float)(p * vr[d]);
        }
      }
    }

  if (q.rank() == 4) {
    ctx.outputs[0] = fromFloats(dt, {B, Hq, Sq, Dv}, y);
  } else {
    std::vector<float> y3(y.size());
    for (int64_t bi = 0; bi < B; ++bi)
      for (int64_t hi = 0; hi < Hq; ++hi)
        for (int64_t i = 0; i < Sq; ++i)
          for (int64_t d = 0; d < Dv; ++d)
            y3[((bi * Sq + i) * Hq + hi) * Dv + d] =
                y[((bi * Hq + hi) * Sq + i) * Dv + d];
    ctx.outputs[0] = fromFloats(dt, {B, Sq, Hq * Dv}, y3);
  }
  if (ctx.wantsOutput(1))
    ctx.outputs[1] = fromFloats(dt, {B, Hkv, Skv, D}, K.v);
  if (ctx.wantsOutput(2))
    ctx.outputs[2] = fromFloats(dt, {B, Hkv, Skv, Dv}, V.v);
  if (wantQk) ctx.outputs[3] = fromFloats(dt, {B, Hq, Sq, Skv}, qkOut);
  return Status::ok();
}

// ---------------------------------------------------------- RotaryEmbedding

Status runRotaryEmbedding(KernelContext &ctx) {
  const Tensor &x = ctx.input(0);
  DataType dt = x.dtype();
  if (!isFloatType(dt)) return ctx.error("input must be floating point");
  int64_t numHeads = ctx.attrInt("num_heads", 0);
  bool interleaved = ctx.attrInt("interleaved", 0) != 0;
  // Work in [B, S, H, D] (the reference's layout), from 4-D [B, H, S, D] or
  // 3-D [B, S, H*D].
  int64_t B, S, H, D;
  if (x.rank() == 4) {
    B = x.dim(0), H = x.dim(1), S = x.dim(2), D = x.dim(3);
  } else if (x.rank() == 3) {
    if (numHeads <= 0 || x.dim(2) % numHeads != 0)
      return ctx.error("num_heads must divide the hidden size of a 3-D input");
    B = x.dim(0), S = x.dim(1), H = numHeads, D = x.dim(2) / numHeads;
  } else {
    return ctx.error("input must have rank 3 or 4");
  }
  int64_t rd = ctx.attrInt("rotary_embedding_dim", 0);
  if (rd == 0) rd = D;
  if (rd < 0 || rd > D || rd % 2 != 0)
    return ctx.error("rotary_embedding_dim must be even and at most the head "
                     "size");
  int64_t half = rd / 2;
  std::vector<float> xs = toFloats(x);
  std::vector<float> cosC = toFloats(ctx.input(1)),
                     sinC = toFloats(ctx.input(2));
  const Tensor &cc = ctx.input(1);
  if (ctx.input(2).shape() != cc.shape())
    return ctx.error("cos_cache and sin_cache shapes differ");
  // Row of the cos/sin caches for (b, s).
  std::vector<int64_t> rowOf((size_t)(B * S));
  if (ctx.hasInput(3)) {
    const Tensor &p = ctx.input(3);
    if (cc.rank() != 2 || cc.dim(1) != half)
      return ctx.error("cos_cache must be [max_position, rotary_dim / 2]");
    if (p.numElements() != B * S)
      return ctx.error("position_ids must have shape [batch, sequence]");
    std::vector<int64_t> pv = p.toInt64Vector();
    for (size_t i = 0; i < pv.size(); ++i) {
      if (pv[i] < 0 || pv[i] >= cc.dim(0))
        return ctx.error("position id " + std::to_string(pv[i]) +
                             " is outside the cache",
                         ErrorCode::InvalidInput);
      rowOf[i] = pv[i];
    }
  } else {
    if (cc.rank() != 3 || cc.dim(0) != B || cc.dim(1) != S ||
        cc.dim(2) != half)
      return ctx.error("cos_cache must be [batch, sequence, rotary_dim / 2] "
                       "without position_ids");
    for (int64_t i = 0; i < B * S; ++i) rowOf[i] = i;
  }
  std::vector<float> out = xs;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t s = 0; s < S; ++s) {
      const float *cr = cosC.data() + rowOf[b * S + s] * half;
      const float *sr = sinC.data() + rowOf[b * S + s] * half;
      for (int64_t h = 0; h < H; ++h) {
        int64_t base = x.rank() == 4 ? ((b * H + h) * S + s) * D
                                     : ((b * S + s) * H + h) * D;
        for (int64_t k = 0; k < half; ++k) {
          int64_t i1 = interleaved ? base + 2 * k : base + k;
          int64_t i2 = interleaved ? base + 2 * k + 1 : base + half + k;
          float x1 = xs[i1], x2 = xs[i2];
          out[i1] = cr[k] * x1 - sr[k] * x2;
          out[i2] = sr[k] * x1 + cr[k] * x2;
        }
      }
    }
  ctx.outputs[0] = fromFloats(dt, x.shape(), out);
  return Status::ok();
}

// ------------------------------------------------------------------ SwiGLU
// Y = A * sigmoid(alpha * A) * B (opset 28); A and B have identical shapes.

Status runSwiGlu(KernelContext &ctx) {
  const Tensor &a = ctx.input(0), &b = ctx.input(1);
  if (!isFloatType(a.dtype()) || a.dtype() != b.dtype())
    return ctx.error("A and B must have the same floating-point type");
  if (a.shape() != b.shape())
    return ctx.error("A " + shapeToString(a.shape()) + " and B " +
                     shapeToString(b.shape()) + " must have identical shapes");
  double alpha = ctx.attrFloat("alpha", 1.0f);
  std::vector<float> av = toFloats(a), bv = toFloats(b), y(av.size());
  for (size_t i = 0; i < av.size(); ++i) {
    double x = av[i];
    y[i] = (float)(x / (1.0 + std::exp(-alpha * x)) * bv[i]);
  }
  ctx.outputs[0] = fromFloats(a.dtype(), a.shape(), y);
  return Status::ok();
}

} // namespace

void registerAttentionKernels(KernelRegistry &r) {
  r.add("Attention", runAttention);
  r.add("RotaryEmbedding", runRotaryEmbedding);
  r.add("SwiGLU", runSwiGlu);
}

} // namespace edgec
