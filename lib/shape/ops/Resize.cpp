// Shape and type inference of the Resize family (kernels:
// interp/kernels/Resize.cpp).
#include "shape/ops/Resize.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgec {

Expected<ResizePlan> planResize(const NodeContext &ctx, const TensorShape &in,
                                const std::vector<double> &scalesIn,
                                const std::vector<int64_t> &sizesIn,
                                const std::vector<double> &roiIn) {
  int64_t r = (int64_t)in.size();
  std::vector<int64_t> axes = ctx.attrInts("axes");
  if (axes.empty()) {
    for (int64_t a = 0; a < r; ++a) axes.push_back(a);
  } else {
    std::vector<char> seen(r, 0);
    for (int64_t &a : axes) {
      EDGEC_ASSIGN_OR_RETURN(a, normalizeAxis(ctx, a, r));
      if (seen[a]++) return ctx.error("duplicate value in axes");
    }
  }
  size_t na = axes.size();
  if (!scalesIn.empty() && !sizesIn.empty())
    return ctx.error("only one of scales and sizes may be given");
  if (scalesIn.empty() && sizesIn.empty())
    return ctx.error("one of scales and sizes must be given");
  ResizePlan plan;
  plan.outShape = in;
  plan.scales.assign(r, 1.0);
  if (!scalesIn.empty()) {
    if (scalesIn.size() != na)
      return ctx.error("scales has " + std::to_string(scalesIn.size()) +
                       " elements, expected " + std::to_string(na));
    for (size_t i = 0; i < na; ++i) {
      double s = scalesIn[i];
      if (!(s > 0) || !std::isfinite(s))
        return ctx.error("scales must be positive and finite");
      double o = std::floor(double(in[axes[i]]) * s);
      if (o > 1e15) return ctx.error("resize output is too large");
      plan.scales[axes[i]] = s;
      plan.outShape[axes[i]] = (int64_t)o;
    }
  } else {
    if (sizesIn.size() != na)
      return ctx.error("sizes has " + std::to_string(sizesIn.size()) +
                       " elements, expected " + std::to_string(na));
    for (size_t i = 0; i < na; ++i) {
      if (sizesIn[i] < 0) return ctx.error("sizes must not be negative");
      if (in[axes[i]] == 0 && sizesIn[i] != 0)
        return ctx.error("cannot resize an empty axis to a non-empty one");
    }
    std::string policy = ctx.attrString("keep_aspect_ratio_policy", "stretch");
    if (policy == "stretch") {
      for (size_t i = 0; i < na; ++i) {
        int64_t a = axes[i];
        plan.outShape[a] = sizesIn[i];
        plan.scales[a] =
            in[a] == 0 ? 1.0 : double(sizesIn[i]) / double(in[a]);
      }
    } else if (policy == "not_larger" || policy == "not_smaller") {
      double scale = policy == "not_larger"
                         ? std::numeric_limits<double>::infinity()
                         : 0.0;
      for (size_t i = 0; i < na; ++i) {
        if (in[axes[i]] == 0) continue;
        double s = double(sizesIn[i]) / double(in[axes[i]]);
        scale = policy == "not_larger" ? std::min(scale, s)
                                       : std::max(scale, s);
      }
      if (!std::isfinite(scale)) scale = 1.0;
      for (size_t i = 0; i < na; ++i) {
        int64_t a = axes[i];
        double o = std::floor(scale * double(in[a]) + 0.5);
        if (o > 1e15) return ctx.error("resize output is too large");
        plan.scales[a] = scale;
        plan.outShape[a] = (int64_t)o;
      }
    } else {
      return ctx.error("unknown keep_aspect_ratio_policy '" + policy + "'");
    }
  }
  if (!roiIn.empty()) {
    if (roiIn.size() != 2 * na)
      return ctx.error("roi has " + std::to_string(roiIn.size()) +
                       " elements, expected " + std::to_string(2 * na));
    plan.roi.assign(2 * r, 0.0);
    for (int64_t a = 0; a < r; ++a) plan.roi[r + a] = 1.0;
    for (size_t i = 0; i < na; ++i) {
      plan.roi[axes[i]] = roiIn[i];
      plan.roi[r + axes[i]] = roiIn[na + i];
    }
  }
  return plan;
}

ResizeInputs resizeInputIndices(const NodeContext &ctx) {
  if (ctx.opset() < 11) return ResizeInputs{};
  return ResizeInputs{1, 2, 3};
}

Expected<std::vector<double>> upsampleScales(const NodeContext &ctx,
                                             const Tensor *scalesInput) {
  std::vector<double> scales;
  if (ctx.opset() >= 9) {
    if (!scalesInput) return std::vector<double>{};
    scales = scalesInput->toDoubleVector();
  } else {
    for (float f : ctx.attrFloats("scales")) scales.push_back(f);
  }
  return scales;
}

namespace {

Status inferResize(InferContext &ctx) {
  const TensorType &xt = ctx.inputType(0);
  if (!xt.hasRank) {
    ctx.outputs[0] = TensorType(xt.dtype);
    return Status::ok();
  }
  std::vector<Dim> dims(xt.rank(), Dim::unknown());
  ctx.outputs[0] = TensorType(xt.dtype, dims);
  if (!xt.isStatic()) return Status::ok();
  ResizeInputs ix = resizeInputIndices(ctx);
  auto value = [&](int i) -> const Tensor * {
    return i >= 0 && ctx.hasInput(i) ? ctx.inputValue(i) : nullptr;
  };
  auto absentOrEmpty = [&](int i) {
    if (i < 0 || !ctx.hasInput(i)) return true;
    const TensorType &t = ctx.inputType(i);
    return t.hasRank && t.isStatic() && t.staticShape().size() == 1 &&
           t.staticShape()[0] == 0;
  };
  std::vector<double> scales;
  std::vector<int64_t> sizes;
  if (const Tensor *s = value(ix.scales); s && s->numElements() > 0) {
    if (!absentOrEmpty(ix.sizes) && !value(ix.sizes)) return Status::ok();
    scales = s->toDoubleVector();
  } else if (const Tensor *z = value(ix.sizes); z && z->numElements() > 0) {
    if (!absentOrEmpty(ix.scales) && !value(ix.scales)) return Status::ok();
    sizes = z->toInt64Vector();
  } else {
    return Status::ok();
  }
  EDGEC_ASSIGN_OR_RETURN(
      ResizePlan plan, planResize(ctx, xt.staticShape(), scales, sizes, {}));
  ctx.outputs[0] = TensorType(xt.dtype, plan.outShape);
  return Status::ok();
}

Status inferUpsample(InferContext &ctx) {
  const TensorType &xt = ctx.inputType(0);
  ctx.outputs[0] = TensorType(xt.dtype);
  if (!xt.hasRank) return Status::ok();
  ctx.outputs[0] =
      TensorType(xt.dtype, std::vector<Dim>(xt.rank(), Dim::unknown()));
  const Tensor *sv = ctx.hasInput(1) ? ctx.inputValue(1) : nullptr;
  if (ctx.opset() >= 9 && !sv) return Status::ok();
  EDGEC_ASSIGN_OR_RETURN(std::vector<double> scales, upsampleScales(ctx, sv));
  if (scales.size() != xt.rank())
    return ctx.error("scales has " + std::to_string(scales.size()) +
                     " elements, expected " + std::to_string(xt.rank()));
  for (size_t a = 0; a < xt.rank(); ++a)
    if (xt.dims[a].isStatic() && scales[a] >= 1 && scales[a] < 1e9)
      ctx.outputs[0].dims[a] =
          Dim::fixed((int64_t)std::floor(double(xt.dims[a].value) * scales[a]));
  return Status::ok();
}

} // namespace

void registerResizeInference(InferRegistry &r) {
  r.add("Resize", inferResize);
  r.add("Upsample", inferUpsample);
}

} // namespace edgec
