// The shared helpers of the MCU lowerings (Lowering.h).
#include "targets/mcu/lower/Lowering.h"

#include <cmath>

namespace edgec::mcu {

std::string dimsString(const std::vector<int64_t> &d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s + "]";
}

Expected<WindowGeometry> windowOf(const Node &n, const std::vector<int64_t> &kernel) {
  std::vector<int64_t> xd = staticDims(*n.inputs.at(0));
  if (xd.size() < 3) return Error(ErrorCode::Unsupported, "the input has no spatial dims");
  const bool nhwc = isChannelsLast(n);
  std::vector<int64_t> sp = nhwc ? std::vector<int64_t>(xd.begin() + 1, xd.end() - 1)
                                 : std::vector<int64_t>(xd.begin() + 2, xd.end());
  WindowRules rules;
  rules.ceilMode = n.opType == "MaxPool" || n.opType == "AveragePool" || n.opType == "LpPool";
  Expected<WindowGeometry> g = slidingWindow(NodeContext(n), sp, kernel, rules);
  if (g) return g;
  return Error(g.error().code(), reasonOf(n, g.error())); // the report names the node
}

Geo geometry(const std::vector<int64_t> &d, bool nhwc) {
  Geo g;
  g.n = d[0];
  if (d.size() == 4) {
    if (nhwc) { g.h = d[1]; g.w = d[2]; g.c = d[3]; }
    else { g.c = d[1]; g.h = d[2]; g.w = d[3]; }
  } else {
    if (nhwc) { g.w = d[1]; g.c = d[2]; }
    else { g.c = d[1]; g.w = d[2]; }
  }
  if (nhwc) { g.sc = 1; g.sw = g.c; g.sh = g.c * g.w; }
  else { g.sw = 1; g.sh = g.w; g.sc = g.h * g.w; }
  g.sn = g.c * g.h * g.w;
  return g;
}

Fields actParams(const std::string &kind, float alpha, float beta, float lo, float hi) {
  return Fields().sym("kind", kind).f("alpha", alpha).f("beta", beta).f("lo", lo).f("hi", hi);
}

std::string checkFusedActivationF32(const Node &n) {
  const Attribute *a = n.attr(kFusedActivationAttr);
  if (!a) return "";
  static const char *const ok[] = {"Relu", "Clip", "LeakyRelu", "HardSigmoid",
                                   "HardSwish", "Sigmoid", "Tanh"};
  for (const char *o : ok)
    if (a->s == o) return "";
  return "fused activation '" + a->s + "' has no float kernel";
}

Expected<Fields> fusedActivationF32(const Node &n) {
  const Attribute *a = n.attr(kFusedActivationAttr);
  auto f = [&](const char *name, float dflt) {
    const Attribute *x = n.attr(name);
    return x ? x->f : dflt;
  };
  std::string kind = "EC_ACT_NONE";
  float alpha = 0, beta = 0, lo = -INFINITY, hi = INFINITY;
  if (a) {
    if (a->s == "Relu") kind = "EC_ACT_RELU";
    else if (a->s == "Clip") {
      kind = "EC_ACT_CLIP";
      lo = f("edgec.activation.min", -INFINITY);
      hi = f("edgec.activation.max", INFINITY);
    } else if (a->s == "LeakyRelu") {
      kind = "EC_ACT_LEAKY_RELU";
      alpha = f("edgec.activation.alpha", 0.01f);
    } else if (a->s == "HardSigmoid") {
      kind = "EC_ACT_HARD_SIGMOID";
      alpha = f("edgec.activation.alpha", 0.2f);
      beta = f("edgec.activation.beta", 0.5f);
    } else if (a->s == "HardSwish") kind = "EC_ACT_HARD_SWISH";
    else if (a->s == "Sigmoid") kind = "EC_ACT_SIGMOID";
    else if (a->s == "Tanh") kind = "EC_ACT_TANH";
    else
      return Error(ErrorCode::Unsupported,
                   n.label() + ": fused activation '" + a->s + "' has no float kernel");
  }
  return actParams(kind, alpha, beta, lo, hi);
}

} // namespace edgec::mcu
