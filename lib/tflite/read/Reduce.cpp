// Reductions: MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD (repeated
// axes merged), ARG_MAX, ARG_MIN.
#include "tflite/read/Converters.h"

#include <algorithm>

namespace edgec::tflite {

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

} // namespace edgec::tflite
