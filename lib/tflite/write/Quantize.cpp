// QuantizeLinear as QUANTIZE, DequantizeLinear as DEQUANTIZE (the
// parameters from the value or from the node's constant inputs).
#include "tflite/write/SubgraphWriter.h"

namespace edgec::tflite {
namespace {

/// The quantization parameters a QuantizeLinear/DequantizeLinear node
/// carries as constant inputs.
std::optional<QuantParams> qdqParams(const Node &n, int64_t rank) {
  const Value *s = n.input(1), *z = n.input(2);
  if (!s || !s->constant) return std::nullopt;
  QuantParams q;
  for (double v : s->constant->toDoubleVector()) q.scale.push_back((float)v);
  if (z && z->constant) q.zeroPoint = z->constant->toInt64Vector();
  else q.zeroPoint.assign(q.scale.size(), 0);
  if (q.scale.size() > 1) {
    int64_t a = n.attrInt("axis", 1);
    q.axis = (int)(a < 0 ? a + rank : a);
  }
  return q;
}

} // namespace

Status SubgraphWriter::quantizeLinear(const Node &n) {
  const Value *x = n.input(0);
  const Value *y = n.outputs[0];
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(y));
  std::optional<QuantParams> q = y->quant ? y->quant : qdqParams(n, (int64_t)ys.size());
  if (!q) return unsupported("non-constant quantization parameters");
  if (!isFloatType(x->type.dtype))
    return unsupported("QuantizeLinear of a non-float input");
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  tensors[(size_t)yt].quant = q;
  return op(BO::QUANTIZE, {xt}, {yt}, outType(n), BOpt::QuantizeOptions,
            fb::CreateQuantizeOptions(w.fbb).Union());
}

Status SubgraphWriter::dequantizeLinear(const Node &n) {
  const Value *x = resolve(n.input(0));
  EDGEC_ASSIGN_OR_RETURN(TensorShape xs, shapeOf(x));
  std::optional<QuantParams> q = x->quant ? x->quant : qdqParams(n, (int64_t)xs.size());
  if (!q) return unsupported("non-constant quantization parameters");
  int32_t xt;
  if (x->constant && !x->quant) {
    EDGEC_ASSIGN_OR_RETURN(xt, constTensor(x->name, *x->constant, q));
  } else {
    EDGEC_ASSIGN_OR_RETURN(xt, in(n, 0));
    if (!def(xt).quant) tensors[(size_t)xt].quant = q;
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  return op(BO::DEQUANTIZE, {xt}, {yt}, x->type.dtype, BOpt::DequantizeOptions,
            fb::CreateDequantizeOptions(w.fbb).Union());
}

} // namespace edgec::tflite
