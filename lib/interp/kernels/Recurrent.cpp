// Recurrent layers: RNN, GRU and LSTM (ONNX opsets 1..22).
//
// One shared driver handles layouts, directions, sequence_lens, initial
// states and outputs; each op supplies its cell. Computation is in float
// (inputs of other float types are converted); outputs take X's type.
//
// Gate order in W/R/B follows ONNX: RNN (i), GRU (z, r, h), LSTM (i, o, f, c);
// peepholes P are (i, o, f). With sequence_lens, steps past a batch entry's
// length write zeros to Y and leave its state unchanged (Y_h / Y_c hold the
// last valid state); reverse directions start at the entry's last valid step.
#include "interp/KernelUtil.h"

#include <cmath>

namespace edgec {
namespace {

enum class Cell { Rnn, Gru, Lstm };

/// An activation function with its alpha/beta.
struct Activation {
  std::string name;
  float alpha = 0, beta = 0;
  float operator()(float x) const {
    if (name == "Sigmoid") return 1.0f / (1.0f + std::exp(-x));
    if (name == "Tanh") return std::tanh(x);
    if (name == "Relu") return x > 0 ? x : 0.0f;
    if (name == "Affine") return alpha * x + beta;
    if (name == "LeakyRelu") return x >= 0 ? x : alpha * x;
    if (name == "ThresholdedRelu") return x > alpha ? x : 0.0f;
    if (name == "ScaledTanh") return alpha * std::tanh(beta * x);
    if (name == "HardSigmoid")
      return std::fmax(0.0f, std::fmin(1.0f, alpha * x + beta));
    if (name == "Elu") return x >= 0 ? x : alpha * (std::exp(x) - 1);
    if (name == "Softsign") return x / (1 + std::fabs(x));
    if (name == "Softplus") return std::log1p(std::exp(x));
    return x;
  }
};

/// Canonical spelling of an activation name (ONNX names are
/// case-insensitive in practice: "tanh", "sigmoid" appear in models).
Expected<std::string> canonicalActivation(const NodeContext &ctx,
                                          const std::string &s) {
  static const char *kNames[] = {"Sigmoid",    "Tanh",        "Relu",
                                 "Affine",     "LeakyRelu",   "ThresholdedRelu",
                                 "ScaledTanh", "HardSigmoid", "Elu",
                                 "Softsign",   "Softplus"};
  auto lower = [](std::string v) {
    for (char &c : v) c = (char)std::tolower((unsigned char)c);
    return v;
  };
  for (const char *n : kNames)
    if (lower(n) == lower(s)) return std::string(n);
  return ctx.unsupported("unsupported activation '" + s + "'");
}

/// Reads `activations`, `activation_alpha` and `activation_beta`; alpha and
/// beta lists are consumed in order by the functions that use them.
Expected<std::vector<Activation>> readActivations(const NodeContext &ctx,
                                                  Cell cell, int64_t numDir) {
  std::vector<std::string> names;
  if (const Attribute *a = ctx.attr("activations")) names = a->strings;
  std::vector<std::string> dflt =
      cell == Cell::Rnn   ? std::vector<std::string>{"Tanh"}
      : cell == Cell::Gru ? std::vector<std::string>{"Sigmoid", "Tanh"}
                          : std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"};
  size_t per = dflt.size();
  if (names.empty()) {
    for (int64_t d = 0; d < numDir; ++d)
      names.insert(names.end(), dflt.begin(), dflt.end());
  } else if (names.size() == per && numDir == 2) {
    std::vector<std::string> twice = names;
    names.insert(names.end(), twice.begin(), twice.end());
  }
  if (names.size() != per * (size_t)numDir)
    return ctx.error("activations has " + std::to_string(names.size()) +
                     " entries, expected " + std::to_string(per * numDir));
  std::vector<float> alphas = ctx.attrFloats("activation_alpha");
  std::vector<float> betas = ctx.attrFloats("activation_beta");
  size_t ai = 0, bi = 0;
  std::vector<Activation> acts;
  for (const std::string &n : names) {
    Activation a;
    EDGEC_ASSIGN_OR_RETURN(a.name, canonicalActivation(ctx, n));
    float da = 0, db = 0;
    bool usesA = true, usesB = false;
    if (a.name == "LeakyRelu") da = 0.01f;
    else if (a.name == "ThresholdedRelu" || a.name == "Elu") da = 1.0f;
    else if (a.name == "HardSigmoid") { da = 0.2f; db = 0.5f; usesB = true; }
    else if (a.name == "Affine" || a.name == "ScaledTanh") {
      da = 1.0f;
      db = a.name == "Affine" ? 0.0f : 1.0f;
      usesB = true;
    } else usesA = false;
    if (usesA) a.alpha = ai < alphas.size() ? alphas[ai++] : da;
    if (usesB) a.beta = bi < betas.size() ? betas[bi++] : db;
    acts.push_back(a);
  }
  return acts;
}

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

Status runRecurrent(KernelContext &ctx, Cell cell) {
  const int64_t gates = cell == Cell::Rnn ? 1 : cell == Cell::Gru ? 3 : 4;
  const Tensor &x = ctx.input(0);
  const Tensor &w = ctx.input(1);
  const Tensor &rw = ctx.input(2);
  DataType dt = x.dtype();
  if (!isFloatType(dt))
    return ctx.error("recurrent input must be floating point");
  if (x.rank() != 3 || w.rank() != 3 || rw.rank() != 3)
    return ctx.error("X, W and R must have rank 3");
  int64_t layout = ctx.opset() >= 14 ? ctx.attrInt("layout", 0) : 0;
  std::string direction = ctx.attrString("direction", "forward");
  int64_t numDir = direction == "bidirectional" ? 2 : 1;
  if (direction != "forward" && direction != "reverse" && numDir != 2)
    return ctx.error("unknown direction '" + direction + "'");
  int64_t seq = layout ? x.dim(1) : x.dim(0);
  int64_t batch = layout ? x.dim(0) : x.dim(1);
  int64_t in = x.dim(2);
  int64_t hid = ctx.attrInt("hidden_size", rw.dim(2));
  if (hid <= 0) return ctx.error("hidden_size must be positive");
  if (w.dim(0) != numDir || w.dim(1) != gates * hid || w.dim(2) != in)
    return ctx.error("W has shape " + shapeToString(w.shape()) +
                     ", expected [" + std::to_string(numDir) + "," +
                     std::to_string(gates * hid) + "," + std::to_string(in) +
                     "]");
  if (rw.dim(0) != numDir || rw.dim(1) != gates * hid || rw.dim(2) != hid)
    return ctx.error("R has shape " + shapeToString(rw.shape()) +
                     ", does not match W and hidden_size");
  float clip = ctx.attrFloat("clip", 0.0f);
  bool hasClip = ctx.hasAttr("clip");
  bool linearBeforeReset = ctx.attrInt("linear_before_reset", 0) != 0;
  bool inputForget = ctx.attrInt("input_forget", 0) != 0;
  EDGEC_ASSIGN_OR_RETURN(std::vector<Activation> acts,
                         readActivations(ctx, cell, numDir));
  size_t actsPerDir = acts.size() / (size_t)numDir;

  auto checkShape = [&](size_t i, TensorShape want,
                        const char *what) -> Status {
    if (ctx.input(i).shape() != want)
      return ctx.error(std::string(what) + " has shape " +
                       shapeToString(ctx.input(i).shape()) + ", expected " +
                       shapeToString(want));
    return Status::ok();
  };
  // Bias: Wb then Rb per direction.
  std::vector<float> bias((size_t)(numDir * 2 * gates * hid), 0.0f);
  if (ctx.hasInput(3)) {
    EDGEC_TRY(checkShape(3, {numDir, 2 * gates * hid}, "B"));
    bias = toFloats(ctx.input(3));
  }
  std::vector<int64_t> seqLens(batch, seq);
  if (ctx.hasInput(4)) {
    EDGEC_TRY(checkShape(4, {batch}, "sequence_lens"));
    seqLens = ctx.input(4).toInt64Vector();
    for (int64_t s : seqLens)
      if (s < 0 || s > seq)
        return ctx.error("sequence_lens entry " + std::to_string(s) +
                             " is outside [0, " + std::to_string(seq) + "]",
                         ErrorCode::InvalidInput);
  }
  TensorShape stateShape = layout ? TensorShape{batch, numDir, hid}
                                  : TensorShape{numDir, batch, hid};
  // States are kept as [numDir, batch, hid].
  auto readState = [&](size_t i, const char *what)
      -> Expected<std::vector<float>> {
    std::vector<float> s((size_t)(numDir * batch * hid), 0.0f);
    if (!ctx.hasInput(i)) return s;
    EDGEC_TRY(checkShape(i, stateShape, what));
    std::vector<float> v = toFloats(ctx.input(i));
    for (int64_t d = 0; d < numDir; ++d)
      for (int64_t b = 0; b < batch; ++b)
        for (int64_t k = 0; k < hid; ++k)
          s[(d * batch + b) * hid + k] =
              layout ? v[(b * numDir + d) * hid + k]
                     : v[(d * batch + b) * hid + k];
    return s;
  };
  EDGEC_ASSIGN_OR_RETURN(std::vector<float> h, readState(5, "initial_h"));
  std::vector<float> c;
  std::vector<float> peep((size_t)(numDir * 3 * hid), 0.0f);
  if (cell == Cell::Lstm) {
    EDGEC_ASSIGN_OR_RETURN(c, readState(6, "initial_c"));
    if (ctx.hasInput(7)) {
      EDGEC_TRY(checkShape(7, {numDir, 3 * hid}, "P"));
      peep = toFloats(ctx.input(7));
    }
  }

  std::vector<float> xs = toFloats(x), ws = toFloats(w), rs = toFloats(rw);
  // Y as [seq, numDir, batch, hid].
  EDGEC_ASSIGN_OR_RETURN(
      Tensor yCheck, Tensor::create(dt, {seq, numDir, batch, hid}));
  (void)yCheck;
  std::vector<float> y((size_t)(seq * numDir * batch * hid), 0.0f);
  auto xAt = [&](int64_t t, int64_t b) {
    return xs.data() + (layout ? (b * seq + t) : (t * batch + b)) * in;
  };
  auto clipped = [&](float v) {
    return hasClip ? std::fmin(std::fmax(v, -clip), clip) : v;
  };

  std::vector<float> gx((size_t)(gates * hid)), gh((size_t)(gates * hid));
  std::vector<float> z((size_t)hid), r((size_t)hid), rh((size_t)hid),
      hc((size_t)hid);
  for (int64_t d = 0; d < numDir; ++d) {
    bool reverse = direction == "reverse" || d == 1;
    const float *W = ws.data() + d * gates * hid * in;
    const float *R = rs.data() + d * gates * hid * hid;
    const float *Wb = bias.data() + d * 2 * gates * hid;
    const float *Rb = Wb + gates * hid;
    const float *P = peep.data() + d * 3 * hid;
    const Activation *f = &acts[d * actsPerDir];
    for (int64_t b = 0; b < batch; ++b) {
      float *hs = h.data() + (d * batch + b) * hid;
      float *cs = cell == Cell::Lstm ? c.data() + (d * batch + b) * hid
                                     : nullptr;
      int64_t len = seqLens[b];
      for (int64_t step = 0; step < len; ++step) {
        int64_t t = reverse ? len - 1 - step : step;
        const float *xt = xAt(t, b);
        // gx = W x + Wb, gh = R h + Rb (kept apart for GRU's reset gate).
        for (int64_t g = 0; g < gates * hid; ++g) {
          const float *wr = W + g * in;
          float acc = Wb[g];
          for (int64_t k = 0; k < in; ++k) acc += wr[k] * xt[k];
          gx[g] = acc;
          const float *rr = R + g * hid;
          float acc2 = Rb[g];
          for (int64_t k = 0; k < hid; ++k) acc2 += rr[k] * hs[k];
          gh[g] = acc2;
        }
        if (cell == Cell::Rnn) {
          for (int64_t k = 0; k < hid; ++k)
            hs[k] = f[0](clipped(gx[k] + gh[k]));
        } else if (cell == Cell::Gru) {
          // z, r from the summed projections; the candidate uses either
          // r . (R_h h + Rb_h) (linear_before_reset) or R_h (r . h) + Rb_h.
          for (int64_t k = 0; k < hid; ++k) {
            z[k] = f[0](clipped(gx[k] + gh[k]));
            r[k] = f[0](clipped(gx[hid + k] + gh[hid + k]));
            rh[k] = r[k] * hs[k];
          }
          for (int64_t k = 0; k < hid; ++k) {
            float pre;
            if (linearBeforeReset) {
              pre = gx[2 * hid + k] + r[k] * gh[2 * hid + k];
            } else {
              const float *rr = R + (2 * hid + k) * hid;
              float acc = Rb[2 * hid + k];
              for (int64_t j = 0; j < hid; ++j) acc += rr[j] * rh[j];
              pre = gx[2 * hid + k] + acc;
            }
            hc[k] = f[1](clipped(pre));
          }
          for (int64_t k = 0; k < hid; ++k)
            hs[k] = (1 - z[k]) * hc[k] + z[k] * hs[k];
        } else {
          for (int64_t k = 0; k < hid; ++k) {
            float cPrev = cs[k];
            float iG = f[0](clipped(gx[k] + gh[k] + P[k] * cPrev));
            float fG = inputForget
                           ? 1 - iG
                           : f[0](clipped(gx[2 * hid + k] + gh[2 * hid + k] +
                                          P[2 * hid + k] * cPrev));
            float cG = f[1](clipped(gx[3 * hid + k] + gh[3 * hid + k]));
            float cNew = fG * cPrev + iG * cG;
            float oG = f[0](
                clipped(gx[hid + k] + gh[hid + k] + P[hid + k] * cNew));
            cs[k] = cNew;
            hs[k] = oG * f[2](cNew);
          }
        }
        float *yt = y.data() + ((t * numDir + d) * batch + b) * hid;
        std::copy(hs, hs + hid, yt);
      }
    }
  }

  // Outputs in the requested layout.
  if (ctx.wantsOutput(0)) {
    if (!layout) {
      ctx.outputs[0] = fromFloats(dt, {seq, numDir, batch, hid}, y);
    } else {
      std::vector<float> yl(y.size());
      for (int64_t t = 0; t < seq; ++t)
        for (int64_t d = 0; d < numDir; ++d)
          for (int64_t b = 0; b < batch; ++b)
            for (int64_t k = 0; k < hid; ++k)
              yl[((b * seq + t) * numDir + d) * hid + k] =
                  y[((t * numDir + d) * batch + b) * hid + k];
      ctx.outputs[0] = fromFloats(dt, {batch, seq, numDir, hid}, yl);
    }
  }
  auto writeState = [&](const std::vector<float> &s) {
    if (!layout) return fromFloats(dt, stateShape, s);
    std::vector<float> v(s.size());
    for (int64_t d = 0; d < numDir; ++d)
      for (int64_t b = 0; b < batch; ++b)
        for (int64_t k = 0; k < hid; ++k)
          v[(b * numDir + d) * hid + k] = s[(d * batch + b) * hid + k];
    return fromFloats(dt, stateShape, v);
  };
  if (ctx.wantsOutput(1)) ctx.outputs[1] = writeState(h);
  if (cell == Cell::Lstm && ctx.wantsOutput(2)) ctx.outputs[2] = writeState(c);
  return Status::ok();
}

} // namespace

void registerRecurrentKernels(KernelRegistry &r) {
  r.add("RNN", [](KernelContext &c) { return runRecurrent(c, Cell::Rnn); });
  r.add("GRU", [](KernelContext &c) { return runRecurrent(c, Cell::Gru); });
  r.add("LSTM", [](KernelContext &c) { return runRecurrent(c, Cell::Lstm); });
}

} // namespace edgec
