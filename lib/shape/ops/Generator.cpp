// Shape and type inference of the Generator family (kernels:
// interp/kernels/Generator.cpp).
#include "shape/ops/Generator.h"

#include <cmath>
#include <limits>

namespace edgec {

Expected<Tensor> constantValue(const NodeContext &ctx) {
  static const char *const kinds[] = {
      "value",     "value_float",  "value_floats",  "value_int",
      "value_ints", "value_string", "value_strings", "sparse_value"};
  int count = 0;
  for (const char *k : kinds) count += ctx.hasAttr(k);
  if (count != 1)
    return ctx.error("expected exactly one value attribute, got " +
                     std::to_string(count));
  if (ctx.hasAttr("value_string") || ctx.hasAttr("value_strings"))
    return ctx.unsupported("string constants");
  if (ctx.hasAttr("sparse_value"))
    return ctx.unsupported("sparse constants");
  if (const Attribute *a = ctx.attr("value")) {
    if (a->kind != Attribute::Kind::Tensor || !a->t.isValid())
      return ctx.error("attribute 'value' is not a tensor");
    return a->t;
  }
  if (ctx.hasAttr("value_float"))
    return Tensor::scalar<float>(ctx.attrFloat("value_float", 0));
  if (ctx.hasAttr("value_int"))
    return Tensor::scalar<int64_t>(ctx.attrInt("value_int", 0));
  if (ctx.hasAttr("value_floats")) {
    std::vector<float> v = ctx.attrFloats("value_floats");
    return Tensor::fromVector<float>({(int64_t)v.size()}, v);
  }
  std::vector<int64_t> v = ctx.attrInts("value_ints");
  return Tensor::fromVector<int64_t>({(int64_t)v.size()}, v);
}

Expected<Tensor> fillValue(const NodeContext &ctx) {
  const Attribute *a = ctx.attr("value");
  if (!a) return Tensor::scalar<float>(0.0f);
  if (a->kind != Attribute::Kind::Tensor || a->t.numElements() != 1)
    return ctx.error("attribute 'value' must be a one-element tensor");
  return a->t;
}

Expected<DataType> eyeType(const NodeContext &ctx, DataType in) {
  if (!ctx.hasAttr("dtype")) return in;
  auto dt = fromOnnxDataType((int)ctx.attrInt("dtype", 0));
  if (!dt)
    return ctx.unsupported("dtype " + std::to_string(ctx.attrInt("dtype", 0)));
  return *dt;
}

namespace {

using Dims = std::vector<Dim>;

Status inferConstant(InferContext &ctx) {
  auto v = constantValue(ctx);
  if (!v.isOk()) {
    if (v.error().code() == ErrorCode::Unsupported) return Status::ok();
    return v.error();
  }
  ctx.outputs[0] = TensorType(v->dtype(), v->shape());
  return Status::ok();
}

Status inferConstantOfShape(InferContext &ctx) {
  EDGEC_ASSIGN_OR_RETURN(Tensor v, fillValue(ctx));
  ctx.outputs[0] = TensorType(v.dtype());
  if (const Tensor *s = ctx.inputValue(0)) {
    std::vector<int64_t> shape = s->toInt64Vector();
    for (int64_t d : shape)
      if (d < 0) return ctx.error("negative dimension in shape input");
    ctx.outputs[0] = TensorType(v.dtype(), shape);
    return Status::ok();
  }
  int64_t n = shapeInputLength(ctx.inputType(0));
  if (n >= 0) ctx.outputs[0] = TensorType(v.dtype(), Dims((size_t)n));
  return Status::ok();
}

Status inferRange(InferContext &ctx) {
  ctx.outputs[0] = TensorType(ctx.inputType(0).dtype, Dims{Dim{}});
  return Status::ok();
}

Status inferEyeLike(InferContext &ctx) {
  const TensorType &x = ctx.inputType(0);
  EDGEC_ASSIGN_OR_RETURN(DataType dt, eyeType(ctx, x.dtype));
  ctx.outputs[0] = x;
  ctx.outputs[0].dtype = dt;
  return Status::ok();
}

} // namespace

void registerGeneratorInference(InferRegistry &r) {
  r.add("Constant", inferConstant);
  r.add("ConstantOfShape", inferConstantOfShape);
  r.add("Range", inferRange);
  r.add("EyeLike", inferEyeLike);
}

} // namespace edgec
