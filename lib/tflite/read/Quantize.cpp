// QUANTIZE (QuantizeLinear, or the integer Identity that requantizes) and
// DEQUANTIZE (DequantizeLinear, or a Cast for float16 weights).
#include "tflite/read/Converters.h"

namespace edgec::tflite {

namespace {

Status emitQdq(OpBuilder &b, const char *op, Value *x, Value *y,
               const QuantParams &q, DataType zpType) {
  const int64_t n = (int64_t)q.scale.size();
  Tensor zp(zpType, q.perAxis() ? TensorShape{n} : TensorShape{});
  for (int64_t i = 0; i < n; ++i)
    zp.setInt64(i, q.zeroPoint[(size_t)i]);
  Value *s =
      b.constant("scale", q.perAxis() ? Tensor::fromVector<float>({n}, q.scale)
                                      : Tensor::scalar<float>(q.scale[0]));
  Value *z = b.constant("zero_point", std::move(zp));
  Node *node = b.emit(op, {x, s, z}, {y});
  if (q.perAxis()) node->attrs["axis"] = Attribute::makeInt(q.axis);
  return Status::ok();
}

} // namespace

Status convertQuantize(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Value *y = b.output(0);
  if (!y->quant) return b.error("output has no quantization parameters");
  if (!isFloat(x)) {
    // Integer input: TFLite's Requantize, the integer Identity kernel.
    if (!x->quant) return b.error("input has no quantization parameters");
    b.emit("Identity", {x}, {y});
    return Status::ok();
  }
  return emitQdq(b, "QuantizeLinear", x, y, *y->quant, y->type.dtype);
}

Status convertDequantize(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Value *y = b.output(0);
  if (isFloat(x)) {
    // float16 weights stored for a float32 model.
    Node *n = b.emit("Cast", {x}, {y});
    n->attrs["to"] = Attribute::makeInt(toOnnxDataType(y->type.dtype));
    return Status::ok();
  }
  if (!x->quant) return b.error("input has no quantization parameters");
  return emitQdq(b, "DequantizeLinear", x, y, *x->quant, x->type.dtype);
}

} // namespace edgec::tflite
