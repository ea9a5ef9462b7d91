// Element-wise ops and activations written as operators of their own:
// ADD/SUB/MUL/DIV (fused activation), the other binary and comparison
// ops, the unary ops, Clip, HardSigmoid, Where as SELECT_V2, Sqrt and
// Reciprocal (RSQRT for Reciprocal(Sqrt(x)), DIV otherwise).
#include "tflite/write/SubgraphWriter.h"

#include "ir/Annotations.h"

namespace edgec::tflite {

Status SubgraphWriter::binaryAct(const Node &n, BO code) {
  EDGEC_ASSIGN_OR_RETURN(int32_t at, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t bt, in(n, 1));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  Offset<void> o;
  BOpt ot = BOpt::NONE;
  switch (code) {
  case BO::ADD: ot = BOpt::AddOptions; o = fb::CreateAddOptions(w.fbb, ap.fused).Union(); break;
  case BO::SUB: ot = BOpt::SubOptions; o = fb::CreateSubOptions(w.fbb, ap.fused).Union(); break;
  case BO::MUL: ot = BOpt::MulOptions; o = fb::CreateMulOptions(w.fbb, ap.fused).Union(); break;
  default: ot = BOpt::DivOptions; o = fb::CreateDivOptions(w.fbb, ap.fused).Union(); break;
  }
  EDGEC_TRY(op(code, {at, bt}, {ap.write}, inType(n), ot, o));
  return finishAct(ap);
}

Status SubgraphWriter::binary(const Node &n, BO code, BOpt ot, Offset<void> opts) {
  if (n.inputs.size() != 2) return unsupported("expects 2 inputs");
  EDGEC_ASSIGN_OR_RETURN(int32_t at, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t bt, in(n, 1));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  if ((code == BO::MAXIMUM || code == BO::MINIMUM) && def(yt).quant) {
    at = requantized(at, def(yt).quant);
    bt = requantized(bt, def(yt).quant);
  }
  return op(code, {at, bt}, {yt}, inType(n), ot, opts);
}

Status SubgraphWriter::unaryOp(const Node &n, BO code, BOpt ot, Offset<void> opts) {
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  // Fixed output parameters of TFLite's 8-bit LOGISTIC / TANH kernels.
  if (def(yt).quant && (outType(n) == DataType::Int8 || outType(n) == DataType::UInt8) &&
      (code == BO::LOGISTIC || code == BO::TANH)) {
    QuantParams fixed;
    const bool s8 = outType(n) == DataType::Int8;
    if (code == BO::LOGISTIC) {
      fixed.scale = {1.0f / 256};
      fixed.zeroPoint = {s8 ? -128 : 0};
    } else {
      fixed.scale = {1.0f / 128};
      fixed.zeroPoint = {s8 ? 0 : 128};
    }
    if (!(*def(yt).quant == fixed)) {
      int32_t t = temp(def(yt).name + "/fixed", outType(n), shapeOfTensor(yt), fixed);
      EDGEC_TRY(op(code, {xt}, {t}, inType(n), ot, opts));
      return op(BO::QUANTIZE, {t}, {yt}, outType(n), BOpt::QuantizeOptions,
                fb::CreateQuantizeOptions(w.fbb).Union());
    }
  }
  return op(code, {xt}, {yt}, inType(n), ot, opts);
}

Status SubgraphWriter::clip(const Node &n) {
  ActSpec a;
  a.kind = "Clip";
  auto bound = [&](size_t slot, const char *attr, float &v) -> Status {
    if (const Value *b = n.input(slot) ? resolve(n.input(slot)) : nullptr) {
      if (!b->constant) return unsupported("Clip bounds must be constants");
      if (b->constant->numElements() != 1) return unsupported("Clip bounds must be scalars");
      v = (float)b->constant->getDouble(0);
    } else if (const Attribute *at = n.attr(attr)) {
      v = at->f;
    }
    return Status::ok();
  };
  EDGEC_TRY(bound(1, "min", a.lo));
  EDGEC_TRY(bound(2, "max", a.hi));
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  return activation(a, xt, yt, def(yt).name);
}

Status SubgraphWriter::hardSigmoid(const Node &n) {
  ActSpec a;
  a.kind = "HardSigmoid";
  a.alpha = n.attrFloat("alpha", 0.2f);
  a.beta = n.attrFloat("beta", 0.5f);
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  if (!isQuantizedNode(n)) return activation(a, xt, yt, def(yt).name);
  // Integer: t = x * alpha exactly (t keeps x's integers, scale s_x * alpha,
  // through a MUL by a one-element constant), then ADD beta with a fused
  // RELU; the output range clamps at 1 when it ends there, else MINIMUM.
  const TensorDef &xd = def(xt);
  if (!xd.quant || xd.quant->perAxis() || a.alpha <= 0 || a.beta < 0)
    return unsupported("quantized HardSigmoid needs per-tensor input parameters and alpha > 0");
  const DataType dt = outType(n);
  const std::string base = def(yt).name;
  QuantParams tq;
  tq.scale = {(float)((double)xd.quant->scale[0] * a.alpha)};
  tq.zeroPoint = {xd.quant->zeroPoint.empty() ? 0 : xd.quant->zeroPoint[0]};
  const int64_t qmax = dt == DataType::Int8 ? 127 : dt == DataType::UInt8 ? 255 : 32767;
  Tensor ca(dt, {1});
  ca.setInt64(0, qmax);
  QuantParams caq;
  caq.scale = {a.alpha / (float)qmax};
  caq.zeroPoint = {0};
  EDGEC_ASSIGN_OR_RETURN(int32_t cat, constTensor(base + "/alpha", ca, caq));
  int32_t t = temp(base + "/scaled", dt, shapeOfTensor(xt), tq);
  EDGEC_TRY(op(BO::MUL, {xt, cat}, {t}, dt, BOpt::MulOptions, fb::CreateMulOptions(w.fbb).Union()));
  Tensor cb(dt, {1});
  cb.setInt64(0, qmax);
  QuantParams cbq;
  cbq.scale = {a.beta > 0 ? a.beta / (float)qmax : 1.0f};
  cbq.zeroPoint = {0};
  if (a.beta == 0) cb.setInt64(0, 0);
  EDGEC_ASSIGN_OR_RETURN(int32_t cbt, constTensor(base + "/beta", cb, cbq));
  const QuantParams &yq = *def(yt).quant;
  const double topValue = ((double)qmax - (double)(yq.zeroPoint.empty() ? 0 : yq.zeroPoint[0])) * yq.scale[0];
  const bool needMin = topValue > 1.0 + 1e-6;
  int32_t sum = needMin ? temp(base + "/shifted", dt, shapeOfTensor(yt), yq) : yt;
  EDGEC_TRY(op(BO::ADD, {t, cbt}, {sum}, dt, BOpt::AddOptions,
               fb::CreateAddOptions(w.fbb, Act::RELU).Union()));
  if (needMin) {
    EDGEC_ASSIGN_OR_RETURN(int32_t one, scalarLike(base + "/one", 1.0f, dt, yq, {1}));
    EDGEC_TRY(op(BO::MINIMUM, {sum, one}, {yt}, dt));
  }
  return Status::ok();
}

Status SubgraphWriter::where(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(int32_t c, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t x, in(n, 1));
  EDGEC_ASSIGN_OR_RETURN(int32_t y, in(n, 2));
  EDGEC_ASSIGN_OR_RETURN(int32_t o, out(n));
  return op(BO::SELECT_V2, {c, x, y}, {o}, outType(n));
}

Status SubgraphWriter::sqrt(const Node &n) {
  if (sqrtFoldsIntoRsqrt(n)) return Status::ok(); // its Reciprocal writes RSQRT
  return unaryOp(n, BO::SQRT);
}

Status SubgraphWriter::reciprocal(const Node &n) {
  if (isQuantizedNode(n)) return unsupported("quantized Reciprocal");
  const Node *p = n.input(0) ? n.input(0)->producer() : nullptr;
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  if (p && p->owner() == &g && sqrtFoldsIntoRsqrt(*p)) {
    EDGEC_ASSIGN_OR_RETURN(int32_t xt, tensorOf(p->input(0)));
    return op(BO::RSQRT, {xt}, {yt}, inType(n));
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t one, scalarLike(n.name + "/one", 1.0f, inType(n), std::nullopt));
  return op(BO::DIV, {one, xt}, {yt}, inType(n), BOpt::DivOptions,
            fb::CreateDivOptions(w.fbb).Union());
}

} // namespace edgec::tflite
