// Element-wise TFLite operators: binary ops with and without fused
// activations, unary ops, RELU6 / RELU_N1_TO_1 / RELU_0_TO_1 as Clip,
// LEAKY_RELU, GELU, SQUARE, SQUARED_DIFFERENCE, RSQRT, NOT_EQUAL,
// FLOOR_DIV, FLOOR_MOD, SELECT / SELECT_V2, CAST.
#include "tflite/read/Converters.h"

namespace edgec::tflite {

template <typename Options>
Status convertBinaryAct(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(const Options *o, b.options<Options>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * y, b.input(1));
  Node *n = b.emit(onnxOp, {x, y}, {b.output(0)});
  return b.fuseActivation(n, o->fused_activation_function());
}

Status convertBinary(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * y, b.input(1));
  b.emit(onnxOp, {x, y}, {b.output(0)});
  return Status::ok();
}

Status convertUnary(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  b.emit(onnxOp, {x}, {b.output(0)});
  return Status::ok();
}

Status convertClip(OpBuilder &b, float lo, float hi) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  b.emit("Clip", {x, b.floatConstant("min", lo), b.floatConstant("max", hi)},
         {b.output(0)});
  return Status::ok();
}

Status convertLeakyRelu(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(const fb::LeakyReluOptions *o,
                         b.options<fb::LeakyReluOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Node *n = b.emit("LeakyRelu", {x}, {b.output(0)});
  n->attrs["alpha"] = Attribute::makeFloat(o->alpha());
  return Status::ok();
}

Status convertGelu(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(const fb::GeluOptions *o,
                         b.options<fb::GeluOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Node *n = b.emit("Gelu", {x}, {b.output(0)});
  n->opsetVersion = 20;
  if (o->approximate()) n->attrs["approximate"] = Attribute::makeString("tanh");
  return Status::ok();
}

/// x op x (SQUARE), or (x - y)^2 (SQUARED_DIFFERENCE).
Status convertSquare(OpBuilder &b, bool difference) {
  EDGEC_TRY(b.arity(difference ? 2 : 1, difference ? 2 : 1));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  if (difference) {
    EDGEC_ASSIGN_OR_RETURN(Value * y, b.input(1));
    Value *d = b.temp("difference", TensorType(x->type.dtype));
    b.emit("Sub", {x, y}, {d});
    x = d;
  }
  b.emit("Mul", {x, x}, {b.output(0)});
  return Status::ok();
}

Status convertRsqrt(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  if (!isFloat(x)) return b.unsupported("quantized RSQRT");
  Value *s = b.temp("sqrt", TensorType(x->type.dtype));
  b.emit("Sqrt", {x}, {s});
  b.emit("Reciprocal", {s}, {b.output(0)});
  return Status::ok();
}

Status convertNotEqual(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * y, b.input(1));
  Value *e = b.temp("equal", TensorType(DataType::Bool));
  b.emit("Equal", {x, y}, {e});
  b.emit("Not", {e}, {b.output(0)});
  return Status::ok();
}

Status convertFloorDiv(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * y, b.input(1));
  if (!isFloat(x)) return b.unsupported("integer FLOOR_DIV");
  Value *d = b.temp("div", TensorType(x->type.dtype));
  b.emit("Div", {x, y}, {d});
  b.emit("Floor", {d}, {b.output(0)});
  return Status::ok();
}

Status convertFloorMod(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * y, b.input(1));
  if (isFloat(x)) return b.unsupported("floating-point FLOOR_MOD");
  b.emit("Mod", {x, y}, {b.output(0)}); // fmod = 0: sign of the divisor
  return Status::ok();
}

Status convertSelect(OpBuilder &b) {
  EDGEC_TRY(b.arity(3, 3));
  EDGEC_ASSIGN_OR_RETURN(Value * c, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(1));
  EDGEC_ASSIGN_OR_RETURN(Value * y, b.input(2));
  b.emit("Where", {c, x, y}, {b.output(0)});
  return Status::ok();
}

Status convertCast(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Value *y = b.output(0);
  Node *n = b.emit("Cast", {x}, {y});
  n->attrs["to"] = Attribute::makeInt(toOnnxDataType(y->type.dtype));
  return Status::ok();
}


template Status convertBinaryAct<fb::AddOptions>(OpBuilder &, const char *);
template Status convertBinaryAct<fb::SubOptions>(OpBuilder &, const char *);
template Status convertBinaryAct<fb::MulOptions>(OpBuilder &, const char *);
template Status convertBinaryAct<fb::DivOptions>(OpBuilder &, const char *);

} // namespace edgec::tflite
