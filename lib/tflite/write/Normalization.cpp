// Normalizations: BatchNormalization as MUL + ADD, LRN as
// LOCAL_RESPONSE_NORMALIZATION, LpNormalization as L2_NORMALIZATION,
// Softmax / LogSoftmax (with TFLite's fixed 8-bit output parameters).
#include "tflite/write/SubgraphWriter.h"

#include "ir/Annotations.h"

#include <cmath>

namespace edgec::tflite {

Status SubgraphWriter::batchNorm(const Node &n) {
  if (isQuantizedNode(n)) return unsupported("quantized BatchNormalization");
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  if (xs.size() >= 3 && !isChannelsLast(n))
    return unsupported("channels-first BatchNormalization (convert to NHWC first)");
  std::vector<std::vector<double>> p;
  for (size_t i = 1; i <= 4; ++i) {
    const Value *v = n.input(i) ? resolve(n.input(i)) : nullptr;
    if (!v || !v->constant) return unsupported("parameters must be constants");
    p.push_back(v->constant->toDoubleVector());
  }
  const double eps = n.attrFloat("epsilon", 1e-5f);
  const int64_t c = (int64_t)p[0].size();
  Tensor scale(DataType::Float32, {c}), shift(DataType::Float32, {c});
  for (int64_t i = 0; i < c; ++i) {
    const double s = p[0][(size_t)i] / std::sqrt(p[3][(size_t)i] + eps);
    scale.data<float>()[i] = (float)s;
    shift.data<float>()[i] = (float)(p[1][(size_t)i] - p[2][(size_t)i] * s);
  }
  if (xs.size() == 2) {
  } else if (xs.back() != c) {
    return unsupported("channel count mismatch");
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(int32_t st, constTensor(n.name + "/scale", scale, std::nullopt));
  EDGEC_ASSIGN_OR_RETURN(int32_t bt, constTensor(n.name + "/shift", shift, std::nullopt));
  int32_t t = temp(n.name + "/scaled", DataType::Float32, xs, std::nullopt);
  EDGEC_TRY(op(BO::MUL, {xt, st}, {t}, DataType::Float32, BOpt::MulOptions,
               fb::CreateMulOptions(w.fbb).Union()));
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  EDGEC_TRY(op(BO::ADD, {t, bt}, {ap.write}, DataType::Float32, BOpt::AddOptions,
               fb::CreateAddOptions(w.fbb, ap.fused).Union()));
  return finishAct(ap);
}

Status SubgraphWriter::lrn(const Node &n) {
  if (!isChannelsLast(n)) return unsupported("channels-first LRN (convert to NHWC first)");
  const int64_t size = n.attrInt("size", 1);
  if (size % 2 == 0) return unsupported("LRN with an even size");
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  return op(BO::LOCAL_RESPONSE_NORMALIZATION, {xt}, {yt}, inType(n),
            BOpt::LocalResponseNormalizationOptions,
            fb::CreateLocalResponseNormalizationOptions(
                w.fbb, (int32_t)(size / 2), n.attrFloat("bias", 1.0f),
                n.attrFloat("alpha", 1e-4f) / (float)size, n.attrFloat("beta", 0.75f))
                .Union());
}

Status SubgraphWriter::l2norm(const Node &n) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  int64_t axis = n.attrInt("axis", -1);
  if (axis < 0) axis += (int64_t)xs.size();
  if (axis != (int64_t)xs.size() - 1 || n.attrInt("p", 2) != 2)
    return unsupported("only L2 normalization over the last axis");
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  EDGEC_TRY(op(BO::L2_NORMALIZATION, {xt}, {ap.write}, inType(n), BOpt::L2NormOptions,
               fb::CreateL2NormOptions(w.fbb, ap.fused).Union()));
  return finishAct(ap);
}

Status SubgraphWriter::softmax(const Node &n, bool log) {
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(n.input(0)));
  const int64_t r = (int64_t)xs.size();
  int64_t axis = n.attrInt("axis", n.opsetVersion >= 13 ? -1 : 1);
  if (axis < 0) axis += r;
  if (axis != r - 1) {
    // Before opset 13 the op flattens from `axis`; that is the last axis
    // only when every later dim is... the last one.
    int64_t inner = 1;
    for (int64_t i = axis + 1; i < r; ++i) inner *= xs[(size_t)i];
    if (n.opsetVersion >= 13 || inner != 1 || axis > r - 1)
      return unsupported("softmax over an axis other than the last");
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  int32_t write = yt;
  if (def(yt).quant && (outType(n) == DataType::Int8 || outType(n) == DataType::UInt8)) {
    QuantParams fixed;
    const bool s8 = outType(n) == DataType::Int8;
    fixed.scale = {log ? 16.0f / 256 : 1.0f / 256};
    fixed.zeroPoint = {log ? (s8 ? 127 : 255) : (s8 ? -128 : 0)};
    if (!(*def(yt).quant == fixed))
      write = temp(def(yt).name + "/fixed", outType(n), shapeOfTensor(yt), fixed);
  }
  if (log)
    EDGEC_TRY(op(BO::LOG_SOFTMAX, {xt}, {write}, inType(n), BOpt::LogSoftmaxOptions,
                 fb::CreateLogSoftmaxOptions(w.fbb).Union()));
  else
    EDGEC_TRY(op(BO::SOFTMAX, {xt}, {write}, inType(n), BOpt::SoftmaxOptions,
                 fb::CreateSoftmaxOptions(w.fbb, 1.0f).Union()));
  if (write != yt)
    EDGEC_TRY(op(BO::QUANTIZE, {write}, {yt}, outType(n), BOpt::QuantizeOptions,
                 fb::CreateQuantizeOptions(w.fbb).Union()));
  return Status::ok();
}

} // namespace edgec::tflite
