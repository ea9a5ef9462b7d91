// SOFTMAX / LOG_SOFTMAX (beta as a Mul for float), L2_NORMALIZATION,
// LOCAL_RESPONSE_NORMALIZATION (NHWC).
#include "tflite/read/Converters.h"

namespace edgec::tflite {

Status convertSoftmax(OpBuilder &b, bool log) {
  EDGEC_TRY(b.arity(1, 1));
  float beta = 1.0f;
  if (!log) {
    EDGEC_ASSIGN_OR_RETURN(const fb::SoftmaxOptions *o,
                           b.options<fb::SoftmaxOptions>());
    beta = o->beta();
  }
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  if (beta != 1.0f) {
    if (!isFloat(x)) return b.unsupported("quantized SOFTMAX with beta != 1");
    Value *scaled = b.temp("beta", TensorType(x->type.dtype));
    b.emit("Mul", {x, b.floatConstant("beta_value", beta)}, {scaled});
    x = scaled;
  }
  Node *n = b.emit(log ? "LogSoftmax" : "Softmax", {x}, {b.output(0)});
  n->attrs["axis"] = Attribute::makeInt(-1);
  return Status::ok();
}

Status convertL2Norm(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(const fb::L2NormOptions *o,
                         b.options<fb::L2NormOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Node *n = b.emit("LpNormalization", {x}, {b.output(0)});
  n->attrs["axis"] = Attribute::makeInt(-1);
  n->attrs["p"] = Attribute::makeInt(2);
  return b.fuseActivation(n, o->fused_activation_function());
}

Status convertLrn(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_TRY(checkRank(b, 0, 4, "input"));
  EDGEC_ASSIGN_OR_RETURN(const fb::LocalResponseNormalizationOptions *o,
                         b.options<fb::LocalResponseNormalizationOptions>());
  if (o->radius() < 0 || o->radius() > (1 << 20))
    return b.error("invalid radius");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  const int64_t size = 2 * (int64_t)o->radius() + 1;
  Node *n = b.emit("LRN", {x}, {b.output(0)});
  // ONNX divides alpha by size; TFLite does not.
  n->attrs["size"] = Attribute::makeInt(size);
  n->attrs["alpha"] = Attribute::makeFloat(o->alpha() * (float)size);
  n->attrs["beta"] = Attribute::makeFloat(o->beta());
  n->attrs["bias"] = Attribute::makeFloat(o->bias());
  setLayout(n);
  return Status::ok();
}

} // namespace edgec::tflite
