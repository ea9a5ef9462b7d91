// Shape and type inference of the Image family (kernels:
// interp/kernels/Image.cpp).
#include "shape/InferUtil.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace edgec {

namespace {

Status inferGridSample(InferContext &ctx) {
  const TensorType &xt = ctx.inputType(0);
  const TensorType &gt = ctx.inputType(1);
  ctx.outputs[0] = TensorType(xt.dtype);
  if (!xt.hasRank || !gt.hasRank || gt.rank() != xt.rank()) return Status::ok();
  std::vector<Dim> dims{xt.dims[0], xt.dims[1]};
  for (size_t i = 1; i + 1 < gt.rank(); ++i) dims.push_back(gt.dims[i]);
  ctx.outputs[0] = TensorType(xt.dtype, dims);
  return Status::ok();
}

Status inferAffineGrid(InferContext &ctx) {
  DataType dt = ctx.inputType(0).dtype;
  ctx.outputs[0] = TensorType(dt);
  if (const Tensor *s = ctx.inputValue(1)) {
    std::vector<int64_t> size = s->toInt64Vector();
    if (size.size() == 4 || size.size() == 5) {
      TensorShape sh{size[0]};
      for (size_t i = 2; i < size.size(); ++i) sh.push_back(size[i]);
      sh.push_back((int64_t)size.size() - 2);
      for (int64_t d : sh)
        if (d < 0) return Status::ok();
      ctx.outputs[0] = TensorType(dt, sh);
    }
  }
  return Status::ok();
}

Status inferRoiAlign(InferContext &ctx) {
  const TensorType &xt = ctx.inputType(0);
  const TensorType &rt = ctx.inputType(1);
  Dim r = rt.hasRank && rt.rank() == 2 ? rt.dims[0] : Dim::unknown();
  Dim c = xt.hasRank && xt.rank() == 4 ? xt.dims[1] : Dim::unknown();
  ctx.outputs[0] = TensorType(
      xt.dtype, std::vector<Dim>{r, c,
                                 Dim::fixed(ctx.attrInt("output_height", 1)),
                                 Dim::fixed(ctx.attrInt("output_width", 1))});
  return Status::ok();
}

} // namespace

void registerImageInference(InferRegistry &r) {
  r.add("GridSample", inferGridSample);
  r.add("AffineGrid", inferAffineGrid);
  r.add("RoiAlign", inferRoiAlign);
  r.add("NonMaxSuppression", [](InferContext &c) {
    c.outputs[0] = TensorType(DataType::Int64,
                              std::vector<Dim>{Dim::unknown(), Dim::fixed(3)});
    return Status::ok();
  });
}

} // namespace edgec
