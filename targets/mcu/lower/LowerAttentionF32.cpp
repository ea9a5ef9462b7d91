// Float Attention (opsets 23/24: 3-D or 4-D Q/K/V, grouped-query heads,
// float or bool attn_mask, is_causal, softcap, scale, past/present key and
// value, nonpad_kv_seqlen, qk_matmul_output modes 0..3) -> ec_attention_f32
// (runtime/kernels/reference/attention_f32.c).
#include "targets/mcu/lower/Lowering.h"

#include <algorithm>
#include <cmath>

namespace edgec::mcu {

namespace {

bool present(const Node &n, size_t i, bool output) {
  const auto &v = output ? n.outputs : n.inputs;
  return i < v.size() && v[i] != nullptr;
}

std::vector<int64_t> dimsOf(const Node &n, size_t i, bool output = false) {
  return staticDims(*(output ? n.outputs : n.inputs)[i]);
}

/// Batch, heads, sequence, head size of Q/K/V (3-D with `heads` heads).
std::array<int64_t, 4> bhsd(const std::vector<int64_t> &d, int64_t heads) {
  if (d.size() == 4) return {d[0], d[1], d[2], d[3]};
  return {d[0], heads, d[1], heads > 0 ? d[2] / heads : 0};
}

/// Element strides of b, h, s of a 3-D [B, S, H*D] or 4-D [B, H, S, D] tensor.
std::array<int64_t, 3> strides(const std::array<int64_t, 4> &g, size_t rank) {
  if (rank == 4) return {g[1] * g[2] * g[3], g[2] * g[3], g[3]};
  return {g[2] * g[1] * g[3], g[3], g[1] * g[3]};
}

std::string check(const Node &n, const McuOptions &) {
  for (size_t i = 0; i < 3; ++i)
    if (!present(n, i, false)) return "Q, K and V are required";
  if (!present(n, 0, true)) return "missing output";
  for (size_t i : {0, 1, 2, 4, 5})
    if (present(n, i, false) && n.inputs[i]->type.dtype != DataType::Float32)
      return "only float32 Q, K, V and past key/value";
  for (size_t i = 0; i < 4; ++i)
    if (present(n, i, true) && n.outputs[i]->type.dtype != DataType::Float32)
      return "only float32 outputs";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  const size_t r = dimsOf(n, 0).size();
  if ((r != 3 && r != 4) || dimsOf(n, 1).size() != r || dimsOf(n, 2).size() != r)
    return "Q, K and V must all have rank 3 or 4";
  const int64_t qh = n.attrInt("q_num_heads", 0), kvh = n.attrInt("kv_num_heads", 0);
  if (r == 3 && (qh <= 0 || kvh <= 0 || dimsOf(n, 0)[2] % qh || dimsOf(n, 1)[2] % kvh ||
                 dimsOf(n, 2)[2] % kvh))
    return "3-D inputs need head counts that divide the hidden sizes";
  const auto q = bhsd(dimsOf(n, 0), qh), k = bhsd(dimsOf(n, 1), kvh), v = bhsd(dimsOf(n, 2), kvh);
  if (k[0] != q[0] || v[0] != q[0] || k[3] != q[3] || k[1] != v[1] || k[2] != v[2])
    return "Q, K and V shapes do not match";
  if (k[1] <= 0 || q[1] % k[1]) return "the q head count is not a multiple of the kv head count";
  if (present(n, 4, false) != present(n, 5, false))
    return "past_key and past_value must be given together";
  int64_t past = 0;
  if (present(n, 4, false)) {
    const auto pk = dimsOf(n, 4), pv = dimsOf(n, 5);
    if (pk.size() != 4 || pv.size() != 4 || pk[0] != q[0] || pk[1] != k[1] || pk[3] != k[3] ||
        pv[0] != q[0] || pv[1] != k[1] || pv[2] != pk[2] || pv[3] != v[3])
      return "past_key/past_value shapes do not match K/V";
    past = pk[2];
  }
  const int64_t skv = past + k[2];
  if (present(n, 3, false)) {
    const auto m = dimsOf(n, 3);
    const DataType mt = n.inputs[3]->type.dtype;
    if (mt != DataType::Float32 && mt != DataType::Bool)
      return "attn_mask must be float32 or bool";
    if (m.empty() || m.size() > 4) return "attn_mask must have rank 1 to 4";
    const std::array<int64_t, 4> full{q[0], q[1], q[2], skv};
    for (size_t a = 0; a + 1 < m.size(); ++a) {
      const int64_t md = m[a], fd = full[4 - m.size() + a];
      if (md != 1 && md != fd) return "attn_mask does not broadcast to the scores";
    }
    if (m.back() > skv) return "attn_mask is longer than the total sequence";
  }
  if (present(n, 6, false)) {
    if (n.inputs[6]->type.dtype != DataType::Int64 || elementCount(*n.inputs[6]) != q[0])
      return "nonpad_kv_seqlen must be int64 with one entry per batch";
  }
  const int64_t mode = n.attrInt("qk_matmul_output_mode", 0);
  if (mode < 0 || mode > 3) return "qk_matmul_output_mode must be 0..3";
  return "";
}

Status lower(LowerContext &ctx) {
  const Node &n = ctx.node();
  const int64_t qh = n.attrInt("q_num_heads", 0), kvh = n.attrInt("kv_num_heads", 0);
  const size_t r = staticDims(ctx.inValue(0)).size();
  const auto q = bhsd(staticDims(ctx.inValue(0)), qh), k = bhsd(staticDims(ctx.inValue(1)), kvh),
             v = bhsd(staticDims(ctx.inValue(2)), kvh);
  const bool hasPast = ctx.hasInput(4);
  const int64_t past = hasPast ? staticDims(ctx.inValue(4))[2] : 0, skv = past + k[2];
  const std::array<int64_t, 4> y{q[0], q[1], q[2], v[3]};
  const auto qs = strides(q, r), ks = strides(k, r), vs = strides(v, r), ys = strides(y, r);
  // Mask strides against [B, Hq, Sq, *] (right-aligned; 0 along broadcast dims).
  std::array<int64_t, 4> ms{1, 1, 1, 0};
  std::array<int64_t, 3> mst{0, 0, 0};
  int64_t maskKind = 0;
  if (ctx.hasInput(3)) {
    const std::vector<int64_t> m = staticDims(ctx.inValue(3));
    for (size_t i = 0; i < m.size(); ++i) ms[4 - m.size() + i] = m[i];
    maskKind = ctx.inValue(3).type.dtype == DataType::Bool ? 2 : 1;
    mst = {ms[0] == 1 ? 0 : ms[1] * ms[2] * ms[3], ms[1] == 1 ? 0 : ms[2] * ms[3],
           ms[2] == 1 ? 0 : ms[3]};
  }
  const float scale = n.attr("scale") ? n.attrFloat("scale", 1.0f)
                                      : float(1.0 / std::sqrt(double(q[3])));
  auto optOut = [&](size_t i) {
    return i < n.outputs.size() && n.outputs[i] ? ctx.out(i) : Operand::null();
  };
  auto optIn = [&](size_t i) { return ctx.hasInput(i) ? ctx.in(i) : Operand::null(); };
  Operand p = ctx.params(
      "ec_attention_f32_params", "attention_" + n.name,
      Fields().i("b", q[0]).i("hq", q[1]).i("hkv", k[1]).i("sq", q[2]).i("skv", skv)
          .i("d", q[3]).i("dv", v[3]).i("past", past).i("has_past", hasPast ? 1 : 0)
          .i("q_sb", qs[0]).i("q_sh", qs[1]).i("q_ss", qs[2])
          .i("k_sb", ks[0]).i("k_sh", ks[1]).i("k_ss", ks[2])
          .i("v_sb", vs[0]).i("v_sh", vs[1]).i("v_ss", vs[2])
          .i("y_sb", ys[0]).i("y_sh", ys[1]).i("y_ss", ys[2])
          .sym("mask_kind", maskKind == 0   ? "EC_ATT_MASK_NONE"
                            : maskKind == 1 ? "EC_ATT_MASK_FLOAT"
                                            : "EC_ATT_MASK_BOOL")
          .i("m_sb", mst[0]).i("m_sh", mst[1]).i("m_si", mst[2]).i("mask_len", ms[3])
          .f("scale", scale).f("softcap", n.attrFloat("softcap", 0.0f))
          .i("causal", n.attrInt("is_causal", 0) != 0 ? 1 : 0)
          .i("qk_mode", n.attrInt("qk_matmul_output_mode", 0)));
  ctx.useRuntime("kernels/reference/attention_f32.h");
  ctx.call("ec_attention_f32",
           {p, ctx.in(0), ctx.in(1), ctx.in(2), optIn(3), optIn(4), optIn(5), optIn(6),
            ctx.out(0), optOut(1), optOut(2), optOut(3),
            ctx.scratch(std::max<int64_t>(skv, 1) * int64_t(sizeof(float)))});
  ctx.setKernel("attention_f32");
  return Status::ok();
}

} // namespace

void registerAttentionF32(std::vector<Lowering> &out) {
  out.push_back({"Attention", Lowering::Float, check, lower, {"float32"},
                 "3-D/4-D, GQA, float/bool mask, causal, softcap, past/present, "
                 "nonpad_kv_seqlen, qk_matmul_output modes 0..3"});
}

} // namespace edgec::mcu
