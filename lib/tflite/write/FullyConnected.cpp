// Gemm and MatMul: FULLY_CONNECTED on [units, depth] weights (a per-channel
// quantized Gemm as RESHAPE -> 1x1 CONV_2D -> RESHAPE), MatMul of two
// activations as BATCH_MATMUL.
#include "tflite/write/SubgraphWriter.h"

#include "ir/Annotations.h"

namespace edgec::tflite {

Status SubgraphWriter::gemm(const Node &n) {
  if (n.attrInt("transA", 0) != 0) return unsupported("transA = 1");
  if (n.attrFloat("alpha", 1.0f) != 1.0f || n.attrFloat("beta", 1.0f) != 1.0f)
    return unsupported("alpha or beta != 1");
  const Value *a = n.input(0);
  const Value *b = n.input(1) ? resolve(n.input(1)) : nullptr;
  if (!a || !b || !b->constant || b->constant->rank() != 2)
    return unsupported("B must be a 2-D constant");
  const bool transB = n.attrInt("transB", 0) != 0;
  const int64_t units = transB ? b->constant->dim(0) : b->constant->dim(1);
  const bool q = isQuantizedNode(n);
  // TFLite flattens the input to [-1, depth] itself: skip a Reshape/Flatten
  // that only does that.
  const Value *src = a;
  if (Node *p = a->producer(); p && p->domain.empty() &&
                               (p->opType == "Reshape" || p->opType == "Flatten") &&
                               g.usersOf(a).size() == 1 && !g.isGraphOutput(a) &&
                               p->input(0) && p->input(0)->type.isStatic() &&
                               (!a->quant || p->input(0)->quant == a->quant) &&
                               p->input(0)->type.dtype == a->type.dtype && !a->constant) {
    src = p->input(0);
  }
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, tensorOf(src));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  EDGEC_ASSIGN_OR_RETURN(TensorShape ys, shapeOf(n.outputs[0]));
  EDGEC_ASSIGN_OR_RETURN(int32_t wt, weights(n, 1, transB ? std::vector<int64_t>{0, 1}
                                                          : std::vector<int64_t>{1, 0}));
  std::optional<QuantParams> bq;
  if (q) {
    if (!def(xt).quant || !def(wt).quant)
      return unsupported("quantized Gemm needs quantization parameters on A and B");
    bq = accumulatorParams(*def(xt).quant, *def(wt).quant);
  }
  int32_t bt;
  if (const Value *c = n.input(2) ? resolve(n.input(2)) : nullptr) {
    if (!c->constant) return unsupported("C must be a constant");
    if (c->constant->numElements() != units) {
      if (c->constant->numElements() != 1) return unsupported("C must have one value per unit");
      if (q) return unsupported("broadcast quantized bias");
    }
    Tensor ct = c->constant->numElements() == units ? c->constant->reshaped({units})
                                                    : Tensor(c->constant->dtype(), {units});
    if (c->constant->numElements() != units)
      for (int64_t i = 0; i < units; ++i) ct.setDouble(i, c->constant->getDouble(0));
    // As for Conv: the int32 values with scale s_in * s_w.
    EDGEC_ASSIGN_OR_RETURN(bt, constTensor(c->name, ct, q ? bq : c->quant));
  } else {
    EDGEC_ASSIGN_OR_RETURN(bt, zeroBias(n, a->type.dtype, units, bq));
  }
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  if (q && def(wt).quant && def(wt).quant->perAxis() && ys.size() == 2) {
    // Per-channel FULLY_CONNECTED is rejected by Arm NN 20.08 (and older
    // TFLite Micro kernels): write the same integer arithmetic as a 1x1
    // CONV_2D between two RESHAPEs.
    const int64_t depth = def(wt).shape[1];
    const int64_t batch = ys[0];
    std::vector<int32_t> s4{(int32_t)batch, 1, 1, (int32_t)depth};
    std::vector<int64_t> s4l{batch, 1, 1, depth};
    int32_t x4 = temp(def(xt).name + "/nhwc", a->type.dtype, {batch, 1, 1, depth}, def(xt).quant);
    {
      Preparation prep(*this);
      EDGEC_TRY(op(BO::RESHAPE, {xt, int32Const(n.name + "/in_shape", s4l)}, {x4}, a->type.dtype,
                   BOpt::ReshapeOptions, fb::CreateReshapeOptionsDirect(w.fbb, &s4).Union()));
    }
    tensors[(size_t)wt].shape = {(int32_t)units, 1, 1, (int32_t)depth};
    int32_t y4 = temp(def(ap.write).name + "/nhwc", outType(n), {batch, 1, 1, units}, def(ap.write).quant);
    EDGEC_TRY(op(BO::CONV_2D, {x4, wt, bt}, {y4}, a->type.dtype, BOpt::Conv2DOptions,
                 fb::CreateConv2DOptions(w.fbb, fb::Padding::VALID, 1, 1, ap.fused).Union()));
    std::vector<int32_t> s2{(int32_t)batch, (int32_t)units};
    EDGEC_TRY(op(BO::RESHAPE, {y4, int32Const(n.name + "/out_shape", {batch, units})}, {ap.write},
                 a->type.dtype, BOpt::ReshapeOptions,
                 fb::CreateReshapeOptionsDirect(w.fbb, &s2).Union()));
    return finishAct(ap);
  }
  EDGEC_TRY(op(BO::FULLY_CONNECTED, {xt, wt, bt}, {ap.write}, a->type.dtype,
               BOpt::FullyConnectedOptions,
               fb::CreateFullyConnectedOptions(w.fbb, ap.fused).Union()));
  return finishAct(ap);
}

Status SubgraphWriter::matmul(const Node &n) {
  const Value *a = n.input(0);
  const Value *b = n.input(1) ? resolve(n.input(1)) : nullptr;
  if (!a || !b) return unsupported("missing input");
  EDGEC_ASSIGN_OR_RETURN(TensorShape as, shapeOf(a));
  EDGEC_ASSIGN_OR_RETURN(int32_t yt, out(n));
  const bool q = isQuantizedNode(n);
  if (b->constant && b->constant->rank() == 2 && as.size() >= 2) {
    // FULLY_CONNECTED on [units, depth] weights; keep_num_dims keeps the
    // leading dims of A.
    EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
    EDGEC_ASSIGN_OR_RETURN(int32_t wt, weights(n, 1, {1, 0}));
    const int64_t units = b->constant->dim(1);
    std::optional<QuantParams> bq;
    if (q) {
      if (!def(xt).quant || !def(wt).quant)
        return unsupported("quantized MatMul needs quantization parameters on A and B");
      bq = accumulatorParams(*def(xt).quant, *def(wt).quant);
    }
    EDGEC_ASSIGN_OR_RETURN(int32_t bt, zeroBias(n, a->type.dtype, units, bq));
    EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
    EDGEC_TRY(op(BO::FULLY_CONNECTED, {xt, wt, bt}, {ap.write}, a->type.dtype,
                 BOpt::FullyConnectedOptions,
                 fb::CreateFullyConnectedOptions(w.fbb, ap.fused,
                                                 fb::FullyConnectedOptionsWeightsFormat::DEFAULT,
                                                 as.size() != 2)
                     .Union()));
    return finishAct(ap);
  }
  if (q && b->quant && b->quant->perAxis()) return unsupported("per-channel BATCH_MATMUL operand");
  EDGEC_ASSIGN_OR_RETURN(int32_t xt, in(n, 0));
  EDGEC_ASSIGN_OR_RETURN(int32_t bt, in(n, 1));
  EDGEC_ASSIGN_OR_RETURN(ActPlan ap, planAct(n, yt));
  EDGEC_TRY(op(BO::BATCH_MATMUL, {xt, bt}, {ap.write}, a->type.dtype, BOpt::BatchMatMulOptions,
               fb::CreateBatchMatMulOptions(w.fbb).Union()));
  return finishAct(ap);
}

} // namespace edgec::tflite
