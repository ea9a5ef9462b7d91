// Activations (SubgraphWriter.h): `edgec.activation` as TFLite's
// fused_activation_function where it computes the same, else as operators
// of their own (LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH, MAXIMUM/MINIMUM for
// other Clip bounds; HardSigmoid as MUL, ADD with RELU, MINIMUM).
#include "tflite/write/SubgraphWriter.h"

#include "ir/Annotations.h"

#include <cmath>

namespace edgec::tflite {

SubgraphWriter::ActSpec SubgraphWriter::fusedSpec(const Node &n) {
  ActSpec a;
  const Attribute *k = n.attr(kFusedActivationAttr);
  if (!k) return a;
  const std::string p = std::string(kFusedActivationAttr) + ".";
  a.kind = k->s;
  if (a.kind == "HardSigmoid") a.alpha = 0.2f;
  a.alpha = n.attrFloat(p + "alpha", a.alpha);
  a.beta = n.attrFloat(p + "beta", a.beta);
  a.lo = n.attrFloat(p + "min", a.lo);
  a.hi = n.attrFloat(p + "max", a.hi);
  return a;
}

std::optional<Act> SubgraphWriter::fusable(const ActSpec &a, bool quantized) {
  if (a.kind.empty()) return Act::NONE;
  if (a.kind == "Relu") return Act::RELU;
  if (a.kind == "Tanh" && !quantized) return Act::TANH;
  if (a.kind == "Clip") {
    if (a.lo == 0.0f && a.hi == 6.0f) return Act::RELU6;
    if (a.lo == -1.0f && a.hi == 1.0f) return Act::RELU_N1_TO_1;
    if (a.lo == 0.0f && std::isinf(a.hi)) return Act::RELU;
    if (std::isinf(a.lo) && std::isinf(a.hi)) return Act::NONE;
  }
  return std::nullopt;
}

Expected<SubgraphWriter::ActPlan> SubgraphWriter::planAct(const Node &n, int32_t out) {
  ActPlan p;
  p.spec = fusedSpec(n);
  p.final = out;
  p.write = out;
  const bool q = isQuantizedNode(n);
  if (auto f = fusable(p.spec, q)) {
    p.fused = *f;
    return p;
  }
  if (q)
    return unsupported("fused " + p.spec.kind +
                       " on a quantized node has no TFLite form (no "
                       "quantization for the value before it)");
  p.write = temp(def(out).name + "/preact", dtypeOfTensor(out), shapeOfTensor(out), std::nullopt);
  return p;
}

Status SubgraphWriter::finishAct(const ActPlan &p) {
  if (p.write == p.final) return Status::ok();
  return activation(p.spec, p.write, p.final, def(p.final).name);
}

Status SubgraphWriter::activation(const ActSpec &a, int32_t inT, int32_t outT,
                                  std::string base) {
  const DataType dt = dtypeOfTensor(outT);
  const bool q = def(outT).quant.has_value() && isQuantType(dt);
  if (auto f = fusable(a, q)) {
    switch (*f) {
    case Act::RELU: return op(BO::RELU, {inT}, {outT}, dt);
    case Act::RELU6: return op(BO::RELU6, {inT}, {outT}, dt);
    case Act::RELU_N1_TO_1: return op(BO::RELU_N1_TO_1, {inT}, {outT}, dt);
    case Act::TANH: return op(BO::TANH, {inT}, {outT}, dt);
    default: {
      // Identity: a reshape to the same shape.
      std::vector<int64_t> s;
      for (int32_t x : def(outT).shape) s.push_back(x);
      std::vector<int32_t> ns(def(outT).shape);
      int32_t st = int32Const(base + "/shape", s);
      return op(BO::RESHAPE, {inT, st}, {outT}, dt, BOpt::ReshapeOptions,
                fb::CreateReshapeOptionsDirect(w.fbb, &ns).Union());
    }
    }
  }
  if (a.kind == "LeakyRelu")
    return op(BO::LEAKY_RELU, {inT}, {outT}, dt, BOpt::LeakyReluOptions,
              fb::CreateLeakyReluOptions(w.fbb, a.alpha).Union());
  if (a.kind == "HardSwish")
    return op(BO::HARD_SWISH, {inT}, {outT}, dt, BOpt::HardSwishOptions,
              fb::CreateHardSwishOptions(w.fbb).Union());
  if (a.kind == "Sigmoid") return op(BO::LOGISTIC, {inT}, {outT}, dt);
  if (a.kind == "Tanh") return op(BO::TANH, {inT}, {outT}, dt);
  if (a.kind == "Clip") {
    // max(x, lo) then min(., hi), with constants of the output parameters.
    int32_t cur = inT;
    const TensorShape shape = shapeOfTensor(outT);
    const bool both = !std::isinf(a.lo) && !std::isinf(a.hi);
    if (!std::isinf(a.lo)) {
      EDGEC_ASSIGN_OR_RETURN(int32_t c, scalarLike(base + "/clip_min", a.lo, dt, def(outT).quant));
      int32_t o = both ? temp(base + "/clip_lo", dt, shape, def(outT).quant) : outT;
      EDGEC_TRY(op(BO::MAXIMUM, {cur, c}, {o}, dt));
      cur = o;
    }
    if (!std::isinf(a.hi)) {
      EDGEC_ASSIGN_OR_RETURN(int32_t c, scalarLike(base + "/clip_max", a.hi, dt, def(outT).quant));
      EDGEC_TRY(op(BO::MINIMUM, {cur, c}, {outT}, dt));
    }
    return Status::ok();
  }
  if (a.kind == "HardSigmoid" && !q) {
    // min(relu(x * alpha + beta), 1)
    const TensorShape shape = shapeOfTensor(outT);
    EDGEC_ASSIGN_OR_RETURN(int32_t ca, scalarLike(base + "/alpha", a.alpha, dt, std::nullopt));
    EDGEC_ASSIGN_OR_RETURN(int32_t cb, scalarLike(base + "/beta", a.beta, dt, std::nullopt));
    EDGEC_ASSIGN_OR_RETURN(int32_t c1, scalarLike(base + "/one", 1.0f, dt, std::nullopt));
    int32_t t1 = temp(base + "/scaled", dt, shape, std::nullopt);
    int32_t t2 = temp(base + "/shifted", dt, shape, std::nullopt);
    EDGEC_TRY(op(BO::MUL, {inT, ca}, {t1}, dt, BOpt::MulOptions,
                 fb::CreateMulOptions(w.fbb).Union()));
    EDGEC_TRY(op(BO::ADD, {t1, cb}, {t2}, dt, BOpt::AddOptions,
                 fb::CreateAddOptions(w.fbb, Act::RELU).Union()));
    return op(BO::MINIMUM, {t2, c1}, {outT}, dt);
  }
  return unsupported("activation " + a.kind + " has no TFLite form here");
}

} // namespace edgec::tflite
