// Float normalizations: BatchNormalization (inference, folded to a
// per-channel scale/shift) -> ec_batchnorm_f32; LayerNormalization ->
// ec_layernorm_f32 (RMSNormalization too); InstanceNormalization -> ec_instancenorm_f32; LRN
// (NCHW or edgec.layout = NHWC) -> ec_lrn_f32.
#include "targets/mcu/lower/Lowering.h"

#include <cmath>

namespace edgec::mcu {

namespace {

std::string checkIO(const Node &n, size_t minIn) {
  if (n.inputs.size() < minIn || n.outputs.empty() || !n.outputs[0])
    return "missing input or output";
  for (size_t i = 0; i < minIn; ++i)
    if (!n.inputs[i]) return "missing input";
  for (const Value *v : n.inputs)
    if (v && v->type.dtype != DataType::Float32) return "only float32";
  if (n.outputs[0]->type.dtype != DataType::Float32) return "only float32";
  return "";
}

std::vector<double> asDoubles(const Tensor &t) { return t.toDoubleVector(); }

// ---- BatchNormalization ----
std::string checkBN(const Node &n, const McuOptions &) {
  std::string why = checkIO(n, 5);
  if (!why.empty()) return why;
  for (size_t i = 1; i < 5; ++i)
    if (!n.inputs[i]->constant) return "scale, bias, mean and var must be constants";
  for (size_t i = 1; i < n.outputs.size(); ++i)
    if (n.outputs[i]) return "training outputs are not supported";
  if (const Attribute *t = n.attr("training_mode"); t && t->i != 0)
    return "training_mode is not supported";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  if (n.inputs[0]->type.dims.size() < 2) return "input rank below 2";
  return checkFusedActivationF32(n);
}

Status lowerBN(LowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> d = staticDims(ctx.inValue(0));
  int64_t c = d[1], inner = 1;
  for (size_t i = 2; i < d.size(); ++i) inner *= d[i];
  float eps = n.attrFloat("epsilon", 1e-5f);
  std::vector<double> s = asDoubles(*ctx.constantInput(1)), b = asDoubles(*ctx.constantInput(2)),
                      m = asDoubles(*ctx.constantInput(3)), v = asDoubles(*ctx.constantInput(4));
  if (int64_t(s.size()) != c || int64_t(b.size()) != c || int64_t(m.size()) != c ||
      int64_t(v.size()) != c)
    return Error(ErrorCode::Unsupported, n.label() + ": parameters do not have C elements");
  std::vector<float> scale(static_cast<size_t>(c)), shift(static_cast<size_t>(c));
  for (size_t i = 0; i < size_t(c); ++i) {
    // Same operation order as the reference: (x - mean) / sqrt(var + eps) * s + b.
    double k = s[i] / std::sqrt(double(float(v[i]) + eps));
    scale[i] = float(k);
    shift[i] = float(b[i] - m[i] * k);
  }
  EDGEC_ASSIGN_OR_RETURN(Fields act, fusedActivationF32(n));
  Operand sa = ctx.constantArray("bn_scale", scale), sh = ctx.constantArray("bn_shift", shift);
  Operand p = ctx.params("ec_batchnorm_f32_params", "bn_" + n.name,
                         Fields().i("outer", d[0]).i("c", c).i("inner", inner).sub("act", act));
  ctx.useRuntime("kernels/reference/batchnorm_f32.h");
  ctx.call("ec_batchnorm_f32", {p, ctx.in(0), sa, sh, ctx.out(0)});
  ctx.setKernel("batchnorm_f32");
  ctx.allowInPlace(0);
  ctx.addMacs(elementCount(ctx.inValue(0)));
  return Status::ok();
}

// ---- LayerNormalization ----
std::string checkLN(const Node &n, const McuOptions &) {
  std::string why = checkIO(n, 2);
  if (!why.empty()) return why;
  const size_t maxOutputs = n.opType == "LayerNormalization" ? 3 : 1;
  for (size_t i = 1; i < n.outputs.size(); ++i)
    if (n.outputs[i] && (i >= maxOutputs || n.outputs[i]->type.dtype != DataType::Float32))
      return "Mean/InvStdDev outputs must be float32 (LayerNormalization only)";
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  if (std::string a = checkFusedActivationF32(n); !a.empty()) return a;
  int64_t r = int64_t(n.inputs[0]->type.dims.size());
  const Attribute *a = n.attr("axis");
  int64_t axis = a ? a->i : -1;
  if (axis < -r || axis >= r) return "axis out of range";
  for (size_t i = 1; i < 3 && i < n.inputs.size(); ++i)
    if (n.inputs[i] && !n.inputs[i]->constant) {
      // A computed scale/bias is read directly: it must cover the normalized dims.
      if (n.inputs[i]->type.isStatic() && n.inputs[0]->type.isStatic()) {
        int64_t ax = axis < 0 ? axis + r : axis, inner = 1, cnt = 1;
        for (int64_t k = ax; k < r; ++k) inner *= n.inputs[0]->type.dims[size_t(k)].value;
        for (const Dim &dd : n.inputs[i]->type.dims) cnt *= dd.value;
        if (cnt != inner) return "a non-constant scale/bias must not broadcast";
      }
    }
  return "";
}

/// A constant of the normalized shape `nd`, broadcast (numpy) from t.
std::vector<float> expandTo(const Tensor &t, const std::vector<int64_t> &nd) {
  std::vector<double> v = t.toDoubleVector();
  std::vector<int64_t> td(t.shape().begin(), t.shape().end());
  int64_t total = 1;
  for (int64_t x : nd) total *= x;
  std::vector<float> out(static_cast<size_t>(total));
  std::vector<int64_t> idx(nd.size(), 0);
  for (int64_t e = 0; e < total; ++e) {
    int64_t off = 0, stride = 1;
    for (size_t j = td.size(); j-- > 0;) {
      size_t i = nd.size() - td.size() + j;
      int64_t k = td[j] == 1 ? 0 : idx[i];
      off += k * stride;
      stride *= td[j];
    }
    out[size_t(e)] = float(v[size_t(off)]);
    for (size_t i = nd.size(); i-- > 0;) {
      if (++idx[i] < nd[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

Status lowerLN(LowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> d = staticDims(ctx.inValue(0));
  int64_t r = int64_t(d.size());
  const Attribute *a = n.attr("axis");
  int64_t axis = a ? a->i : -1;
  if (axis < 0) axis += r;
  int64_t outer = 1, inner = 1;
  std::vector<int64_t> nd;
  for (int64_t i = 0; i < r; ++i) {
    if (i < axis) outer *= d[size_t(i)];
    else {
      inner *= d[size_t(i)];
      nd.push_back(d[size_t(i)]);
    }
  }
  auto param = [&](size_t i) -> Operand {
    if (!ctx.hasInput(i)) return Operand::null();
    if (const Tensor *t = ctx.constantInput(i)) return ctx.constantArray("ln_p", expandTo(*t, nd));
    return ctx.in(i);
  };
  Operand sc = param(1), bi = param(2);
  EDGEC_ASSIGN_OR_RETURN(Fields act, fusedActivationF32(n));
  Operand p = ctx.params("ec_layernorm_f32_params", "ln_" + n.name,
                         Fields().i("outer", outer).i("inner", inner)
                             .f("eps", n.attrFloat("epsilon", 1e-5f))
                             .i("rms", n.opType == "RMSNormalization" ? 1 : 0).sub("act", act));
  auto stat = [&](size_t i) {
    return i < n.outputs.size() && n.outputs[i] ? ctx.out(i) : Operand::null();
  };
  ctx.useRuntime("kernels/reference/layernorm_f32.h");
  ctx.call("ec_layernorm_f32", {p, ctx.in(0), sc, bi, ctx.out(0), stat(1), stat(2)});
  ctx.setKernel("layernorm_f32");
  ctx.allowInPlace(0);
  return Status::ok();
}

// ---- InstanceNormalization ----
std::string checkIN(const Node &n, const McuOptions &) {
  std::string why = checkIO(n, 3);
  if (!why.empty()) return why;
  if (n.attr(kLayoutAttr)) return "a layout annotation is not supported";
  if (n.attr(kFusedActivationAttr)) return "fused activation on a normalization";
  if (n.inputs[0]->type.dims.size() < 3) return "input rank below 3";
  return "";
}

Status lowerIN(LowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> d = staticDims(ctx.inValue(0));
  int64_t inner = 1;
  for (size_t i = 2; i < d.size(); ++i) inner *= d[i];
  Operand p = ctx.params("ec_instancenorm_f32_params", "in_" + n.name,
                         Fields().i("n", d[0]).i("c", d[1]).i("inner", inner)
                             .f("eps", n.attrFloat("epsilon", 1e-5f)));
  ctx.useRuntime("kernels/reference/instancenorm_f32.h");
  ctx.call("ec_instancenorm_f32", {p, ctx.in(0), ctx.in(1), ctx.in(2), ctx.out(0)});
  ctx.setKernel("instancenorm_f32");
  ctx.allowInPlace(0);
  return Status::ok();
}

// ---- LRN ----
std::string checkLRN(const Node &n, const McuOptions &) {
  std::string why = checkIO(n, 1);
  if (!why.empty()) return why;
  const Attribute *lay = n.attr(kLayoutAttr);
  if (lay && lay->s != "NHWC") return "layout '" + lay->s + "' is not supported";
  if (n.attr(kFusedActivationAttr)) return "fused activation on LRN";
  const Attribute *s = n.attr("size");
  if (!s || s->i <= 0) return "size must be positive";
  if (n.inputs[0]->type.dims.size() < 2) return "input rank below 2";
  return "";
}

Status lowerLRN(LowerContext &ctx) {
  const Node &n = ctx.node();
  std::vector<int64_t> d = staticDims(ctx.inValue(0));
  bool nhwc = isChannelsLast(n);
  int64_t c = nhwc ? d.back() : d[1], inner = 1;
  for (size_t i = 1; i < d.size(); ++i) inner *= d[i];
  inner /= c;
  int64_t sn = c * inner, sc = nhwc ? 1 : inner, si = nhwc ? c : 1;
  Operand p = ctx.params("ec_lrn_f32_params", "lrn_" + n.name,
                         Fields().i("n", d[0]).i("c", c).i("inner", inner).i("s_n", sn)
                             .i("s_c", sc).i("s_i", si).i("size", n.attr("size")->i)
                             .f("alpha", n.attrFloat("alpha", 1e-4f)).f("beta", n.attrFloat("beta", 0.75f))
                             .f("bias", n.attrFloat("bias", 1.0f)));
  ctx.useRuntime("kernels/reference/lrn_f32.h");
  ctx.call("ec_lrn_f32", {p, ctx.in(0), ctx.out(0)});
  ctx.setKernel(std::string("lrn_f32") + (nhwc ? " (NHWC)" : ""));
  return Status::ok();
}

} // namespace

void registerNormF32(std::vector<Lowering> &out) {
  out.push_back({"BatchNormalization", Lowering::Float, checkBN, lowerBN, {"float32"},
                 "inference, constant parameters"});
  out.push_back({"LayerNormalization", Lowering::Float, checkLN, lowerLN, {"float32"},
                 "Mean/InvStdDev outputs float32"});
  out.push_back({"RMSNormalization", Lowering::Float, checkLN, lowerLN, {"float32"}, ""});
  out.push_back({"InstanceNormalization", Lowering::Float, checkIN, lowerIN, {"float32"}, ""});
  out.push_back({"LRN", Lowering::Float, checkLRN, lowerLRN, {"float32"}, "NCHW or NHWC"});
}

} // namespace edgec::mcu
