// TFLite convolutions and pools to ONNX nodes: CONV_2D, DEPTHWISE_CONV_2D,
// TRANSPOSE_CONV and the pools become the ONNX op annotated
// edgec.layout = "NHWC", with the weights rearranged to ONNX's layout at
// import (OHWI -> OIHW, depthwise 1HW(C*M) -> (C*M)1HW), so no transposes
// appear in the network.
#include "tflite/read/Converters.h"

namespace edgec::tflite {

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

} // namespace edgec::tflite
