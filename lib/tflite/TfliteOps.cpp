// TFLite operators to ONNX nodes (see docs/tflite.md).
//
// Tensors keep TFLite's shapes, so most operators map one to one with
// TFLite's axis numbering. Convolutions and pools read NHWC activations:
// they become the ONNX op annotated edgec.layout = "NHWC" with the weights
// rearranged to ONNX's layout at import (OHWI -> OIHW, depthwise
// 1HW(C*M) -> (C*M)1HW), so no transposes appear in the network.
#include "tflite/TfliteOps.h"

#include "ir/Annotations.h"
#include "tflite/TfliteVerify.h"

#include <limits>
#include <map>

namespace edgec::tflite {
namespace {

using BO = fb::BuiltinOperator;
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

bool isFloat(const Value *v) {
  DataType t = v ? v->type.dtype : DataType::Undefined;
  return t == DataType::Float32 || t == DataType::Float16 ||
         t == DataType::Float64 || t == DataType::BFloat16;
}

TensorShape shapeOf(const fb::Tensor *t) {
  TensorShape s;
  if (t && t->shape())
    for (int32_t d : *t->shape())
      s.push_back(d);
  return s;
}

std::string padMode(fb::Padding p) {
  return p == fb::Padding::VALID ? "VALID" : "SAME_UPPER";
}

void setLayout(Node *n) {
  n->attrs[kLayoutAttr] = Attribute::makeString("NHWC");
}

Status checkStrides(OpBuilder &b, int64_t sh, int64_t sw, int64_t dh = 1,
                    int64_t dw = 1) {
  if (sh <= 0 || sw <= 0)
    return b.error("strides must be positive, got " + std::to_string(sh) + "x" +
                   std::to_string(sw));
  if (dh <= 0 || dw <= 0)
    return b.error("dilation factors must be positive, got " +
                   std::to_string(dh) + "x" + std::to_string(dw));
  return Status::ok();
}

Status checkRank(OpBuilder &b, size_t slot, size_t rank, const char *what) {
  TensorShape s = shapeOf(b.inputTensor(slot));
  if (s.size() != rank)
    return b.error(std::string(what) + " must have rank " +
                   std::to_string(rank) + ", got " + shapeToString(s));
  return Status::ok();
}

// --- convolution, pooling, fully connected --------------------------------

Status convertConv2D(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 3));
  EDGEC_ASSIGN_OR_RETURN(const fb::Conv2DOptions *o,
                         b.options<fb::Conv2DOptions>());
  EDGEC_TRY(checkStrides(b, o->stride_h(), o->stride_w(),
                         o->dilation_h_factor(), o->dilation_w_factor()));
  EDGEC_TRY(checkRank(b, 0, 4, "input"));
  EDGEC_TRY(checkRank(b, 1, 4, "filter"));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  TensorShape ws = shapeOf(b.inputTensor(1)), xs = shapeOf(b.inputTensor(0));
  EDGEC_ASSIGN_OR_RETURN(Value * w,
                         b.weights(1, {0, 3, 1, 2}, isFloat(b.output(0))));
  EDGEC_ASSIGN_OR_RETURN(Value * bias, b.optionalInput(2));
  int64_t group = 1;
  if (ws[3] <= 0 || xs[3] % ws[3] != 0)
    return b.error("input channels " + std::to_string(xs[3]) +
                   " are not a multiple of the filter's " +
                   std::to_string(ws[3]));
  group = xs[3] / ws[3];
  Node *n = b.emit("Conv", {x, w, bias}, {b.output(0)});
  n->attrs["kernel_shape"] = Attribute::makeInts({ws[1], ws[2]});
  n->attrs["strides"] = Attribute::makeInts({o->stride_h(), o->stride_w()});
  n->attrs["dilations"] =
      Attribute::makeInts({o->dilation_h_factor(), o->dilation_w_factor()});
  n->attrs["auto_pad"] = Attribute::makeString(padMode(o->padding()));
  if (group != 1) n->attrs["group"] = Attribute::makeInt(group);
  setLayout(n);
  return b.fuseActivation(n, o->fused_activation_function());
}

Status convertDepthwiseConv2D(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 3));
  EDGEC_ASSIGN_OR_RETURN(const fb::DepthwiseConv2DOptions *o,
                         b.options<fb::DepthwiseConv2DOptions>());
  EDGEC_TRY(checkStrides(b, o->stride_h(), o->stride_w(),
                         o->dilation_h_factor(), o->dilation_w_factor()));
  EDGEC_TRY(checkRank(b, 0, 4, "input"));
  EDGEC_TRY(checkRank(b, 1, 4, "filter"));
  TensorShape ws = shapeOf(b.inputTensor(1)), xs = shapeOf(b.inputTensor(0));
  // The multiplier is output channels / input channels (TFLite ignores a
  // stale depth_multiplier field the same way).
  const int64_t c = xs[3], cm = ws[3];
  if (ws[0] != 1 || c <= 0 || cm % c != 0)
    return b.error("filter " + shapeToString(ws) +
                   " does not fit a depthwise convolution of " +
                   std::to_string(c) + " channels");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * w,
                         b.weights(1, {3, 0, 1, 2}, isFloat(b.output(0))));
  EDGEC_ASSIGN_OR_RETURN(Value * bias, b.optionalInput(2));
  Node *n = b.emit("Conv", {x, w, bias}, {b.output(0)});
  n->attrs["kernel_shape"] = Attribute::makeInts({ws[1], ws[2]});
  n->attrs["strides"] = Attribute::makeInts({o->stride_h(), o->stride_w()});
  n->attrs["dilations"] =
      Attribute::makeInts({o->dilation_h_factor(), o->dilation_w_factor()});
  n->attrs["auto_pad"] = Attribute::makeString(padMode(o->padding()));
  n->attrs["group"] = Attribute::makeInt(c);
  setLayout(n);
  return b.fuseActivation(n, o->fused_activation_function());
}

Status convertTransposeConv(OpBuilder &b) {
  // Inputs: output_shape, weights [O, H, W, I], input, bias (optional).
  EDGEC_TRY(b.arity(3, 4));
  EDGEC_ASSIGN_OR_RETURN(const fb::TransposeConvOptions *o,
                         b.options<fb::TransposeConvOptions>());
  EDGEC_TRY(checkStrides(b, o->stride_h(), o->stride_w()));
  EDGEC_TRY(checkRank(b, 1, 4, "filter"));
  EDGEC_TRY(checkRank(b, 2, 4, "input"));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> outShape,
                         b.constInts(0, "output_shape"));
  if (outShape.size() != 4) return b.error("output_shape must have 4 entries");
  TensorShape ws = shapeOf(b.inputTensor(1)), xs = shapeOf(b.inputTensor(2));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(2));
  EDGEC_ASSIGN_OR_RETURN(Value * w,
                         b.weights(1, {3, 0, 1, 2}, isFloat(b.output(0))));
  EDGEC_ASSIGN_OR_RETURN(Value * bias, b.optionalInput(3));
  const int64_t stride[2] = {o->stride_h(), o->stride_w()};
  std::vector<int64_t> pads(4, 0), outPad(2, 0);
  for (int d = 0; d < 2; ++d) {
    const int64_t in = xs[(size_t)d + 1], k = ws[(size_t)d + 1],
                  out = outShape[(size_t)d + 1];
    const int64_t total = (in - 1) * stride[d] + k - out;
    if (total >= 0) {
      pads[(size_t)d] = total / 2;
      pads[(size_t)d + 2] = total - total / 2;
    } else {
      outPad[(size_t)d] = -total;
    }
  }
  Node *n = b.emit("ConvTranspose", {x, w, bias}, {b.output(0)});
  n->attrs["kernel_shape"] = Attribute::makeInts({ws[1], ws[2]});
  n->attrs["strides"] = Attribute::makeInts({stride[0], stride[1]});
  n->attrs["pads"] = Attribute::makeInts(pads);
  if (outPad[0] || outPad[1])
    n->attrs["output_padding"] = Attribute::makeInts(outPad);
  setLayout(n);
  return b.fuseActivation(n, o->fused_activation_function());
}

Status convertPool(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(const fb::Pool2DOptions *o,
                         b.options<fb::Pool2DOptions>());
  EDGEC_TRY(checkStrides(b, o->stride_h(), o->stride_w()));
  if (o->filter_height() <= 0 || o->filter_width() <= 0)
    return b.error("filter size must be positive, got " +
                   std::to_string(o->filter_height()) + "x" +
                   std::to_string(o->filter_width()));
  EDGEC_TRY(checkRank(b, 0, 4, "input"));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Node *n = b.emit(onnxOp, {x}, {b.output(0)});
  n->attrs["kernel_shape"] =
      Attribute::makeInts({o->filter_height(), o->filter_width()});
  n->attrs["strides"] = Attribute::makeInts({o->stride_h(), o->stride_w()});
  n->attrs["auto_pad"] = Attribute::makeString(padMode(o->padding()));
  if (std::string(onnxOp) == "LpPool") n->attrs["p"] = Attribute::makeInt(2);
  setLayout(n);
  return b.fuseActivation(n, o->fused_activation_function());
}

Status convertFullyConnected(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 3));
  EDGEC_ASSIGN_OR_RETURN(const fb::FullyConnectedOptions *o,
                         b.options<fb::FullyConnectedOptions>());
  if (o->weights_format() != fb::FullyConnectedOptionsWeightsFormat::DEFAULT)
    return b.unsupported("shuffled weights format");
  EDGEC_TRY(checkRank(b, 1, 2, "weights"));
  TensorShape ws = shapeOf(b.inputTensor(1)), xs = shapeOf(b.inputTensor(0));
  const int64_t depth = ws[1], units = ws[0];
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * w, b.weights(1, {0, 1}, isFloat(b.output(0))));
  EDGEC_ASSIGN_OR_RETURN(Value * bias, b.optionalInput(2));
  Value *y = b.output(0);
  // TFLite flattens the input to [-1, depth].
  if (xs.size() != 2 || xs[1] != depth) {
    Value *flat = b.temp("flatten", TensorType(x->type.dtype), x->quant);
    b.emit("Reshape", {x, b.int64Constant("flatten_shape", {-1, depth})},
           {flat});
    x = flat;
  }
  TensorShape ys = shapeOf(b.inputTensor(0));
  const fb::Tensor *yt = nullptr;
  (void)yt;
  Value *gemmOut = y;
  const bool reshapeOut = y->type.hasRank && y->type.rank() != 2;
  if (reshapeOut || !y->type.hasRank)
    gemmOut = b.temp("gemm", TensorType(y->type.dtype), y->quant);
  Node *n = b.emit("Gemm", {x, w, bias}, {gemmOut});
  n->attrs["transB"] = Attribute::makeInt(1);
  EDGEC_TRY(b.fuseActivation(n, o->fused_activation_function()));
  if (gemmOut != y) {
    // keep_num_dims: the input's leading dims with `units` last.
    std::vector<int64_t> shape;
    if (o->keep_num_dims() && xs.size() >= 1) {
      for (size_t i = 0; i + 1 < xs.size(); ++i)
        shape.push_back(xs[i]);
      shape.push_back(units);
      if (!shape.empty()) shape[0] = -1;
    } else if (y->type.hasRank) {
      for (const Dim &d : y->type.dims)
        shape.push_back(d.isStatic() ? d.value : -1);
    } else {
      shape = {-1, units};
    }
    b.emit("Reshape", {gemmOut, b.int64Constant("shape", shape)}, {y});
  }
  return Status::ok();
}

Status convertBatchMatMul(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(const fb::BatchMatMulOptions *o,
                         b.options<fb::BatchMatMulOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * y, b.input(1));
  auto adjoint = [&](Value *v, size_t slot) -> Expected<Value *> {
    size_t r = shapeOf(b.inputTensor(slot)).size();
    if (r < 2) return b.error("adjoint of an operand of rank < 2");
    std::vector<int64_t> perm;
    for (size_t i = 0; i < r; ++i)
      perm.push_back((int64_t)i);
    std::swap(perm[r - 1], perm[r - 2]);
    Value *t = b.temp("adjoint", TensorType(v->type.dtype), v->quant);
    Node *n = b.emit("Transpose", {v}, {t});
    n->attrs["perm"] = Attribute::makeInts(perm);
    return t;
  };
  if (o->adj_x()) {
    EDGEC_ASSIGN_OR_RETURN(x, adjoint(x, 0));
  }
  if (o->adj_y()) {
    EDGEC_ASSIGN_OR_RETURN(y, adjoint(y, 1));
  }
  b.emit("MatMul", {x, y}, {b.output(0)});
  return Status::ok();
}

// --- element-wise ----------------------------------------------------------

template <typename Options>
Status convertBinaryAct(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(const Options *o, b.options<Options>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * y, b.input(1));
  Node *n = b.emit(onnxOp, {x, y}, {b.output(0)});
  return b.fuseActivation(n, o->fused_activation_function());
}

Status binary(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * y, b.input(1));
  b.emit(onnxOp, {x, y}, {b.output(0)});
  return Status::ok();
}

Status unary(OpBuilder &b, const char *onnxOp) {
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

// --- quantization ------------------------------------------------------------

/// QuantizeLinear / DequantizeLinear of x into y with q's scale and zero
/// point (zero point of element type `zpType`), per axis when q is.
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

// --- shape and data movement -------------------------------------------------

/// An int64 shape-like value from input `slot` (constant or computed).
Expected<Value *> int64Input(OpBuilder &b, size_t slot,
                             const std::string &what) {
  if (std::optional<Tensor> c = b.constInput(slot))
    return b.int64Constant(what, c->toInt64Vector());
  EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(slot));
  if (v->type.dtype == DataType::Int64) return v;
  Value *c = b.temp(what, TensorType(DataType::Int64));
  Node *n = b.emit("Cast", {v}, {c});
  n->attrs["to"] = Attribute::makeInt(toOnnxDataType(DataType::Int64));
  return c;
}

Status convertReshape(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 2));
  EDGEC_ASSIGN_OR_RETURN(const fb::ReshapeOptions *o,
                         b.options<fb::ReshapeOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Value *y = b.output(0);
  Value *shape = nullptr;
  std::vector<int64_t> dims;
  bool known = false;
  if (b.hasInput(1)) {
    if (std::optional<Tensor> c = b.constInput(1)) {
      dims = c->toInt64Vector();
      known = true;
    } else {
      EDGEC_ASSIGN_OR_RETURN(shape, int64Input(b, 1, "shape"));
    }
  } else if (o->new_shape() && o->new_shape()->size()) {
    for (int32_t d : *o->new_shape())
      dims.push_back(d);
    known = true;
  } else {
    TensorShape s = shapeOf(nullptr);
    if (!y->type.hasRank) return b.error("no target shape");
    for (const Dim &d : y->type.dims)
      dims.push_back(d.isStatic() ? d.value : -1);
    known = true;
  }
  bool zero = false;
  if (known) {
    for (int64_t d : dims) {
      if (d < -1)
        return b.error("invalid target dimension " + std::to_string(d));
      zero = zero || d == 0;
    }
    shape = b.int64Constant("shape", dims);
  }
  Node *n = b.emit("Reshape", {x, shape}, {y});
  if (zero) n->attrs["allowzero"] = Attribute::makeInt(1);
  return Status::ok();
}

Status convertSqueeze(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(const fb::SqueezeOptions *o,
                         b.options<fb::SqueezeOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  std::vector<Value *> ins{x};
  if (o->squeeze_dims() && o->squeeze_dims()->size()) {
    std::vector<int64_t> axes;
    for (int32_t a : *o->squeeze_dims())
      axes.push_back(a);
    ins.push_back(b.int64Constant("axes", axes));
  }
  b.emit("Squeeze", ins, {b.output(0)});
  return Status::ok();
}

Status convertExpandDims(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> axis, b.constInts(1, "axis"));
  if (axis.size() != 1) return b.error("axis must hold one value");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  b.emit("Unsqueeze", {x, b.int64Constant("axes", axis)}, {b.output(0)});
  return Status::ok();
}

Status convertTranspose(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> perm, b.constInts(1, "perm"));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Node *n = b.emit("Transpose", {x}, {b.output(0)});
  n->attrs["perm"] = Attribute::makeInts(perm);
  return Status::ok();
}

Status convertConcat(OpBuilder &b) {
  if (b.numInputs() == 0) return b.error("has no inputs");
  EDGEC_TRY(b.arity(1, b.numInputs()));
  EDGEC_ASSIGN_OR_RETURN(const fb::ConcatenationOptions *o,
                         b.options<fb::ConcatenationOptions>());
  std::vector<Value *> ins;
  for (size_t i = 0; i < b.numInputs(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(i));
    ins.push_back(v);
  }
  Node *n = b.emit("Concat", ins, {b.output(0)});
  n->attrs["axis"] = Attribute::makeInt(o->axis());
  return b.fuseActivation(n, o->fused_activation_function());
}

Status convertPad(OpBuilder &b, bool v2) {
  EDGEC_TRY(b.arity(2, v2 ? 3 : 2));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> p, b.constInts(1, "paddings"));
  if (p.size() % 2) return b.error("paddings must have shape [rank, 2]");
  std::vector<int64_t> pads(p.size());
  const size_t r = p.size() / 2;
  for (size_t i = 0; i < r; ++i) {
    if (p[2 * i] < 0 || p[2 * i + 1] < 0) return b.error("negative padding");
    pads[i] = p[2 * i];
    pads[i + r] = p[2 * i + 1];
  }
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  std::vector<Value *> ins{x, b.int64Constant("pads", pads)};
  if (v2 && b.hasInput(2)) {
    EDGEC_ASSIGN_OR_RETURN(Value * c, b.input(2));
    ins.push_back(c);
  }
  b.emit("Pad", ins, {b.output(0)});
  return Status::ok();
}

Status convertMirrorPad(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(const fb::MirrorPadOptions *o,
                         b.options<fb::MirrorPadOptions>());
  if (o->mode() != fb::MirrorPadMode::REFLECT)
    return b.unsupported("SYMMETRIC mirror padding");
  EDGEC_TRY(convertPad(b, false));
  Node *n = b.output(0)->producer();
  n->attrs["mode"] = Attribute::makeString("reflect");
  return Status::ok();
}

Status convertStridedSlice(OpBuilder &b) {
  EDGEC_TRY(b.arity(3, 4));
  EDGEC_ASSIGN_OR_RETURN(const fb::StridedSliceOptions *o,
                         b.options<fb::StridedSliceOptions>());
  if (o->ellipsis_mask() || o->new_axis_mask())
    return b.unsupported("ellipsis_mask and new_axis_mask");
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> begin, b.constInts(1, "begin"));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> end, b.constInts(2, "end"));
  std::vector<int64_t> strides(begin.size(), 1);
  if (b.hasInput(3)) {
    EDGEC_ASSIGN_OR_RETURN(strides, b.constInts(3, "strides"));
  }
  if (end.size() != begin.size() || strides.size() != begin.size())
    return b.error("begin, end and strides differ in length");
  if (begin.size() > 64) return b.error("more than 64 sliced dimensions");
  std::vector<int64_t> starts, ends, axes, steps, squeeze;
  for (size_t i = 0; i < begin.size(); ++i) {
    int64_t s = begin[i], e = end[i], st = strides[i];
    if (st == 0) return b.error("stride " + std::to_string(i) + " is 0");
    const bool shrink = (o->shrink_axis_mask() >> i) & 1;
    if (o->offset()) e = s + e;
    if (shrink) {
      e = s == -1 ? kInt64Max : s + 1;
      st = 1;
      squeeze.push_back((int64_t)i);
    } else {
      if ((o->begin_mask() >> i) & 1) s = st > 0 ? kInt64Min : kInt64Max;
      if ((o->end_mask() >> i) & 1) e = st > 0 ? kInt64Max : kInt64Min;
    }
    starts.push_back(s);
    ends.push_back(e);
    axes.push_back((int64_t)i);
    steps.push_back(st);
  }
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Value *y = b.output(0);
  Value *sliced = squeeze.empty()
                      ? y
                      : b.temp("slice", TensorType(y->type.dtype), y->quant);
  b.emit("Slice",
         {x, b.int64Constant("starts", starts), b.int64Constant("ends", ends),
          b.int64Constant("axes", axes), b.int64Constant("steps", steps)},
         {sliced});
  if (!squeeze.empty())
    b.emit("Squeeze", {sliced, b.int64Constant("squeeze_axes", squeeze)}, {y});
  return Status::ok();
}

Status convertSlice(OpBuilder &b) {
  EDGEC_TRY(b.arity(3, 3));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> begin, b.constInts(1, "begin"));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> size, b.constInts(2, "size"));
  if (size.size() != begin.size())
    return b.error("begin and size differ in length");
  std::vector<int64_t> ends, axes;
  for (size_t i = 0; i < begin.size(); ++i) {
    if (size[i] < -1 || begin[i] < 0) return b.error("invalid begin or size");
    ends.push_back(size[i] == -1 ? kInt64Max : begin[i] + size[i]);
    axes.push_back((int64_t)i);
  }
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  b.emit("Slice",
         {x, b.int64Constant("starts", begin), b.int64Constant("ends", ends),
          b.int64Constant("axes", axes)},
         {b.output(0)});
  return Status::ok();
}

Status convertGather(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(const fb::GatherOptions *o,
                         b.options<fb::GatherOptions>());
  if (o->batch_dims() != 0) return b.unsupported("batch_dims");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * i, b.input(1));
  Node *n = b.emit("Gather", {x, i}, {b.output(0)});
  n->attrs["axis"] = Attribute::makeInt(o->axis());
  return Status::ok();
}

Status convertGatherNd(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * i, b.input(1));
  Value *idx = b.temp("indices", TensorType(DataType::Int64));
  Node *c = b.emit("Cast", {i}, {idx});
  c->attrs["to"] = Attribute::makeInt(toOnnxDataType(DataType::Int64));
  b.emit("GatherND", {x, idx}, {b.output(0)});
  return Status::ok();
}

Status convertSplit(OpBuilder &b, bool sizes) {
  // SPLIT: (axis, input); SPLIT_V: (input, size_splits, axis).
  EDGEC_TRY(b.arity(sizes ? 3 : 2, sizes ? 3 : 2, -1));
  const size_t axisSlot = sizes ? 2 : 0, dataSlot = sizes ? 0 : 1;
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> axisV,
                         b.constInts(axisSlot, "axis"));
  if (axisV.size() != 1) return b.error("axis must hold one value");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(dataSlot));
  std::vector<Value *> outs;
  for (size_t i = 0; i < b.numOutputs(); ++i)
    outs.push_back(b.output(i));
  std::vector<Value *> ins{x};
  if (sizes) {
    EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> split,
                           b.constInts(1, "size_splits"));
    if (split.size() != outs.size())
      return b.error("size_splits has " + std::to_string(split.size()) +
                     " entries for " + std::to_string(outs.size()) +
                     " outputs");
    int64_t unknown = -1, known = 0;
    for (size_t i = 0; i < split.size(); ++i) {
      if (split[i] == -1 && unknown < 0)
        unknown = (int64_t)i;
      else if (split[i] < 0)
        return b.error("invalid size_splits");
      else
        known += split[i];
    }
    if (unknown >= 0) {
      TensorShape s = shapeOf(b.inputTensor(0));
      int64_t a = axisV[0] < 0 ? axisV[0] + (int64_t)s.size() : axisV[0];
      if (a < 0 || a >= (int64_t)s.size() || s[(size_t)a] < known)
        return b.error("cannot infer the -1 entry of size_splits");
      split[(size_t)unknown] = s[(size_t)a] - known;
    }
    ins.push_back(b.int64Constant("split", split));
  }
  Node *n = b.emit("Split", ins, outs);
  n->attrs["axis"] = Attribute::makeInt(axisV[0]);
  if (!sizes)
    n->attrs["num_outputs"] = Attribute::makeInt((int64_t)outs.size());
  return Status::ok();
}

Status convertPack(OpBuilder &b) {
  if (b.numInputs() == 0) return b.error("has no inputs");
  EDGEC_TRY(b.arity(1, b.numInputs()));
  EDGEC_ASSIGN_OR_RETURN(const fb::PackOptions *o,
                         b.options<fb::PackOptions>());
  std::vector<Value *> parts;
  Value *axes = b.int64Constant("axes", {o->axis()});
  for (size_t i = 0; i < b.numInputs(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(i));
    Value *u = b.temp("unsqueeze", TensorType(v->type.dtype), v->quant);
    b.emit("Unsqueeze", {v, axes}, {u});
    parts.push_back(u);
  }
  Node *n = b.emit("Concat", parts, {b.output(0)});
  n->attrs["axis"] = Attribute::makeInt(o->axis());
  return Status::ok();
}

Status convertUnpack(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1, -1));
  EDGEC_ASSIGN_OR_RETURN(const fb::UnpackOptions *o,
                         b.options<fb::UnpackOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  std::vector<Value *> parts;
  for (size_t i = 0; i < b.numOutputs(); ++i)
    parts.push_back(
        b.temp("split", TensorType(x->type.dtype), b.output(i)->quant));
  Node *s = b.emit("Split", {x}, parts);
  s->attrs["axis"] = Attribute::makeInt(o->axis());
  s->attrs["num_outputs"] = Attribute::makeInt((int64_t)parts.size());
  Value *axes = b.int64Constant("axes", {o->axis()});
  for (size_t i = 0; i < parts.size(); ++i)
    b.emit("Squeeze", {parts[i], axes}, {b.output(i)});
  return Status::ok();
}

Status convertTile(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  EDGEC_ASSIGN_OR_RETURN(Value * r, int64Input(b, 1, "repeats"));
  b.emit(onnxOp, {x, r}, {b.output(0)});
  return Status::ok();
}

Status convertShape(OpBuilder &b) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Value *y = b.output(0);
  if (y->type.dtype == DataType::Int64) {
    b.emit("Shape", {x}, {y});
    return Status::ok();
  }
  Value *s = b.temp("shape", TensorType(DataType::Int64));
  b.emit("Shape", {x}, {s});
  Node *c = b.emit("Cast", {s}, {y});
  c->attrs["to"] = Attribute::makeInt(toOnnxDataType(y->type.dtype));
  return Status::ok();
}

Status convertFill(OpBuilder &b) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(Value * dims, int64Input(b, 0, "dims"));
  EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(1));
  b.emit("Expand", {v, dims}, {b.output(0)});
  return Status::ok();
}

// --- reductions, softmax, normalization -------------------------------------

Status convertReduce(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(const fb::ReducerOptions *o,
                         b.options<fb::ReducerOptions>());
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> axes, b.constInts(1, "axes"));
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  // Repeated axes are allowed by TFLite.
  const int64_t rank = (int64_t)shapeOf(b.inputTensor(0)).size();
  std::vector<int64_t> uniq;
  for (int64_t a : axes) {
    if (a < -rank || a >= rank)
      return b.error("axis " + std::to_string(a) + " out of range for rank " +
                     std::to_string(rank));
    int64_t n = a < 0 ? a + rank : a;
    if (std::find(uniq.begin(), uniq.end(), n) == uniq.end()) uniq.push_back(n);
  }
  std::vector<Value *> ins{x};
  if (!uniq.empty()) ins.push_back(b.int64Constant("axes", uniq));
  Node *n = b.emit(onnxOp, ins, {b.output(0)});
  n->attrs["keepdims"] = Attribute::makeInt(o->keep_dims() ? 1 : 0);
  if (uniq.empty()) n->attrs["noop_with_empty_axes"] = Attribute::makeInt(1);
  return Status::ok();
}

Status convertArgMinMax(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> axis, b.constInts(1, "axis"));
  if (axis.size() != 1) return b.error("axis must hold one value");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Value *y = b.output(0);
  Value *r = y->type.dtype == DataType::Int64
                 ? y
                 : b.temp("index", TensorType(DataType::Int64));
  Node *n = b.emit(onnxOp, {x}, {r});
  n->attrs["axis"] = Attribute::makeInt(axis[0]);
  n->attrs["keepdims"] = Attribute::makeInt(0);
  if (r != y) {
    Node *c = b.emit("Cast", {r}, {y});
    c->attrs["to"] = Attribute::makeInt(toOnnxDataType(y->type.dtype));
  }
  return Status::ok();
}

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

// --- resize and space/depth
// ---------------------------------------------------

Status convertResize(OpBuilder &b, bool bilinear) {
  EDGEC_TRY(b.arity(2, 2));
  EDGEC_TRY(checkRank(b, 0, 4, "input"));
  bool alignCorners = false, halfPixel = false;
  if (bilinear) {
    EDGEC_ASSIGN_OR_RETURN(const fb::ResizeBilinearOptions *o,
                           b.options<fb::ResizeBilinearOptions>());
    alignCorners = o->align_corners();
    halfPixel = o->half_pixel_centers();
  } else {
    EDGEC_ASSIGN_OR_RETURN(const fb::ResizeNearestNeighborOptions *o,
                           b.options<fb::ResizeNearestNeighborOptions>());
    alignCorners = o->align_corners();
    halfPixel = o->half_pixel_centers();
  }
  EDGEC_ASSIGN_OR_RETURN(std::vector<int64_t> size, b.constInts(1, "size"));
  if (size.size() != 2 || size[0] <= 0 || size[1] <= 0)
    return b.error("size must hold two positive values");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Node *n =
      b.emit("Resize", {x, nullptr, nullptr, b.int64Constant("sizes", size)},
             {b.output(0)});
  n->attrs["axes"] = Attribute::makeInts({1, 2});
  n->attrs["mode"] = Attribute::makeString(bilinear ? "linear" : "nearest");
  std::string ct = alignCorners ? "align_corners"
                   : halfPixel
                       ? (bilinear ? "half_pixel" : "tf_half_pixel_for_nn")
                       : "asymmetric";
  n->attrs["coordinate_transformation_mode"] = Attribute::makeString(ct);
  if (!bilinear)
    n->attrs["nearest_mode"] = Attribute::makeString(
        alignCorners || halfPixel ? "round_prefer_ceil" : "floor");
  return Status::ok();
}

template <typename Options>
Status convertSpaceDepth(OpBuilder &b, const char *onnxOp) {
  EDGEC_TRY(b.arity(1, 1));
  EDGEC_TRY(checkRank(b, 0, 4, "input"));
  EDGEC_ASSIGN_OR_RETURN(const Options *o, b.options<Options>());
  if (o->block_size() <= 0) return b.error("block_size must be positive");
  EDGEC_ASSIGN_OR_RETURN(Value * x, b.input(0));
  Node *n = b.emit(onnxOp, {x}, {b.output(0)});
  n->attrs["blocksize"] = Attribute::makeInt(o->block_size());
  if (std::string(onnxOp) == "DepthToSpace")
    n->attrs["mode"] = Attribute::makeString("DCR");
  setLayout(n);
  return Status::ok();
}

// --- control flow
// ---------------------------------------------------------------

Status convertIf(OpBuilder &b) {
  if (b.numInputs() < 1) return b.error("has no condition input");
  EDGEC_TRY(b.arity(1, b.numInputs(), -1));
  EDGEC_ASSIGN_OR_RETURN(const fb::IfOptions *o, b.options<fb::IfOptions>());
  EDGEC_ASSIGN_OR_RETURN(Value * cond, b.input(0));
  std::vector<Value *> operands;
  for (size_t i = 1; i < b.numInputs(); ++i) {
    EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(i));
    operands.push_back(v);
  }
  EDGEC_ASSIGN_OR_RETURN(std::shared_ptr<Graph> thenG,
                         b.body(o->then_subgraph_index(), operands));
  EDGEC_ASSIGN_OR_RETURN(std::shared_ptr<Graph> elseG,
                         b.body(o->else_subgraph_index(), operands));
  if (thenG->outputs.size() != b.numOutputs() ||
      elseG->outputs.size() != b.numOutputs())
    return b.error("branches return " + std::to_string(thenG->outputs.size()) +
                   " and " + std::to_string(elseG->outputs.size()) +
                   " values for " + std::to_string(b.numOutputs()) +
                   " outputs");
  // TFLite's condition is any single-element tensor.
  if (cond->type.hasRank && cond->type.rank() != 0) {
    Value *s = b.temp("cond", TensorType(cond->type.dtype, TensorShape{}));
    b.emit("Reshape", {cond, b.int64Constant("cond_shape", {})}, {s});
    cond = s;
  }
  std::vector<Value *> outs;
  for (size_t i = 0; i < b.numOutputs(); ++i)
    outs.push_back(b.output(i));
  Node *n = b.emit("If", {cond}, outs);
  Attribute t, e;
  t.kind = e.kind = Attribute::Kind::Graph;
  t.g = thenG;
  e.g = elseG;
  n->attrs["then_branch"] = t;
  n->attrs["else_branch"] = e;
  thenG->parent = &b.graph();
  elseG->parent = &b.graph();
  return Status::ok();
}

/// `c` (a single-element bool tensor, TFLite's condition) as the scalar an
/// ONNX Loop condition must be, computed in graph g.
Expected<Value *> scalarCondition(OpBuilder &b, Graph &g, Value *c) {
  if (c->type.dtype != DataType::Bool)
    return b.error("condition subgraph returns " +
                   std::string(dataTypeName(c->type.dtype)) + ", not bool");
  if (c->type.hasRank && c->type.rank() == 0) return c;
  int64_t count = 1;
  if (c->type.isStatic())
    for (int64_t d : c->type.staticShape()) count *= d;
  if (c->type.isStatic() && count != 1)
    return b.error("condition subgraph returns " + c->type.str() +
                   ", not a single element");
  Value *shape = g.addInitializer(g.uniqueName(c->name + "/scalar_shape"),
                                  Tensor(DataType::Int64, TensorShape{0}));
  Value *s = g.addValue(g.uniqueName(c->name + "/scalar"),
                        TensorType(DataType::Bool, TensorShape{}));
  Node *n = g.addNode("Reshape", {c, shape}, {s}, s->name);
  n->opsetVersion = kImportOpset;
  return s;
}

/// WHILE(v...) = ONNX Loop without a trip count: the condition subgraph runs
/// once on the operands in the enclosing graph (the Loop's initial
/// condition); the Loop body runs the body subgraph and then the condition
/// subgraph on its results, and returns (condition, results...).
Status convertWhile(OpBuilder &b) {
  EDGEC_ASSIGN_OR_RETURN(const fb::WhileOptions *o, b.options<fb::WhileOptions>());
  const size_t nv = b.numInputs();
  if (nv == 0) return b.error("has no loop-carried operands");
  EDGEC_TRY(b.arity(nv, nv, (int)nv));
  std::vector<Value *> init;
  for (size_t i = 0; i < nv; ++i) {
    EDGEC_ASSIGN_OR_RETURN(Value * v, b.input(i));
    init.push_back(v);
  }
  const int64_t condIndex = o->cond_subgraph_index(), bodyIndex = o->body_subgraph_index();
  Graph &outer = b.graph();
  EDGEC_ASSIGN_OR_RETURN(std::vector<Value *> c0, b.inlineSubgraph(condIndex, outer, init));
  if (c0.size() != 1)
    return b.error("condition subgraph " + std::to_string(condIndex) + " returns " +
                   std::to_string(c0.size()) + " values, 1 expected");
  EDGEC_ASSIGN_OR_RETURN(Value * cond0, scalarCondition(b, outer, c0[0]));

  auto body = std::make_shared<Graph>();
  body->parent = &outer;
  body->name = b.opName() + "_body";
  auto fresh = [&](const std::string &base) {
    std::string n = base;
    for (int k = 1;; ++k) {
      bool taken = false;
      for (const Graph *s = body.get(); s && !taken; s = s->parent)
        taken = s->findValue(n) != nullptr;
      if (!taken) return n;
      n = base + "_" + std::to_string(k);
    }
  };
  body->addInput(fresh(b.opName() + "_iter"), TensorType(DataType::Int64, TensorShape{}));
  body->addInput(fresh(b.opName() + "_cond_in"), TensorType(DataType::Bool, TensorShape{}));
  std::vector<Value *> carried;
  for (Value *v : init) {
    Value *c = body->addInput(fresh(v->name + "_in"), v->type);
    c->quant = v->quant;
    carried.push_back(c);
  }
  EDGEC_ASSIGN_OR_RETURN(std::vector<Value *> next, b.inlineSubgraph(bodyIndex, *body, carried));
  if (next.size() != nv)
    return b.error("body subgraph " + std::to_string(bodyIndex) + " returns " +
                   std::to_string(next.size()) + " values for " + std::to_string(nv) +
                   " loop-carried operands");
  EDGEC_ASSIGN_OR_RETURN(std::vector<Value *> c1, b.inlineSubgraph(condIndex, *body, next));
  if (c1.size() != 1)
    return b.error("condition subgraph " + std::to_string(condIndex) + " returns " +
                   std::to_string(c1.size()) + " values, 1 expected");
  EDGEC_ASSIGN_OR_RETURN(Value * cond1, scalarCondition(b, *body, c1[0]));
  // Body results that are not computed by the body (a body input or an
  // outer value) get an Identity: a Loop body's outputs are its own values.
  auto own = [&](Value *v) {
    if (v->producer() && v->owner() == body.get()) return v;
    Value *copy = body->addValue(fresh(v->name + "_out"), v->type);
    copy->quant = v->quant;
    Node *n = body->addNode("Identity", {v}, {copy}, copy->name);
    n->opsetVersion = kImportOpset;
    return copy;
  };
  body->outputs.push_back(own(cond1));
  for (size_t i = 0; i < nv; ++i) {
    Value *r = own(next[i]);
    // A loop-carried value whose shape changes between iterations: the
    // body input's shape is not known in advance.
    if (r->type.hasRank && carried[i]->type.hasRank && !(r->type == carried[i]->type) &&
        r->type.dtype == carried[i]->type.dtype)
      carried[i]->type = TensorType(carried[i]->type.dtype,
                                     std::vector<Dim>(carried[i]->type.rank(), Dim::unknown()));
    body->outputs.push_back(r);
  }
  EDGEC_TRY(body->sortTopologically());
  std::vector<Value *> ins{nullptr, cond0};
  ins.insert(ins.end(), init.begin(), init.end());
  std::vector<Value *> outs;
  for (size_t i = 0; i < nv; ++i) outs.push_back(b.output(i));
  Node *n = b.emit("Loop", ins, outs);
  Attribute a;
  a.kind = Attribute::Kind::Graph;
  a.g = body;
  n->attrs["body"] = a;
  return Status::ok();
}

/// CALL_ONCE runs its init subgraph (which takes and returns nothing, it
/// initializes resource variables): its operators are inlined, so an init
/// subgraph of supported operators is a no-op and resource-variable
/// operators are reported as unsupported by the operator check.
Status convertCallOnce(OpBuilder &b) {
  EDGEC_ASSIGN_OR_RETURN(const fb::CallOnceOptions *o, b.options<fb::CallOnceOptions>());
  if (b.numInputs() != 0 || b.numOutputs() != 0)
    return b.error("CALL_ONCE takes no inputs and has no outputs");
  EDGEC_ASSIGN_OR_RETURN(std::vector<Value *> r,
                         b.inlineSubgraph(o->init_subgraph_index(), b.graph(), {}));
  (void)r;
  return Status::ok();
}

// --- the table
// -------------------------------------------------------------------

#define UNARY(code, op)                                                        \
  {                                                                            \
    BO::code, [](OpBuilder &b) { return unary(b, op); }                        \
  }
#define BINARY(code, op)                                                       \
  {                                                                            \
    BO::code, [](OpBuilder &b) { return binary(b, op); }                       \
  }

const std::map<BO, ConvertFn> &converters() {
  static const std::map<BO, ConvertFn> table = {
      {BO::CONV_2D, convertConv2D},
      {BO::DEPTHWISE_CONV_2D, convertDepthwiseConv2D},
      {BO::TRANSPOSE_CONV, convertTransposeConv},
      {BO::FULLY_CONNECTED, convertFullyConnected},
      {BO::BATCH_MATMUL, convertBatchMatMul},
      {BO::AVERAGE_POOL_2D,
       [](OpBuilder &b) { return convertPool(b, "AveragePool"); }},
      {BO::MAX_POOL_2D, [](OpBuilder &b) { return convertPool(b, "MaxPool"); }},
      {BO::L2_POOL_2D, [](OpBuilder &b) { return convertPool(b, "LpPool"); }},
      {BO::ADD,
       [](OpBuilder &b) { return convertBinaryAct<fb::AddOptions>(b, "Add"); }},
      {BO::SUB,
       [](OpBuilder &b) { return convertBinaryAct<fb::SubOptions>(b, "Sub"); }},
      {BO::MUL,
       [](OpBuilder &b) { return convertBinaryAct<fb::MulOptions>(b, "Mul"); }},
      {BO::DIV,
       [](OpBuilder &b) { return convertBinaryAct<fb::DivOptions>(b, "Div"); }},
      BINARY(MAXIMUM, "Max"),
      BINARY(MINIMUM, "Min"),
      BINARY(POW, "Pow"),
      BINARY(GREATER, "Greater"),
      BINARY(GREATER_EQUAL, "GreaterOrEqual"),
      BINARY(LESS, "Less"),
      BINARY(LESS_EQUAL, "LessOrEqual"),
      BINARY(EQUAL, "Equal"),
      BINARY(LOGICAL_AND, "And"),
      BINARY(LOGICAL_OR, "Or"),
      BINARY(PRELU, "PRelu"),
      {BO::NOT_EQUAL, convertNotEqual},
      {BO::FLOOR_DIV, convertFloorDiv},
      {BO::FLOOR_MOD, convertFloorMod},
      {BO::SQUARED_DIFFERENCE,
       [](OpBuilder &b) { return convertSquare(b, true); }},
      {BO::SQUARE, [](OpBuilder &b) { return convertSquare(b, false); }},
      {BO::SELECT, convertSelect},
      {BO::SELECT_V2, convertSelect},
      UNARY(LOGISTIC, "Sigmoid"),
      UNARY(TANH, "Tanh"),
      UNARY(RELU, "Relu"),
      UNARY(HARD_SWISH, "HardSwish"),
      UNARY(ELU, "Elu"),
      UNARY(EXP, "Exp"),
      UNARY(LOG, "Log"),
      UNARY(SQRT, "Sqrt"),
      UNARY(ABS, "Abs"),
      UNARY(NEG, "Neg"),
      UNARY(FLOOR, "Floor"),
      UNARY(CEIL, "Ceil"),
      UNARY(ROUND, "Round"),
      UNARY(SIN, "Sin"),
      UNARY(COS, "Cos"),
      UNARY(LOGICAL_NOT, "Not"),
      UNARY(SIGN, "Sign"),
      {BO::RSQRT, convertRsqrt},
      {BO::RELU6, [](OpBuilder &b) { return convertClip(b, 0.0f, 6.0f); }},
      {BO::RELU_N1_TO_1,
       [](OpBuilder &b) { return convertClip(b, -1.0f, 1.0f); }},
      {BO::RELU_0_TO_1,
       [](OpBuilder &b) { return convertClip(b, 0.0f, 1.0f); }},
      {BO::LEAKY_RELU, convertLeakyRelu},
      {BO::GELU, convertGelu},
      {BO::CAST, convertCast},
      {BO::QUANTIZE, convertQuantize},
      {BO::DEQUANTIZE, convertDequantize},
      {BO::RESHAPE, convertReshape},
      {BO::SQUEEZE, convertSqueeze},
      {BO::EXPAND_DIMS, convertExpandDims},
      {BO::TRANSPOSE, convertTranspose},
      {BO::CONCATENATION, convertConcat},
      {BO::PAD, [](OpBuilder &b) { return convertPad(b, false); }},
      {BO::PADV2, [](OpBuilder &b) { return convertPad(b, true); }},
      {BO::MIRROR_PAD, convertMirrorPad},
      {BO::STRIDED_SLICE, convertStridedSlice},
      {BO::SLICE, convertSlice},
      {BO::GATHER, convertGather},
      {BO::GATHER_ND, convertGatherNd},
      {BO::SPLIT, [](OpBuilder &b) { return convertSplit(b, false); }},
      {BO::SPLIT_V, [](OpBuilder &b) { return convertSplit(b, true); }},
      {BO::PACK, convertPack},
      {BO::UNPACK, convertUnpack},
      {BO::TILE, [](OpBuilder &b) { return convertTile(b, "Tile"); }},
      {BO::BROADCAST_TO, [](OpBuilder &b) { return convertTile(b, "Expand"); }},
      {BO::SHAPE, convertShape},
      {BO::FILL, convertFill},
      {BO::MEAN, [](OpBuilder &b) { return convertReduce(b, "ReduceMean"); }},
      {BO::SUM, [](OpBuilder &b) { return convertReduce(b, "ReduceSum"); }},
      {BO::REDUCE_MAX,
       [](OpBuilder &b) { return convertReduce(b, "ReduceMax"); }},
      {BO::REDUCE_MIN,
       [](OpBuilder &b) { return convertReduce(b, "ReduceMin"); }},
      {BO::REDUCE_PROD,
       [](OpBuilder &b) { return convertReduce(b, "ReduceProd"); }},
      {BO::ARG_MAX, [](OpBuilder &b) { return convertArgMinMax(b, "ArgMax"); }},
      {BO::ARG_MIN, [](OpBuilder &b) { return convertArgMinMax(b, "ArgMin"); }},
      {BO::SOFTMAX, [](OpBuilder &b) { return convertSoftmax(b, false); }},
      {BO::LOG_SOFTMAX, [](OpBuilder &b) { return convertSoftmax(b, true); }},
      {BO::L2_NORMALIZATION, convertL2Norm},
      {BO::LOCAL_RESPONSE_NORMALIZATION, convertLrn},
      {BO::RESIZE_BILINEAR,
       [](OpBuilder &b) { return convertResize(b, true); }},
      {BO::RESIZE_NEAREST_NEIGHBOR,
       [](OpBuilder &b) { return convertResize(b, false); }},
      {BO::DEPTH_TO_SPACE,
       [](OpBuilder &b) {
         return convertSpaceDepth<fb::DepthToSpaceOptions>(b, "DepthToSpace");
       }},
      {BO::SPACE_TO_DEPTH,
       [](OpBuilder &b) {
         return convertSpaceDepth<fb::SpaceToDepthOptions>(b, "SpaceToDepth");
       }},
      {BO::IF, convertIf},
      {BO::WHILE, convertWhile},
      {BO::CALL_ONCE, convertCallOnce},
  };
  return table;
}

} // namespace

ConvertFn findConverter(int32_t code) {
  if (code < 0) return nullptr;
  auto it = converters().find((BO)code);
  return it == converters().end() ? nullptr : it->second;
}

} // namespace edgec::tflite
