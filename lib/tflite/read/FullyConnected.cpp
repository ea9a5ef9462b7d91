// FULLY_CONNECTED (Gemm with transB = 1, flattening and keep_num_dims as
// Reshapes) and BATCH_MATMUL (MatMul, adjoint flags as Transposes).
#include "tflite/read/Converters.h"

namespace edgec::tflite {

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

} // namespace edgec::tflite
